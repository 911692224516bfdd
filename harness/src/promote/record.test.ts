import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePromotion, type PromotionRecord } from './record.ts';

const rolledBack: PromotionRecord = {
  schemaVersion: 1,
  startedAt: '2026-11-23T00:00:00.000Z',
  finishedAt: '2026-11-23T00:00:42.000Z',
  durationMs: 42_000,
  environment: 'production',
  report: { path: 'reports/run-1/report.json', runId: 'run-1', gitSha: 'c'.repeat(40) },
  outcome: 'rolled back',
  serving: 'previous release',
  check: {
    url: 'https://todo.example.test',
    backend: 'sha256:old',
    frontend: 'dpl_old',
    page: 200,
    app: true,
    api: 401,
  },
  chain: {
    backend: { imageId: `sha256:${'d'.repeat(64)}`, pushed: `ghcr.io/o/backend@sha256:${'e'.repeat(64)}` },
  },
  targets: {
    backend: {
      name: 'Railway',
      previous: { id: 'dep-old', artefact: 'ghcr.io/o/backend@sha256:old', url: 'https://api.example.test' },
      deployed: { id: 'dep-new', artefact: 'ghcr.io/o/backend@sha256:new', url: 'https://api.example.test' },
    },
  },
  smoke: {
    ok: false,
    scenarios: [
      { name: 'sign in', kind: 'api', ok: false, durationMs: 900, steps: [], error: 'expected 200, got 502' },
    ],
  },
  rollback: { reason: 'the smoke test failed', backend: 'back to dep-old', frontend: 'unchanged' },
  steps: [{ name: 'smoke', status: 'failed', durationMs: 900 }],
};

describe('the promotion record in the CI job summary', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promotion-summary-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds the outcome, the failed smoke and the rollback after what was there', async () => {
    const summaryFile = join(dir, 'step-summary.md');
    await writeFile(summaryFile, 'the gate report came first\n');
    await writePromotion(dir, rolledBack, { GITHUB_STEP_SUMMARY: summaryFile });
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary.startsWith('the gate report came first\n')).toBe(true);
    expect(summary).toContain('## Promotion: rolled back');
    expect(summary).toContain('serving: **previous release**');
    expect(summary).toContain('Smoke: FAILED — sign in: FAIL (expected 200, got 502)');
    expect(summary).toContain(
      'Rollback (the smoke test failed): backend back to dep-old, frontend unchanged',
    );
    expect(summary).toContain(
      'Checked: sha256:old (backend), dpl_old (frontend); https://todo.example.test/ answered 200 (the app), /api/tasks 401',
    );
    expect(summary).toContain(await readFile(join(dir, 'promotion.md'), 'utf8'));
  });
});
