import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

type Platform = 'linux' | 'darwin' | 'win32';

/** Commands Chrome, Chromium and Edge install on Linux, looked for on PATH and then in their usual places. */
const linuxCommands = [
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
  'microsoft-edge-stable',
  'microsoft-edge',
];
const linuxDirs = ['/usr/bin', '/usr/local/bin', '/snap/bin'];
const linuxBinaries = ['/opt/google/chrome/chrome', '/opt/microsoft/msedge/msedge'];

const macApps = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

const windowsApps = [
  'Google\\Chrome\\Application\\chrome.exe',
  'Chromium\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
];

const platformOf = (platform: NodeJS.Platform): Platform =>
  platform === 'darwin' || platform === 'win32' ? platform : 'linux';

/** Where a Chrome, Chromium or Edge may be on this OS, in the order they are tried. */
export function browserCandidates(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const os = platformOf(platform);
  if (os === 'darwin') {
    const homes = ['/Applications', ...(env.HOME ? [join(env.HOME, 'Applications')] : [])];
    return homes.flatMap((dir) => macApps.map((app) => `${dir}/${app}`));
  }
  if (os === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean) as string[];
    return roots.flatMap((root) => windowsApps.map((app) => `${root}\\${app}`));
  }
  const path = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return [
    ...linuxCommands.flatMap((command) => path.map((dir) => join(dir, command))),
    ...linuxDirs.flatMap((dir) => linuxCommands.map((command) => join(dir, command))),
    ...linuxBinaries,
  ];
}

/** The Chromium Playwright downloads (npx playwright-core install chromium), when it did. */
function playwrightChromium(): string | undefined {
  try {
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a Chromium-family browser is: CHROMIUM_PATH when set (and only it: a
 * wrong path is not silently replaced), else an installed Chrome, Chromium or
 * Edge in its usual place on Linux, macOS or Windows, else the Chromium
 * Playwright downloaded; undefined when there is none.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return browserCandidates(env, platform).find((path) => existsSync(path)) ?? playwrightChromium();
}

const installHint: Record<Platform, string> = {
  linux:
    'install Chromium (Debian/Ubuntu: sudo apt-get install chromium, or sudo bash scripts/provision.sh; Fedora: sudo dnf install chromium) or Google Chrome',
  darwin:
    'install Google Chrome (brew install --cask google-chrome) or Chromium (brew install --cask chromium)',
  win32: 'install Google Chrome (winget install Google.Chrome) or point CHROMIUM_PATH at Edge (msedge.exe)',
};

/** Why no browser was found and the fix on this OS, in one line. */
export function chromiumMissingFor(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const fix = `${installHint[platformOf(platform)]}, or npx playwright-core install chromium, or set CHROMIUM_PATH to a Chrome, Chromium or Edge binary`;
  return env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist: point it at a Chrome, Chromium or Edge binary`
    : `no Chrome, Chromium or Edge found: ${fix}`;
}

/**
 * Headless Chromium from the system. Playwright cannot download browsers here;
 * the flags keep Chromium from calling home (a closed network refuses it, loudly).
 */
export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  if (!executablePath) throw new Error(chromiumMissingFor());
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
