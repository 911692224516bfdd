export { forward, type ForwardOptions } from './forward.ts';
