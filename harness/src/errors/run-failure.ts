import type { RunError } from '../report/index.ts';

/** Why a run could not finish: the step, the service when one is to blame, what to try next. */
export class RunFailure extends Error {
  override name = 'RunFailure';
  readonly detail: RunError;
  constructor(detail: Omit<RunError, 'logTail'> & { logTail?: string[] }) {
    super(detail.message);
    this.detail = { ...detail, logTail: detail.logTail ?? [] };
  }
}
