export { runPromote, type PromoteOptions, type PromoteResult } from './run.ts';
export type { PromotionRecord } from './record.ts';
export { renderBlueprint, RenderTarget } from './targets/render.ts';
export { RailwayTarget } from './targets/railway.ts';
export { VercelTarget } from './targets/vercel.ts';
export { PromotionRefused, verifyReport } from './verify.ts';
