import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/** Where Chromium is: CHROMIUM_PATH, else the usual system places; undefined when absent. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return candidates.find((path) => existsSync(path));
}

export const chromiumMissing =
  'Chromium was not found. Install it (Debian/Ubuntu: sudo apt-get install chromium; or run sudo bash scripts/provision.sh) ' +
  'or point CHROMIUM_PATH at a Chromium or Chrome binary.';

/**
 * Headless Chromium from the system. Playwright cannot download browsers here;
 * the flags keep Chromium from calling home (a closed network refuses it, loudly).
 */
export async function launchChromium(executablePath = findChromium()): Promise<Browser> {
  if (!executablePath) throw new Error(chromiumMissing);
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
