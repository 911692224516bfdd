// npm run promote, npm run platforms, npm run gate-key, npm run render:blueprint.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumMissingFor, findChromium } from '@todo/scenarios';
import { UsageError } from '../errors/index.ts';
import { inCi } from '../gate/index.ts';
import { repoRoot } from '../paths.ts';
import {
  environments,
  renderBlueprint,
  runKubernetesPromote,
  runPromote,
  type Environment,
} from '../promote/index.ts';
import { newSigningKeys } from '../report/index.ts';
import { startPlatforms } from '../standins/index.ts';

export const promoteHelp = `npm run promote -- --report reports/<run-id>/report.json [options]
  Verifies the signed gate report, pushes the rehearsed images by digest to
  PROMOTE_REGISTRY, deploys the backend (Railway, or Render with
  PROMOTE_BACKEND=render) and the frontend (Vercel), smoke-tests the
  environment's URL, rolls back what it changed when anything fails, and checks
  what serves. Writes promotion.json beside the report.
  --environment NAME   production (default), or staging: Railway's staging environment,
                       a Vercel preview behind the staging domain; production untouched
  --dry-run            verify the report and print every call it would make; touches nothing
  --no-browser         the smoke without the browser flow (by default it runs when
                       Chromium is found, after the API scenarios passed)
  --browser-smoke      the default now; accepted so older scripts keep working
  --target kubernetes  instead: the chart (deploy/helm/todo) as Helm release todo with both
                       images by digest, helm upgrade --wait, the smoke through the ingress,
                       helm rollback to the live revision on failure. Without --kube-context:
                       the local cluster (npm run cluster -- up, then env production|staging),
                       images loaded by id, https://todo.localhost:<ingress port>
  --kube-context NAME  a context of KUBECONFIG (or ~/.kube/config): images pushed to
                       PROMOTE_REGISTRY by digest; --url needed
  --namespace NAME     the release's namespace (default todo-<environment>)
  --values FILE        a values file for the chart, repeatable (e.g. deploy/helm/todo/values-doks.yaml)
  --url URL            where users open the app (the chart's publicUrl and the smoke's target)
  Exit codes: 0 promoted (or planned), 1 refused or rolled back, 2 could not run.
npm run platforms      start local stand-ins of the registry, Railway, Vercel and Render
                       (until Ctrl-C); writes .platforms.env for npm run promote
npm run gate-key       a new ed25519 key pair for signing gate reports`;

export async function promoteCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      report: { type: 'string' },
      environment: { type: 'string', default: 'production' },
      'dry-run': { type: 'boolean', default: false },
      'no-browser': { type: 'boolean', default: false },
      'browser-smoke': { type: 'boolean', default: false },
      target: { type: 'string' },
      'kube-context': { type: 'string' },
      namespace: { type: 'string' },
      values: { type: 'string', multiple: true, default: [] },
      url: { type: 'string' },
    },
    strict: true,
  });
  const kubernetesOnly = [
    ...(['kube-context', 'namespace', 'url'] as const).filter((name) => values[name] !== undefined),
    ...(values.values.length ? ['values'] : []),
  ];
  if (values.target !== undefined && values.target !== 'kubernetes')
    throw new UsageError(
      `--target ${values.target}: kubernetes (without --target: PROMOTE_BACKEND and PROMOTE_FRONTEND choose the platforms)`,
    );
  if (values.target === undefined && kubernetesOnly.length)
    throw new UsageError(`--${kubernetesOnly.join(', --')}: only with --target kubernetes`);
  if (values.url !== undefined && !/^https?:\/\/[^/]+$/.test(values.url))
    throw new UsageError(`--url ${values.url}: expected scheme and host, e.g. https://todo.example.com`);
  if (!values.report)
    throw new UsageError('--report: the gate report to promote, e.g. --report reports/<run-id>/report.json');
  if (!environments.includes(values.environment as Environment)) {
    throw new UsageError(`--environment ${values.environment}: one of ${environments.join(', ')}`);
  }
  if (values['no-browser'] && values['browser-smoke'])
    throw new UsageError('--no-browser and --browser-smoke: one or the other');
  // In CI the release's browser flow must run, as the gate's does: refused before anything is deployed.
  if (inCi(env) && !values['no-browser'] && !values['dry-run'] && !findChromium(env))
    throw new UsageError(
      `CI=true: the smoke's browser flow cannot run here (${chromiumMissingFor(env)}); or pass --no-browser to promote on the API scenarios alone`,
    );
  const reportPath = resolve(env.INIT_CWD ?? process.cwd(), values.report);
  const common = {
    reportPath,
    environment: values.environment as Environment,
    dryRun: values['dry-run'],
    browser: values['no-browser'] ? ('off' as const) : ('auto' as const),
    env,
    progress: process.stdout,
  };
  const cwd = env.INIT_CWD ?? process.cwd();
  const { record, exitCode, recordPath } =
    values.target === 'kubernetes'
      ? await runKubernetesPromote({
          ...common,
          kubeContext: values['kube-context'],
          namespace: values.namespace,
          values: values.values.map((file) => resolve(cwd, file)),
          url: values.url,
        })
      : await runPromote(common);
  const said = record.error ? `: ${record.error}` : '';
  const where = recordPath ? ` — record: ${recordPath}` : '';
  const lines: Record<typeof record.outcome, string> = {
    promoted: `PROMOTED to ${record.environment} in ${(record.durationMs / 1000).toFixed(1)} s${where}`,
    planned: `dry run: nothing was pushed or deployed${where}`,
    refused: `REFUSED${said}`,
    'rolled back': `ROLLED BACK${said}; serving: ${record.serving}${where}`,
    'deploy failed': `DEPLOY FAILED${said}; serving: ${record.serving}${where}`,
    interrupted: `INTERRUPTED; serving: ${record.serving}${where}`,
    failed: `COULD NOT PROMOTE${said}${where}`,
  };
  (exitCode === 0 ? process.stdout : process.stderr).write(`${lines[record.outcome]}\n`);
  return exitCode;
}

