import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Compose projects that have containers (running or not), oldest container first. */
export async function listProjects(): Promise<string[]> {
  const { stdout } = await run('docker', [
    'ps',
    '-a',
    '--filter',
    'label=com.docker.compose.project',
    '--format',
    '{{.CreatedAt}}\t{{.Label "com.docker.compose.project"}}',
  ]);
  const rows = stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t') as [string, string]);
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  return [...new Set(rows.map((row) => row[1]))];
}
