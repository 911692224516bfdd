import { describe, expect, it } from 'vitest';
import { toAppError } from './handler.ts';

describe('toAppError', () => {
  it('answers 400, not 500, when Postgres refuses the characters of a value validation missed', () => {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
    });
    const wrapped = new Error('Failed to create user', { cause: refused });
    expect(toAppError(wrapped)).toMatchObject({ code: 'BAD_REQUEST', status: 400 });
    expect(toAppError(new Error('boom'))).toMatchObject({ code: 'INTERNAL', status: 500 });
  });
});
