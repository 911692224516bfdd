/** A failed step of a scenario or the browser flow: names the step; the rest of the flow is skipped. */
export class StepFailed extends Error {
  override name = 'StepFailed';
  readonly step: string;
  /** The browser flow's screenshot at the moment it failed. */
  readonly screenshot: string | undefined;
  constructor(step: string, message: string, options: { cause?: unknown; screenshot?: string } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.step = step;
    this.screenshot = options.screenshot;
  }
}
