// Finding a browser for the flow on any developer's machine: the OS's usual
// places, PATH, CHROMIUM_PATH, and one line with the fix when there is none.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserCandidates, chromiumMissingFor, findChromium } from '../src/index.ts';

describe('finding a browser', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'browsers-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('looks for Chrome, Chromium and Edge where each OS installs them', () => {
    const mac = browserCandidates({ HOME: '/Users/dev' }, 'darwin');
    expect(mac).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(mac).toContain('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
    expect(mac).toContain('/Users/dev/Applications/Chromium.app/Contents/MacOS/Chromium');
    const windows = browserCandidates(
      { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' },
      'win32',
    );
    expect(windows).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(windows).toContain('C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(windows).toContain('C:\\Users\\dev\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    const linux = browserCandidates({ PATH: '/home/dev/bin' }, 'linux');
    expect(linux).toContain('/home/dev/bin/google-chrome-stable');
    expect(linux).toContain('/snap/bin/chromium');
    expect(linux).toContain('/opt/microsoft/msedge/msedge');
  });

  it('finds a browser on PATH before the usual places, and honours CHROMIUM_PATH without replacing a wrong one', async () => {
    const chrome = join(dir, 'google-chrome');
    await writeFile(chrome, '#!/bin/sh\n');
    await chmod(chrome, 0o755);
    expect(findChromium({ PATH: dir }, 'linux')).toBe(chrome);
    expect(findChromium({ PATH: dir, CHROMIUM_PATH: chrome }, 'linux')).toBe(chrome);
    const missing = join(dir, 'no-such-browser');
    expect(findChromium({ PATH: dir, CHROMIUM_PATH: missing }, 'linux')).toBeUndefined();
    expect(chromiumMissingFor({ CHROMIUM_PATH: missing }, 'linux')).toBe(
      `CHROMIUM_PATH=${missing} does not exist: point it at a Chrome, Chromium or Edge binary`,
    );
  });

  it('says how to install one on each OS', () => {
    expect(chromiumMissingFor({}, 'linux')).toMatch(
      /^no Chrome, Chromium or Edge found: .*apt-get install chromium/,
    );
    expect(chromiumMissingFor({}, 'darwin')).toContain('brew install --cask google-chrome');
    expect(chromiumMissingFor({}, 'win32')).toContain('winget install Google.Chrome');
    for (const os of ['linux', 'darwin', 'win32'] as const)
      expect(chromiumMissingFor({}, os)).toContain('or set CHROMIUM_PATH');
  });
});
