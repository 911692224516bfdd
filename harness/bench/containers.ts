/* eslint-disable no-console -- a benchmark reports on stdout */
// Container figures: image sizes (and what each adds over its base), cold and
// no-change build times, start-to-healthy per service and the rehearsal's time
// to its first 200 through the proxy. Writes results/containers.{json,md}.
import { cpus } from 'node:os';
import {
  baseImages,
  buildImage,
  composeVersion,
  inspectImage,
  projectName as newProjectName,
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

await reapOrphans();
const bases = baseImages();

console.log('cold builds (no layer cache)');
const cold = {} as Record<AppImage, BuiltImage>;
for (const image of images) {
  cold[image] = await buildImage(image, { noCache: true });
  console.log(`  ${image}: ${cold[image].buildMs} ms`);
}
console.log('no-change rebuilds (layer cache, nothing changed)');
const warm = {} as Record<AppImage, BuiltImage>;
for (const image of images) {
  // The first cached build after a --no-cache one re-runs steps (the classic builder's cache
  // chain is new); a developer's rebuild follows a normal build, so time the second.
  await buildImage(image, { force: true });
  warm[image] = await buildImage(image, { force: true });
  console.log(`  ${image}: ${warm[image].buildMs} ms`);
}

const sizes = {} as Record<AppImage, { imageMb: number; baseMb: number; addedMb: number }>;
for (const image of images) {
  const [own, base] = [await size(warm[image].tag), await size(bases[baseOf[image]])];
  sizes[image] = { imageMb: mb(own), baseMb: mb(base), addedMb: mb(own - base) };
}

/** Start to first "healthy" of each service with a health check, from the rehearsal's own timelines. */
const healthTimes = (rehearsal: StartedRehearsal): Record<string, number> =>
  Object.fromEntries(
    rehearsal
      .timelines()
      .filter((t) => t.healthyAt !== undefined && t.startedAt !== undefined)
      .map((t) => [t.service, Math.round((t.healthyAt ?? 0) - (t.startedAt ?? 0))]),
  );

const runs: { upMs: number; firstPageMs: number; firstApiMs: number; healthyMs: Record<string, number> }[] =
  [];
for (let i = 0; i < startups; i++) {
  const projectName = newProjectName('bench');
  const t0 = Date.now();
  const rehearsal = await startRehearsal({
    projectName,
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
const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    compose: (await composeVersion()).version,
  },
  bases,
  aims,
  sizes,
  coldBuildMs: Object.fromEntries(images.map((image) => [image, cold[image].buildMs])),
  noChangeRebuildMs: Object.fromEntries(images.map((image) => [image, warm[image].buildMs])),
  rehearsal: {
    runs,
    medianUpMs: median(runs.map((r) => r.upMs)),
    medianFirstApi200Ms: median(runs.map((r) => r.firstApiMs)),
    medianHealthyMs: Object.fromEntries(
      services.map((service) => [service, median(runs.map((r) => r.healthyMs[service] ?? NaN))]),
    ),
  },
};
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const noChangeTotal = images.reduce((sum, image) => sum + warm[image].buildMs, 0);
const markdown = `# Container figures

${results.date}, ${results.machine.cpus} cores (${results.machine.cpu}), Compose ${results.machine.compose}, classic builder.
Base images: ${Object.entries(bases)
  .map(([name, image]) => `${name}=${image}`)
  .join(', ')}.
Written by \`npm run bench:containers\`.

## Images

| image | size | base | added over base | aim | cold build | no-change rebuild |
| --- | --- | --- | --- | --- | --- | --- |
${images
  .map((image) => {
    const aim =
      image === 'backend' ? aims.backendAddedMb : image === 'frontend' ? aims.frontendAddedMb : undefined;
    const added = sizes[image].addedMb;
    return `| ${image} | ${sizes[image].imageMb} MB | ${sizes[image].baseMb} MB | ${added} MB | ${aim === undefined ? '' : `≤ ${aim} MB: ${verdict(added <= aim)}`} | ${(cold[image].buildMs / 1000).toFixed(1)} s | ${(warm[image].buildMs / 1000).toFixed(1)} s |`;
  })
  .join('\n')}

Cold builds ignore the layer cache (\`--no-cache\`) and include \`npm ci\` against the registry; the base
images were already present. No-change rebuilds run \`docker build\` again with nothing changed:
${(noChangeTotal / 1000).toFixed(1)} s for all three (aim: under ${aims.noChangeRebuildMs / 1000} s each: ${verdict(images.every((image) => warm[image].buildMs < aims.noChangeRebuildMs))}).
\`npm run sim\` skips even that when an image's input hash already has a tag.

## The rehearsal from built images

${startups} start-ups of \`docker-compose.prod.yml\`, median. *All healthy* is from \`compose up\` to every
container healthy (what the harness waits for); *first 200* is the first answer through the proxy over HTTPS.

| | median |
| --- | --- |
| all healthy | ${(results.rehearsal.medianUpMs / 1000).toFixed(1)} s (aim: under ${aims.rehearsalHealthyMs / 1000} s: ${verdict(results.rehearsal.medianUpMs < aims.rehearsalHealthyMs)}) |
| first 200 from the API through the proxy | ${(results.rehearsal.medianFirstApi200Ms / 1000).toFixed(1)} s |

Start to healthy per service (container start to its first passing health check; health checks run every
1-5 s, so these are upper bounds by up to one interval):

| service | median |
| --- | --- |
${services.map((service) => `| ${service} | ${((results.rehearsal.medianHealthyMs[service] ?? NaN) / 1000).toFixed(1)} s |`).join('\n')}
`;
await writeResults('containers', results, markdown);
