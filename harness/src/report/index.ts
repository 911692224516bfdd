export { loadLine, mark, measured, ms, percent, table } from './format.ts';
export { drillProblems, recoveries } from './faults.ts';
export { renderJunit } from './junit.ts';
export { renderMarkdown } from './markdown.ts';
export { renderSummary } from './summary.ts';
export { newSigningKeys, readKey, signBytes, verifyBytes } from './signature.ts';
export { writeReport } from './write.ts';
export type * from './types.ts';
