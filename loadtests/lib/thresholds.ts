// The load's pass marks: the one list k6 runs with (profiles.ts) and the gate of
// `npm run sim` holds a release to (harness/src/gate). Plain data, no k6 import,
// so Node reads this file too.

/** k6 thresholds by metric: `{ 'http_req_duration{group:chat}': ['p(95)<500'] }`. */
export type LoadThresholds = Record<string, string[]>;

/** The endpoint groups every request is tagged with (loadtests/lib/api.ts). */
export const endpointGroups = [
  'auth:sign-up',
  'auth:sign-in',
  'auth:sign-out',
  'tasks:create',
  'tasks:list',
  'tasks:update',
  'tasks:delete',
  'chat',
];

/** p95 for every request and for each endpoint group, p99 for every request. */
const latency = (p95: number, p99: number): LoadThresholds => ({
  http_req_duration: [`p(95)<${p95}`, `p(99)<${p99}`],
  ...Object.fromEntries(
    endpointGroups.map((group) => [`http_req_duration{group:${group}}`, [`p(95)<${p95}`]]),
  ),
});

export const loadThresholds: LoadThresholds = {
  ...latency(500, 1500),
  http_req_failed: ['rate<0.01'],
  checks: ['rate>0.99'],
};

/** What a profile holds differently; a metric named here replaces its defaults. */
const byProfile: Record<string, LoadThresholds> = {
  // Twice the users arriving within seconds: slower answers, but still no errors.
  spike: latency(1500, 3000),
};

export function thresholdsFor(profile: string): LoadThresholds {
  return { ...loadThresholds, ...byProfile[profile] };
}

/** Stops a run early rather than hammer a broken stack: half the requests failing after 10 s. */
export const abortThreshold = { threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '10s' };
