// What `npm run doctor` checks, each as one finding with what to do about it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { parseEnv, promisify } from 'node:util';
import { chromiumMissingFor, findChromium } from '@todo/scenarios';
import {
  builderChoice,
  composeChoice,
  composeFlavour,
  engineInfo,
  imageBuilder,
  imageId,
  tryPull,
  type BuilderChoice,
  type ComposeChoice,
} from '../docker/index.ts';
import { inCi } from '../gate/index.ts';
import { baseImages, overridesFile } from '../images/index.ts';
import { findK6, k6FromImage, k6Image, localK6 } from '../load/index.ts';
import { repoRoot } from '../paths.ts';
import { secretFiles } from '../rehearsal/secrets.ts';

const run = promisify(execFile);

export interface Finding {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  /** What to do; set for warn and fail. */
  fix?: string;
}

const ok = (check: string, detail: string): Finding => ({ check, status: 'ok', detail });
const problem = (status: 'warn' | 'fail', check: string, detail: string, fix: string): Finding => ({
  check,
  status,
  detail,
  fix,
});

export function checkNode(version = process.versions.node): Finding {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  // 24.7 brought crypto.argon2, which the backend hashes passwords with.
  return major === 24 && minor >= 7
    ? ok('node', `Node ${version}`)
    : problem(
        'fail',
        'node',
        `Node ${version}; this repository needs Node 24.7 or a later 24.x`,
        'install Node 24 (npm run provision does it on Debian/Ubuntu, or use nvm install 24)',
      );
}

const dockerFix = {
  linux: {
    install: 'install Docker Engine (npm run provision does it on Debian/Ubuntu)',
    start:
      'start the daemon: sudo systemctl start docker (without systemd: sudo dockerd &; npm run provision starts it)',
  },
  darwin: {
    install: 'install Docker Desktop, OrbStack or colima (brew install colima docker docker-compose)',
    start: 'start Docker Desktop (open -a Docker) or colima start',
  },
  win32: {
    install: 'install Docker Desktop with the WSL 2 backend',
    start: 'start Docker Desktop, then run this from the WSL shell',
  },
} satisfies Record<string, { install: string; start: string }>;

/** A table's entry for this OS: macOS and Windows their own, every other OS Linux's. */
const forOs = <T>(table: Record<'linux' | 'darwin' | 'win32', T>, platform: NodeJS.Platform): T =>
  platform === 'darwin' || platform === 'win32' ? table[platform] : table.linux;

