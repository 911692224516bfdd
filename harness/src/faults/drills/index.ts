export { drills } from './catalogue.ts';
