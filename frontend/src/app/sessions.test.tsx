import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../test/fake-api.ts';
import { renderApp } from '../test/render.tsx';
import { nextPath } from './App.tsx';

afterEach(() => {
  vi.useRealTimers();
});

/** Ada signed in with one task; Bob has an account with a task of his own. */
function twoUsers() {
  const api = new FakeApi({ signedInAs: 'ada@example.com' });
  api.accounts.get('ada@example.com')!.password = 'ada password';
  api.addTask({ title: 'ada’s secret task' });
  api.accounts.set('bob@example.com', { id: 'user-bob', name: 'Bob', password: 'bob password' });
  api.user = { id: 'user-bob', email: 'bob@example.com', name: 'Bob' };
  api.addTask({ title: 'bob’s task' });
  api.user = { id: 'user-1', email: 'ada@example.com', name: 'Test User' };
  return api;
}

async function expireAndOpenDialog(user: ReturnType<typeof userEvent.setup>, api: FakeApi) {
  api.user = null;
  await user.click(screen.getByRole('checkbox', { name: 'Complete “ada’s secret task”' }));
  return screen.findByRole('dialog', { name: 'Your session has ended' });
}

describe('sessions and users', () => {
  it('shows nothing of the previous user when someone else signs in through the expiry dialog', async () => {
    const user = userEvent.setup();
    const api = twoUsers();
    renderApp({ api });
    await screen.findByText('ada’s secret task');
    const dialog = await expireAndOpenDialog(user, api);
    const email = within(dialog).getByLabelText('Email');
    await user.clear(email);
    await user.type(email, 'bob@example.com');
    await user.type(within(dialog).getByLabelText('Password'), 'bob password');
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('bob’s task')).toBeDefined();
    expect(screen.queryByText('ada’s secret task')).toBeNull();
  });

  it('shows nothing of the previous user after “Sign out instead”', async () => {
    const user = userEvent.setup();
    const api = twoUsers();
    renderApp({ api });
    await screen.findByText('ada’s secret task');
    const dialog = await expireAndOpenDialog(user, api);
    await user.click(within(dialog).getByRole('button', { name: 'Sign out instead' }));
    await user.type(await screen.findByLabelText('Email'), 'bob@example.com');
    await user.type(screen.getByLabelText('Password'), 'bob password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('bob’s task')).toBeDefined();
    expect(screen.queryByText('ada’s secret task')).toBeNull();
  });

  it('sends a delete the ended session refused once the user signs in again', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    const api = twoUsers();
    renderApp({ api });
    await user.click(await screen.findByRole('button', { name: 'Delete “ada’s secret task”' }));
    api.user = null;
    await act(() => vi.advanceTimersByTimeAsync(6000));
    const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' });
    expect(api.tasks.size).toBe(1);
    expect(screen.queryByText('ada’s secret task')).toBeNull(); // still hidden, not back
    await user.type(within(dialog).getByLabelText('Password'), 'ada password');
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(api.tasks.size).toBe(0));
    expect(api.calls('DELETE', /\/api\/tasks\//)).toHaveLength(2);
  });

  it('returns to a deep link, filters included, after signing in', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.accounts.set('ada@example.com', { id: 'user-1', name: 'Ada', password: 'ada password' });
    const { location } = renderApp({ api, path: '/?status=done' });
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'ada password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Tasks' });
    expect(location.history.at(-1)).toBe('/?status=done');
    expect(screen.getByLabelText<HTMLSelectElement>('Status').value).toBe('done');
  });

  it('never sends the user elsewhere after signing in', () => {
    expect(nextPath('next=%2F%3Fstatus%3Ddone')).toBe('/?status=done');
    expect(nextPath('next=https%3A%2F%2Fevil.example')).toBe('/');
    expect(nextPath('next=%2F%2Fevil.example')).toBe('/');
    expect(nextPath('next=%2F%5Cevil.example')).toBe('/');
    expect(nextPath('')).toBe('/');
  });
});

describe('board details', () => {
  it('adds history entries for filter choices but not for each search keystroke, and keeps a typed space', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ signedInAs: 'ada@example.com' });
    api.addTask({ title: 'buy milk' });
    const { location } = renderApp({ api });
    await screen.findByText('buy milk');
    const before = location.history.length;
    await user.selectOptions(
      screen.getByLabelText('Priority', { selector: '[role="search"] select' }),
      'high',
    );
    expect(location.history).toHaveLength(before + 1);
    const search = screen.getByLabelText<HTMLInputElement>('Search');
    await user.type(search, 'buy ');
    await waitFor(() => expect(location.history.at(-1)).toContain('q=buy'), { timeout: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await user.type(search, 'milk');
    expect(search.value).toBe('buy milk');
    expect(location.history).toHaveLength(before + 1);
  });

  it('reports each of several quick adds that fail', async () => {
    const user = userEvent.setup();
    const api = new FakeApi({ signedInAs: 'ada@example.com' });
    renderApp({ api });
    await screen.findByText(/No tasks yet/);
    const form = screen.getByRole('form', { name: 'New task' });
    for (const title of ['first', 'second']) {
      const failure = { code: 'INTERNAL', message: 'Something went wrong on our side.' };
      api.failNext(/POST \/api\/tasks$/, 500, failure, 300); // both are in flight before either fails
      await user.type(within(form).getByLabelText('Title'), title);
      await user.click(within(form).getByRole('button', { name: 'Add task' }));
    }
    expect(await screen.findByText(/Could not add “first”/)).toBeDefined();
    expect(await screen.findByText(/Could not add “second”/)).toBeDefined();
  });
});
