// Thresholds in k6's own syntax (`p(95)<300`, `rate<0.01`, `count==0`), so the
// same expression means the same thing for the scenarios' metrics and for k6's.

export type Aggregation = 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | `p(${number})`;
type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  metric: string;
  /** As written: `p(95)<300`. */
  expression: string;
  aggregation: Aggregation;
  operator: Operator;
  target: number;
}

/** A bad --threshold or SIM_THRESHOLDS entry; the message is the one line the user sees. */
export class ThresholdError extends Error {
  override name = 'ThresholdError';
}

const expressionPattern =
  /^\s*(avg|min|max|med|count|rate|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** `p(95)<300` → its parts; throws ThresholdError naming what is wrong. */
export function parseExpression(metric: string, expression: string): Threshold {
  const match = expressionPattern.exec(expression);
  if (!match) {
    throw new ThresholdError(
      `threshold ${metric}=${expression}: expected AGGREGATION OPERATOR NUMBER, e.g. p(95)<300, avg<200, rate<0.01, count==0`,
    );
  }
  const [, aggregation = '', percentile, operator, target] = match as unknown as [
    string,
    string | undefined,
    string | undefined,
    Operator,
    string,
  ];
  if (percentile !== undefined && !(Number(percentile) > 0 && Number(percentile) <= 100)) {
    throw new ThresholdError(
      `threshold ${metric}=${expression}: the percentile must be above 0 and at most 100`,
    );
  }
  return {
    metric,
    expression: expression.replace(/\s+/g, ''),
    aggregation: (percentile === undefined ? aggregation : `p(${Number(percentile)})`) as Aggregation,
    operator,
    target: Number(target),
  };
}

/** `NAME=EXPR` (one --threshold flag); the name may hold tags: `http_req_duration{group:tasks}`. */
export function parseThreshold(entry: string): Threshold {
  const at = entry.indexOf('=');
  const metric = at > 0 ? entry.slice(0, at).trim() : '';
  if (!metric || !/^[a-z][a-z0-9_]*(\{[^}]+\})?$/i.test(metric)) {
    throw new ThresholdError(`threshold "${entry}": expected NAME=EXPR, e.g. http_req_duration=p(95)<300`);
  }
  return parseExpression(normaliseTags(metric), entry.slice(at + 1));
}

/**
 * `name{ group: "chat" }` → `name{group:chat}`: one spelling per tag set, the
 * one k6 names the submetric by in its summary, so entries replace each other.
 */
export function normaliseTags(metric: string): string {
  const open = metric.indexOf('{');
  if (open < 0) return metric;
  const tags = metric
    .slice(open + 1, -1)
    .split(',')
    .map((pair) => {
      const at = pair.indexOf(':');
      const unquote = (text: string) => text.trim().replace(/^(["'])(.*)\1$/, '$2');
      return at < 0 ? pair.trim() : `${unquote(pair.slice(0, at))}:${unquote(pair.slice(at + 1))}`;
    });
  return `${metric.slice(0, open)}{${tags.join(',')}}`;
}

/** SIM_THRESHOLDS: entries separated by `;` or new lines. */
export const parseThresholdList = (list: string | undefined): Threshold[] =>
  (list ?? '')
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseThreshold);

/**
 * The thresholds a run uses: the defaults, then the environment's, then the
 * command line's. As in k6, naming a metric replaces all of its defaults.
 */
export function mergeThresholds(...layers: Threshold[][]): Threshold[] {
  const byMetric = new Map<string, Threshold[]>();
  for (const layer of layers) {
    const named = new Set(layer.map((threshold) => threshold.metric));
    for (const metric of named) byMetric.set(metric, []);
    for (const threshold of layer) byMetric.get(threshold.metric)?.push(threshold);
  }
  return [...byMetric.values()].flat();
}

export function compare(measured: number, operator: Operator, target: number): boolean {
  switch (operator) {
    case '<':
      return measured < target;
    case '<=':
      return measured <= target;
    case '>':
      return measured > target;
    case '>=':
      return measured >= target;
    case '==':
      return measured === target;
    case '!=':
      return measured !== target;
  }
}