export async function platformsCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  process.stdout.write('starting the registry and the Railway, Vercel and Render stand-ins\n');
  await using platforms = await startPlatforms({ log: (line) => process.stdout.write(`${line}\n`) });
  const file = join(repoRoot, '.platforms.env');
  await writeFile(
    file,
    `${Object.entries(platforms.env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  process.stdout.write(
    `stand-ins up; their variables are in ${file}:\n` +
      Object.entries(platforms.env)
        .map(([k, v]) => `  ${k}=${/TOKEN|KEY/.test(k) ? `${v.slice(0, 10)}…` : v}`)
        .join('\n') +
      `\nin another terminal: set -a && . ./.platforms.env && set +a && npm run promote -- --report <report.json>\n` +
      `production (the Vercel stand-in): ${platforms.vercel.productionUrl}\n` +
      `staging (--environment staging): ${platforms.vercel.stagingUrl}\nCtrl-C stops them and removes everything\n`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  process.stdout.write('stopping the stand-ins\n');
  return 0;
}

export async function gateKeyCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string', default: '.gate' } },
    strict: true,
  });
  const dir = resolve(repoRoot, values.out);
  const privateFile = join(dir, 'signing-key.pem');
  if (existsSync(privateFile))
    throw new UsageError(`${privateFile} exists already; remove it first to make a new pair`);
  const { privateKeyPem, publicKeyPem } = newSigningKeys();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(privateFile, privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'public-key.pem'), publicKeyPem);
  process.stdout.write(
    `wrote ${privateFile} (keep it secret: CI's GATE_SIGNING_KEY) and ${join(dir, 'public-key.pem')}\n` +
      `  commit the public key as deploy/gate-public-key.pem to make it the one promotion trusts\n` +
      `  here: GATE_SIGNING_KEY=${privateFile} npm run sim, then GATE_PUBLIC_KEY=${join(dir, 'public-key.pem')} npm run promote …\n`,
  );
  return 0;
}

export async function blueprintCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { image: { type: 'string' }, promotion: { type: 'string' } },
    strict: true,
  });
  let image = values.image;
  if (!image && values.promotion) {
    const record = JSON.parse(await readFile(resolve(values.promotion), 'utf8')) as {
      chain?: { backend?: { pushed?: string } };
    };
    image = record.chain?.backend?.pushed;
  }
  if (!image)
    throw new UsageError(
      '--image registry/todo-backend@sha256:… (or --promotion reports/<run-id>/promotion.json)',
    );
  process.stdout.write(renderBlueprint(image));
  return 0;
}
