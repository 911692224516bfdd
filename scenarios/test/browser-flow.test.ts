import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, startLocalStack, type StartedLocalStack } from '@todo/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingFor, findChromium, runBrowserFlow, type BrowserFlowResult } from '../src/index.ts';

// Against BASE_URL when set (the developer stack, the rehearsal, a deployed
// URL); otherwise against the app started here from this checkout. Vitest sets
// BASE_URL to Vite's base ("/"), so only an absolute URL counts.
const given = /^https?:\/\//.test(process.env.BASE_URL ?? '') ? process.env.BASE_URL : undefined;
const artefactsDir = join(
  repoRoot,
  'reports',
  'browser-flow',
  new Date().toISOString().replace(/[:.]/g, '-'),
);

describe('the browser flow in real Chromium', () => {
  let stack: StartedLocalStack | undefined;
  let result: BrowserFlowResult;

  beforeAll(async () => {
    if (!findChromium()) throw new Error(chromiumMissingFor());
    stack = given ? undefined : await startLocalStack({ buildFrontend: true });
    result = await runBrowserFlow({ baseUrl: given ?? (stack as StartedLocalStack).baseUrl, artefactsDir });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('goes through every step: sign up, tasks, the assistant, conflict, expiry, delete, sign out', () => {
    expect(result.steps.map((step) => step.name)).toContain('sign out');
    expect(result.steps.length).toBeGreaterThanOrEqual(14);
  });

  it('screenshots each step at the size it ran at: the phone step 390 px wide, the others 1280', async () => {
    // A PNG's width: bytes 16-19 of its IHDR chunk, big-endian.
    const width = async (file: string) => (await readFile(file)).readUInt32BE(16);
    const phone = result.steps.find((step) => step.name.startsWith('on a phone'));
    expect(await width(phone?.screenshot ?? '')).toBe(390);
    const next = result.steps[result.steps.indexOf(phone as (typeof result.steps)[number]) + 1];
    expect(await width(next?.screenshot ?? '')).toBe(1280);
    expect(await width(result.steps[0]?.screenshot ?? '')).toBe(1280);
  });

  it('records a Playwright trace of the whole flow', async () => {
    expect(result.trace).toBe(join(artefactsDir, 'trace.zip'));
    const zip = await readFile(result.trace ?? '');
    // A zip archive (PK\x03\x04) holding the trace's event log and its screenshots.
    expect(zip.subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
    expect(zip.toString('binary')).toContain('trace.trace');
    expect(zip.length).toBeGreaterThan(100_000);
  });

  it('writes no error to the console', () => {
    expect(result.consoleErrors).toEqual([]);
  });

  it('has no serious or critical accessibility violation on any page', () => {
    expect(result.accessibility.map((page) => page.page)).toEqual(
      expect.arrayContaining([
        'sign-in page',
        'sign-up page with errors',
        'board with tasks and a conversation',
        'session ended dialog',
        'board on a phone',
      ]),
    );
    expect(result.accessibility.filter((page) => page.blocking.length > 0)).toEqual([]);
  });
});
