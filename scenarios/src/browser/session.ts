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
      viewport: { width: 1280, height: 860 },
      ignoreHTTPSErrors: true,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return new BrowserSession(context, page, artefactsDir);
  }

  /** Runs a step; `expect` lists HTTP statuses whose console errors are part of the step. */
  async step(name: string, run: () => Promise<void>, expect: number[] = []): Promise<void> {
    const index = String(this.steps.length + 1).padStart(2, '0');
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    this.currentStep = name;
    this.expectedStatuses = expect;
    const started = performance.now();
    try {
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
    this.steps.push({ name, ms: Math.round(performance.now() - started), screenshot });
  }

  async checkAccessibility(name: string): Promise<void> {
    this.accessibility.push(await checkAccessibility(this.page, name, this.artefactsDir));
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
