// What a message asks for, by rules: the offline model's "understanding".
// The phrases it knows are listed in docs/assistant.md; anything else is `unknown`.
import type { TaskPriority, TaskStatus } from '../../tasks/index.ts';
import { addDays, findDate } from './dates.ts';

/** A task named by id, or by words of its title. */
export type Reference = { id: string } | { words: string };

export interface ListFilter {
  status?: TaskStatus;
  priority?: TaskPriority;
  dueBefore?: string;
  dueAfter?: string;
  q?: string;
}

export interface TaskChangesRequest {
  title?: string;
  notes?: string;
  priority?: TaskPriority;
  dueDate?: string | null;
}

export type Intent =
  | { kind: 'create'; title: string; priority?: TaskPriority; dueDate?: string; notes?: string }
  | { kind: 'list'; filter: ListFilter; what: string }
  | { kind: 'complete' | 'reopen' | 'delete'; ref: Reference }
  | { kind: 'update'; ref: Reference; changes: TaskChangesRequest }
  /** "2", "the first one": picks from the options the assistant just offered. */
  | { kind: 'select'; index: number }
  | { kind: 'help'; greeting: boolean }
  | { kind: 'unknown' };

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const priorities: Record<string, TaskPriority> = {
  high: 'high',
  top: 'high',
  urgent: 'high',
  medium: 'medium',
  normal: 'medium',
  low: 'low',
};
const priorityOf = (word: string): TaskPriority => priorities[word.toLowerCase()] ?? 'medium';
/** A capture group's text ('' when it did not take part). */
const group = (match: RegExpExecArray, index: number): string => match[index] ?? '';
const ordinals: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, last: -1 };

/** Trim, drop quotes and trailing punctuation, collapse spaces. */
function clean(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:–-]+|[\s,;:.!?–-]+$/g, '')
    .replace(/^["'“‘](.*)["'”’]$/, '$1')
    .trim();
}

/** "the milk one", "task 'buy milk'", "3f2a…-…": the task a phrase points at. */
export function reference(phrase: string): Reference | undefined {
  const id = uuid.exec(phrase);
  if (id) return { id: id[0].toLowerCase() };
  let words = clean(phrase)
    .replace(/^(?:the|my|a|this|that)\s+/i, '')
    .replace(/^(?:task|todo|to-do|item|one)(?:\s+(?:called|named|titled|about))?\s+/i, '')
    .replace(/^(?:called|named|titled|about)\s+/i, '')
    .replace(/\s+(?:one|task|todo|to-do|item)$/i, '');
  words = clean(words);
  return words ? { words } : undefined;
}

/** Takes a priority phrase out of the text. */
function takePriority(text: string): { priority?: TaskPriority; rest: string } {
  const patterns = [
    /(?:,?\s*(?:with|at|as)\s+)?\b(high|top|medium|normal|low)[- ]priority\b/i,
    /(?:,?\s*(?:with\s+)?)\bpriority[:\s]+(high|medium|normal|low)\b/i,
    /!(high|medium|low)\b/i,
    /,?\s*\b(urgent)(?:ly)?\b/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) {
      const rest = text.slice(0, match.index) + ' ' + text.slice(match.index + match[0].length);
      return { priority: priorityOf(group(match, 1)), rest };
    }
  }
  return { rest: text };
}

/** Takes "note: …" / "with notes …" off the end. */
function takeNotes(text: string): { notes?: string; rest: string } {
  const match = /(?:,?\s*(?:with (?:the )?notes?|notes?)\s*:?\s+)(.+)$/i.exec(text);
  if (!match || match.index === 0) return { rest: text };
  return { notes: clean(group(match, 1)), rest: text.slice(0, match.index) };
}

/** Takes a date phrase out (found in the lower-case text, cut from the original). */
function takeDate(text: string, today: string): { date?: string; rest: string } {
  const lower = text.toLowerCase();
  const found = lower.length === text.length ? findDate(lower, today) : undefined;
  if (!found) return { rest: text };
  return { date: found.date, rest: `${text.slice(0, found.start)} ${text.slice(found.end)}` };
}

function createIntent(phrase: string, today: string): Intent {
  const { notes, rest: withoutNotes } = takeNotes(phrase);
  const { priority, rest: withoutPriority } = takePriority(withoutNotes);
  const { date, rest } = takeDate(withoutPriority, today);
  const title = clean(rest.replace(/\s+(?:and|with)$/i, ''));
  if (!title) return { kind: 'unknown' };
  return {
    kind: 'create',
    title,
    ...(priority ? { priority } : {}),
    ...(date ? { dueDate: date } : {}),
    ...(notes ? { notes } : {}),
  };
}

function withRef(kind: 'complete' | 'reopen' | 'delete', phrase: string): Intent | undefined {
  const ref = reference(phrase);
  return ref ? { kind, ref } : undefined;
}

