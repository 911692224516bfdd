import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { composeConfig, composeFlavour } from '../src/docker/index.ts';
import { baseImages, repoRoot } from '../src/index.ts';

const v1 = await composeFlavour('v1').catch(() => undefined);

describe('the compose files', () => {
  it.each(['docker-compose.yml', 'docker-compose.prod.yml'] as const)(
    '%s is valid for Compose v2',
    async (file) => {
      const flavour = await composeFlavour('v2');
      const stdout = await composeConfig(file, { ...process.env, ...baseImages() }, flavour);
      expect(stdout, `docker compose ${flavour.version}`).toContain('services:');
    },
  );

  it.skipIf(!v1)('docker-compose.prod.yml is valid for Compose v1.29 too (the fallback)', async () => {
    const stdout = await composeConfig('docker-compose.prod.yml', { ...process.env, ...baseImages() }, v1);
    expect(stdout).toContain('services:');
  });

  it('the developer stack rebuilds an image under `docker compose watch` when its dependencies change', async () => {
    const config = parseYaml(
      await composeConfig('docker-compose.yml', process.env, await composeFlavour('v2')),
    ) as { services: Record<string, { develop?: { watch?: { path: string; action: string }[] } }> };
    const rules = (service: string) =>
      (config.services[service]?.develop?.watch ?? []).map(
        (rule) => `${rule.action} ${relative(repoRoot, rule.path)}`,
      );
    expect(rules('backend')).toEqual(['rebuild package-lock.json', 'rebuild backend/package.json']);
    expect(rules('frontend')).toEqual(['rebuild package-lock.json', 'rebuild frontend/package.json']);
    // Not the proxy: Compose 2.40's watch, rebuilding a service, recreates its built
    // dependencies (the backend, the frontend) without starting them again.
    expect(rules('proxy')).toEqual([]);
  });

  it('the rehearsal publishes only the proxy, and only on 127.0.0.1', async () => {
    for (const flavour of [await composeFlavour('v2'), ...(v1 ? [v1] : [])]) {
      const stdout = await composeConfig('docker-compose.prod.yml', process.env, flavour);
      expect(stdout.match(/^ {4}ports:/gm)).toHaveLength(1);
      // v1 prints "- 127.0.0.1:8443:8443/tcp", v2 "host_ip: 127.0.0.1".
      expect(stdout).toMatch(/127\.0\.0\.1:8443:8443|host_ip: 127\.0\.0\.1/);
      expect(stdout).not.toContain('0.0.0.0');
    }
  });
});
