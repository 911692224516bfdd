import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../test/fake-api.ts';
import { renderApp } from '../test/render.tsx';

const signedIn = () => new FakeApi({ signedInAs: 'ada@example.com' });
const newTask = () => screen.getByRole('form', { name: 'New task' });
const row = (title: string) =>
  screen.getAllByRole('listitem').find((item) => item.querySelector('.task-title')?.textContent === title);

afterEach(() => {
  vi.useRealTimers();
});

describe('the task board', () => {
  it('shows a new task at once, then the stored one, and sends an idempotency key', async () => {
    const user = userEvent.setup();
    const { api } = renderApp({ api: signedIn() });
    await screen.findByText(/No tasks yet/);
    await user.type(within(newTask()).getByLabelText('Title'), 'buy milk');
    await user.selectOptions(within(newTask()).getByLabelText('Priority'), 'high');
    await user.click(within(newTask()).getByRole('button', { name: 'Add task' }));
    expect(within(newTask()).getByLabelText<HTMLInputElement>('Title').value).toBe('');
    await waitFor(() => expect(row('buy milk')).toBeDefined());
    const [create] = api.calls('POST', /^\/api\/tasks$/);
    expect(create?.body).toMatchObject({ title: 'buy milk', priority: 'high', dueDate: null });
    expect(create?.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => expect(row('buy milk')?.getAttribute('aria-busy')).toBeNull());
  });

  it('has a "New task" button that unfolds the add form on a phone and puts the cursor in the title', async () => {
    const user = userEvent.setup();
    renderApp({ api: signedIn() });
    await screen.findByText(/No tasks yet/);
    // The stylesheet hides the button on wide screens and the folded form on narrow ones.
    const toggle = screen.getByRole('button', { name: 'New task' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe(newTask().id);
    expect(newTask().closest('.new-task-area')?.classList.contains('open')).toBe(false);
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(newTask().closest('.new-task-area')?.classList.contains('open')).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(within(newTask()).getByLabelText('Title')));
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it('sends a create the proxy answered 502 again, with the same idempotency key: one task', async () => {
    const user = userEvent.setup();
    const { api } = renderApp({ api: signedIn() });
    await screen.findByText(/No tasks yet/);
    // The replica it reached went away mid-request: the proxy answers 502.
    api.failNext(/POST \/api\/tasks$/, 502);
    await user.type(within(newTask()).getByLabelText('Title'), 'file taxes');
    await user.click(within(newTask()).getByRole('button', { name: 'Add task' }));
    await waitFor(() => expect(api.calls('POST', /^\/api\/tasks$/)).toHaveLength(2));
    const [first, second] = api.calls('POST', /^\/api\/tasks$/);
    expect(second?.headers.get('idempotency-key')).toBe(first?.headers.get('idempotency-key'));
    await waitFor(() => expect(row('file taxes')?.getAttribute('aria-busy')).toBeNull());
    expect([...api.tasks.values()].map((task) => task.title)).toEqual(['file taxes']);
  });

  it('takes a refused task back into the form, with the server’s reason next to the field', async () => {
    const user = userEvent.setup();
    const { api } = renderApp({ api: signedIn() });
    await screen.findByText(/No tasks yet/);
    api.failNext(/POST \/api\/tasks$/, 400, {
      code: 'VALIDATION_FAILED',
      message: 'The request is invalid; see fields.',
      fields: { dueDate: 'must be a date as YYYY-MM-DD' },
    });
    await user.type(within(newTask()).getByLabelText('Title'), 'pay rent');
    await user.click(within(newTask()).getByRole('button', { name: 'Add task' }));
    await waitFor(() =>
      expect(within(newTask()).getByLabelText<HTMLInputElement>('Title').value).toBe('pay rent'),
    );
    expect(within(newTask()).getByText('Must be a date as YYYY-MM-DD.')).toBeDefined();
    expect(screen.queryByRole('list', { name: 'Tasks' })).toBeNull();
  });

  it('completes a task at once and rolls it back when the server fails', async () => {
    const user = userEvent.setup();
    const api = signedIn();
    api.addTask({ title: 'water plants' });
    renderApp({ api });
    const box = await screen.findByRole('checkbox', { name: 'Complete “water plants”' });
    api.failNext(/complete$/, 500, { code: 'INTERNAL', message: 'Something went wrong on our side.' });
    // The refetch that follows fails too: only the rollback can restore the truth.
    api.failNext(/GET \/api\/tasks$/, 503);
    await user.click(box);
    await waitFor(() =>
      expect(screen.getByRole('checkbox', { name: 'Complete “water plants”' })).toBeDefined(),
    );
    expect(screen.getByRole('checkbox', { name: 'Complete “water plants”' })).toHaveProperty(
      'checked',
      false,
    );
    expect((await screen.findByText(/Could not update “water plants”/)).textContent).toMatch(
      /Something went wrong/,
    );
    await user.click(screen.getByRole('checkbox', { name: 'Complete “water plants”' }));
    await screen.findByRole('checkbox', { name: 'Reopen “water plants”' });
    expect([...api.tasks.values()][0]?.status).toBe('done');
  });

  it('explains a version conflict and reloads the task, or saves over it', async () => {
    const user = userEvent.setup();
    const api = signedIn();
    const task = api.addTask({ title: 'write report' });
    renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Edit “write report”' }));
    const editor = screen.getByRole('form', { name: 'Edit “write report”' });
    await user.clear(within(editor).getByLabelText('Title'));
    await user.type(within(editor).getByLabelText('Title'), 'write the report');
    // Someone else (the assistant) changes it first.
    api.tasks.set(task.id, { ...task, title: 'report (changed)', priority: 'high', version: 2 });
    await user.click(within(editor).getByRole('button', { name: 'Save' }));
    const alert = await within(editor).findByRole('alert');
    expect(alert.textContent).toMatch(/changed elsewhere.*“report \(changed\)”, high priority/);
    await user.click(within(alert).getByRole('button', { name: 'Reload the task' }));
    expect(within(editor).getByLabelText<HTMLInputElement>('Title').value).toBe('report (changed)');
    await user.type(within(editor).getByLabelText('Title'), ' v2');
    await user.click(within(editor).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(row('report (changed) v2')).toBeDefined());
    expect(api.tasks.get(task.id)).toMatchObject({ title: 'report (changed) v2', version: 3 });
  });

  it('deletes with undo: nothing is sent until the undo window ends, and then with the version seen', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    const api = signedIn();
    const task = api.addTask({ title: 'old task' });
    renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Delete “old task”' }));
    expect(row('old task')).toBeUndefined();
    await user.click(screen.getByRole('button', { name: 'Undo deleting “old task”' }));
    expect(row('old task')).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Delete “old task”' }));
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(api.calls('DELETE', /\/api\/tasks\//)).toHaveLength(0);
    await act(() => vi.advanceTimersByTimeAsync(1500));
    const [sent] = api.calls('DELETE', /\/api\/tasks\//);
    expect(sent?.headers.get('if-match')).toBe(`"${task.version}"`);
    expect(api.tasks.size).toBe(0);
  });

  it('sends pending deletes before signing out', async () => {
    const user = userEvent.setup();
    const api = signedIn();
    api.addTask({ title: 'gone soon' });
    renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Delete “gone soon”' }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(api.tasks.size).toBe(0);
    const order = api.requests.map((r) => `${r.method} ${r.path}`);
    expect(order.indexOf('POST /api/auth/sign-out')).toBeGreaterThan(
      order.findIndex((r) => r.startsWith('DELETE')),
    );
  });

  it('filters through the URL and tells an empty filter from an empty board', async () => {
    const user = userEvent.setup();
    const api = signedIn();
    api.addTask({ title: 'open one' });
    const { location } = renderApp({ api });
    await screen.findByText('open one');
    await user.selectOptions(screen.getByLabelText('Status'), 'done');
    expect(await screen.findByText('No tasks match these filters.')).toBeDefined();
    expect(
      api
        .calls('GET', /^\/api\/tasks$/)
        .at(-1)
        ?.search.get('status'),
    ).toBe('done');
    expect(location.history.at(-1)).toContain('status=done');
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    expect(await screen.findByText('open one')).toBeDefined();
  });

  it('keeps what was typed when the session ends, and carries on after signing in again', async () => {
    const user = userEvent.setup();
    const api = signedIn();
    api.accounts.get('ada@example.com')!.password = 'a long password';
    renderApp({ api });
    await screen.findByText(/No tasks yet/);
    api.user = null; // the session expired on the server
    await user.type(within(newTask()).getByLabelText('Title'), 'typed before expiry');
    await user.click(within(newTask()).getByRole('button', { name: 'Add task' }));
    const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' });
    await waitFor(() =>
      expect(within(newTask()).getByLabelText<HTMLInputElement>('Title').value).toBe('typed before expiry'),
    );
    expect(within(dialog).getByLabelText<HTMLInputElement>('Email').value).toBe('ada@example.com');
    await user.type(within(dialog).getByLabelText('Password'), 'a long password');
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(within(newTask()).getByRole('button', { name: 'Add task' }));
    await waitFor(() => expect(row('typed before expiry')).toBeDefined());
  });

  it('does not end the new session over a 401 to a request sent before signing in again', async () => {
    const user = userEvent.setup();
    const api = signedIn();
    api.accounts.get('ada@example.com')!.password = 'a long password';
    renderApp({ api });
    await screen.findByText(/No tasks yet/);
    api.user = null; // the session expired on the server
    // A list sent now, still without a session, is answered only after the sign-in below.
    api.failNext(/GET \/api\/tasks$/, 401, undefined, 400);
    await user.selectOptions(screen.getByLabelText('Status'), 'done');
    const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' });
    await user.type(within(dialog).getByLabelText('Password'), 'a long password');
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 500)); // the late 401 has arrived
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
