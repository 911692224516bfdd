import type { Locator, Page } from 'playwright-core';

// Page helpers, by role and accessible name as a user (and a screen reader) finds things.

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

export const newTaskForm = (page: Page): Locator => page.getByRole('form', { name: 'New task' });

/** The board's row for a task, by its exact title. */
export const taskRow = (page: Page, title: string): Locator =>
  page
    .getByRole('list', { name: 'Tasks' })
    .getByRole('listitem')
    .filter({ has: page.locator('.task-title', { hasText: exact(title) }) });

export async function addTask(
  page: Page,
  task: { title: string; notes?: string; due?: string; priority?: 'low' | 'medium' | 'high' },
): Promise<void> {
  const form = newTaskForm(page);
  await form.getByLabel('Title').fill(task.title);
  if (task.notes) await form.getByLabel('Notes').fill(task.notes);
  if (task.due) await form.getByLabel('Due').fill(task.due);
  if (task.priority) await form.getByLabel('Priority').selectOption(task.priority);
  await form.getByRole('button', { name: 'Add task' }).click();
  await taskRow(page, task.title).waitFor();
}

/** Polls until `check` holds; fails with `what` after the timeout. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function askAssistant(page: Page, text: string, expectActivity: string): Promise<void> {
  await page.getByLabel('Message the assistant').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.tool-activity', { hasText: expectActivity }).last().waitFor();
}

export function localDate(offsetDays = 0): string {
  const date = new Date();
  date.setDate(date.getDate() + offsetDays);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * What a phone user would see wrong on the board, measured in the page: a
 * truncated name or a button wrapped onto two lines in the header, the add form
 * filling the first screen so no task shows, a sort select short of its row.
 */
export async function phoneBoardProblems(page: Page): Promise<string[]> {
  // Reached through the element, not the globals: this file is also compiled without the DOM's types.
  return page.locator('body').evaluate((body) => {
    const doc = body.ownerDocument;
    const win = doc.defaultView;
    if (!win) return ['the page has no window'];
    win.scrollTo(0, 0);
    const problems: string[] = [];
    const lines = (element: typeof body) => {
      const range = doc.createRange();
      range.selectNodeContents(element);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    };
    const header = doc.querySelector('.app-header');
    const user = header?.querySelector('.user');
    if (user && user.scrollWidth > user.clientWidth + 1)
      problems.push(`the user's name is cut: "${user.textContent}"`);
    for (const button of header?.querySelectorAll('button') ?? [])
      if (lines(button) > 1)
        problems.push(`the header's "${button.textContent.trim()}" button wraps onto ${lines(button)} lines`);
    const firstTask = doc.querySelector('[aria-label="Tasks"] li');
    const bottom = firstTask ? Math.round(firstTask.getBoundingClientRect().bottom) : undefined;
    if (bottom === undefined) problems.push('no task on the board');
    else if (bottom > win.innerHeight)
      problems.push(`the first task ends ${bottom} px down, below the first screen (${win.innerHeight} px)`);
    const filters = doc.querySelector('.filters')?.getBoundingClientRect();
    const sort = [...doc.querySelectorAll('.filters select')].at(-1)?.getBoundingClientRect();
    if (filters && sort && filters.right - sort.right > 2)
      problems.push(`the sort select ends ${Math.round(filters.right - sort.right)} px short of its row`);
    return problems;
  });
}
