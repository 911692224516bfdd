// What a run measured, as k6 keeps it: trends (every value), rates (hits out of
// a total) and counters, each sample with tags so a threshold can narrow to
// `http_req_duration{group:chat}`.
import { metricCatalogue, type MetricInfo, type MetricKind } from './catalogue.ts';
import { ThresholdError, compare, type Aggregation, type Threshold } from './thresholds.ts';

type Tags = Record<string, string>;

const allowed: Record<MetricInfo['source'], Record<MetricKind, readonly string[]>> = {
  sim: { trend: ['avg', 'min', 'max', 'med', 'count', 'p'], rate: ['rate', 'count'], counter: ['count'] },
  // As k6 takes them (a trend's count is http_reqs=count or iterations=count).
  k6: { trend: ['avg', 'min', 'max', 'med', 'p'], rate: ['rate'], counter: ['count', 'rate'] },
};

const baseName = (metric: string) => metric.replace(/\{.*$/, '');

/** The catalogue entry for `name{tags}`, or undefined. */
export const metricInfo = (metric: string): MetricInfo | undefined => metricCatalogue[baseName(metric)];

/** `name{group:chat,method:GET}` → the tags it narrows to. */
function tagFilter(metric: string): Tags {
  const inside = /\{(.*)\}$/.exec(metric)?.[1];
  if (!inside) return {};
  return Object.fromEntries(
    inside.split(',').map((pair) => {
      const at = pair.indexOf(':');
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );
}

/** Throws ThresholdError when the metric is unknown or the aggregation does not fit its kind. */
export function validateThreshold(threshold: Threshold): void {
  const info = metricCatalogue[baseName(threshold.metric)];
  if (!info) {
    throw new ThresholdError(
      `threshold ${threshold.metric}: no such metric; known: ${Object.keys(metricCatalogue).join(', ')}`,
    );
  }
  if (/\{/.test(threshold.metric) && Object.keys(tagFilter(threshold.metric)).some((tag) => !tag)) {
    throw new ThresholdError(`threshold ${threshold.metric}: tags are written {name:value,...}`);
  }
  const family = threshold.aggregation.startsWith('p(') ? 'p' : threshold.aggregation;
  const fits = allowed[info.source][info.kind];
  if (!fits.includes(family)) {
    throw new ThresholdError(
      `threshold ${threshold.metric}=${threshold.expression}: ${info.kind} metrics take ${fits
        .map((name) => (name === 'p' ? 'p(N)' : name))
        .join(', ')}`,
    );
  }
}

/** k6's percentile: linear between the two nearest ranks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 1) return sorted[0] as number;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const [a, b] = [sorted[low] as number, sorted[high] as number];
  return a + (b - a) * (rank - low);
}

function aggregate(values: number[], aggregation: Aggregation): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (aggregation === 'count') return values.length;
  if (aggregation === 'min') return sorted[0] as number;
  if (aggregation === 'max') return sorted.at(-1) as number;
  if (aggregation === 'avg') return values.reduce((sum, value) => sum + value, 0) / values.length;
  if (aggregation === 'med') return percentile(sorted, 50);
  return percentile(sorted, Number(/\d+(\.\d+)?/.exec(aggregation)?.[0]));
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  /** null: nothing was measured, which fails the threshold. */
  measured: number | null;
  unit: MetricInfo['unit'];
  ok: boolean;
}

interface Sample {
  value: number;
  tags: Tags;
}

/** What k6's summary holds of one metric or submetric (`http_req_duration{group:chat}`). */
export interface K6MetricValues {
  type: string;
  values: Record<string, number>;
}

/** The value k6 reported for an aggregation; null when the metric saw no sample. */
function fromK6(entry: K6MetricValues | undefined, aggregation: Aggregation): number | null {
  if (!entry) return null;
  const { values } = entry;
  if ((entry.type === 'trend' || entry.type === 'counter') && !values.count) return null;
  if (entry.type === 'rate' && !((values.passes ?? 0) + (values.fails ?? 0))) return null;
  return values[aggregation] ?? null;
}

export class Metrics {
  private readonly samples = new Map<string, Sample[]>();
  private k6: Record<string, K6MetricValues> | undefined;

  /** The load's results: thresholds on k6's metrics are judged on these values. */
  useK6Summary(metrics: Record<string, K6MetricValues>): void {
    this.k6 = metrics;
  }

  private add(name: string, value: number, tags: Tags): void {
    if (metricCatalogue[name]?.source !== 'sim')
      throw new Error(`metric ${name} is not one the harness measures`);
    const list = this.samples.get(name) ?? [];
    list.push({ value, tags });
    this.samples.set(name, list);
  }

  trend(name: string, value: number, tags: Tags = {}): void {
    this.add(name, value, tags);
  }
  rate(name: string, hit: boolean, tags: Tags = {}): void {
    this.add(name, hit ? 1 : 0, tags);
  }
  count(name: string, add: number, tags: Tags = {}): void {
    this.add(name, add, tags);
  }

  private matching(metric: string): Sample[] {
    const wanted = Object.entries(tagFilter(metric));
    return (this.samples.get(baseName(metric)) ?? []).filter((sample) =>
      wanted.every(([tag, value]) => sample.tags[tag] === value),
    );
  }

  /** The value a threshold's aggregation gives; null when nothing was measured. */
  measure(metric: string, aggregation: Aggregation): number | null {
    const info = metricCatalogue[baseName(metric)] as MetricInfo;
    if (info.source === 'k6') return fromK6(this.k6?.[metric], aggregation);
    const values = this.matching(metric).map((sample) => sample.value);
    // Nothing recorded (a misspelt tag, say) is not a pass, for counters too.
    if (!values.length) return null;
    if (info.kind === 'counter') return values.reduce((sum, value) => sum + value, 0);
    if (info.kind === 'rate') {
      const hits = values.filter((value) => value > 0).length;
      return aggregation === 'count' ? hits : hits / values.length;
    }
    return aggregate(values, aggregation);
  }

  evaluate(threshold: Threshold): ThresholdResult {
    const measured = this.measure(threshold.metric, threshold.aggregation);
    const info = metricCatalogue[baseName(threshold.metric)] as MetricInfo;
    return {
      metric: threshold.metric,
      expression: threshold.expression,
      measured: measured === null ? null : Math.round(measured * 1000) / 1000,
      unit: info.unit,
      ok: measured !== null && compare(measured, threshold.operator, threshold.target),
    };
  }
}
