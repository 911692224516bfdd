import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeApi } from '../test/fake-api.ts';
import { renderApp } from '../test/render.tsx';

const errorOf = (input: HTMLElement) => {
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent).join(' ');
};

describe('signing up and in', () => {
  it('sends a signed-out visitor to the sign-in page', async () => {
    renderApp({ api: new FakeApi() });
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeDefined();
  });

  it('explains missing fields without asking the server', async () => {
    const user = userEvent.setup();
    const { api } = renderApp({ api: new FakeApi(), path: '/sign-up' });
    await user.click(await screen.findByRole('button', { name: 'Create account' }));
    expect(errorOf(screen.getByLabelText('Name'))).toContain('Enter your name.');
    expect(errorOf(screen.getByLabelText('Email'))).toContain('valid email');
    expect(errorOf(screen.getByLabelText('Password'))).toContain('at least 8');
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(api.calls('POST', /sign-up/)).toHaveLength(0);
  });

  it('shows the server refusing an email next to the email field, keeping what was typed', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.accounts.set('taken@example.com', { id: 'u', name: 'T', password: 'whatever123' });
    renderApp({ api, path: '/sign-up' });
    await user.type(await screen.findByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'taken@example.com');
    await user.type(screen.getByLabelText('Password'), 'a long password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const email = screen.getByLabelText<HTMLInputElement>('Email');
    await waitFor(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(errorOf(email)).toMatch(/already exists/);
    expect(email.value).toBe('taken@example.com');
    expect(screen.getByLabelText<HTMLInputElement>('Password').value).toBe('a long password');
  });

  it('says a wrong password does not match, without blaming one field', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.accounts.set('ada@example.com', { id: 'u', name: 'Ada', password: 'the right one' });
    renderApp({ api, path: '/sign-in' });
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'the wrong one');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/do not match/);
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
  });

  it('signs up into an empty board, and signs out back to sign-in', async () => {
    const user = userEvent.setup();
    const { api } = renderApp({ api: new FakeApi(), path: '/sign-up' });
    await user.type(await screen.findByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'a long password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText(/No tasks yet/)).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeDefined();
    expect(api.calls('POST', /sign-out/)).toHaveLength(1);
  });

  it('says so when the server cannot be reached, and tries again on request', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext(/get-session/, 503, { message: 'down' });
    renderApp({ api });
    expect(await screen.findByRole('heading', { name: 'Cannot reach the server' })).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeDefined();
  });
});
