import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';

// Request validation with TypeBox's own compiler instead of Fastify's default ajv: the schemas are
// TypeBox already, and ajv costs the daemon ~7 MB of resident memory, which every fork() pays
// for. URL parts arrive as strings, so querystring and params are converted (`?wait=false` →
// false) and defaulted first, as ajv's coerceTypes did; JSON bodies are checked as sent.
// TypeBox says `Expected union value` for a union of literals; a user needs the accepted values.
const describe = (schema: TSchema, message: string): string => {
  const options = (schema as { anyOf?: { const?: unknown }[] }).anyOf;
  if (options === undefined || !options.every((o) => o.const !== undefined)) return message;
  return `expected one of ${options.map((o) => String(o.const)).join(', ')}`;
};

export const typeboxValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const checker = TypeCompiler.Compile(schema);
  const fromUrl = httpPart === 'querystring' || httpPart === 'params';
  return (data: unknown) => {
    const value = fromUrl ? Value.Convert(schema, Value.Default(schema, Value.Clone(data))) : data;
    if (checker.Check(value)) return { value };
    const first = checker.Errors(value).First();
    const where =
      first === undefined || first.path === '' ? httpPart : `${httpPart ?? 'request'}${first.path}`;
    const message = first === undefined ? 'invalid' : describe(first.schema, first.message);
    return { error: new Error(`${where ?? 'request'}: ${message}`) };
  };
};
