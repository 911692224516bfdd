// Requests to a rehearsal over its TLS, verified against the stack's own CA.
// Node's built-in fetch cannot be given a CA per call (and refuses dispatchers
// of a newer undici), so this uses undici's own fetch and hands back a standard Response.
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';

/** fetch as the scenarios take it: a URL, the usual init, a standard Response. */
export type TrustedFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Statuses whose answers have no body (a Response refuses one). */
const bodiless = new Set([101, 103, 204, 205, 304]);

export interface FetchRoute {
  /** Verify TLS against this CA (PEM) instead of the system's. */
  ca?: string;
  /** Connect here (a port on 127.0.0.1) whatever the URL says; Host, SNI and Origin stay the URL's. */
  via?: number;
  /** Connect from this local address (e.g. 127.0.0.2: another client on this machine). */
  localAddress?: string;
}

/** fetch that verifies TLS against this CA (PEM) instead of the system's. */
export function fetchTrusting(caCertificate: string): TrustedFetch {
  return routedFetch({ ca: caCertificate });
}

/** fetch whose connections take this route: another CA, another way in, another source address. */
export function routedFetch(route: FetchRoute): TrustedFetch {
  const connector = buildConnector(route.ca ? { ca: route.ca } : {});
  const { via } = route;
  const dispatcher = new Agent({
    ...(route.localAddress ? { localAddress: route.localAddress } : {}),
    connect:
      via === undefined
        ? connector
        : (options, callback) => {
            connector({ ...options, hostname: '127.0.0.1', port: String(via) }, callback);
          },
  });
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
