/* eslint-disable no-console -- a benchmark reports on stdout */
// Container figures, side by side for each way of building and starting the
// stack (Compose v2 + BuildKit, the default; Compose v1.29 + the classic
// builder, the fallback): image sizes (and what each adds over its base), a
// newcomer's first build, a rebuild after a dependency change, a no-change
// rebuild, start-to-healthy per service and the rehearsal's time to its first
// 200 through the proxy. Writes results/containers.{json,md}.
//
// Empties BuildKit's build cache (npm's cache mount included) before the
// BuildKit cold builds. BENCH_TOOLCHAINS=v2 (or v1) measures one of the two.
import { cpus } from 'node:os';
import {
  baseImages,
  buildImage,
  composeFlavour,
  imageBuilder,
  inspectImage,
  projectName as newProjectName,
  pruneBuildCache,
  reapOrphans,
  startRehearsal,
  type AppImage,
  type BuiltImage,
  type StartedRehearsal,
} from '../src/index.ts';
import { writeResults } from './results.ts';

const size = async (image: string) => (await inspectImage(image))?.sizeBytes ?? Number.NaN;
const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
const startups = Number(process.env.BENCH_STARTUPS ?? 3);

const images: AppImage[] = ['backend', 'frontend', 'proxy'];
const baseOf: Record<AppImage, 'NODE_IMAGE' | 'CADDY_IMAGE'> = {
  backend: 'NODE_IMAGE',
  frontend: 'CADDY_IMAGE',
  proxy: 'CADDY_IMAGE',
};
const aims = {
  backendAddedMb: 80,
  frontendAddedMb: 5,
  noChangeRebuildMs: 10_000,
  rehearsalHealthyMs: 20_000,
};

const toolchains = [
  { key: 'v2', compose: 'v2', builder: 'buildkit', label: 'Compose v2 + BuildKit' },
  { key: 'v1', compose: 'v1', builder: 'classic', label: 'Compose v1.29 + classic builder' },
] as const;
const wanted = (process.env.BENCH_TOOLCHAINS ?? 'v2,v1').split(',');

interface ToolchainFigures {
  key: string;
  label: string;
  compose: string;
  builder: string;
  sizes: Record<AppImage, { imageMb: number; baseMb: number; addedMb: number }>;
  /** No layer cache, and (BuildKit) no npm cache mount: a newcomer's first build. */
  coldBuildMs: Record<AppImage, number>;
  /** Every step again (as after a lockfile change), npm's cache mount kept (BuildKit). */
  dependencyChangeBuildMs: Record<AppImage, number>;
  noChangeRebuildMs: Record<AppImage, number>;
  rehearsal: {
    runs: { upMs: number; firstPageMs: number; firstApiMs: number; healthyMs: Record<string, number> }[];
    medianUpMs: number;
    medianFirstApi200Ms: number;
    medianHealthyMs: Record<string, number>;
  };
}

/** Start to first "healthy" of each service with a health check, from the rehearsal's own timelines. */
const healthTimes = (rehearsal: StartedRehearsal): Record<string, number> =>
  Object.fromEntries(
    rehearsal
      .timelines()
      .filter((t) => t.healthyAt !== undefined && t.startedAt !== undefined)
      .map((t) => [t.service, Math.round((t.healthyAt ?? 0) - (t.startedAt ?? 0))]),
  );

