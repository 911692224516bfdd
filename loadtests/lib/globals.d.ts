// k6 provides console (its output goes to --console-output); @types/k6 does not declare it.
declare const console: { log: (...values: unknown[]) => void };
