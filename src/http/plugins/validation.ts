// Request validation: bodies are checked as sent — no type coercion ("12" is not 12), unknown keys
// rejected (not stripped). Query strings and params are text, so they are coerced to the declared types.
import type {} from '@fastify/multipart'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify'
import { AppError } from '../../services/errors.js'

type Check = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null }

/** Coercion turns "1e400" into Infinity, which "integer" and "minimum" then accept: refuse it. */
function finiteOnly(validate: Check): Check {
  const check: Check = (data) => {
    if (!validate(data)) { check.errors = validate.errors; return false }
    if (data && typeof data === 'object') {
      for (const [key, value] of Object.entries(data)) {
        if ([value].flat().some((v) => typeof v === 'number' && !Number.isFinite(v))) {
          check.errors = [{ keyword: 'type', instancePath: `/${key}`, schemaPath: '#/type', params: { type: 'number' }, message: 'must be a finite number' }]
          return false
        }
      }
    }
    check.errors = null
    return true
  }
  return check
}

export function installValidators(app: FastifyInstance): void {
  const base = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false, allowUnionTypes: true } as const
  const body = addFormats.default(new Ajv.default({ ...base, coerceTypes: false }))
  const other = addFormats.default(new Ajv.default({ ...base, coerceTypes: 'array' }))
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body.compile(schema) : finiteOnly(other.compile(schema) as unknown as Check)))
  // A multipart body is parsed only by the routes that read it; elsewhere it would reach the
  // validator as "no body" and, on a route whose body is optional, be ignored. Refuse it instead.
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.schema?.body !== undefined && request.isMultipart?.()) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'this route reads a JSON body (application/json), not multipart/form-data')
    }
  })
}
