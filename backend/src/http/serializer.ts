import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJsonStringify from 'fast-json-stringify';
import { z } from 'zod';

/**
 * Response serialization from the routes' zod schemas: each schema is turned
 * into JSON Schema once, at start-up, and compiled by fast-json-stringify. It
 * writes only the declared fields (nothing internal can leak) at about the
 * speed of JSON.stringify, where validating each response with zod costs twice that.
 */
const compiled = new WeakMap<z.ZodType, (data: unknown) => string>();

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  // Routes share schemas (Task, Error): compile each once, not once per route and status.
  let serialize = compiled.get(schema);
  if (!serialize) {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
    serialize = fastJsonStringify(jsonSchema as Parameters<typeof fastJsonStringify>[0]);
    compiled.set(schema, serialize);
  }
  return serialize;
};
