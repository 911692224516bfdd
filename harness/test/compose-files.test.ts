import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseImages, composeVersion, repoRoot } from '../src/index.ts';

const run = promisify(execFile);

describe('the compose files', () => {
  it.each(['docker-compose.yml', 'docker-compose.prod.yml'])(
    '%s is valid for the installed Compose',
    async (file) => {
      const { version } = await composeVersion();
      const { stdout } = await run('docker', ['compose', '-f', file, 'config'], {
        cwd: repoRoot,
        env: { ...process.env, ...baseImages() },
      });
      expect(stdout, `docker compose ${version}`).toContain('services:');
    },
  );

  it('the rehearsal publishes only the proxy, and only on 127.0.0.1', async () => {
    const { stdout } = await run('docker', ['compose', '-f', 'docker-compose.prod.yml', 'config'], {
      cwd: repoRoot,
    });
    expect(stdout.match(/^ {4}ports:/gm)).toHaveLength(1);
    // v1 prints "- 127.0.0.1:8443:8443/tcp", v2 "host_ip: 127.0.0.1".
    expect(stdout).toMatch(/127\.0\.0\.1:8443:8443|host_ip: 127\.0\.0\.1/);
    expect(stdout).not.toContain('0.0.0.0');
  });
});
