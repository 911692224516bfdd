import type { Browser, BrowserContext } from 'playwright-core';

export interface LoadTiming {
  /** First contentful paint, ms from navigation start. */
  fcpMs: number;
  /** The app's ready mark: the screen rendered with its data and handlers attached. */
  readyMs: number;
  /** Ready, and no long task (> 50 ms) running after it: the page answers input. */
  interactiveMs: number;
  longTasks: number;
}

// Long tasks are recorded from the first byte, before any app script runs.
const observeLongTasks = () => {
  const seen: { start: number; end: number }[] = [];
  (window as unknown as { __longTasks: typeof seen }).__longTasks = seen;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      seen.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  }).observe({ type: 'longtask', buffered: true });
};

/**
 * One cold load of `url` in a fresh browser context (empty cache) until the
 * app marks `mark`; cookies let the board load signed in.
 */
export async function timeLoad(
  browser: Browser,
  url: string,
  mark: string,
  cookies: Parameters<BrowserContext['addCookies']>[0] = [],
): Promise<LoadTiming> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    if (cookies.length > 0) await context.addCookies(cookies);
    await context.addInitScript(observeLongTasks);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, mark, {
      timeout: 20_000,
    });
    // A quiet second after ready, so a long task that follows it is seen.
    await page.waitForTimeout(1000);
    return await page.evaluate((name) => {
      const ready = performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      const tasks = (window as unknown as { __longTasks: { start: number; end: number }[] }).__longTasks;
      const lastEnd = Math.max(0, ...tasks.map((task) => task.end));
      return { fcpMs: fcp, readyMs: ready, interactiveMs: Math.max(ready, lastEnd), longTasks: tasks.length };
    }, mark);
  } finally {
    await context.close();
  }
}
