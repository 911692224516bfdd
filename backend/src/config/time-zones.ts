// Time zones by IANA name: each chat message names one, and making an
// Intl.DateTimeFormat costs far more than using it, so each name is tried once.

/** Per name: the formatter of its calendar day, or null for a name Intl refuses. */
const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

/** The formatter of a time zone's day (YYYY-MM-DD parts and the weekday's name); undefined when it is no time zone. */
export function dayFormatIn(timeZone: string): Intl.DateTimeFormat | undefined {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        weekday: 'long',
      });
    } catch {
      format = null;
    }
    // Time zones are a few hundred names; a bound all the same.
    if (dayFormats.size >= 1000) dayFormats.clear();
    dayFormats.set(timeZone, format);
  }
  return format ?? undefined;
}

export const isTimeZone = (value: string): boolean => dayFormatIn(value) !== undefined;
