// What a run reports. The harness prints these and k6 reuses the request groups.

export interface HttpSample {
  scenario: string;
  step: string;
  group: string;
  method: string;
  /** 0 when no answer came (connection refused, timeout). */
  status: number;
  durationMs: number;
  /** the status was what the step expected */
  ok: boolean;
}

export interface ScenarioStep {
  name: string;
  ok: boolean;
  durationMs: number;
  error?: string;
}

export interface ScenarioResult {
  name: string;
  ok: boolean;
  durationMs: number;
  steps: ScenarioStep[];
  /** "<step>: <what went wrong>" for the first failed step */
  error?: string;
}