function update(phrase: string, changes: TaskChangesRequest): Intent | undefined {
  const ref = reference(phrase);
  return ref ? { kind: 'update', ref, changes } : undefined;
}

function listIntent(text: string, today: string): Intent | undefined {
  const lower = text.toLowerCase();
  const filter: ListFilter = {};
  const what: string[] = [];
  let due = '';

  const search =
    /(?:search|find|look(?:ing)? for|look up)(?: for)?(?: (?:my )?(?:tasks?|todos?))?(?: (?:about|with|containing|matching|mentioning|for|called|named))? (.+)$/i.exec(
      text,
    ) ?? /(?:tasks?|todos?) (?:about|with|containing|matching|mentioning|called|named) (.+)$/i.exec(text);
  if (search) {
    const q = clean(group(search, 1).replace(/^["'“](.*)["'”]$/, '$1'));
    if (q) filter.q = q;
  }

  if (/\b(?:overdue|late|past due|behind)\b/.test(lower)) {
    filter.status = 'open';
    filter.dueBefore = today;
    due = 'overdue';
  } else if (/\bthis week\b/.test(lower)) {
    filter.dueAfter = addDays(today, -1);
    filter.dueBefore = addDays(today, 7 - ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
    due = 'due this week';
  } else if (!filter.q) {
    const date = findDate(lower, today);
    if (date && /\b(?:due|today|tomorrow|on|for|by)\b/.test(lower)) {
      filter.dueAfter = addDays(date.date, -1);
      filter.dueBefore = addDays(date.date, 1);
      due =
        date.date === today
          ? 'due today'
          : date.date === addDays(today, 1)
            ? 'due tomorrow'
            : `due ${date.date}`;
    }
  }
  if (/\b(?:done|completed|finished|closed)\b/.test(lower)) {
    filter.status = 'done';
    what.push('done');
  } else if (
    /\b(?:open|pending|remaining|unfinished|outstanding|incomplete|left)\b/.test(lower) ||
    /\bto do\b/.test(lower)
  ) {
    filter.status = 'open';
    what.push('open');
  } else if (due && due !== 'overdue') {
    filter.status = 'open';
  }
  const priority = /\b(high|top|medium|normal|low)[- ]priority\b/i.exec(lower) ?? /\b(urgent)\b/.exec(lower);
  if (priority) {
    filter.priority = priorityOf(group(priority, 1));
    what.push(`${filter.priority}-priority`);
  }

  const asks =
    /^(?:show|list|display|find|search|look)\b/i.test(lower) ||
    /\b(?:tasks?|todos?|to-dos?|to do|overdue|due|done|completed|open|pending|priority|urgent|left|remaining|do i have)\b/.test(
      lower,
    );
  if (!asks) return undefined;

  const noun = `${[due === 'overdue' ? 'overdue' : '', ...what].filter(Boolean).join(' ')} tasks`.trim();
  const suffix = [due && due !== 'overdue' ? due : '', filter.q ? `matching “${filter.q}”` : '']
    .filter(Boolean)
    .join(' ');
  return { kind: 'list', filter, what: suffix ? `${noun} ${suffix}` : noun };
}

/** What the message asks for. `today` is YYYY-MM-DD in the user's time zone. */
export function understand(message: string, today: string): Intent {
  const text = clean(
    message.replace(/^(?:please|pls|can you|could you|would you|hey|ok|okay)[\s,]+/i, ''),
  ).replace(/\s+(?:please|pls|thanks|thank you)$/i, '');
  const lower = text.toLowerCase();
  let m: RegExpExecArray | null;

  if (!text || /^(?:help|\?|what can you do|what do you do|how does this work|commands)\b/i.test(text)) {
    return { kind: 'help', greeting: false };
  }
  if (/^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|yo)\b[\s!.]*$/i.test(text)) {
    return { kind: 'help', greeting: true };
  }
  if ((m = /^(?:(?:number|no\.?|#)\s*)?(\d{1,2})$/i.exec(text)))
    return { kind: 'select', index: Number(m[1]) };
  if ((m = /^(?:the\s+)?(first|second|third|fourth|fifth|last)(?:\s+one)?$/i.exec(lower))) {
    return { kind: 'select', index: ordinals[group(m, 1).toLowerCase()] ?? 1 };
  }

  // Changes to one task (before "add …", which would read "add a note to …" as a new task).
  if ((m = /^(?:add|put|set|write) (?:a |the )?notes? (?:to|on|for) (.+?)\s*:\s*(.+)$/i.exec(text))) {
    return update(group(m, 1), { notes: clean(group(m, 2)) }) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:remove|clear|delete|drop) (?:the )?due date (?:from|of|on|for) (.+)$/i.exec(text))) {
    return update(group(m, 1), { dueDate: null }) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:rename|retitle) (.+?) (?:to|as|into) (.+)$/i.exec(text))) {
    return update(group(m, 1), { title: clean(group(m, 2)) }) ?? { kind: 'unknown' };
  }
  if ((m = /^change (?:the )?(?:title|name) of (.+?) to (.+)$/i.exec(text))) {
    return update(group(m, 1), { title: clean(group(m, 2)) }) ?? { kind: 'unknown' };
  }
  if (
    (m =
      /^(?:set|change) (?:the )?priority (?:of|for|on) (.+?) to (high|top|urgent|medium|normal|low)$/i.exec(
        text,
      ))
  ) {
    return update(group(m, 1), { priority: priorityOf(group(m, 2)) }) ?? { kind: 'unknown' };
  }
  if (
    (m = /^(?:make|set|mark|change) (.+?) (?:as |to )?(high|top|medium|normal|low)(?:[- ]priority)?$/i.exec(
      text,
    ))
  ) {
    return update(group(m, 1), { priority: priorityOf(group(m, 2)) }) ?? { kind: 'unknown' };
  }
  if (
    (m = /^(?:make|mark) (.+?) (?:as )?urgent$/i.exec(text)) ||
    (m = /^(?:prioriti[sz]e) (.+)$/i.exec(text))
  ) {
    return update(group(m, 1), { priority: 'high' }) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:deprioriti[sz]e) (.+)$/i.exec(text))) {
    return update(group(m, 1), { priority: 'low' }) ?? { kind: 'unknown' };
  }
  if (
    (m =
      /^(?:move|postpone|reschedule|push|defer|delay|shift) (.+?) (?:to|until|till|back to|out to) (.+)$/i.exec(
        text,
      )) ??
    (m = /^(?:set|change) (?:the )?due date (?:of|for|on) (.+?) to (.+)$/i.exec(text)) ??
    (m = /^(?!(?:what|which|anything|something|everything|nothing)\b)(.+?) is (?:now )?due (.+)$/i.exec(
      text,
    )) ??
    (m = /^make (.+?) due (.+)$/i.exec(text))
  ) {
    const date = findDate(group(m, 2).toLowerCase(), today);
    if (date && !clean(date.rest)) return update(group(m, 1), { dueDate: date.date }) ?? { kind: 'unknown' };
  }

  if (
    (m =
      /^(?:mark|set|flag) (.+?) (?:as )?(?:not done|undone|open|incomplete|not complete|todo|to do|pending)$/i.exec(
        text,
      ))
  ) {
    return withRef('reopen', group(m, 1)) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:reopen|re-open|uncomplete|unfinish|undo) (.+)$/i.exec(text))) {
    return withRef('reopen', group(m, 1)) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:mark|set|flag) (.+?) (?:as )?(?:done|complete|completed|finished)$/i.exec(text))) {
    return withRef('complete', group(m, 1)) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:complete|finish|check off|tick off|close|done with|cross off) (.+)$/i.exec(text))) {
    return withRef('complete', group(m, 1).replace(/ (?:off|as done)$/i, '')) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:check|tick|cross) (.+?) off$/i.exec(text)))
    return withRef('complete', group(m, 1)) ?? { kind: 'unknown' };
  if ((m = /^i(?: have|'ve)?(?: just)? (?:finished|completed|did|done) (.+)$/i.exec(text))) {
    return withRef('complete', group(m, 1)) ?? { kind: 'unknown' };
  }
  if ((m = /^(.+?) is (?:done|finished|complete|completed)$/i.exec(text))) {
    return withRef('complete', group(m, 1)) ?? { kind: 'unknown' };
  }
  if ((m = /^(?:delete|remove|drop|discard|trash|erase|get rid of|cancel) (.+)$/i.exec(text))) {
    return withRef('delete', group(m, 1)) ?? { kind: 'unknown' };
  }

  if (
    (m =
      /^(?:add|create|make|new|schedule)(?: (?:a|an|one))?(?: new)? (?:task|todo|to-do|reminder|item)(?: (?:to|for|called|named|titled))?\s*:?\s+(.+)$/i.exec(
        text,
      )) ??
    (m = /^(?:add|create|new)\s*:?\s+(.+)$/i.exec(text)) ??
    (m =
      /^(?:remind me to|remember to|i need to|i have to|i must|i should|don'?t forget to|don'?t let me forget to)\s+(.+)$/i.exec(
        text,
      )) ??
    (m = /^(?:todo|to-do|task)\s*:\s*(.+)$/i.exec(text))
  ) {
    return createIntent(group(m, 1), today);
  }

  return (
    listIntent(text, today) ?? (lower.length > 0 ? { kind: 'unknown' } : { kind: 'help', greeting: false })
  );
}
