// Before anything is pushed or deployed: is this report one the gate passed,
// recent, unaltered, about this very commit, these very images and this config?
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { imageId } from '../docker/index.ts';
import { git, gitInfo } from '../git/index.ts';
import { appImages, baseImages, inputFiles, type AppImage } from '../images/index.ts';
import { repoRoot } from '../paths.ts';
import { readKey, verifyBytes, type SimReport } from '../report/index.ts';
import { configHash } from '../provenance/index.ts';

/** The report is not one to promote; the reason is one line for the user (exit 1). */
export class PromotionRefused extends Error {
  override name = 'PromotionRefused';
}

export interface VerifiedReport {
  report: SimReport;
  path: string;
  /** Where promotion.json goes: beside the report. */
  dir: string;
  /** The key's fingerprint-free description: which key verified it. */
  verifiedWith: string;
}

export interface VerifyOptions {
  reportPath: string;
  env: NodeJS.ProcessEnv;
  now?: Date;
}

/** "24h", "90m", "3600s", "2d" → ms. */
export function parseMaxAge(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(value.trim());
  if (!match)
    throw new PromotionRefused(`PROMOTE_MAX_AGE=${value}: expected a duration such as 24h, 90m or 2d`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

const publicKeyFile = join(repoRoot, 'deploy', 'gate-public-key.pem');

function publicKey(env: NodeJS.ProcessEnv): { pem: string; from: string } {
  if (env.GATE_PUBLIC_KEY) {
    try {
      return { pem: readKey(env.GATE_PUBLIC_KEY), from: 'GATE_PUBLIC_KEY' };
    } catch (error) {
      throw new PromotionRefused(`GATE_PUBLIC_KEY: ${(error as Error).message}`);
    }
  }
  try {
    return { pem: readKey(publicKeyFile), from: 'deploy/gate-public-key.pem' };
  } catch {
    throw new PromotionRefused(
      'no public key to verify the report with: commit deploy/gate-public-key.pem (npm run gate-key writes a pair) or set GATE_PUBLIC_KEY',
    );
  }
}

/** Files that go into an image and differ from the commit (tracked changes and untracked files). */
async function changedImageInputs(): Promise<string[]> {
  const inputs = new Set<string>();
  for (const image of appImages) for (const file of await inputFiles(image)) inputs.add(file);
  const status = await git('status', '--porcelain', '--untracked-files=all');
  return status
    .split('\n')
    .map((line) => line.slice(3).replace(/^.* -> /, ''))
    .filter((file) => inputs.has(file));
}

async function baseImageIds(env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  const ids: Record<string, string | undefined> = {};
  for (const reference of Object.values(baseImages(env))) ids[reference] = await imageId(reference);
  return ids;
}

export async function verifyReport(options: VerifyOptions): Promise<VerifiedReport> {
  const { reportPath, env } = options;
  const bytes = await readFile(reportPath).catch(() => {
    throw new PromotionRefused(
      `${reportPath}: no such report (npm run sim writes reports/<run-id>/report.json)`,
    );
  });
  let report: SimReport;
  try {
    report = JSON.parse(bytes.toString()) as SimReport;
  } catch {
    throw new PromotionRefused(`${reportPath}: not a gate report (not JSON)`);
  }
  // Read as the file is, not as the type says it must be.
  const shape = report as Partial<SimReport>;
  if (shape.schemaVersion !== 1 || !shape.images || !shape.git) {
    throw new PromotionRefused(
      `${reportPath}: not a gate report of this harness (schemaVersion ${String(report.schemaVersion)})`,
    );
  }
  // The signature first: nothing else in an altered report can be believed.
  const signature = await readFile(`${reportPath}.sig`, 'utf8').catch(() => undefined);
  if (!signature) {
    throw new PromotionRefused(
      `${reportPath} is not signed (no ${reportPath}.sig): run npm run sim with GATE_SIGNING_KEY set`,
    );
  }
  const key = publicKey(env);
  let valid: boolean;
  try {
    valid = verifyBytes(bytes, signature, key.pem);
  } catch (error) {
    throw new PromotionRefused(`the report's signature could not be checked: ${(error as Error).message}`);
  }
  if (!valid) {
    throw new PromotionRefused(
      `${reportPath}: the signature does not match (altered since it was signed, or signed by another key than ${key.from})`,
    );
  }
  if (report.verdict !== 'pass') {
    throw new PromotionRefused(
      `the gate did not pass this run (verdict: ${report.verdict}); only a passing report is promoted`,
    );
  }
  const maxAge = parseMaxAge(env.PROMOTE_MAX_AGE ?? '24h');
  const age = (options.now ?? new Date()).getTime() - Date.parse(report.finishedAt);
  if (!(age <= maxAge)) {
    const hours = (age / 3_600_000).toFixed(1);
    throw new PromotionRefused(
      `the report is ${hours} h old, more than PROMOTE_MAX_AGE=${env.PROMOTE_MAX_AGE ?? '24h'}: rehearse again (npm run sim)`,
    );
  }
  const head = await gitInfo();
  if (head.sha !== report.git.sha) {
    throw new PromotionRefused(
      `the report is of commit ${report.git.sha.slice(0, 12)}, but ${head.sha.slice(0, 12)} is checked out`,
    );
  }
  if (report.git.dirty) {
    throw new PromotionRefused(
      'the report was made with uncommitted changes: commit them and rehearse again',
    );
  }
  const changed = await changedImageInputs();
  if (changed.length) {
    throw new PromotionRefused(
      `uncommitted changes to what goes into the images: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}`,
    );
  }
  for (const name of appImages) {
    const recorded = report.images[name];
    if (!recorded) throw new PromotionRefused(`the report names no ${name} image`);
    const local = await imageId(recorded.reference);
    if (local !== recorded.id) {
      throw new PromotionRefused(
        `${name}: ${recorded.reference} is ${local ?? 'not on this machine'} here, the report rehearsed ${recorded.id}`,
      );
    }
  }
  const today = await configHash({
    composeFile: report.config.composeFile,
    files: report.config.files,
    env: report.config.env,
    images: report.images,
    baseImageIds: await baseImageIds(env),
    thresholds: report.config.thresholds,
  });
  if (today !== report.configHash) {
    throw new PromotionRefused(
      `the rehearsal's configuration changed since the run (${report.config.composeFile} or a base image): ${report.configHash.slice(0, 19)} then, ${today.slice(0, 19)} now`,
    );
  }
  return { report, path: reportPath, dir: dirname(reportPath), verifiedWith: key.from };
}

export type { AppImage };
