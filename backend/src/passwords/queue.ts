// At most `limit` password hashes at once per process; the rest wait their
// turn here instead of piling onto libuv's thread pool, where they would also
// delay file and DNS work, and each would finish later.
import { Gauge, Histogram, type Metric } from 'prom-client';

export class HashQueue {
  readonly limit: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #wait = new Histogram({
    name: 'password_hash_wait_seconds',
    help: 'Time a password hash waited for a free slot (PASSWORD_HASH_CONCURRENCY per replica)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [],
  });
  readonly #gauge: Gauge;

  constructor(limit: number) {
    this.limit = limit;
    const running = () => this.#running;
    const waiting = () => this.#waiting.length;
    this.#gauge = new Gauge({
      name: 'password_hashes',
      help: 'Password hashes running now and waiting for a slot',
      labelNames: ['state'] as const,
      registers: [],
      collect() {
        this.set({ state: 'running' }, running());
        this.set({ state: 'waiting' }, waiting());
      },
    });
  }

  /** Prometheus metrics of the queue, for /metrics. */
  get metrics(): Metric[] {
    return [this.#wait, this.#gauge];
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const queued = performance.now();
    if (this.#running >= this.limit) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else this.#running += 1;
    this.#wait.observe((performance.now() - queued) / 1000);
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next in line; the count stays the same.
      if (next) next();
      else this.#running -= 1;
    }
  }
}
