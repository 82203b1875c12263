// Request validation: bodies are checked as sent — no type coercion ("12" is not 12), unknown keys
// rejected (not stripped). Query strings and params are text, so they are coerced to the declared types.
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

export function installValidators(app: FastifyInstance): void {
  const base = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false, allowUnionTypes: true } as const
  const body = addFormats.default(new Ajv.default({ ...base, coerceTypes: false }))
  const other = addFormats.default(new Ajv.default({ ...base, coerceTypes: 'array' }))
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema))
}
