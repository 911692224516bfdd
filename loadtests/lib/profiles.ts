// Profiles differ only in how many users arrive and when, and in thresholds.
import type { Options } from 'k6/options';
import { abortThreshold, thresholdsFor, type LoadThresholds } from './thresholds.ts';

const users = Number(__ENV.USERS ?? 100);
const hold = __ENV.DURATION ?? '60s';
const capacityStep = Number(__ENV.STEP ?? 2);
const capacitySteps = Number(__ENV.STEPS ?? 8);

type Scenario = NonNullable<Options['scenarios']>[string];

export const profiles: Record<string, Scenario> = {
  smoke: {
    executor: 'per-vu-iterations',
    vus: 1,
    iterations: Number(__ENV.ITERATIONS ?? 2),
    maxDuration: '2m',
  },
  load: {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: __ENV.RAMP ?? '30s', target: users },
      { duration: hold, target: users },
      { duration: '10s', target: 0 },
    ],
    gracefulRampDown: '10s',
  },
  spike: {
    executor: 'ramping-vus',
    startVUs: 0,
    stages: [
      { duration: '10s', target: Math.ceil(users / 10) },
      { duration: '5s', target: users * 2 },
      { duration: hold, target: users * 2 },
      { duration: '10s', target: Math.ceil(users / 10) },
      { duration: '10s', target: 0 },
    ],
  },
  soak: {
    executor: 'constant-vus',
    vus: users,
    duration: __ENV.DURATION ?? '30m',
  },
  // New visits per second, whatever the latency, in a staircase: STEP more every
  // step, each held STEP_HOLD. Latency per step shows the highest rate the
  // stack takes within its thresholds (bench:load reads it from k6's CSV output).
  capacity: {
    executor: 'ramping-arrival-rate',
    startRate: 0,
    timeUnit: '1s',
    // Enough users ready before the start: one k6 makes mid-run is late, and
    // the visits it drops meanwhile would be k6's shortfall, not the stack's.
    preAllocatedVUs: users * 3,
    maxVUs: users * 6,
    stages: Array.from({ length: capacitySteps }, (_, index) => [
      { duration: '5s', target: (index + 1) * capacityStep },
      { duration: __ENV.STEP_HOLD ?? '20s', target: (index + 1) * capacityStep },
    ]).flat(),
  },
};

export function profileOptions(name: string): Options {
  const scenario = profiles[name];
  if (!scenario) throw new Error(`unknown profile "${name}"; one of: ${Object.keys(profiles).join(', ')}`);
  // The harness passes the whole set it judges (THRESHOLDS); by hand, the profile's own.
  const thresholds: NonNullable<Options['thresholds']> = __ENV.THRESHOLDS
    ? (JSON.parse(__ENV.THRESHOLDS) as LoadThresholds)
    : thresholdsFor(name);
  thresholds.http_req_failed = [...(thresholds.http_req_failed ?? []), abortThreshold];
  // Percentiles a threshold names beyond these (p(97.5)) come through TREND_STATS.
  const trendStats = ['avg', 'min', 'med', 'max', 'count', 'p(90)', 'p(95)', 'p(99)'];
  for (const stat of (__ENV.TREND_STATS ?? '').split(',').filter(Boolean))
    if (!trendStats.includes(stat)) trendStats.push(stat);
  return {
    scenarios: { [name]: { ...scenario, exec: 'default' } },
    thresholds,
    // Each virtual user is one browser: its session cookie outlives a visit.
    noCookiesReset: true,
    summaryTrendStats: trendStats,
    // The rehearsal's certificate comes from its own CA, which the harness adds via SSL_CERT_FILE.
    insecureSkipTLSVerify: __ENV.INSECURE_TLS === 'true',
  };
}
