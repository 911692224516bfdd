// Calendar words → YYYY-MM-DD, relative to "today" (a YYYY-MM-DD in the user's time zone).
// Pure functions on UTC dates, so the answer depends on nothing but the input.

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
};

const day = 86_400_000;
const parse = (iso: string) => new Date(`${iso}T00:00:00Z`);
const format = (date: Date) => date.toISOString().slice(0, 10);
export const addDays = (iso: string, days: number) => format(new Date(parse(iso).getTime() + days * day));
const weekdayOf = (iso: string) => parse(iso).getUTCDay();

/** The weekday index of a name the patterns below accepted ("thu", "thurs", "thursday"), or -1. */
function weekdayIndex(word: string): number {
  return weekdays.findIndex((name) => name.slice(0, 3) === word.slice(0, 3));
}
function monthIndex(word: string): number {
  return months.findIndex((name) => name.slice(0, 3) === word.slice(0, 3));
}

function validDate(year: number, month: number, dayOfMonth: number): string | undefined {
  const date = new Date(Date.UTC(year, month, dayOfMonth));
  return date.getUTCMonth() === month && date.getUTCDate() === dayOfMonth ? format(date) : undefined;
}

const weekdayPattern = '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?';
const monthPattern =
  '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|ember|tember|ober)?';
const ordinal = '(\\d{1,2})(?:st|nd|rd|th)?';

interface Rule {
  pattern: RegExp;
  resolve(match: RegExpMatchArray, today: string): string | undefined;
}

const group = (match: RegExpMatchArray, index: number): string => match[index] ?? '';
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const rules: Rule[] = [
  {
    pattern: /(\d{4})-(\d{2})-(\d{2})/,
    resolve: (m) => validDate(+group(m, 1), +group(m, 2) - 1, +group(m, 3)),
  },
  { pattern: /(?:the )?day after tomorrow/, resolve: (_m, today) => addDays(today, 2) },
  { pattern: /today|tonight|this (?:morning|afternoon|evening)/, resolve: (_m, today) => today },
  { pattern: /tomorrow|tmrw|tmr/, resolve: (_m, today) => addDays(today, 1) },
  { pattern: /yesterday/, resolve: (_m, today) => addDays(today, -1) },
  {
    pattern: /in (\d{1,3}|an?|one|two|three|four|five|six|seven) (days?|weeks?)/,
    resolve: (m, today) => {
      const count = numberWords[group(m, 1)] ?? Number(m[1]);
      return addDays(today, group(m, 2).startsWith('week') ? count * 7 : count);
    },
  },
  {
    // Weeks start on Monday: "next week" is next Monday.
    pattern: /next week/,
    resolve: (_m, today) => addDays(today, 7 - ((weekdayOf(today) + 6) % 7)),
  },
  {
    pattern: /(?:the )?end of (?:the |this )?month/,
    resolve: (_m, today) => {
      const date = parse(today);
      return format(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
    },
  },
  {
    // "next friday": the Friday of next week (weeks start on Monday).
    pattern: new RegExp(`next (${weekdayPattern})`),
    resolve: (m, today) => {
      const target = weekdayIndex(group(m, 1));
      if (target < 0) return undefined;
      const nextMonday = addDays(today, 7 - ((weekdayOf(today) + 6) % 7));
      return addDays(nextMonday, (target + 6) % 7);
    },
  },
  {
    // "friday", "this friday", "on friday": the coming one, today included.
    pattern: new RegExp(`(?:this |on )?(${weekdayPattern})`),
    resolve: (m, today) => {
      const target = weekdayIndex(group(m, 1));
      if (target < 0) return undefined;
      return addDays(today, (target - weekdayOf(today) + 7) % 7);
    },
  },
  {
    // "3 december", "3rd of dec 2027", "december 3", "dec 3rd, 2027": the next such date, today included.
    pattern: new RegExp(
      `(?:${ordinal} (?:of )?(${monthPattern})|(${monthPattern}) ${ordinal})(?:,? (\\d{4}))?`,
    ),
    resolve: (m, today) => {
      const month = monthIndex(m[2] ?? group(m, 3));
      const dayOfMonth = Number(m[1] ?? m[4]);
      if (month < 0) return undefined;
      if (m[5]) return validDate(Number(m[5]), month, dayOfMonth);
      const year = parse(today).getUTCFullYear();
      const thisYear = validDate(year, month, dayOfMonth);
      return thisYear && thisYear >= today ? thisYear : validDate(year + 1, month, dayOfMonth);
    },
  },
];

export interface FoundDate {
  date: string;
  /** Where the phrase (with a leading "due", "by", "on", ...) starts and ends in the text. */
  start: number;
  end: number;
  /** The text with the phrase taken out. */
  rest: string;
}

/** The first date phrase in `text` (lower case), or undefined. */
export function findDate(text: string, today: string): FoundDate | undefined {
  for (const rule of rules) {
    const pattern = new RegExp(
      `(?:^|\\s|,)(?:(?:due|by|on|for|before|until|at) )?(?:${rule.pattern.source})(?=$|[\\s,.!?])`,
    );
    const match = pattern.exec(text);
    if (!match) continue;
    const inner = rule.pattern.exec(match[0]);
    const date = inner ? rule.resolve(inner, today) : undefined;
    if (!date) continue;
    const end = match.index + match[0].length;
    return { date, start: match.index, end, rest: `${text.slice(0, match.index)} ${text.slice(end)}`.trim() };
  }
  return undefined;
}

const shortWeekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const shortMonths = months.map((m) => capitalized(m.slice(0, 3)));

/** "today", "tomorrow", "Fri 27 Nov", "Wed 3 Feb 2027": how people read a due date. */
export function describeDate(iso: string, today: string): string {
  if (iso === today) return 'today';
  if (iso === addDays(today, 1)) return 'tomorrow';
  if (iso === addDays(today, -1)) return 'yesterday';
  const date = parse(iso);
  const text = `${shortWeekdays[date.getUTCDay()]} ${date.getUTCDate()} ${shortMonths[date.getUTCMonth()]}`;
  return date.getUTCFullYear() === parse(today).getUTCFullYear() ? text : `${text} ${date.getUTCFullYear()}`;
}

export function weekdayName(iso: string): string {
  return capitalized(weekdays[weekdayOf(iso)] ?? '');
}
