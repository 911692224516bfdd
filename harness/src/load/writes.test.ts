import { describe, expect, it } from 'vitest';
import { parseWriteLog } from './writes.ts';

const id = '1d587a7a-1b08-43a1-9bf5-547dac512bbc';
const event = { op: 'ack', task: { id, title: 'say "hi" \\ back', status: 'open', version: 1 } };
const message = `reconcile ${JSON.stringify(event)}`;

describe("reading the journey's write log from k6's console output", () => {
  it.each([
    [
      'text (logfmt, k6 default)',
      `time="2026-12-03T11:30:38Z" level=info msg=${JSON.stringify(message)} source=console`,
    ],
    [
      'json (--log-format json)',
      JSON.stringify({ level: 'info', msg: message, time: '2026-12-03T11:30:38Z' }),
    ],
    ['raw (--log-format raw)', message],
  ])('reads %s', (_, line) => {
    const log = parseWriteLog(`time="2026-12-03T11:30:37Z" level=info msg="other line"\n${line}\n`);
    expect([...log]).toEqual([[id, [event]]]);
  });

  it('skips lines cut short and ids that are not task ids', () => {
    const cut = `time="x" level=info msg="reconcile {\\"op\\":\\"ack\\",\\"task\\":{\\"id\\"`;
    const notId = `reconcile ${JSON.stringify({ op: 'deleted', id: '1; DROP TABLE tasks' })}`;
    expect(parseWriteLog(`${cut}\n${notId}\n`).size).toBe(0);
  });
});
