// Profiles differ only in how many users arrive and when, and in thresholds.
import type { Options } from 'k6/options';

const users = Number(__ENV.USERS ?? 100);
const hold = __ENV.DURATION ?? '60s';

/** What every profile is held to (the gate reads the same names; --threshold overrides them). */
export const defaultThresholds: NonNullable<Options['thresholds']> = {
  http_req_duration: ['p(95)<500', 'p(99)<1500'],
  'http_req_duration{group:auth}': ['p(95)<500'],
  'http_req_duration{group:tasks:create}': ['p(95)<500'],
  'http_req_duration{group:tasks:list}': ['p(95)<500'],
  'http_req_duration{group:tasks:update}': ['p(95)<500'],
  'http_req_duration{group:tasks:delete}': ['p(95)<500'],
  'http_req_duration{group:chat}': ['p(95)<500'],
  // Catastrophic: stop early rather than hammer a broken stack for minutes.
  http_req_failed: ['rate<0.01', { threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '10s' }],
  checks: ['rate>0.99'],
};

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
  const overrides = __ENV.THRESHOLDS ? (JSON.parse(__ENV.THRESHOLDS) as Options['thresholds']) : {};
  return {
    scenarios: { [name]: { ...scenario, exec: 'default' } },
    thresholds: { ...defaultThresholds, ...overrides },
    // Each virtual user is one browser: its session cookie outlives a visit.
    noCookiesReset: true,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    // The rehearsal's certificate comes from its own CA, which the harness adds via SSL_CERT_FILE.
    insecureSkipTLSVerify: __ENV.INSECURE_TLS === 'true',
  };
}
