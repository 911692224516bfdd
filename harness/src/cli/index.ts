export { runCommandLine } from './commands.ts';
