// Requests to a rehearsal over its TLS, verified against the stack's own CA.
// Node's built-in fetch cannot be given a CA per call (and refuses dispatchers
// of a newer undici), so this uses undici's own fetch and hands back a standard Response.
import { Agent, fetch as undiciFetch } from 'undici';

/** fetch as the scenarios take it: a URL, the usual init, a standard Response. */
export type TrustedFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Statuses whose answers have no body (a Response refuses one). */
const bodiless = new Set([101, 103, 204, 205, 304]);

/** fetch that verifies TLS against this CA (PEM) instead of the system's. */
export function fetchTrusting(caCertificate: string): TrustedFetch {
  const dispatcher = new Agent({ connect: { ca: caCertificate } });
  return async (url, init = {}) => {
    const { body } = init;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('the rehearsal’s fetch sends text bodies only (JSON.stringify it)');
    }
    const answer = await undiciFetch(url, {
      method: init.method ?? 'GET',
      headers: [...new Headers(init.headers).entries()],
      ...(typeof body === 'string' ? { body } : {}),
      redirect: init.redirect ?? 'follow',
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher,
    });
    const bytes = await answer.arrayBuffer();
    return new Response(bodiless.has(answer.status) ? null : bytes, {
      status: answer.status,
      statusText: answer.statusText,
      headers: [...answer.headers.entries()],
    });
  };
}
