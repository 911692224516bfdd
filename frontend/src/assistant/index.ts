import { lazy } from 'react';

/** Loaded after the board: the AI SDK stays out of the first download. */
export const AssistantPanel = lazy(() => import('./AssistantPanel.tsx'));
export { activityOf, type ToolActivity } from './activity.ts';
