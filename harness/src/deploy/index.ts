export {
  parseBackendUrl,
  vercelRoutes,
  writeVercelOutput,
  type VercelOutputOptions,
} from './vercel-output.ts';
