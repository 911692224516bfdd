import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { StepFailed } from '../steps/index.ts';
import { checkAccessibility, type AccessibilityResult } from './accessibility.ts';

export interface StepResult {
  name: string;
  ms: number;
  screenshot: string;
}

export interface Viewport {
  width: number;
  height: number;
}

/** The desktop window the flow runs in, and a phone's (an iPhone 14's CSS pixels). */
export const desktop: Viewport = { width: 1280, height: 860 };
export const phone: Viewport = { width: 390, height: 844 };

/**
 * One user in one browser context: runs named steps, screenshots each, and
 * records console errors and uncaught exceptions (HTTP errors the step said it
 * expects, such as a 401 after the session ends, are allowed).
 */
export class BrowserSession {
  readonly steps: StepResult[] = [];
  readonly consoleErrors: string[] = [];
  readonly accessibility: AccessibilityResult[] = [];
  readonly context: BrowserContext;
  readonly page: Page;
  private readonly artefactsDir: string;
  private expectedStatuses: number[] = [];
  private currentStep = '(start)';

  private constructor(context: BrowserContext, page: Page, artefactsDir: string) {
    this.context = context;
    this.page = page;
    this.artefactsDir = artefactsDir;
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const status = /status of (\d{3})/.exec(text)?.[1];
      if (status && this.expectedStatuses.includes(Number(status))) return;
      // Chromium aborts requests in flight when the host's network interfaces change (another
      // stack's Docker network coming or going). The app retries what it may; the step's outcome judges it.
      if (text.includes('net::ERR_NETWORK_CHANGED')) return;
      this.consoleErrors.push(`[${this.currentStep}] ${text}`);
    });
    page.on('pageerror', (error) =>
      this.consoleErrors.push(`[${this.currentStep}] uncaught: ${error.message}`),
    );
  }

  static async open(browser: Browser, baseUrl: string, artefactsDir: string): Promise<BrowserSession> {
    await mkdir(artefactsDir, { recursive: true });
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: desktop,
      ignoreHTTPSErrors: true,
    });
    context.setDefaultTimeout(15_000);
    // The whole flow as a Playwright trace (npx playwright-core show-trace trace.zip): DOM snapshots,
    // screenshots, network and console per action.
    await context.tracing.start({ screenshots: true, snapshots: true, title: 'browser flow' });
    const page = await context.newPage();
    return new BrowserSession(context, page, artefactsDir);
  }

  /** Where close() writes the trace. */
  get tracePath(): string {
    return join(this.artefactsDir, 'trace.zip');
  }

  /**
   * Runs a step; `expect` lists HTTP statuses whose console errors are part of
   * the step. With `viewport`, the step runs and is screenshot at that size
   * (a phone), and the window goes back to its size after.
   */
  async step(
    name: string,
    run: () => Promise<void>,
    expect: number[] = [],
    viewport?: Viewport,
  ): Promise<void> {
    const index = String(this.steps.length + 1).padStart(2, '0');
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    this.currentStep = name;
    this.expectedStatuses = expect;
    const started = performance.now();
    const previous = this.page.viewportSize() ?? desktop;
    try {
      if (viewport) await this.page.setViewportSize(viewport);
      await run();
    } catch (error) {
      const shot = join(this.artefactsDir, `${index}-FAILED-${slug}.png`);
      const taken = await this.page.screenshot({ path: shot, fullPage: true }).then(
        () => shot,
        () => undefined,
      );
      const reason = (error as Error).message.split('\n')[0] ?? String(error);
      throw new StepFailed(name, `browser flow, step "${name}": ${reason}`, {
        cause: error,
        ...(taken ? { screenshot: taken } : {}),
      });
    } finally {
      this.expectedStatuses = [];
    }
    const screenshot = join(this.artefactsDir, `${index}-${slug}.png`);
    await this.page.screenshot({ path: screenshot, fullPage: true });
    if (viewport) await this.page.setViewportSize(previous);
    this.steps.push({ name, ms: Math.round(performance.now() - started), screenshot });
  }

  async checkAccessibility(name: string): Promise<void> {
    this.accessibility.push(await checkAccessibility(this.page, name, this.artefactsDir));
  }

  /** Writes the trace (also after a failed step: that is when it is read) and closes the context. */
  async close(): Promise<string | undefined> {
    const trace = await this.context.tracing.stop({ path: this.tracePath }).then(
      () => this.tracePath,
      () => undefined,
    );
    await this.context.close();
    return trace;
  }
}
