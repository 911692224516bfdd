import { describe, expect, it } from 'vitest';
import { Metrics, ThresholdError, judge, parseThreshold, percentile, resolveThresholds } from './index.ts';

describe('thresholds', () => {
  it('reads k6 expressions, with tags on the metric', () => {
    expect(parseThreshold('http_req_duration{group:chat}=p(99.9) <= 1500')).toMatchObject({
      metric: 'http_req_duration{group:chat}',
      aggregation: 'p(99.9)',
      operator: '<=',
      target: 1500,
      expression: 'p(99.9)<=1500',
    });
  });

  it.each([
    ['http_req_duration', 'expected NAME=EXPR'],
    ['http_req_duration=p95<300', 'expected AGGREGATION OPERATOR NUMBER'],
    ['http_req_duration=p(0)<300', 'percentile must be above 0'],
    ['http_req_durration=p(95)<300', 'no such metric; known: http_req_duration'],
    ['http_req_failed=p(95)<0.1', 'rate metrics take rate, count'],
  ])('refuses %s with one line saying why', (entry, message) => {
    expect(() => resolveThresholds({ flags: [entry] })).toThrow(ThresholdError);
    expect(() => resolveThresholds({ flags: [entry] })).toThrow(message);
  });

  it('lets the environment, then the command line, replace the defaults per metric', () => {
    const thresholds = resolveThresholds({
      env: 'http_req_duration=p(95)<400; checks=rate>0.99',
      flags: ['http_req_duration=p(95)<300', 'http_req_duration=max<2000'],
    });
    const of = (metric: string) => thresholds.filter((t) => t.metric === metric).map((t) => t.expression);
    expect(of('http_req_duration')).toEqual(['p(95)<300', 'max<2000']);
    expect(of('checks')).toEqual(['rate>0.99']);
    expect(of('scenarios_failed')).toEqual(['count==0']);
  });
});

describe('measuring and judging', () => {
  it('interpolates percentiles as k6 does', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBe(48);
    expect(percentile([7], 99)).toBe(7);
  });

  it('fails a breached threshold and names the measured value', () => {
    const metrics = new Metrics();
    for (const ms of [100, 120, 140, 900]) metrics.trend('http_req_duration', ms, { group: 'chat' });
    metrics.trend('http_req_duration', 50, { group: 'auth' });
    const result = judge(
      metrics,
      resolveThresholds({ flags: ['http_req_duration=p(95)<300', 'http_req_duration{group:auth}=max<60'] }),
    );
    const duration = result.thresholds.filter((t) => t.metric.startsWith('http_req_duration'));
    expect(duration).toEqual([
      { metric: 'http_req_duration', expression: 'p(95)<300', measured: 748, unit: 'ms', ok: false },
      { metric: 'http_req_duration{group:auth}', expression: 'max<60', measured: 50, unit: 'ms', ok: true },
    ]);
    expect(result.ok).toBe(false);
  });

  it('fails a threshold whose metric was never measured, counters and tagged ones too', () => {
    const metrics = new Metrics();
    metrics.count('service_restarts', 0, { service: 'backend-1' });
    const result = judge(
      metrics,
      resolveThresholds({
        flags: ['http_req_failed=rate<0.01', 'service_restarts{service:backend}=count==0'],
      }),
    );
    expect(result.thresholds.find((t) => t.metric === 'http_req_failed')).toMatchObject({
      measured: null,
      ok: false,
    });
    expect(result.thresholds.find((t) => t.metric === 'service_restarts{service:backend}')).toMatchObject({
      measured: null,
      ok: false,
    });
  });

  it('passes when every threshold holds', () => {
    const metrics = new Metrics();
    metrics.trend('http_req_duration', 20);
    metrics.rate('http_req_failed', false);
    metrics.rate('checks', true);
    metrics.count('scenarios_failed', 0);
    metrics.count('service_restarts', 0);
    metrics.count('service_oom_kills', 0);
    metrics.trend('service_startup', 3.2, { service: 'backend-1' });
    expect(judge(metrics, resolveThresholds({})).ok).toBe(true);
  });
});