const onPath = (command: string, env: NodeJS.ProcessEnv) =>
  (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

export async function checkDocker(
  platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ finding: Finding; rootDir?: string }> {
  const fix = forOs(dockerFix, platform);
  // Builds and Compose go through the docker command; everything else through the engine's API.
  if (!onPath('docker', env)) {
    return { finding: problem('fail', 'docker', 'the docker command is not installed', fix.install) };
  }
  try {
    const info = await Promise.race([
      engineInfo(),
      new Promise<never>((_, reject) => {
        setTimeout(() => {
          reject(new Error('no answer in 15 s'));
        }, 15_000).unref();
      }),
    ]);
    return {
      finding: ok('docker', `Docker Engine ${info.serverVersion} answers`),
      ...(info.rootDir ? { rootDir: info.rootDir } : {}),
    };
  } catch {
    return { finding: problem('fail', 'docker', 'the Docker daemon does not answer', fix.start) };
  }
}

const k6Fix = {
  linux:
    "bash scripts/k6.sh builds it with Go (npm run provision runs it), or install k6 1.x from Grafana's packages",
  darwin: 'brew install k6',
  win32: 'winget install k6 --source winget (or choco install k6)',
} satisfies Record<string, string>;

/** k6 runs the load; without it `npm run sim` refuses (or runs with --no-load). */
export async function checkK6(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<Finding> {
  const fix = forOs(k6Fix, platform);
  const k6 = findK6(env);
  if (!k6) {
    // Grafana's image stands in for it (runK6); a missing one is pulled when sim starts.
    if ((await localK6(env))?.kind === 'image') return ok('k6', k6FromImage(k6Image(env)));
    return problem(
      'warn',
      'k6',
      `k6 is not on PATH: npm run sim will pull ${k6Image(env)} and run the load in it; where no registry answers it cannot run its load`,
      fix,
    );
  }
  try {
    const { stdout } = await run(k6, ['version'], { timeout: 15_000 });
    const version = /v(\d+)\.(\d+)\.\d+/.exec(stdout);
    if (!version) return problem('warn', 'k6', `${k6} says no version`, fix);
    return Number(version[1]) >= 1
      ? ok('k6', `k6 ${version[0]} (${k6})`)
      : problem('fail', 'k6', `k6 ${version[0]} is too old: the load scripts need k6 1.x`, fix);
  } catch (error) {
    return problem('fail', 'k6', `${k6} does not run: ${(error as Error).message.split('\n')[0]}`, fix);
  }
}

/** The browser flow needs a Chrome, Chromium or Edge; without one it is skipped (and fails the gate in CI). */
export function checkBrowser(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Finding {
  const browser = findChromium(env, platform);
  if (browser) return ok('browser', browser);
  const ci = inCi(env);
  return problem(
    ci ? 'fail' : 'warn',
    'browser',
    `the browser flow will be skipped${ci ? ', which fails the gate in CI' : ''}`,
    chromiumMissingFor(env, platform),
  );
}

export async function checkCompose(env: NodeJS.ProcessEnv = process.env): Promise<Finding> {
  let choice: ComposeChoice;
  try {
    choice = composeChoice(env);
  } catch (error) {
    return problem(
      'fail',
      'compose',
      (error as Error).message,
      'unset SIM_COMPOSE, or set it to auto, v1 or v2',
    );
  }
  try {
    const { version, major, standalone } = await composeFlavour(choice);
    if (major >= 2) return ok('compose', `Docker Compose ${version} (v2)`);
    const v1 = `Docker Compose ${version} (v1.29${standalone ? ', docker-compose' : ' behind the compose plugin shim'})`;
    if (version.startsWith('1.29'))
      return choice === 'v1'
        ? ok('compose', `${v1}, as SIM_COMPOSE chose`)
        : problem(
            'warn',
            'compose',
            `${v1}: the rehearsal runs on it, but v2 is what is tested`,
            'install Compose v2: the docker-compose-plugin package, or npm run provision (builds it)',
          );
    return problem(
      'fail',
      'compose',
      `Docker Compose ${version} is too old`,
      'install Compose v2: the docker-compose-plugin package, or npm run provision (builds it)',
    );
  } catch (error) {
    return problem(
      'fail',
      'compose',
      choice === 'auto' ? 'neither `docker compose` nor docker-compose runs' : (error as Error).message,
      'install Compose v2: the docker-compose-plugin package, or npm run provision (builds it)',
    );
  }
}

export async function checkBuilder(env: NodeJS.ProcessEnv = process.env): Promise<Finding> {
  let choice: BuilderChoice;
  try {
    choice = builderChoice(env);
  } catch (error) {
    return problem(
      'fail',
      'builder',
      (error as Error).message,
      'unset SIM_BUILDER, or set it to auto, buildkit or classic',
    );
  }
  try {
    const builder = await imageBuilder(choice);
    if (builder.kind === 'buildkit') return ok('builder', `BuildKit (docker buildx ${builder.version})`);
    if (choice === 'classic') return ok('builder', 'the classic builder, as SIM_BUILDER chose');
    return problem(
      'warn',
      'builder',
      "the classic builder (no docker buildx): the rehearsal's images build without npm's download cache, and the developer stack does not build",
      'install buildx: the docker-buildx-plugin package, or npm run provision (builds it)',
    );
  } catch (error) {
    return problem(
      'fail',
      'builder',
      (error as Error).message,
      'install buildx: the docker-buildx-plugin package, or npm run provision (builds it)',
    );
  }
}

export async function checkDisk(dir: string): Promise<Finding> {
  try {
    const stats = await statfs(dir);
    const free = (stats.bavail * stats.bsize) / 1024 ** 3;
    const detail = `${free.toFixed(1)} GiB free for images under ${dir}`;
    if (free < 2)
      return problem('fail', 'disk', detail, 'free space: docker system prune removes unused images');
    if (free < 8)
      return problem('warn', 'disk', detail, 'builds need a few GiB; docker system prune frees some');
    return ok('disk', detail);
  } catch {
    return ok('disk', `cannot see ${dir} from here (a remote daemon); not checked`);
  }
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () =>
      server.close(() => {
        resolve(true);
      }),
    );
  });

/** The developer stack's published ports; the rehearsal picks free ones itself. */
export async function checkPorts(env: NodeJS.ProcessEnv = process.env): Promise<Finding> {
  const wanted = {
    APP_PORT: Number(env.APP_PORT ?? 8080),
    POSTGRES_PORT: Number(env.POSTGRES_PORT ?? 5432),
    REDIS_PORT: Number(env.REDIS_PORT ?? 6379),
  };
  const busy: string[] = [];
  for (const [name, port] of Object.entries(wanted))
    if (!(await portFree(port))) busy.push(`${name}=${port}`);
  return busy.length
    ? problem(
        'warn',
        'ports',
        `in use: ${busy.join(', ')} (the developer stack needs them; sim does not)`,
        'stop what holds them, or set those variables to other ports in .env',
      )
    : ok('ports', `free: ${Object.values(wanted).join(', ')} (the rehearsal picks its own)`);
}

/** Base images: present locally, or pullable from a registry; otherwise build the offline ones. */
export async function checkBaseImages(): Promise<Finding> {
  const images = Object.values(baseImages());
  const missing: string[] = [];
  for (const image of images) if (!(await imageId(image))) missing.push(image);
  if (!missing.length) {
    const source = existsSync(overridesFile) ? 'offline stand-ins from .images.env' : 'pulled';
    return ok('base images', `${images.length} present (${source})`);
  }
  const pulled = await tryPull(missing[0] ?? '', 30_000);
  return pulled
    ? problem(
        'warn',
        'base images',
        `missing ${missing.join(', ')}; a registry answers, so builds will pull them`,
        'nothing; or docker pull them now',
      )
    : problem(
        'fail',
        'base images',
        `missing ${missing.join(', ')} and no image registry answers`,
        'build the offline base images: bash scripts/base-images.sh (npm run provision runs it); it writes .images.env',
      );
}

/** .env, .images.env and REHEARSAL_SECRETS' files: readable KEY=VALUE lines, the secrets complete. */
export function checkEnvFiles(env: NodeJS.ProcessEnv = process.env): Finding[] {
  const findings: Finding[] = [];
  const secretsDir = env.REHEARSAL_SECRETS;
  const required = new Map<string, readonly string[]>();
  if (secretsDir) {
    if (!existsSync(secretsDir) || !statSync(secretsDir).isDirectory()) {
      findings.push(
        problem(
          'fail',
          'env file',
          `REHEARSAL_SECRETS=${secretsDir} is not a folder`,
          'point it at a folder like deploy/rehearsal-secrets.example (an env file per service), or unset it',
        ),
      );
    } else {
      for (const [name, keys] of Object.entries(secretFiles)) required.set(join(secretsDir, name), keys);
    }
  }
  const files = [join(repoRoot, '.env'), overridesFile, ...required.keys()];
  for (const file of files) {
    const keys = required.get(file);
    if (!existsSync(file)) {
      if (keys)
        findings.push(
          problem(
            'fail',
            'env file',
            `${file} does not exist`,
            'every service needs its file; see deploy/rehearsal-secrets.example',
          ),
        );
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const bad = text
      .split('\n')
      .map((line, index) => ({ line: line.trim(), number: index + 1 }))
      .filter(
        ({ line }) => line && !line.startsWith('#') && !/^(export\s+)?[A-Za-z_][A-Za-z0-9_]*=/.test(line),
      );
    if (bad.length) {
      findings.push(
        problem(
          'fail',
          'env file',
          `${file}: line ${bad.map((b) => b.number).join(', ')} is not NAME=value`,
          'fix or comment out those lines',
        ),
      );
      continue;
    }
    if (keys) {
      const values = parseEnv(text);
      const missing = keys.filter((name) => !values[name]);
      if (missing.length) {
        findings.push(
          problem(
            'fail',
            'env file',
            `${file} lacks ${missing.join(', ')}`,
            'add them; see deploy/rehearsal-secrets.example',
          ),
        );
        continue;
      }
      if (keys.includes('AUTH_SECRET') && (values.AUTH_SECRET ?? '').length < 32) {
        findings.push(
          problem(
            'fail',
            'env file',
            `${file}: AUTH_SECRET is shorter than 32 characters`,
            'use openssl rand -base64 48',
          ),
        );
        continue;
      }
    }
    findings.push(ok('env file', `${file} is valid`));
  }
  return findings;
}
