// One user's visit, the only journey every profile runs. A user signs up on
// their first visit and stays signed in between visits, as a browser keeps its
// session cookie; one visit in five (at random) ends by signing out, so the
// next one signs in again. A visit creates tasks, lists and filters, edits with a version,
// completes, asks the assistant to add and complete a task, and deletes.
// Checks assert what the user would see (the task is in the list), not only statuses.
import { check, fail, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { api, body, type Task } from './api.ts';

/** Acknowledged writes, logged for the reconciliation with the database after the run. */
const created = new Counter('tasks_created');
const deleted = new Counter('tasks_deleted');
const password = 'correct horse battery staple';
// The harness names the run (its accounts are found by it afterwards); by hand, each run is new.
const runTag = __ENV.LOAD_RUN ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
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

function record(action: 'created' | 'deleted' | 'deleting', task: Task): void {
  // One line per acknowledged write (and per delete sent: its answer may never
  // come); the harness reads them from k6's console output.
  // eslint-disable-next-line no-console -- the console output is the channel
  console.log(`reconcile ${action} ${task.id}`);
  if (action !== 'deleting') (action === 'created' ? created : deleted).add(1);
}

function createTask(title: string, priority: Task['priority']): Task | undefined {
  const response = api.createTask({ title, priority }, `key-${uid()}`);
  const task = body(response) as Task | undefined;
  const ok = check(response, {
    'create: 201 with the task': (r) => r.status === 201 && task?.title === title,
  });
  if (ok && task) record('created', task);
  return ok ? task : undefined;
}

function listed(query: string, title: string): Task | undefined {
  const page = body(api.listTasks(query)) as { items: Task[] } | undefined;
  return page?.items.find((task) => task.title === title);
}

function assistant(title: string): void {
  const conversation = `conv-${uid()}`;
  const added = api.chat(conversation, `msg-${uid()}`, `add a task called ${title}`);
  const task = listed(`?q=${encodeURIComponent(title)}`, title);
  if (
    !check(added, { 'assistant: the task it added is listed': (r) => r.status === 200 && task !== undefined })
  )
    return;
  record('created', task as Task);
  think();
  const completed = api.chat(conversation, `msg-${uid()}`, `mark ${title} as done`);
  check(completed, {
    'assistant: the task it completed is done': (r) =>
      r.status === 200 && listed(`?status=done&q=${encodeURIComponent(title)}`, title)?.status === 'done',
  });
}

/** Signs up on the first visit (which signs in), signs in when the last visit signed out. */
function arrive(): boolean {
  if (!signedUp) {
    const response = api.signUp(email(), password);
    if (!check(response, { 'sign up: 200': (r) => r.status === 200 })) fail(`sign up: ${response.status}`);
    signedUp = signedIn = true;
  } else if (!signedIn) {
    const response = api.signIn(email(), password);
    signedIn = check(response, { 'sign in: 200': (r) => r.status === 200 });
  }
  return signedIn;
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
      ((body(r) as { items: Task[] } | undefined)?.items ?? []).some(
        (task) => task.title === `write report ${id}`,
      ),
  });
  think();

  const [first, second, third] = tasks;
  if (first) {
    const edited = api.updateTask(first.id, { title: `${first.title} (oat)`, version: first.version });
    check(edited, {
      'edit: saved with the version read': (r) =>
        r.status === 200 && (body(r) as Task | undefined)?.version === first.version + 1,
    });
  }
  if (second) {
    check(api.completeTask(second.id), {
      'complete: done': (r) => (body(r) as Task | undefined)?.status === 'done',
    });
  }
  think();

  assistant(`water plants ${id}`);
  think();

  if (third) {
    record('deleting', third);
    const response = api.deleteTask(third.id);
    if (check(response, { 'delete: 204': (r) => r.status === 204 })) record('deleted', third);
  }
  if (Math.random() < 1 / signOutEvery) {
    signedIn = !check(api.signOut(), { 'sign out: 200': (r) => r.status === 200 });
  }
  think();
}
