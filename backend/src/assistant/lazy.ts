// The assistant, loaded on the first turn that needs it: the AI SDK and the
// model provider (about a third of the bundle) stay out of start-up and out of
// an idle replica's memory. Its settings were checked with the rest of the
// configuration at start (config/schema.ts), so nothing new can fail here.
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import type { TaskService } from '../tasks/index.ts';
import type { Assistant } from './chat.ts';

export function lazyAssistant(deps: {
  config: Config;
  db: pg.Pool;
  tasks: TaskService;
  logger: Logger;
}): Assistant {
  let loading: Promise<Assistant> | undefined;
  const load = async () => {
    const [{ createAssistant }, { createModel }] = await Promise.all([
      import('./chat.ts'),
      import('./provider.ts'),
    ]);
    return createAssistant({ ...deps, model: createModel(deps.config) });
  };
  return {
    async turn(turn) {
      loading ??= load();
      return (await loading).turn(turn);
    },
  };
}
