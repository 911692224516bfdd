export { StepFailed } from './step-failed.ts';
