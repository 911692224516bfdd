import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Compose projects that have containers, networks or volumes left, those with
 * containers ordered by their oldest container's creation.
 */
export async function listProjects(): Promise<string[]> {
  const label = '{{.Label "com.docker.compose.project"}}';
  const filter = ['--filter', 'label=com.docker.compose.project'];
  const lines = async (...args: string[]) => (await run('docker', args)).stdout.split('\n').filter(Boolean);
  const rows = (await lines('ps', '-a', ...filter, '--format', `{{.CreatedAt}}\t${label}`)).map(
    (line) => line.split('\t') as [string, string],
  );
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  const others = [
    ...(await lines('network', 'ls', ...filter, '--format', label)),
    ...(await lines('volume', 'ls', ...filter, '--format', label)),
  ];
  return [...new Set([...rows.map((row) => row[1]), ...others])];
}
