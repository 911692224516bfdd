// Docker's event stream for containers, parsed: what started, died, became healthy.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { engine } from './engine.ts';

export interface ContainerEvent {
  /** start, die, oom, health_status: healthy, ... */
  action: string;
  containerId: string;
  /** Epoch ms. */
  at: number;
  /** The container's labels, and for `die` its exitCode. */
  attributes: Record<string, string>;
}

interface RawEvent {
  status?: string;
  Action?: string;
  time?: number;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export interface EventFeed {
  stop(): void;
}

/**
 * Follows container events carrying these labels, from now (or from `since`,
 * epoch ms, until `until` and then ends) and hands each to `onEvent`.
 */
export async function followContainerEvents(
  labels: string[],
  onEvent: (event: ContainerEvent) => void,
  window: { since?: number; until?: number } = {},
): Promise<EventFeed & { ended: Promise<void> }> {
  const stream = await engine().getEvents({
    filters: { type: ['container'], label: labels },
    ...(window.since === undefined ? {} : { since: Math.floor(window.since / 1000) }),
    ...(window.until === undefined ? {} : { until: Math.ceil(window.until / 1000) }),
  });
  const lines = createInterface({ input: stream });
  lines.on('line', (line) => {
    let raw: RawEvent;
    try {
      raw = JSON.parse(line) as RawEvent;
    } catch {
      return;
    }
    onEvent({
      action: raw.Action ?? raw.status ?? '',
      containerId: raw.Actor?.ID ?? '',
      at: raw.timeNano ? Math.round(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000,
      attributes: raw.Actor?.Attributes ?? {},
    });
  });
  stream.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => {
    lines.on('close', resolve);
  });
  return {
    ended,
    stop: () => {
      lines.close();
      // An HTTP response underneath: destroying it ends the request to the engine.
      if (stream instanceof Readable) stream.destroy();
    },
  };
}
