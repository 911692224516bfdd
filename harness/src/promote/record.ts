// promotion.json and promotion.md, beside the report they promoted: what went
// where, the digest chain, each platform's releases, the smoke, any rollback.
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhaseRecord, ScenarioRecord } from '../report/index.ts';
import { describeCall, type PlannedCall } from './plan.ts';
import type { Serving, ServingCheck } from './serving.ts';
import type { Release } from './targets/index.ts';

export type Outcome =
  'promoted' | 'rolled back' | 'deploy failed' | 'refused' | 'failed' | 'interrupted' | 'planned';

export interface ChainLink {
  /** The image id the report rehearsed. */
  imageId: string;
  /** repo@sha256:… pushed, whose manifest's configuration is that id. */
  pushed?: string;
  /** What the platform reports serving: the digest (backend) or the deployment (frontend). */
  serving?: string;
  /** The frontend: the digest of the Build Output taken from the image. */
  buildOutput?: string;
}

export interface PromotionRecord {
  schemaVersion: 1;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  environment: string;
  report: { path: string; runId?: string; gitSha?: string; verifiedWith?: string };
  outcome: Outcome;
  /**
   * Which release serves when the promotion ends, from `check`: both platforms
   * report running it and its URL answers as the app. `nothing changed` when no
   * platform was asked to change anything; `unknown` when the check found
   * neither release whole (a half state, a lying platform, a URL that fails).
   */
  serving: Serving;
  /** The last check of what serves: the platforms' digests and the requests' answers. */
  check: ServingCheck | null;
  chain: { backend?: ChainLink; frontend?: ChainLink; proxy?: ChainLink };
  targets: {
    backend?: { name: string; previous: Release | null; deployed: Release | null };
    frontend?: { name: string; previous: Release | null; deployed: Release | null };
  };
  smoke: { ok: boolean; scenarios: ScenarioRecord[] } | null;
  rollback: { reason: string; backend: string; frontend: string } | null;
  steps: PhaseRecord[];
  /** Every call a dry run would make, those a failure would add marked. */
  plan?: PlannedCall[];
  /** A promotion to Kubernetes: where the Helm release is, and how the images got there. */
  kubernetes?: { cluster: string; namespace: string; release: string; images: 'loaded' | 'pushed' };
  error?: string;
}

/** A promotion's record before its first step: nothing changed yet. */
export const newPromotionRecord = (input: {
  startedAt: Date;
  environment: string;
  reportPath: string;
  steps: PhaseRecord[];
}): PromotionRecord => ({
  schemaVersion: 1,
  startedAt: input.startedAt.toISOString(),
  finishedAt: '',
  durationMs: 0,
  environment: input.environment,
  report: { path: input.reportPath },
  outcome: 'failed',
  serving: 'nothing changed',
  check: null,
  chain: {},
  targets: {},
  smoke: null,
  rollback: null,
  steps: input.steps,
});

/** Ends the record with its outcome and, once the report's folder is known, writes it there. */
export async function finishPromotion<Code extends number>(input: {
  record: PromotionRecord;
  outcome: Outcome;
  exitCode: Code;
  env: NodeJS.ProcessEnv;
  dir?: string | undefined;
}): Promise<{ record: PromotionRecord; exitCode: Code; recordPath?: string }> {
  const { record } = input;
  record.outcome = input.outcome;
  record.finishedAt = new Date().toISOString();
  record.durationMs = Date.now() - Date.parse(record.startedAt);
  const recordPath = input.dir
    ? await writePromotion(input.dir, record, input.env).catch(() => undefined)
    : undefined;
  return { record, exitCode: input.exitCode, ...(recordPath ? { recordPath } : {}) };
}

const release = (r: Release | null | undefined) => (r ? `${r.id} (${r.artefact})` : '–');

export function renderPromotion(record: PromotionRecord): string {
  const lines = [
    `## Promotion: ${record.outcome}`,
    '',
    `${record.environment}, from ${record.report.path} (commit ${record.report.gitSha?.slice(0, 12) ?? '?'}) in ${(record.durationMs / 1000).toFixed(1)} s; serving: **${record.serving}**.`,
    ...(record.error ? ['', `> ${record.error}`] : []),
    '',
    '| Image | Rehearsed (image id) | Pushed | Serving |',
    '| --- | --- | --- | --- |',
    ...(['backend', 'frontend', 'proxy'] as const).map((name) => {
      const link = record.chain[name];
      return `| ${name} | ${link?.imageId ?? '–'} | ${link?.pushed ?? '–'} | ${link?.serving ?? (name === 'proxy' ? '(not deployed: the platforms are the front door)' : '–')}${link?.buildOutput ? ` (Build Output ${link.buildOutput})` : ''} |`;
    }),
    '',
    '| Platform | Before | Deployed |',
    '| --- | --- | --- |',
    ...(['backend', 'frontend'] as const).flatMap((side) => {
      const t = record.targets[side];
      return t
        ? [
            `| ${t.name} (${record.kubernetes ? `Helm release ${record.kubernetes.release} in ${record.kubernetes.namespace}` : side}) | ${release(t.previous)} | ${release(t.deployed)} |`,
          ]
        : [];
    }),
    '',
    record.smoke
      ? `Smoke: ${record.smoke.ok ? 'passed' : 'FAILED'} — ${record.smoke.scenarios.map((s) => `${s.name}: ${s.skipped ? 'skipped' : s.ok ? 'pass' : `FAIL (${s.error ?? ''})`}`).join('; ')}`
      : 'Smoke: not run',
    ...(record.check
      ? [
          '',
          `Checked: ${record.check.backend ?? 'no digest'} (backend), ${record.check.frontend ?? 'no deployment'} (frontend); ${record.check.url ?? 'no URL'}/ answered ${record.check.page ?? 'nothing'}${record.check.app ? ' (the app)' : ''}, /api/tasks ${record.check.api ?? 'nothing'}${record.check.error ? ` — ${record.check.error}` : ''}`,
        ]
      : []),
    ...(record.rollback
      ? [
          '',
          `Rollback (${record.rollback.reason}): backend ${record.rollback.backend}, frontend ${record.rollback.frontend}`,
        ]
      : []),
    '',
    '| Step | Status | Time |',
    '| --- | --- | --- |',
    ...record.steps.map((s) => `| ${s.name} | ${s.status} | ${(s.durationMs / 1000).toFixed(1)} s |`),
    ...(record.plan ? ['', 'Would call:', '', ...record.plan.map((call) => `- ${describeCall(call)}`)] : []),
    '',
  ];
  return lines.join('\n');
}

/** Writes promotion.json and promotion.md beside the report; the Markdown also to GITHUB_STEP_SUMMARY. */
export async function writePromotion(
  dir: string,
  record: PromotionRecord,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const markdown = renderPromotion(record);
  await writeFile(join(dir, 'promotion.json'), `${JSON.stringify(record, null, 2)}\n`);
  await writeFile(join(dir, 'promotion.md'), markdown);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  return join(dir, 'promotion.json');
}
