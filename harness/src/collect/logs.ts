import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/** Writes each container's whole log (stdout and stderr) to <dir>/<service>.log; returns the file of each service. */
export async function saveLogs(containers: Map<string, string>, dir: string): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, string>();
  for (const [id, service] of containers) {
    const file = join(dir, `${service}.log`);
    const out = createWriteStream(file);
    const child = spawn('docker', ['logs', '--timestamps', id]);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    await new Promise((resolve) => child.on('close', resolve));
    out.end();
    await finished(out);
    files.set(service, file);
  }
  return files;
}