async function measure(toolchain: (typeof toolchains)[number]): Promise<ToolchainFigures | string> {
  const compose = await composeFlavour(toolchain.compose).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  const builder = await imageBuilder(toolchain.builder).catch((error: unknown) =>
    error instanceof Error ? error : new Error(String(error)),
  );
  if (compose instanceof Error) return compose.message;
  if (builder instanceof Error) return builder.message;
  console.log(`\n== ${toolchain.label}: Compose ${compose.version}, ${builder.kind} ${builder.version}`);
  const build = (image: AppImage, options: { noCache?: boolean }) =>
    buildImage(image, { force: true, builder: toolchain.builder, ...options });

  console.log('cold builds (no layer cache, no npm cache)');
  if (builder.kind === 'buildkit') await pruneBuildCache();
  const cold = {} as Record<AppImage, BuiltImage>;
  for (const image of images) {
    cold[image] = await build(image, { noCache: true });
    console.log(`  ${image}: ${cold[image].buildMs} ms`);
  }
  console.log('dependency-change rebuilds (every step again, npm cache kept)');
  const dependencies = {} as Record<AppImage, BuiltImage>;
  for (const image of images) {
    dependencies[image] = await build(image, { noCache: true });
    console.log(`  ${image}: ${dependencies[image].buildMs} ms`);
  }
  console.log('no-change rebuilds (layer cache, nothing changed)');
  const warm = {} as Record<AppImage, BuiltImage>;
  for (const image of images) {
    // The first cached build after a --no-cache one may re-run steps (the classic builder's
    // cache chain is new); a developer's rebuild follows a normal build, so time the second.
    await build(image, {});
    warm[image] = await build(image, {});
    console.log(`  ${image}: ${warm[image].buildMs} ms`);
  }

  const bases = baseImages();
  const sizes = {} as ToolchainFigures['sizes'];
  for (const image of images) {
    const [own, base] = [await size(warm[image].tag), await size(bases[baseOf[image]])];
    sizes[image] = { imageMb: mb(own), baseMb: mb(base), addedMb: mb(own - base) };
  }

  const runs: ToolchainFigures['rehearsal']['runs'] = [];
  for (let i = 0; i < startups; i++) {
    const t0 = Date.now();
    const rehearsal = await startRehearsal({
      projectName: newProjectName('bench'),
      compose: toolchain.compose,
      images: { backend: warm.backend.tag, frontend: warm.frontend.tag, proxy: warm.proxy.tag },
    });
    try {
      const upMs = Date.now() - t0;
      const firstOk = async (path: string) => {
        for (;;) {
          const reply = await rehearsal.fetch(`${rehearsal.baseUrl}${path}`).catch(() => undefined);
          await reply?.body?.cancel();
          if (reply?.status === 200) return Date.now() - t0;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const firstPageMs = await firstOk('/');
      const firstApiMs = await firstOk('/api/openapi.json');
      runs.push({ upMs, firstPageMs, firstApiMs, healthyMs: healthTimes(rehearsal) });
      console.log(`rehearsal ${i + 1}: all healthy in ${upMs} ms, first API 200 at ${firstApiMs} ms`);
    } finally {
      await rehearsal.down();
    }
  }
  const services = Object.keys(runs[0]?.healthyMs ?? {}).sort();
  const byImage = (built: Record<AppImage, BuiltImage>) =>
    Object.fromEntries(images.map((image) => [image, built[image].buildMs])) as Record<AppImage, number>;
  return {
    key: toolchain.key,
    label: toolchain.label,
    compose: `${compose.version}${compose.standalone ? ' (docker-compose)' : ''}`,
    builder:
      builder.kind === 'buildkit'
        ? `BuildKit (buildx ${builder.version})`
        : `classic (engine ${builder.version})`,
    sizes,
    coldBuildMs: byImage(cold),
    dependencyChangeBuildMs: byImage(dependencies),
    noChangeRebuildMs: byImage(warm),
    rehearsal: {
      runs,
      medianUpMs: median(runs.map((r) => r.upMs)),
      medianFirstApi200Ms: median(runs.map((r) => r.firstApiMs)),
      medianHealthyMs: Object.fromEntries(
        services.map((service) => [service, median(runs.map((r) => r.healthyMs[service] ?? NaN))]),
      ),
    },
  };
}

await reapOrphans();
const measured: ToolchainFigures[] = [];
const notMeasured: { label: string; why: string }[] = [];
// The fallback first, so the images left tagged at the end are the default builder's.
for (const toolchain of [...toolchains].reverse()) {
  if (!wanted.includes(toolchain.key)) continue;
  const figures = await measure(toolchain);
  if (typeof figures === 'string') {
    console.log(`${toolchain.label}: not measured (${figures})`);
    notMeasured.push({ label: toolchain.label, why: figures });
  } else measured.unshift(figures);
}
if (measured.length === 0) {
  console.error('bench:containers: nothing measured');
  process.exit(1);
}

const bases = baseImages();
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
  bases,
  aims,
  toolchains: measured,
  notMeasured,
};

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const header = (first: string) => [
  row([first, ...measured.map((t) => t.label)]),
  row(['---', ...measured.map(() => '---')]),
];
const total = (figures: Record<AppImage, number>) => images.reduce((sum, image) => sum + figures[image], 0);
const buildRows = (title: string, pick: (t: ToolchainFigures) => Record<AppImage, number>) => [
  ...images.map((image) => row([`${title}: ${image}`, ...measured.map((t) => seconds(pick(t)[image]))])),
  row([`**${title}: all three**`, ...measured.map((t) => `**${seconds(total(pick(t)))}**`)]),
];
const services = Object.keys(measured[0]?.rehearsal.medianHealthyMs ?? {}).sort();
const primary = measured[0] as ToolchainFigures;

const markdown = `# Container figures

${results.date}, ${results.machine.cpus} cores (${results.machine.cpu}). ${measured
  .map((t) => `${t.label}: Compose ${t.compose}, ${t.builder}`)
  .join('; ')}.
Base images: ${Object.entries(bases)
  .map(([name, image]) => `${name}=${image}`)
  .join(', ')}.
Written by \`npm run bench:containers\`, every column in the same run.${
  notMeasured.length ? `\nNot measured: ${notMeasured.map((n) => `${n.label} (${n.why})`).join('; ')}.` : ''
}

## Builds

${[...header('build'), ...buildRows('cold', (t) => t.coldBuildMs), ...buildRows('dependency change', (t) => t.dependencyChangeBuildMs), ...buildRows('no change', (t) => t.noChangeRebuildMs)].join('\n')}

- *Cold*: no layer cache (\`--no-cache\`), and BuildKit's cache emptied first (\`docker builder prune --all\`,
  npm's cache mount included): a newcomer's first build. \`npm ci\` downloads from the registry; the
  base images were already present.
- *Dependency change*: every step again (\`--no-cache\`), as after a change to \`package-lock.json\`,
  with what a previous build left: under BuildKit, npm's download cache in its cache mount
  (\`RUN --mount=type=cache\`); the classic builder has nowhere to keep it.
- *No change*: the same build again with nothing changed (aim: under ${aims.noChangeRebuildMs / 1000} s each:
  ${verdict(measured.every((t) => images.every((image) => t.noChangeRebuildMs[image] < aims.noChangeRebuildMs)))}).
  \`npm run sim\` skips even that when an image's input hash already has a tag.

## Images

${[
  ...header('image (added over its base)'),
  ...images.map((image) =>
    row([
      `${image} (base ${primary.sizes[image].baseMb} MB)`,
      ...measured.map((t) => `${t.sizes[image].imageMb} MB (+${t.sizes[image].addedMb} MB)`),
    ]),
  ),
].join('\n')}

Aims: backend adds ≤ ${aims.backendAddedMb} MB (${verdict(measured.every((t) => t.sizes.backend.addedMb <= aims.backendAddedMb))}), frontend ≤ ${aims.frontendAddedMb} MB (${verdict(measured.every((t) => t.sizes.frontend.addedMb <= aims.frontendAddedMb))}).

## The rehearsal from built images

${startups} start-ups of \`docker-compose.prod.yml\` per column, median. *All healthy* is from \`compose up\` to
every container healthy (v2: \`up --wait\`; v1.29 cannot wait, and the harness polls each container's
health); *first 200* is the first answer through the proxy over HTTPS.

${[
  ...header(''),
  row([
    'all healthy',
    ...measured.map(
      (t) =>
        `${seconds(t.rehearsal.medianUpMs)} (aim: under ${aims.rehearsalHealthyMs / 1000} s: ${verdict(t.rehearsal.medianUpMs < aims.rehearsalHealthyMs)})`,
    ),
  ]),
  row([
    'first 200 from the API through the proxy',
    ...measured.map((t) => seconds(t.rehearsal.medianFirstApi200Ms)),
  ]),
].join('\n')}

Start to healthy per service (container start to its first passing health check; health checks run every
1-5 s, so these are upper bounds by up to one interval):

${[
  ...header('service'),
  ...services.map((service) =>
    row([service, ...measured.map((t) => seconds(t.rehearsal.medianHealthyMs[service]))]),
  ),
].join('\n')}
`;
await writeResults('containers', results, markdown);
