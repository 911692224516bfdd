// Rehearsals left running on purpose (up --rehearsal, sim --keep): found again
// by later commands (load, logs, status) and removed by down --rehearsal.
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listProjects, projectContainers, removeProject } from '../docker/index.ts';
import { isKeptProject } from '../projects/index.ts';
import { readCaCertificate } from './start.ts';

export interface KeptRehearsal {
  projectName: string;
  baseUrl: string;
  caCertificate: string;
}

/** Kept rehearsals, oldest first. */
export const keptProjects = async (): Promise<string[]> => (await listProjects()).filter(isKeptProject);

/** Where the CA of a kept rehearsal is written for curl and browsers. */
export const keptCaFile = (projectName: string): string => join(tmpdir(), `${projectName}-ca.crt`);

export async function writeKeptCa(projectName: string, caCertificate: string): Promise<string> {
  const file = keptCaFile(projectName);
  await writeFile(file, caCertificate);
  return file;
}

/** The newest kept rehearsal whose proxy runs: its URL and CA. */
export async function findKeptRehearsal(): Promise<KeptRehearsal | undefined> {
  const projectName = (await keptProjects()).at(-1);
  if (!projectName) return undefined;
  const proxy = (await projectContainers(projectName)).find(
    (c) => c.service === 'proxy' && c.state === 'running',
  );
  const port = proxy?.env.find((entry) => entry.startsWith('HTTPS_PORT='))?.split('=')[1];
  if (!proxy || !port) return undefined;
  return {
    projectName,
    baseUrl: `https://localhost:${port}`,
    caCertificate: await readCaCertificate(proxy.id),
  };
}

/** Removes every kept rehearsal and its CA file; the projects removed. */
export async function removeKeptRehearsals(): Promise<string[]> {
  const kept = await keptProjects();
  for (const projectName of kept) {
    await removeProject(projectName);
    await rm(keptCaFile(projectName), { force: true });
  }
  return kept;
}
