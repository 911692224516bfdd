// One user's visit, the only journey every profile runs. A user signs up on
// their first visit and stays signed in between visits, as a browser keeps its
// session cookie; one visit in five (at random) ends by signing out, so the
// next one signs in again. A visit creates tasks, lists and filters, edits with a version,
// completes, asks the assistant to add and complete a task, and deletes.
// Checks assert what the user would see (the task is in the list), not only
// statuses. A server that fails (a 503, a cut connection, a body that is not a
// task) is a failed check, and the visit goes on as a user would: it never
// aborts on an answer it did not expect.
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { api, body, sessionRefused, type Task } from './api.ts';

/** Acknowledged writes, logged for the reconciliation with the database after the run. */
const created = new Counter('tasks_created');
const deleted = new Counter('tasks_deleted');
const password = 'correct horse battery staple';
// The harness names the run (its accounts are found by it afterwards); by hand, each run is new.
const runTag = __ENV.LOAD_RUN ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
/** better-auth's answer (422) to a sign-up for an email that has an account. */
const accountExists = 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL';
let signedUp = false;
let signedIn = false;
/**
 * One visit in this many ends by signing out (at random, so users do not all
 * sign in again at once). The smoke's two visits both do, so its second signs
 * in: every endpoint group is measured, sign-in and sign-out too.
 */
const signOutEvery = Number(__ENV.SIGN_OUT_EVERY ?? (__ENV.PROFILE === 'smoke' ? 1 : 5));

const think = () => {
  sleep(0.5 + Math.random() * 1.5);
};
const email = () => `load-${runTag}-${exec.vu.idInTest}@example.com`;
const uid = () =>
  `${exec.vu.idInTest}-${exec.vu.iterationInScenario}-${Math.random().toString(36).slice(2, 10)}`;

/** A task as the API returned it, or undefined when the answer was something else. */
function taskIn(value: unknown): Task | undefined {
  const task = value as Partial<Task> | null | undefined;
  return typeof task?.id === 'string' && typeof task.version === 'number' ? (task as Task) : undefined;
}

/** The items of a list answer; none when the answer was an error. */
function itemsIn(value: unknown): Task[] {
  const items = (value as { items?: unknown } | null | undefined)?.items;
  return Array.isArray(items) ? (items as Task[]) : [];
}

/**
 * One line per write the harness reconciles with the database afterwards: each
 * write as it is sent (its answer may never come), and each state the API
 * acknowledged. The harness reads them from k6's console output.
 */
type Logged =
  | { op: 'ack'; task: Pick<Task, 'id' | 'title' | 'status' | 'version'> }
  | { op: 'send'; kind: 'update'; id: string; title: string; version: number }
  | { op: 'send'; kind: 'complete' | 'delete'; id: string }
  | { op: 'deleted'; id: string };

function log(event: Logged): void {
  // eslint-disable-next-line no-console -- the console output is the channel
  console.log(`reconcile ${JSON.stringify(event)}`);
}
const acknowledged = ({ id, title, status, version }: Task) => {
  log({ op: 'ack', task: { id, title, status, version } });
};

function createTask(title: string, priority: Task['priority']): Task | undefined {
  const response = api.createTask({ title, priority }, `key-${uid()}`);
  const task = taskIn(body(response));
  const ok = check(response, {
    'create: 201 with the task': (r) => r.status === 201 && task?.title === title,
  });
  if (!ok || !task) return undefined;
  acknowledged(task);
  created.add(1);
  return task;
}

function listed(query: string, title: string): Task | undefined {
  return itemsIn(body(api.listTasks(query))).find((task) => task.title === title);
}

function assistant(title: string): void {
  const conversation = `conv-${uid()}`;
  const added = api.chat(conversation, `msg-${uid()}`, `add a task called ${title}`);
  const task = added.status === 200 ? listed(`?q=${encodeURIComponent(title)}`, title) : undefined;
  if (!check(added, { 'assistant: the task it added is listed': () => task !== undefined }) || !task) return;
  acknowledged(task);
  created.add(1);
  think();
  log({ op: 'send', kind: 'complete', id: task.id });
  const completed = api.chat(conversation, `msg-${uid()}`, `mark ${title} as done`);
  const done =
    completed.status === 200 ? listed(`?status=done&q=${encodeURIComponent(title)}`, title) : undefined;
  if (check(completed, { 'assistant: the task it completed is done': () => done?.status === 'done' }) && done)
    acknowledged(done);
}

/**
 * Signs up on the first visit (which signs in), signs in when the last visit
 * signed out or the app refused the session (a 401 shows its sign-in page).
 */
function arrive(): boolean {
  if (sessionRefused()) signedIn = false;
  if (!signedUp) {
    const response = api.signUp(email(), password);
    // The account exists: an earlier sign-up went through although its answer was lost.
    if (response.status === 422 && (body(response) as { code?: unknown } | undefined)?.code === accountExists)
      signedUp = true;
    else {
      // A sign-up that failed (the server was down) is tried again on the next visit.
      signedUp = signedIn = check(response, { 'sign up: 200': (r) => r.status === 200 });
      return signedIn;
    }
  }
  if (!signedIn) {
    const response = api.signIn(email(), password);
    signedIn = check(response, { 'sign in: 200': (r) => r.status === 200 });
  }
  return signedIn;
}

/** A sign-out whose answer never came leaves the user unsure: they sign out again, once. */
function signOut(): void {
  for (let attempt = 0; attempt < 2 && signedIn; attempt += 1) {
    signedIn = !check(api.signOut(), { 'sign out: 200': (r) => r.status === 200 });
  }
}

function edit(task: Task): void {
  const title = `${task.title} (oat)`;
  log({ op: 'send', kind: 'update', id: task.id, title, version: task.version });
  const response = api.updateTask(task.id, { title, version: task.version });
  const saved = taskIn(body(response));
  if (
    check(response, {
      'edit: saved with the version read': (r) => r.status === 200 && saved?.version === task.version + 1,
    }) &&
    saved
  )
    acknowledged(saved);
}

function complete(task: Task): void {
  log({ op: 'send', kind: 'complete', id: task.id });
  const response = api.completeTask(task.id);
  const saved = taskIn(body(response));
  if (check(response, { 'complete: done': (r) => r.status === 200 && saved?.status === 'done' }) && saved)
    acknowledged(saved);
}

function remove(task: Task): void {
  log({ op: 'send', kind: 'delete', id: task.id });
  const response = api.deleteTask(task.id);
  if (check(response, { 'delete: 204': (r) => r.status === 204 })) {
    log({ op: 'deleted', id: task.id });
    deleted.add(1);
  }
}

export function journey(): void {
  if (!arrive()) {
    // A user who cannot sign in waits before trying again, rather than hammering the stack.
    think();
    return;
  }
  think();

  const id = uid();
  const tasks = [
    createTask(`buy milk ${id}`, 'low'),
    createTask(`write report ${id}`, 'high'),
    createTask(`call mum ${id}`, 'medium'),
  ].filter((task): task is Task => task !== undefined);
  think();

  check(api.listTasks('?status=open&priority=high'), {
    'list: the high-priority open task is there': (r) =>
      itemsIn(body(r)).some((task) => task.title === `write report ${id}`),
  });
  think();

  const [first, second, third] = tasks;
  if (first) edit(first);
  if (second) complete(second);
  think();

  assistant(`water plants ${id}`);
  think();

  if (third) remove(third);
  if (Math.random() < 1 / signOutEvery) signOut();
  think();
}
