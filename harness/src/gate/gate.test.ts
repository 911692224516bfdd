import { describe, expect, it } from 'vitest';
import {
  Metrics,
  ThresholdError,
  inCi,
  judge,
  k6Thresholds,
  parseThreshold,
  percentile,
  resolveThresholds,
  trendStats,
} from './index.ts';

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

  it('writes tags one way, as k6 names the submetric', () => {
    expect(parseThreshold(`http_req_duration{ group: "chat" }=p(95)<500`).metric).toBe(
      'http_req_duration{group:chat}',
    );
  });

  it.each([
    ['http_req_duration', 'expected NAME=EXPR'],
    ['http_req_duration=p95<300', 'expected AGGREGATION OPERATOR NUMBER'],
    ['http_req_duration=p(0)<300', 'percentile must be above 0'],
    ['http_req_durration=p(95)<300', 'no such metric; known: http_req_duration'],
    ['scenario_req_failed=p(95)<0.1', 'rate metrics take rate, count'],
    // k6 takes only `rate` on its rate metrics, and no count on its trends.
    ['http_req_failed=count<10', 'rate metrics take rate'],
    ['http_req_duration=count>100', 'trend metrics take avg, min, max, med, p(N)'],
    // A misspelt entry is refused even where the load's entries are left out.
    ['chekcs=rate>0.9', 'no such metric'],
  ])('refuses %s with one line saying why', (entry, message) => {
    expect(() => resolveThresholds({ flags: [entry], load: 'load' })).toThrow(ThresholdError);
    expect(() => resolveThresholds({ flags: [entry], load: 'load' })).toThrow(message);
  });

  it('holds a CI run (CI=true or 1) to a browser flow that ran, and a laptop run only warns', () => {
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({ CI: '' })).toBe(false);
    expect(inCi({})).toBe(false);
    const names = (ci: boolean) =>
      resolveThresholds({ load: null, ci }).map((t) => `${t.metric}=${t.expression}`);
    expect(names(true)).toContain('browser_flow_skipped=count==0');
    expect(names(false).some((name) => name.startsWith('browser_flow_skipped'))).toBe(false);
    const skipped = new Metrics();
    skipped.count('browser_flow_skipped', 1);
    expect(judge(skipped, resolveThresholds({ load: null, ci: true })).thresholds).toContainEqual(
      expect.objectContaining({ metric: 'browser_flow_skipped', measured: 1, ok: false }),
    );
  });

  it('lets the environment, then the command line, replace the defaults per metric', () => {
    const thresholds = resolveThresholds({
      env: 'http_req_duration=p(95)<400; checks=rate>0.95',
      flags: ['http_req_duration=p(95)<300', 'http_req_duration=max<2000'],
      load: 'load',
    });
    const of = (metric: string) => thresholds.filter((t) => t.metric === metric).map((t) => t.expression);
    expect(of('http_req_duration')).toEqual(['p(95)<300', 'max<2000']);
    expect(of('http_req_duration{group:chat}')).toEqual(['p(95)<500']);
    expect(of('checks')).toEqual(['rate>0.95']);
    expect(of('scenarios_failed')).toEqual(['count==0']);
    expect(of('tasks_lost')).toEqual(['count==0']);
    expect(of('load_stopped_early')).toEqual(['count==0']);
  });

  it('refuses a misspelt SIM_THRESHOLDS entry without the load too', () => {
    expect(() => resolveThresholds({ env: 'chekcs=rate>0.9', load: null })).toThrow('no such metric');
  });

  it('holds a profile to its own thresholds, and drops the load’s without the load', () => {
    const spike = resolveThresholds({ load: 'spike' });
    expect(spike.filter((t) => t.metric === 'http_req_duration').map((t) => t.expression)).toEqual([
      'p(95)<1500',
      'p(99)<3000',
    ]);
    const noLoad = resolveThresholds({ load: null });
    expect(noLoad.some((t) => t.metric.startsWith('http_req') || t.metric === 'tasks_lost')).toBe(false);
    expect(() => resolveThresholds({ flags: ['checks=rate>0.9'], load: null })).toThrow(
      'the load measures it, and --no-load turns the load off',
    );
    // Standing configuration in SIM_THRESHOLDS keeps working without the load; its load part is left out.
    const fromEnv = resolveThresholds({ env: 'checks=rate>0.9;scenario_checks=rate>0.5', load: null });
    expect(fromEnv.some((t) => t.metric === 'checks')).toBe(false);
    expect(fromEnv.filter((t) => t.metric === 'scenario_checks').map((t) => t.expression)).toEqual([
      'rate>0.5',
    ]);
  });

  it('with fault drills, holds the load’s steady state to the load’s thresholds and each drill to its own', () => {
    const drills = ['drill_recovery{drill:replica_crash}=max<30', 'drill_checks=rate==1'];
    const listed = resolveThresholds({ load: 'load', drills }).map((t) => `${t.metric}=${t.expression}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'steady_req_duration=p(95)<500',
        'steady_req_duration{group:chat}=p(95)<500',
        'steady_req_failed=rate<0.01',
        'steady_checks=rate>0.99',
        'tasks_lost=count==0',
        ...drills,
      ]),
    );
    // k6's own metrics span the faults too: not judged by default with drills.
    expect(listed.filter((t) => /^(http_req_duration|http_req_failed|checks)/.test(t))).toEqual([]);
    expect(k6Thresholds(resolveThresholds({ load: 'load', drills }))).toEqual({});
  });

  it('refuses a drill threshold without --faults, and leaves SIM_THRESHOLDS’ drill entries out then', () => {
    expect(() => resolveThresholds({ flags: ['drill_failed=count==0'], load: 'load' })).toThrow(
      'drill_failed=count==0: the fault drills measure it; add --faults',
    );
    const fromEnv = resolveThresholds({ env: 'steady_req_failed=rate<0.05;checks=rate>0.9', load: 'load' });
    expect(fromEnv.map((t) => t.metric)).not.toContain('steady_req_failed');
  });

  it('gives k6 its own metrics’ thresholds and the percentiles they name', () => {
    const thresholds = resolveThresholds({
      flags: ['http_req_duration{group:chat}=p(97.5)<800', 'scenario_req_duration=p(90)<100'],
      load: 'smoke',
    });
    const forK6 = k6Thresholds(thresholds);
    expect(forK6['http_req_duration{group:chat}']).toEqual(['p(97.5)<800']);
    expect(forK6.http_req_failed).toEqual(['rate<0.01']);
    expect(forK6.scenario_req_duration).toBeUndefined();
    expect(forK6.tasks_lost).toBeUndefined();
    expect(trendStats(thresholds)).toEqual(expect.arrayContaining(['p(97.5)', 'p(95)', 'p(99)', 'p(90)']));
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
    for (const ms of [100, 120, 140, 900]) metrics.trend('scenario_req_duration', ms, { group: 'chat' });
    metrics.trend('scenario_req_duration', 50, { group: 'auth' });
    const result = judge(
      metrics,
      resolveThresholds({
        flags: ['scenario_req_duration=p(95)<300', 'scenario_req_duration{group:auth}=max<60'],
        load: null,
      }),
    );
    const duration = result.thresholds.filter((t) => t.metric.startsWith('scenario_req_duration'));
    expect(duration).toEqual([
      { metric: 'scenario_req_duration', expression: 'p(95)<300', measured: 748, unit: 'ms', ok: false },
      {
        metric: 'scenario_req_duration{group:auth}',
        expression: 'max<60',
        measured: 50,
        unit: 'ms',
        ok: true,
      },
    ]);
    expect(result.ok).toBe(false);
  });

  it('judges k6’s metrics on the values of its summary', () => {
    const metrics = new Metrics();
    metrics.useK6Summary({
      http_req_duration: { type: 'trend', values: { count: 900, 'p(95)': 612.3456, 'p(99)': 700 } },
      'http_req_duration{group:chat}': { type: 'trend', values: { count: 0, 'p(95)': 0 } },
      http_req_failed: { type: 'rate', values: { rate: 0.002, passes: 2, fails: 898 } },
      'http_reqs{group:chat}': { type: 'counter', values: { count: 0, rate: 0 } },
    });
    const result = judge(
      metrics,
      [
        'http_req_duration=p(95)<500',
        'http_req_duration{group:chat}=p(95)<500',
        'http_req_failed=rate<0.01',
        'http_reqs{group:chat}=count<500',
      ].map(parseThreshold),
    );
    expect(result.thresholds).toEqual([
      { metric: 'http_req_duration', expression: 'p(95)<500', measured: 612.346, unit: 'ms', ok: false },
      // No sample (no chat request was made) is not a pass.
      {
        metric: 'http_req_duration{group:chat}',
        expression: 'p(95)<500',
        measured: null,
        unit: 'ms',
        ok: false,
      },
      { metric: 'http_req_failed', expression: 'rate<0.01', measured: 0.002, unit: 'share', ok: true },
      // A counter that counted nothing measured nothing.
      { metric: 'http_reqs{group:chat}', expression: 'count<500', measured: null, unit: 'count', ok: false },
    ]);
  });

  it('fails a threshold whose metric was never measured, counters and tagged ones too', () => {
    const metrics = new Metrics();
    metrics.count('service_restarts', 0, { service: 'backend-1' });
    const result = judge(
      metrics,
      resolveThresholds({
        flags: ['http_req_failed=rate<0.01', 'service_restarts{service:backend}=count==0'],
        load: 'load',
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

  it('refuses to record a metric k6 measures', () => {
    expect(() => {
      new Metrics().trend('http_req_duration', 1);
    }).toThrow('not one the harness measures');
  });

  it('passes when every threshold holds', () => {
    const metrics = new Metrics();
    metrics.trend('scenario_req_duration', 20);
    metrics.rate('scenario_req_failed', false);
    metrics.rate('scenario_checks', true);
    metrics.count('scenarios_failed', 0);
    metrics.count('service_restarts', 0);
    metrics.count('service_oom_kills', 0);
    metrics.trend('service_memory', 0.4, { service: 'backend-1' });
    metrics.trend('service_startup', 3.2, { service: 'backend-1' });
    expect(judge(metrics, resolveThresholds({ load: null })).ok).toBe(true);
  });
});
