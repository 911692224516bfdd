import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppImages } from '../src/index.ts';
import {
  localClusterLeftovers,
  localClusterRunning,
  localClusterUnavailable,
} from '../src/kubernetes/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli } from './cli.ts';

const unavailable = await localClusterUnavailable();
// eslint-disable-next-line no-console -- a skipped check says why, where the run\'s output is read
if (unavailable) console.warn(`skipped: the Kubernetes rehearsal on the local cluster: ${unavailable}`);

// Black-box: `npm run sim -- --platform kubernetes` as a user runs it, on the real local cluster.
describe.skipIf(Boolean(unavailable))('npm run sim -- --platform kubernetes', () => {
  let reportsDir: string;

  beforeAll(async () => {
    reportsDir = await mkdtemp(join(tmpdir(), 'sim-kubernetes-'));
    await buildAppImages();
  });
  afterAll(async () => {
    await rm(reportsDir, { recursive: true, force: true });
  });

  it('deploys the chart with the rehearsed image ids, passes the gate, and leaves the machine as it was', async () => {
    expect(await localClusterRunning(), 'a local cluster is running already: this test starts its own').toBe(
      false,
    );
    const run = await runCli(
      ['sim', '--platform', 'kubernetes', '--profile', 'smoke', '--json', '--reports-dir', reportsDir],
      relaxedLatency,
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as SimReport;
    expect(report.verdict).toBe('pass');
    expect(report.platform).toBe('kubernetes');
    // The pods ran exactly the images the report names.
    for (const image of ['backend', 'frontend'] as const) {
      expect(report.kubernetes?.images[image]?.id).toBe(report.images[image]?.id);
      expect(report.kubernetes?.images[image]?.reference).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    expect(report.kubernetes?.clusterStartedHere).toBe(true);
    expect(report.config.files).toEqual(expect.arrayContaining(['deploy/helm/todo/Chart.yaml']));
    expect(report.thresholds.every((t) => t.ok && t.measured !== null)).toBe(true);
    expect(report.scenarios.filter((s) => !s.skipped).every((s) => s.ok)).toBe(true);
    expect(report.load).toMatchObject({ profile: 'smoke', k6ExitCode: 0, failedRate: 0 });
    expect(report.load?.reconciliation?.lost).toBe(0);
    expect(report.load?.reconciliation?.created).toBeGreaterThan(0);
    // Two backend pods, each with its start-up, CPU and memory from the kubelet.
    const backends = report.services.filter((s) => s.service.startsWith('backend'));
    expect(backends.length).toBeGreaterThanOrEqual(2);
    for (const backend of backends) {
      expect(backend.startupSeconds).toBeGreaterThan(0);
      expect(backend.memoryLimitBytes).toBe(512 * 1024 ** 2);
    }
    // Postgres (a StatefulSet: postgres-0) and Redis (a Deployment: redis-<pod>).
    const services = report.services.map((s) => s.service);
    expect(services).toContain('postgres');
    expect(services.some((s) => s.startsWith('redis-'))).toBe(true);
    // The cluster this run started is gone, and took nothing of the host with it.
    expect(await localClusterRunning()).toBe(false);
    expect(await localClusterLeftovers()).toEqual([]);
  }, 900_000);
});
