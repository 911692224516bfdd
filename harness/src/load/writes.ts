// What the load was told about each task, from the lines the k6 journey logs
// (loadtests/lib/journey.ts): every write it sent and every state the API
// acknowledged, in order. A task belongs to one virtual user, whose writes
// follow one another, so the log's order is each task's order.

export interface TaskState {
  id: string;
  title: string;
  status: string;
  version: number;
}

/** One line of the journey's write log. */
export type WriteEvent =
  | { op: 'ack'; task: TaskState }
  | { op: 'send'; kind: 'update'; id: string; title: string; version: number }
  | { op: 'send'; kind: 'complete' | 'delete'; id: string }
  | { op: 'deleted'; id: string };

/** Each task's events in the order they happened. */
export type WriteLog = Map<string, WriteEvent[]>;

const eventId = (event: WriteEvent): string => (event.op === 'ack' ? event.task.id : event.id);

/**
 * The text of one line of k6's console output: k6 writes each console.log as a
 * logfmt record (`time="…" level=info msg="reconcile {\"op\":…}"`, the message
 * quoted as Go quotes strings), or as JSON with --log-format json, or bare with raw.
 */
function consoleMessage(line: string): string | undefined {
  if (line.startsWith('{')) {
    try {
      const record = JSON.parse(line) as { msg?: unknown };
      return typeof record.msg === 'string' ? record.msg : undefined;
    } catch {
      return undefined;
    }
  }
  const quoted = /(?:^|\s)msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
  if (quoted === undefined) return line;
  try {
    // Go's quoting of printable text is JSON's: \", \\, \n, \t.
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return undefined; // an escape JSON lacks (\x1b): not a line the journey wrote
  }
}

/** The journey's `reconcile {...}` lines (k6's console output), by task. */
export function parseWriteLog(text: string): WriteLog {
  const log: WriteLog = new Map();
  for (const line of text.split('\n')) {
    const json = /^reconcile (\{.*\})\s*$/.exec(consoleMessage(line.trim()) ?? '')?.[1];
    if (json === undefined) continue;
    let event: WriteEvent;
    try {
      event = JSON.parse(json) as WriteEvent;
    } catch {
      continue; // a line cut short when k6 was stopped
    }
    const id = eventId(event);
    if (!/^[0-9a-f-]{36}$/.test(id)) continue;
    const events = log.get(id) ?? [];
    events.push(event);
    log.set(id, events);
  }
  return log;
}

export type Outcome = TaskState | 'absent';

/** What the database may hold of one task: the acknowledged state, or one an unanswered write made. */
export interface Expectation {
  id: string;
  acknowledged: Outcome;
  acceptable: Outcome[];
  /** Writes sent after the last acknowledgement that never got an answer. */
  inDoubt: number;
  /** Acknowledged writes to it: its creation, edits, completions, its deletion. */
  writes: number;
}

/** The state after a write the API applied. */
function applied(write: Extract<WriteEvent, { op: 'send' }>, state: Outcome): Outcome {
  if (state === 'absent' || write.kind === 'delete') return 'absent';
  if (write.kind !== 'update') {
    // Completing a done task changes nothing (not even its version).
    return state.status === 'done' ? state : { ...state, status: 'done', version: state.version + 1 };
  }
  // An edit names the version it read: against any other it is refused (409).
  return state.version === write.version
    ? { ...state, title: write.title, version: state.version + 1 }
    : state;
}

const same = (a: Outcome, b: Outcome) =>
  a === 'absent' || b === 'absent'
    ? a === b
    : a.title === b.title && a.status === b.status && a.version === b.version;

/** For each task the load saw acknowledged, what the database may hold now. */
export function expectations(log: WriteLog): Expectation[] {
  const found: Expectation[] = [];
  for (const [id, events] of log) {
    let acknowledged: Outcome | undefined;
    let pending: Extract<WriteEvent, { op: 'send' }>[] = [];
    let writes = 0;
    for (const event of events) {
      if (event.op === 'send') pending.push(event);
      else {
        acknowledged = event.op === 'ack' ? event.task : 'absent';
        pending = [];
        writes += 1;
      }
    }
    // Sent but never acknowledged as created: not the load's to check.
    if (acknowledged === undefined) continue;
    // Each unanswered write may or may not have been applied, in the order sent.
    let acceptable: Outcome[] = [acknowledged];
    for (const write of pending) {
      const next = acceptable.map((state) => applied(write, state));
      acceptable = [
        ...acceptable,
        ...next.filter((state) => !acceptable.some((known) => same(known, state))),
      ];
    }
    found.push({ id, acknowledged, acceptable, inDoubt: pending.length, writes });
  }
  return found;
}

/** Whether the database's state of a task is one the load's writes allow. */
export const allows = (expectation: Expectation, state: Outcome): boolean =>
  expectation.acceptable.some((candidate) => same(candidate, state));
