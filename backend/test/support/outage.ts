import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A port free on 127.0.0.1 now, so a restarted container can keep its address. */
export { freePort } from '@todo/harness';

/** Docker verbs on a container by id: stop (dead), start (back), pause (hung), unpause. */
export async function docker(
  verb: 'stop' | 'start' | 'pause' | 'unpause' | 'kill',
  id: string,
): Promise<void> {
  await run('docker', verb === 'stop' ? ['stop', '-t', '5', id] : [verb, id]);
}

/** Polls until `check` is true or the deadline passes. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
