// One request passed on to another server, as a reverse proxy does: the method,
// path and headers (with X-Forwarded-*), the body streamed both ways, a 502 when
// the other side does not answer, and its work stopped when the client goes away.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ForwardOptions {
  /** Where to: its origin, and its path when given (else the incoming one). */
  target: URL;
  /** The scheme the client used, for X-Forwarded-Proto. */
  proto: 'http' | 'https';
  /** Send the target's own host instead of the client's (an external rewrite). */
  targetHost?: boolean;
  /**
   * X-Forwarded-For: `replace` with the client's address (an edge that trusts
   * no one before it, as Caddy and Vercel do), or `append` it to what came
   * (a proxy behind another, as a platform's router behind a CDN).
   */
  forwardedFor?: 'replace' | 'append';
  /** Added to the answer's headers. */
  answerHeaders?: Record<string, string>;
  /** What a 502 says. */
  unreachable: { contentType: string; body: string };
}

export function forward(incoming: IncomingMessage, outgoing: ServerResponse, options: ForwardOptions): void {
  const { target } = options;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const path =
    target.pathname === '/' && !target.search ? incoming.url : `${target.pathname}${target.search}`;
  const client = incoming.socket.remoteAddress ?? '';
  const before = incoming.headers['x-forwarded-for'];
  const forwardedFor =
    options.forwardedFor === 'append' && before ? `${[before].flat().join(', ')}, ${client}` : client;
  const upstream = send(
    {
      protocol: target.protocol,
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path,
      headers: {
        ...incoming.headers,
        ...(options.targetHost ? { host: target.host } : {}),
        'x-forwarded-for': forwardedFor,
        'x-forwarded-proto': options.proto,
        'x-forwarded-host': incoming.headers.host ?? '',
      },
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...options.answerHeaders });
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', () => {
    if (!outgoing.headersSent) {
      outgoing.writeHead(502, { 'content-type': options.unreachable.contentType });
      outgoing.end(options.unreachable.body);
    } else outgoing.destroy();
  });
  // The client went away (a stopped chat reply): stop the other side's work too.
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) upstream.destroy();
  });
  incoming.pipe(upstream);
}
