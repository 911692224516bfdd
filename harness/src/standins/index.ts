export { startPlatforms, type Platforms } from './platforms.ts';
export type { RailwayStandIn } from './railway.ts';
export type { RenderStandIn } from './render.ts';
export type { VercelStandIn } from './vercel.ts';
