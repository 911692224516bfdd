import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import {
  addTask,
  askAssistant,
  localDate,
  newTaskForm,
  phoneBoardProblems,
  taskRow,
  until,
} from './board.ts';
import { launchChromium } from './chromium.ts';
import { BrowserSession, phone, type StepResult } from './session.ts';
import type { AccessibilityResult } from './accessibility.ts';

export interface BrowserFlowOptions {
  baseUrl: string;
  /** Screenshots and axe reports go here. */
  artefactsDir: string;
  /** An existing account to use; by default the flow signs up a new one. */
  credentials?: { email: string; password: string };
  chromiumPath?: string;
}

export interface BrowserFlowResult {
  steps: StepResult[];
  /** The Playwright trace of the whole flow (npx playwright-core show-trace <file>). */
  trace?: string;
  consoleErrors: string[];
  accessibility: AccessibilityResult[];
}

const signIn = async (page: Page, email: string, password: string) => {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

/**
 * The whole user flow in real Chromium, against any base URL: sign up, tasks
 * (create, edit, complete, filter, search), the assistant adding and completing
 * a task, a version conflict, delete with undo, an expired session, sign out,
 * and the sign-in errors. Throws StepFailed naming the step; console errors and
 * accessibility findings are returned for the caller to judge.
 */
export async function runBrowserFlow(options: BrowserFlowOptions): Promise<BrowserFlowResult> {
  const browser = await launchChromium(options.chromiumPath);
  let open: BrowserSession | undefined;
  try {
    const session = await BrowserSession.open(browser, options.baseUrl, options.artefactsDir);
    open = session;
    const { page, context } = session;
    const email = options.credentials?.email ?? `flow-${randomUUID()}@example.com`;
    const password = options.credentials?.password ?? 'correct horse battery';
    const step = session.step.bind(session);

    await step('open the app: sign-in page', async () => {
      await page.goto('/');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await session.checkAccessibility('sign-in page');
    });

    if (options.credentials) {
      await step('sign in', async () => {
        await signIn(page, email, password);
        await page.getByRole('heading', { name: 'Tasks' }).waitFor();
      });
    } else {
      await step('sign up: the form explains what is missing', async () => {
        await page.getByRole('link', { name: 'Create an account' }).click();
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.getByText('Enter your name.').waitFor();
        await session.checkAccessibility('sign-up page with errors');
      });
      await step('sign up', async () => {
        await page.getByLabel('Name').fill('Flow User');
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Create account' }).click();
        await page.getByRole('heading', { name: 'Tasks' }).waitFor();
        await page.getByText('No tasks yet').waitFor();
      });
    }

    await step('create tasks', async () => {
      await addTask(page, { title: 'buy milk', due: localDate(1), priority: 'high' });
      await addTask(page, { title: 'write report', notes: 'numbers from Q3' });
      await addTask(page, { title: 'water plants', priority: 'low' });
      await taskRow(page, 'buy milk').getByText('Tomorrow').waitFor();
    });

    await step('edit a task inline', async () => {
      await taskRow(page, 'write report').getByRole('button', { name: 'Edit “write report”' }).click();
      const editor = page.getByRole('form', { name: 'Edit “write report”' });
      await editor.getByLabel('Title').fill('write quarterly report');
      await editor.getByLabel('Priority').selectOption('high');
      await editor.getByRole('button', { name: 'Save' }).click();
      await taskRow(page, 'write quarterly report').getByText('High').waitFor();
    });

    await step('keyboard only: add with Enter, complete with Space, leave an edit with Escape', async () => {
      await page.getByRole('link', { name: 'Skip to tasks' }).press('Enter');
      await newTaskForm(page).getByLabel('Title').focus();
      await page.keyboard.type('feed the cat');
      await page.keyboard.press('Enter');
      const check = page.getByRole('checkbox', { name: 'Complete “feed the cat”' });
      await until('the new task is stored (its controls enabled)', () => check.isEnabled());
      await check.focus();
      await page.keyboard.press('Space');
      await page.getByRole('checkbox', { name: 'Reopen “feed the cat”' }).waitFor();
      await page.keyboard.press('Space');
      await page.getByRole('checkbox', { name: 'Complete “feed the cat”' }).waitFor();
      const edit = page.getByRole('button', { name: 'Edit “feed the cat”' });
      // Editing waits while a status change is in flight (its version is about to change).
      await until('the status changes are stored (Edit enabled)', () => edit.isEnabled());
      await edit.focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type(' now');
      await page.keyboard.press('Escape');
      await until('focus returns to the Edit button', () =>
        edit.evaluate((el) => el === el.ownerDocument.activeElement),
      );
      await taskRow(page, 'feed the cat')
        .getByRole('button', { name: 'Delete “feed the cat”' })
        .press('Enter');
      await taskRow(page, 'feed the cat').waitFor({ state: 'detached' });
    });

    await step('complete a task, then filter and search', async () => {
      await page.getByRole('checkbox', { name: 'Complete “buy milk”' }).check();
      await page.getByRole('checkbox', { name: 'Reopen “buy milk”' }).waitFor();
      await page.getByLabel('Status').selectOption('done');
      await until('only the done task is listed', async () => (await page.locator('.task').count()) === 1);
      await taskRow(page, 'buy milk').waitFor();
      await page.getByRole('button', { name: 'Clear filters' }).first().click();
      await page.getByLabel('Search').fill('quarterly');
      await until('the search leaves one task', async () => (await page.locator('.task').count()) === 1);
      await taskRow(page, 'write quarterly report').waitFor();
      await page.getByLabel('Search').fill('');
      await until('all three tasks are back', async () => (await page.locator('.task').count()) === 3);
    });

    await step('ask the assistant to add a task: the board shows it', async () => {
      await askAssistant(page, 'add call mum tomorrow', 'Created task “call mum”');
      await taskRow(page, 'call mum').waitFor();
    });

    await step('ask the assistant to complete it: the board shows it done', async () => {
      await askAssistant(page, 'mark call mum done', 'Completed “call mum”');
      await page.getByRole('checkbox', { name: 'Reopen “call mum”' }).waitFor();
      await session.checkAccessibility('board with tasks and a conversation');
    });

    await step(
      'a change made elsewhere while editing: explained, resolved by reloading',
      async () => {
        await taskRow(page, 'water plants').getByRole('button', { name: 'Edit “water plants”' }).click();
        const editor = page.getByRole('form', { name: 'Edit “water plants”' });
        await editor.getByLabel('Title').fill('water the plants');
        // Another tab (same session) renames the task first.
        const found = await context.request.get('/api/tasks?q=water');
        const [task] = ((await found.json()) as { items: { id: string; version: number }[] }).items;
        if (!task) throw new Error('could not find "water plants" through the API');
        const renamed = await context.request.patch(`/api/tasks/${task.id}`, {
          data: { title: 'water plants (renamed elsewhere)', version: task.version },
          headers: { origin: new URL(options.baseUrl).origin },
        });
        if (!renamed.ok()) throw new Error(`renaming through the API answered ${renamed.status()}`);
        await editor.getByRole('button', { name: 'Save' }).click();
        await editor.getByText('This task was changed elsewhere').waitFor();
        await session.checkAccessibility('edit form with a version conflict');
        await editor.getByRole('button', { name: 'Reload the task' }).click();
        await until(
          'the form shows the latest title',
          async () => (await editor.getByLabel('Title').inputValue()) === 'water plants (renamed elsewhere)',
        );
        await editor.getByRole('button', { name: 'Cancel' }).click();
        await taskRow(page, 'water plants (renamed elsewhere)').waitFor();
      },
      [409],
    );

    await step(
      'the session ends: sign in again without losing the typed task',
      async () => {
        await context.clearCookies();
        await newTaskForm(page).getByLabel('Title').fill('typed before expiry');
        await newTaskForm(page).getByRole('button', { name: 'Add task' }).click();
        const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
        await dialog.waitFor();
        await session.checkAccessibility('session ended dialog');
        await dialog.getByLabel('Password').fill(password);
        await dialog.getByRole('button', { name: 'Sign in' }).click();
        await dialog.waitFor({ state: 'hidden' });
        if ((await newTaskForm(page).getByLabel('Title').inputValue()) !== 'typed before expiry') {
          throw new Error('the typed title was lost');
        }
        await newTaskForm(page).getByRole('button', { name: 'Add task' }).click();
        await taskRow(page, 'typed before expiry').waitFor();
      },
      [401],
    );

    await step('delete with undo, then delete', async () => {
      const title = 'water plants (renamed elsewhere)';
      await taskRow(page, title)
        .getByRole('button', { name: `Delete “${title}”` })
        .click();
      await taskRow(page, title).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: `Undo deleting “${title}”` }).click();
      await taskRow(page, title).waitFor();
      await taskRow(page, title)
        .getByRole('button', { name: `Delete “${title}”` })
        .click();
      await taskRow(page, title).waitFor({ state: 'detached' });
    });

    await step(
      'on a phone: one column, tasks on the first screen, the add form and the assistant behind buttons',
      async () => {
        const problems = await phoneBoardProblems(page);
        if (problems.length) throw new Error(`on a phone, ${problems.join('; ')}`);
        // The add form unfolds from its button, straight to the title.
        const toggle = page.getByRole('button', { name: 'New task' });
        await toggle.click();
        await until('the title field has the focus', () =>
          newTaskForm(page)
            .getByLabel('Title')
            .evaluate((input) => input === input.ownerDocument.activeElement),
        );
        await toggle.click();
        await newTaskForm(page).waitFor({ state: 'hidden' });
        await page.getByRole('button', { name: 'Assistant' }).click();
        await page.getByRole('heading', { name: 'Assistant' }).waitFor();
        await session.checkAccessibility('board on a phone');
        await page.getByRole('button', { name: 'Assistant' }).click();
      },
      [],
      phone,
    );

    await step('sign out', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    });

    await step(
      'the sign-in page on a phone names the app',
      async () => {
        const brand = page.locator('.auth-brand');
        if (!(await brand.isVisible()) || !(await brand.innerText()).includes('Todo'))
          throw new Error('the sign-in page shows no app name');
      },
      [],
      phone,
    );

    await step(
      'sign-up errors from the API appear next to the field',
      async () => {
        await page.getByRole('link', { name: 'Create an account' }).click();
        await page.getByLabel('Name').fill('Someone Else');
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill('another long password');
        await page.getByRole('button', { name: 'Create account' }).click();
        const emailInput = page.getByLabel('Email');
        await until(
          'the email field is marked invalid',
          async () => (await emailInput.getAttribute('aria-invalid')) === 'true',
        );
        const described = (await emailInput.getAttribute('aria-describedby')) ?? '';
        const message = await page.locator(`[id="${described.split(' ').at(-1) ?? ''}"]`).innerText();
        if (!/already exists/i.test(message)) throw new Error(`the email field says "${message}"`);
      },
      [400, 422],
    );

    await step(
      'a wrong password is refused; the right one signs in and the delete held',
      async () => {
        await page.getByRole('link', { name: 'Sign in' }).click();
        await signIn(page, email, 'not the password');
        await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
        await signIn(page, email, password);
        await taskRow(page, 'typed before expiry').waitFor();
        if ((await taskRow(page, 'water plants (renamed elsewhere)').count()) !== 0) {
          throw new Error('the deleted task is back after signing in again');
        }
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      },
      [401],
    );

    open = undefined;
    const trace = await session.close();
    return {
      steps: session.steps,
      consoleErrors: session.consoleErrors,
      accessibility: session.accessibility,
      ...(trace ? { trace } : {}),
    };
  } finally {
    // A failed step: the trace is written all the same (it is what explains the failure).
    await open?.close().catch(() => undefined);
    await browser.close();
  }
}
