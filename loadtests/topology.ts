// One endpoint group at a time, as fast as VUS users can go (no think time):
// list 50 tasks, create, update with the version read, sign in. The same
// requests against the app and against the bare reference backend
// (backend/bench/bare-server.ts) in the same rehearsal topology; run by
// `npm run bench:topology`, which seeds the users (topo-<n>@example.com, 50
// tasks each) and reads throughput and latency per group from the summary.
import { check } from 'k6';
import http from 'k6/http';
import { body } from './lib/api.ts';

const baseUrl = (__ENV.BASE_URL ?? 'https://localhost:8443').replace(/\/$/, '');
const origin = /^https?:\/\/[^/]+/.exec(baseUrl)?.[0] ?? baseUrl;
const users = Number(__ENV.USERS ?? 100);
const vus = Number(__ENV.VUS ?? 50);
const signInVus = Number(__ENV.SIGN_IN_VUS ?? 10);
const holdSeconds = Number(__ENV.HOLD_SECONDS ?? 20);
const password = __ENV.PASSWORD ?? '';

/** Each group's own window, one after another (a gap between them lets the stack settle). */
export const groups = ['tasks:list', 'tasks:create', 'tasks:update', 'auth:sign-in'] as const;
const gapSeconds = 5;

const headers = { origin, 'content-type': 'application/json' };
const tagged = (group: string) => ({ headers, tags: { group, name: group } });

interface Task {
  id: string;
  version: number;
}

// Per virtual user: its account, whether it holds a session, the task it edits.
let signedIn = false;
let editing: Task | undefined;
const email = () => `topo-${(__VU - 1) % users}@example.com`;

function signIn(group: string): boolean {
  const reply = http.post(
    `${baseUrl}/api/auth/sign-in/email`,
    JSON.stringify({ email: email(), password }),
    tagged(group),
  );
  return check(reply, { 'signed in': (r) => r.status === 200 });
}

/** A session, once per user; its requests are not counted under any measured group. */
function ensureSession(): void {
  if (!signedIn) signedIn = signIn('session');
}

export function list(): void {
  ensureSession();
  const reply = http.get(`${baseUrl}/api/tasks?limit=50`, tagged('tasks:list'));
  check(reply, { 'listed 50': (r) => (body(r) as { items?: unknown[] } | undefined)?.items?.length === 50 });
}

export function create(): void {
  ensureSession();
  const reply = http.post(
    `${baseUrl}/api/tasks`,
    JSON.stringify({ title: `topology ${__ITER}` }),
    tagged('tasks:create'),
  );
  check(reply, { created: (r) => r.status === 201 });
}

export function update(): void {
  ensureSession();
  if (!editing) {
    const listed = body(http.get(`${baseUrl}/api/tasks?limit=1`, tagged('session'))) as
      { items?: Task[] } | undefined;
    editing = listed?.items?.[0];
    if (!editing) return;
  }
  const reply = http.patch(
    `${baseUrl}/api/tasks/${editing.id}`,
    JSON.stringify({ title: `edited ${__ITER}`, version: editing.version }),
    tagged('tasks:update'),
  );
  const task = body(reply) as Task | undefined;
  if (check(reply, { updated: (r) => r.status === 200 }) && task) editing = task;
  else editing = undefined;
}

export function signInAgain(): void {
  signIn('auth:sign-in');
}

const exec = {
  'tasks:list': 'list',
  'tasks:create': 'create',
  'tasks:update': 'update',
  'auth:sign-in': 'signInAgain',
};

export const options = {
  noCookiesReset: true,
  insecureSkipTLSVerify: false,
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max', 'count'],
  scenarios: Object.fromEntries(
    groups.map((group, index) => [
      group.replace(':', '_'),
      {
        executor: 'constant-vus',
        vus: group === 'auth:sign-in' ? signInVus : vus,
        duration: `${holdSeconds}s`,
        startTime: `${index * (holdSeconds + gapSeconds)}s`,
        gracefulStop: '5s',
        exec: exec[group],
      },
    ]),
  ),
  // Thresholds that always hold, so the summary reports each group's submetrics.
  thresholds: Object.fromEntries(
    groups.flatMap((group) => [
      [`http_req_duration{group:${group}}`, ['max>=0']],
      [`http_reqs{group:${group}}`, ['count>=0']],
      [`http_req_failed{group:${group}}`, ['rate>=0']],
    ]),
  ),
};

/** The summary as JSON for the benchmark (SUMMARY_PATH). */
export function handleSummary(data: unknown): Record<string, string> {
  return __ENV.SUMMARY_PATH ? { [__ENV.SUMMARY_PATH]: JSON.stringify(data, null, 2) } : {};
}
