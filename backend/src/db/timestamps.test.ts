import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './timestamps.ts';

describe('isoTimestamp', () => {
  it('turns Postgres UTC text into ISO 8601 with milliseconds, as Date#toISOString would', () => {
    for (const [text, iso] of [
      ['2026-11-22 05:19:46.912345+00', '2026-11-22T05:19:46.912Z'],
      ['2026-11-22 05:19:46.9+00', '2026-11-22T05:19:46.900Z'],
      ['2026-11-22 05:19:46+00', '2026-11-22T05:19:46.000Z'],
      ['1999-01-01 00:00:00.000999+00', '1999-01-01T00:00:00.000Z'],
    ]) {
      expect(isoTimestamp(text as string)).toBe(iso);
      expect(new Date(iso as string).toISOString()).toBe(iso);
    }
  });

  it('refuses text in another time zone rather than answer a wrong instant', () => {
    expect(() => isoTimestamp('2026-11-22 06:19:46+01')).toThrow(/UTC/);
  });
});
