/* eslint-disable no-console -- a benchmark reports on stdout */
// What a password hash costs on this machine: argon2id at each of OWASP's
// equivalent settings (the API writes the one that costs least CPU here for
// the memory it keeps) against better-auth's default scrypt (what it wrote
// before, still verified). One at a time (latency), and eight at once (what two cores
// do with a burst of sign-ins), with the CPU time each hash takes.
// Writes bench/results/passwords.{json,md} (committed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { hashPassword as betterAuthScrypt } from 'better-auth/crypto';
import { hashArgon2id, owaspConfigurations, passwordHashing } from '../src/passwords/index.ts';

const samples = Number(process.env.BENCH_SAMPLES ?? 40);
const burst = 8;
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const password = 'correct horse battery staple';

const label = (p: { memory: number; passes: number }) =>
  `argon2id m=${Math.round(p.memory / 1024)} MiB, t=${p.passes}, p=1 (node:crypto)` +
  (p.memory === passwordHashing.memory && p.passes === passwordHashing.passes ? ', what the API writes' : '');
// What the API writes first; then OWASP's other equivalent settings, and the scrypt it replaced.
const schemes: { name: string; hash: () => Promise<string> }[] = [
  { name: label(passwordHashing), hash: () => hashArgon2id(password, passwordHashing) },
  ...owaspConfigurations
    .filter((p) => p.memory !== passwordHashing.memory)
    .map((p) => ({ name: label(p), hash: () => hashArgon2id(password, p) })),
  { name: 'scrypt N=16384, r=16, p=1 (better-auth default)', hash: () => betterAuthScrypt(password) },
];

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

const rows = [];
for (const scheme of schemes) {
  await scheme.hash();
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await scheme.hash();
    times.push(performance.now() - started);
  }
  const cpuPerHash = cpuMs(cpuBefore) / samples;
  times.sort((a, b) => a - b);
  const burstStarted = performance.now();
  await Promise.all(Array.from({ length: burst }, () => scheme.hash()));
  const burstMs = performance.now() - burstStarted;
  const row = {
    scheme: scheme.name,
    p50Ms: Math.round(quantile(times, 0.5) * 10) / 10,
    p95Ms: Math.round(quantile(times, 0.95) * 10) / 10,
    cpuMsPerHash: Math.round(cpuPerHash * 10) / 10,
    burstOf8Ms: Math.round(burstMs),
  };
  rows.push(row);
  console.log(row);
}

const [argon] = rows;
const scrypt = rows.at(-1);
const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  samples,
  rows,
  cpuRatio: argon && scrypt ? Math.round((argon.cpuMsPerHash / scrypt.cpuMsPerHash) * 100) / 100 : null,
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(`${resultsDir}passwords.json`, `${JSON.stringify(result, null, 2)}\n`);
const markdown = [
  '# Password hashing',
  '',
  `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:passwords -w backend\`,`,
  `${samples} hashes one after another per scheme, then ${burst} at once.`,
  '',
  '| Scheme | p50 | p95 | CPU per hash | 8 at once (wall) |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) => `| ${r.scheme} | ${r.p50Ms} ms | ${r.p95Ms} ms | ${r.cpuMsPerHash} ms | ${r.burstOf8Ms} ms |`,
  ),
  '',
  `What the API writes (argon2id at OWASP's 12 MiB, 3 passes, which OWASP holds equal in defence to its ` +
    `other settings here) takes ${result.cpuRatio ?? '–'}× the CPU of better-auth's default scrypt per hash.`,
  '',
].join('\n');
writeFileSync(`${resultsDir}passwords.md`, markdown);
console.log(markdown);
