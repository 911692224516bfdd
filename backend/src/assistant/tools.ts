import { tool, zodSchema, type Tool } from 'ai';
import { z } from 'zod';
import {
  taskOperationInputs,
  taskOperationNames,
  taskOperations,
  runTaskOperation,
  type TaskOperationName,
  type TaskService,
} from '../tasks/index.ts';

/** Who the tools act for. Set by the server from the session, never by the model. */
const toolContextShape = z.strictObject({ userId: z.uuid() });
export type ToolContext = z.output<typeof toolContextShape>;
// Wrapped once: the AI SDK turns a bare zod schema into JSON Schema again on
// every step of every turn (a sixth of an API replica's CPU under load); a
// wrapped one converts once and keeps the result.
const toolContext = zodSchema(toolContextShape);

/**
 * The assistant's tools: thin adapters over the task operations. Each reads the
 * caller from the AI SDK's tool context, so whatever the model writes, it can
 * only touch the signed-in user's tasks.
 */
export type AssistantTools = Record<TaskOperationName, Tool<Record<string, unknown>, unknown, ToolContext>>;

export function assistantTools(tasks: TaskService): AssistantTools {
  const entries = taskOperationNames.map((name) => {
    const definition = tool({
      description: taskOperations[name].description,
      inputSchema: zodSchema(taskOperationInputs[name] as z.ZodType<Record<string, unknown>>),
      contextSchema: toolContext,
      execute: (input, { context }) => runTaskOperation(name, tasks, context, input),
    });
    return [name, definition] as const;
  });
  return Object.fromEntries(entries) as AssistantTools;
}

/** The tool context for every tool, as streamText wants it. */
export function toolsContextFor(userId: string): Record<TaskOperationName, ToolContext> {
  return Object.fromEntries(taskOperationNames.map((name) => [name, { userId }])) as Record<
    TaskOperationName,
    ToolContext
  >;
}
