// What the proxy adds to a request: the same signed-in list, at the same
// rate and at the same time, through the proxy (TLS, HTTP/2, Caddy) and
// straight to one backend replica (plain HTTP, its port published on 127.0.0.1).
// k6 run -e BASE_URL=https://localhost:<port> -e DIRECT_URL=http://127.0.0.1:<replica port> loadtests/proxy-overhead.ts
import { check, fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';

const baseUrl = (__ENV.BASE_URL ?? 'https://localhost:8443').replace(/\/$/, '');
const directUrl = (__ENV.DIRECT_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const origin = /^https?:\/\/[^/]+/.exec(baseUrl)?.[0] ?? baseUrl;
const rate = Number(__ENV.RATE ?? 20);
const users = 20;

const path = (name: 'proxy' | 'direct') => ({
  executor: 'constant-arrival-rate' as const,
  rate,
  timeUnit: '1s',
  duration: __ENV.DURATION ?? '30s',
  preAllocatedVUs: 10,
  maxVUs: 50,
  exec: 'list',
  env: { TARGET: name === 'proxy' ? baseUrl : directUrl },
  tags: { path: name },
});

export const options: Options = {
  scenarios: { proxy: path('proxy'), direct: path('direct') },
  // Thresholds name the two paths, so the summary reports each of them.
  thresholds: {
    'http_req_duration{path:proxy}': ['p(95)<500'],
    'http_req_duration{path:direct}': ['p(95)<500'],
    'http_req_failed{path:proxy}': ['rate<0.01'],
    'http_req_failed{path:direct}': ['rate<0.01'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'count', 'p(90)', 'p(95)', 'p(99)'],
  insecureSkipTLSVerify: __ENV.INSECURE_TLS === 'true',
};

interface Setup {
  tokens: string[];
}

/** Users with a few tasks each, signed in by bearer token (the direct path has no TLS for Secure cookies). */
export function setup(): Setup {
  const tokens: string[] = [];
  for (let i = 0; i < users; i += 1) {
    const response = http.post(
      `${baseUrl}/api/auth/sign-up/email`,
      JSON.stringify({
        email: `overhead-${Date.now().toString(36)}-${i}@example.com`,
        password: 'correct horse battery staple',
        name: 'Overhead',
      }),
      { headers: { origin, 'content-type': 'application/json' } },
    );
    const token = response.headers['Set-Auth-Token'];
    if (response.status !== 200 || !token) fail(`sign up: ${response.status}`);
    tokens.push(token);
    for (let t = 0; t < 10; t += 1) {
      http.post(`${baseUrl}/api/tasks`, JSON.stringify({ title: `task ${t}` }), {
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
    }
  }
  return { tokens };
}

export function list(data: Setup): void {
  const token = data.tokens[exec.scenario.iterationInTest % data.tokens.length] ?? '';
  const response = http.get(`${__ENV.TARGET}/api/tasks?limit=20`, {
    headers: { origin, authorization: `Bearer ${token}` },
  });
  check(response, { 'list: 200 with the tasks': (r) => r.status === 200 && r.body !== null });
}

export function handleSummary(data: unknown): Record<string, string> {
  return __ENV.SUMMARY_PATH ? { [__ENV.SUMMARY_PATH]: JSON.stringify(data, null, 2) } : {};
}
