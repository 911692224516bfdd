import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerLogs, projectContainers } from '../docker/index.ts';

/** Writes each log (service → text) to <dir>/<service>.log; returns the file of each service. */
export async function writeLogs(logs: Map<string, string>, dir: string): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, string>();
  for (const [service, text] of logs) {
    const file = join(dir, `${service}.log`);
    await writeFile(file, text);
    files.set(service, file);
  }
  return files;
}

/** Every service's whole log (stdout and stderr, with Docker's timestamps), by service. */
export async function readProjectLogs(projectName: string): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  for (const container of await projectContainers(projectName)) {
    logs.set(container.service, await containerLogs(container.id, { timestamps: true }).catch(() => ''));
  }
  return logs;
}
