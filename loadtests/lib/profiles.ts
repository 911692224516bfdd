// Profiles differ only in how many users arrive and when, and in thresholds.
import type { Options } from 'k6/options';
import { abortThreshold, thresholdsFor, type LoadThresholds } from './thresholds.ts';

const users = Number(__ENV.USERS ?? 100);
const hold = __ENV.DURATION ?? '60s';

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
  // Arrivals per second, whatever the latency: finds the rate the stack can take.
  capacity: {
    executor: 'ramping-arrival-rate',
    startRate: 1,
    timeUnit: '1s',
    preAllocatedVUs: users,
    maxVUs: users * 3,
    stages: [{ duration: hold, target: Number(__ENV.MAX_RATE ?? 20) }],
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
