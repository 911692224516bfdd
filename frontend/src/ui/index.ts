export { Field, type FieldProps } from './Field.tsx';
export { ToastProvider, useToasts, type Toast } from './toasts.tsx';
export { markReady } from './ready.ts';
