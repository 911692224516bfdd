// One load run as `npm run load` and the load phase of `npm run sim` both do
// it: k6 against a base URL, then (for a rehearsal) the reconciliation with
// its database.
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectContainers } from '../docker/index.ts';
import { runK6, writeLog, type LoadOptions, type LoadResult } from './k6.ts';
import { containerDatabase, reconcile, type Reconciliation, type TaskDatabase } from './reconcile.ts';
import { loadFigures, type LoadFigures } from './summary.ts';

export interface LoadOutcome {
  result: LoadResult;
  figures: LoadFigures;
  /** null when there was no database to reconcile with (--target) or it could not be read. */
  reconciliation: Reconciliation | null;
  /** Why the database could not be read. */
  reconciliationError?: string;
  /** k6's own output (errors, warnings), also written to k6.log beside the summary. */
  logPath: string;
}

/** Acknowledged writes the database does not hold as acknowledged. */
export const tasksLost = (found: Reconciliation): number =>
  found.missing.length + found.undeleted.length + found.changed.length + found.duplicated.length;

/**
 * k6 against options.baseUrl; when `projectName` names the rehearsal behind it
 * (or `database` is its Postgres), the acknowledged writes are then reconciled
 * with that rehearsal's database.
 */
export async function runLoad(
  options: LoadOptions & { projectName?: string | undefined; database?: TaskDatabase | undefined },
): Promise<LoadOutcome> {
  // The tag names the run's accounts (load-<tag>-<vu>@example.com): letters and digits only.
  const runTag = options.runTag.toLowerCase().replace(/[^a-z0-9]/g, '');
  const logPath = join(options.outDir, 'k6.log');
  await mkdir(options.outDir, { recursive: true });
  await writeFile(logPath, '');
  let pending = Promise.resolve();
  const result = await runK6({
    ...options,
    runTag,
    onLine: (line) => {
      pending = pending.then(() => appendFile(logPath, `${line}\n`)).catch(() => undefined);
      options.onLine?.(line);
    },
  });
  await pending;
  const figures = loadFigures(result.summary);
  const { projectName } = options;
  if (!projectName && !options.database) return { result, figures, reconciliation: null, logPath };
  try {
    const database = options.database ?? (await projectDatabase(projectName ?? ''));
    const log = await writeLog(result.consolePath);
    // Creates were sent, yet no write was read back: the log's format is not the
    // one parsed, and "nothing lost" would be a check that cannot fail.
    const creates = result.summary?.metrics['http_req_duration{group:tasks:create}']?.values.count ?? 0;
    if (creates > 0 && log.size === 0)
      throw new Error(
        `k6 sent ${creates} creates but its console output (${result.consolePath}) holds none of the journey's "reconcile {...}" lines`,
      );
    const reconciliation = await reconcile(database, log, runTag);
    return { result, figures, reconciliation, logPath };
  } catch (error) {
    return { result, figures, reconciliation: null, reconciliationError: (error as Error).message, logPath };
  }
}

async function projectDatabase(projectName: string): Promise<TaskDatabase> {
  const containers = await projectContainers(projectName);
  const postgres = containers.find((c) => c.service === 'postgres');
  if (!postgres) throw new Error(`${projectName} has no postgres container`);
  return containerDatabase(postgres.id);
}

/** One line for people: what the database holds against what the load was told. */
export function describeReconciliation(found: Reconciliation): string {
  const doubt = found.inDoubt ? ` (${found.inDoubt} writes unanswered: either outcome accepted)` : '';
  return (
    `${found.created} creates, ${found.updated} edits and completions, ${found.deleted} deletes acknowledged${doubt}; ` +
    `${found.missing.length} missing, ${found.undeleted.length} not deleted, ${found.changed.length} changed, ` +
    `${found.duplicated.length} duplicated`
  );
}
