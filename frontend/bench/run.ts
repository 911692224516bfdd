/* eslint-disable no-console -- a benchmark reports on stdout */
// Frontend figures: initial JavaScript (gzip) and time to interactive of the
// sign-in page and of a signed-in board, cold loads in headless Chromium
// against the local stack (the built SPA, the backend, Postgres, Redis).
// Writes results/frontend.json and results/frontend.md.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startLocalStack } from '@todo/harness';
import { launchChromium } from '@todo/scenarios';
import { bundleFigures } from './bundle.ts';
import { timeLoad, type LoadTiming } from './interactive.ts';

const runs = Number(process.env.BENCH_RUNS ?? 9);
const aimInitialGzipBytes = 150 * 1024;
const frontendDir = join(repoRoot, 'frontend');
const dist = join(frontendDir, 'dist');

// The stack builds the SPA it serves; the bundle is measured from that same build.
await using stack = await startLocalStack({
  buildFrontend: true,
  log: (line) => {
    console.log(line);
  },
});
const bundle = await bundleFigures(dist);
console.log(`initial JS: ${(bundle.initialJs.gzipBytes / 1024).toFixed(1)} KB gzip`);
const origin = new URL(stack.baseUrl).origin;

// A user with a board worth drawing: 30 tasks.
const signUp = await fetch(`${stack.baseUrl}/api/auth/sign-up/email`, {
  method: 'POST',
  headers: { origin, 'content-type': 'application/json' },
  body: JSON.stringify({
    email: `bench-${Date.now()}@example.com`,
    password: 'correct horse battery',
    name: 'Bench',
  }),
});
if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
const cookies = signUp.headers.getSetCookie().map((header) => {
  const [pair = ''] = header.split(';');
  const at = pair.indexOf('=');
  return { name: pair.slice(0, at), value: pair.slice(at + 1), url: stack.baseUrl };
});
const cookieHeader = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
for (let i = 0; i < 30; i++) {
  const created = await fetch(`${stack.baseUrl}/api/tasks`, {
    method: 'POST',
    headers: { origin, cookie: cookieHeader, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: `task ${i + 1}`,
      notes: i % 3 === 0 ? 'some notes' : '',
      priority: ['low', 'medium', 'high'][i % 3],
    }),
  });
  if (!created.ok) throw new Error(`creating a task failed: ${created.status}`);
}

const browser = await launchChromium();
const samples: Record<'signIn' | 'board', LoadTiming[]> = { signIn: [], board: [] };
try {
  await timeLoad(browser, `${stack.baseUrl}/sign-in`, 'auth-ready'); // warm the servers, not the browser cache
  for (let i = 0; i < runs; i++) {
    samples.signIn.push(await timeLoad(browser, `${stack.baseUrl}/sign-in`, 'auth-ready'));
    samples.board.push(await timeLoad(browser, `${stack.baseUrl}/`, 'board-ready', cookies));
  }
} finally {
  await browser.close();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const summarize = (timings: LoadTiming[]) => ({
  fcpMedianMs: Math.round(median(timings.map((t) => t.fcpMs))),
  readyMedianMs: Math.round(median(timings.map((t) => t.readyMs))),
  interactiveMedianMs: Math.round(median(timings.map((t) => t.interactiveMs))),
  interactiveMaxMs: Math.round(Math.max(...timings.map((t) => t.interactiveMs))),
  longTasksMedian: median(timings.map((t) => t.longTasks)),
});
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
  runs,
  bundle,
  aims: { initialJsGzipBytes: aimInitialGzipBytes },
  initialJsWithinAim: bundle.initialJs.gzipBytes <= aimInitialGzipBytes,
  timeToInteractive: { signInPage: summarize(samples.signIn), board: summarize(samples.board) },
  samples,
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (name: string, s: ReturnType<typeof summarize>) =>
  `| ${name} | ${s.fcpMedianMs} ms | ${s.readyMedianMs} ms | ${s.interactiveMedianMs} ms | ${s.interactiveMaxMs} ms | ${s.longTasksMedian} |`;
const markdown = `# Frontend figures

${results.date}, ${results.machine.cpus} cores (${results.machine.cpu}), Node ${results.machine.node}. Written by \`npm run bench -w frontend\`.

## Bundle

| | files | raw | gzip |
| --- | --- | --- | --- |
| initial JavaScript (entry + preloads) | ${bundle.initialJs.files.length} | ${kb(bundle.initialJs.rawBytes)} | **${kb(bundle.initialJs.gzipBytes)}** |
| loaded later (assistant panel) | ${bundle.lazyJs.files.length} | ${kb(bundle.lazyJs.rawBytes)} | ${kb(bundle.lazyJs.gzipBytes)} |
| CSS | 1 | ${kb(bundle.css.rawBytes)} | ${kb(bundle.css.gzipBytes)} |

Aim: initial JavaScript under ${kb(aimInitialGzipBytes)} gzip: **${results.initialJsWithinAim ? 'met' : 'missed'}**.

## Time to interactive on the local stack

${runs} cold loads each (fresh browser context, empty cache) in headless Chromium, over loopback (no network
throttling), against the built SPA with the backend, Postgres and Redis on this machine. *Ready* is the app's
own mark (the screen drawn with its data, handlers attached); *interactive* is ready with no long task (> 50 ms)
after it.

| screen | first paint (median) | ready (median) | interactive (median) | interactive (max) | long tasks |
| --- | --- | --- | --- | --- | --- |
${row('sign-in page', results.timeToInteractive.signInPage)}
${row('board, signed in, 30 tasks', results.timeToInteractive.board)}
`;

const out = join(frontendDir, 'bench', 'results');
await mkdir(out, { recursive: true });
await writeFile(join(out, 'frontend.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(out, 'frontend.md'), markdown);
console.log(markdown);
