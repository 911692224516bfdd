/** Marks in the Performance timeline that benchmarks and browser tests wait for ("board-ready"). */
export function markReady(name: string): void {
  if (typeof performance.mark !== 'function' || performance.getEntriesByName(name).length > 0) return;
  performance.mark(name);
}
