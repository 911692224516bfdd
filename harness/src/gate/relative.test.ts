import { describe, expect, it } from 'vitest';
import {
  Metrics,
  ThresholdError,
  compareRun,
  k6Thresholds,
  parseRelative,
  relativeDefaults,
  resolveRelative,
} from './index.ts';

const listP95 = 'http_req_duration{group:tasks:list}';

/** k6's summary with one submetric's p95. */
const measuring = (p95: number) => {
  const metrics = new Metrics();
  metrics.useK6Summary({ [listP95]: { type: 'trend', values: { count: 100, 'p(95)': p95 } } });
  return metrics;
};

describe('relative objectives', () => {
  it('reads Keptn-style bands: a failing one, or a warning then a failing one', () => {
    expect(parseRelative(`${listP95}=p(95)<=+10%`)).toMatchObject({
      metric: listP95,
      aggregation: 'p(95)',
      worse: 1,
      warnPercent: null,
      failPercent: 10,
    });
    expect(parseRelative('http_reqs=rate >= -10% / -25%')).toMatchObject({
      worse: -1,
      warnPercent: 10,
      failPercent: 25,
    });
  });

  it.each([
    ['http_req_duration=p(95)<+10%', 'expected NAME=AGGREGATION<=+N%'],
    ['http_req_duration=p(95)<=-10%', '<= takes rises (+N%)'],
    ['http_req_duration=p(95)<=+30%/+20%', 'the warning band (30%) must be within the failing one (20%)'],
    ['http_req_durration=p(95)<=+10%', 'no such metric'],
  ])('refuses %s, naming the problem', (entry, message) => {
    expect(() => parseRelative(entry)).toThrow(ThresholdError);
    expect(() => parseRelative(entry)).toThrow(message);
  });

  it('passes within the warning band, warns within the failing one, fails beyond it', () => {
    const [objective] = resolveRelative([`${listP95}=p(95)<=+25%/+50%`], []);
    const judged = (p95: number) => compareRun([objective!], measuring(p95), () => 40)[0];
    expect(judged(48)).toMatchObject({ verdict: 'pass', changePercent: 20, baseline: 40, measured: 48 });
    expect(judged(56)).toMatchObject({ verdict: 'warning', changePercent: 40 });
    expect(judged(80)).toMatchObject({ verdict: 'fail', changePercent: 100 });
    // Faster is never a regression.
    expect(judged(20)).toMatchObject({ verdict: 'pass', changePercent: -50 });
  });

  it('lets a latency change within the noise floor pass, whatever its percentage', () => {
    const [objective] = resolveRelative([`${listP95}=p(95)<=+10%`], []);
    expect(compareRun([objective!], measuring(12), () => 8)[0]).toMatchObject({
      verdict: 'pass',
      changePercent: 50,
      note: 'within 5 ms of the baseline',
    });
    expect(compareRun([objective!], measuring(14), () => 8)[0]).toMatchObject({ verdict: 'fail' });
  });

  it('compares nothing and fails nothing without a baseline, or where the baseline has no figure', () => {
    const objectives = resolveRelative([`${listP95}=p(95)<=+10%`], []);
    expect(compareRun(objectives, measuring(500), undefined)[0]).toMatchObject({
      verdict: 'no baseline',
      measured: 500,
      baseline: null,
    });
    expect(compareRun(objectives, measuring(500), () => null)[0]).toMatchObject({
      verdict: 'no baseline',
      note: 'the baseline did not measure it',
    });
  });

  it('defaults to the p95 of every request and each endpoint group with a load, the steady state with drills', () => {
    expect(relativeDefaults({ profile: null, drills: false, groups: ['chat'] })).toEqual([]);
    expect(relativeDefaults({ profile: 'smoke', drills: false, groups: ['chat'] })).toEqual([]);
    expect(relativeDefaults({ profile: 'load', drills: false, groups: ['chat'] })).toEqual([
      'http_req_duration=p(95)<=+50%/+100%',
      'http_req_duration{group:chat}=p(95)<=+50%/+100%',
    ]);
    expect(relativeDefaults({ profile: 'load', drills: true, groups: ['chat'] })).toEqual([
      'steady_req_duration=p(95)<=+50%/+100%',
    ]);
  });

  it('lets --relative replace the defaults of the metric it names', () => {
    const objectives = resolveRelative(
      relativeDefaults({ profile: 'load', drills: false, groups: ['tasks:list'] }),
      [`${listP95}=p(99)<=+10%`],
    );
    expect(objectives.map((o) => `${o.metric}=${o.expression}`)).toEqual([
      'http_req_duration=p(95)<=+50%/+100%',
      `${listP95}=p(99)<=+10%`,
    ]);
  });

  it('has k6 report a submetric only an objective names', () => {
    const [objective] = resolveRelative([], ['http_req_duration{group:health}=p(99)<=+10%']);
    expect(k6Thresholds([], [objective!])).toEqual({ 'http_req_duration{group:health}': ['p(99)>=0'] });
  });
});
