export { Pipeline, type Output, type Phase } from './pipeline.ts';
