export { listenForInterrupts, type Interrupts } from './interrupts.ts';
