import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'
import { CSV_COLUMNS, decodeSchoolsCsv } from '../../services/school-csv.js'
import { SCHOOL_LEVELS } from '../../services/schools.js'
import { actor } from '../plugins/auth.js'
import { code, codeParams, errors, pageQuery, plainText, schoolYear } from '../schemas/common.js'
import { schoolView } from '../views.js'

const levels = { type: 'array', minItems: 1, maxItems: 4, items: { type: 'string', enum: [...SCHOOL_LEVELS] }, description: 'cấp học; a multi-level school has several' } as const
const ownership = { type: 'string', enum: ['public', 'private'], description: 'công lập / tư thục' } as const
const name = plainText(2, 300)

export async function schoolRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { schools } = services
  // Bytes, not text: a file that is not UTF-8 is refused (400 NOT_UTF8) rather than stored garbled.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => {
    try { done(null, decodeSchoolsCsv(body as Buffer)) } catch (e) { done(e as Error, undefined) }
  })

  app.post('/schools', {
    schema: {
      tags: ['schools'], summary: 'Create a school in a unit from a school year on',
      body: { type: 'object', additionalProperties: false, required: ['moetCode', 'name', 'levels', 'ownership', 'unitCode', 'fromYear'], properties: { moetCode: code, name, levels, ownership, unitCode: code, fromYear: schoolYear } },
      response: { 201: { $ref: 'School#' }, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(schoolView(await schools.create(actor(request), request.body as never))))

  app.post('/schools/import', {
    schema: {
      tags: ['schools'],
      summary: 'Import schools from CSV: all rows or none',
      description: `Body: text/csv (UTF-8) with the header \`${CSV_COLUMNS.join(',')}\`; levels like \`TH|THCS\`; ownership public/private (công lập/tư thục); fromYear like 2025-2026. Any bad row rejects the whole file with a per-row report in error.details.errors; nothing is written. \`?dryRun=true\` checks only.`,
      querystring: { type: 'object', additionalProperties: false, properties: { dryRun: { type: 'boolean', default: false } } },
      body: { type: 'string', description: 'CSV text' },
      response: { 200: { type: 'object', properties: { created: { type: 'integer' }, valid: { type: 'integer', description: 'rows that passed every check' }, dryRun: { type: 'boolean' } } }, ...errors(400, 401, 403, 415) },
    },
  }, async (request) => schools.importCsv(actor(request), request.body as string, (request.query as { dryRun: boolean }).dryRun))

  app.get('/schools', {
    schema: {
      tags: ['schools'], summary: 'Schools visible to this key (a unit\'s subtree, optionally in one school year; q searches names and codes)',
      querystring: { type: 'object', additionalProperties: false, properties: { unit: code, year: schoolYear, q: { type: 'string', minLength: 1, maxLength: 100 }, ...pageQuery } },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'School#' } } } }, ...errors(400, 401, 404) },
    },
  }, async (request) => {
    const q = request.query as { unit?: string; year?: string; q?: string; limit: number; offset: number }
    return { items: (await schools.list(actor(request), { unitCode: q.unit, year: q.year, q: q.q }, { limit: q.limit, offset: q.offset })).map(schoolView) }
  })

  app.get('/schools/:code', {
    schema: { tags: ['schools'], summary: 'One school', params: codeParams, response: { 200: { $ref: 'School#' }, ...errors(401, 404) } },
  }, async (request) => schoolView(await schools.get(actor(request), (request.params as { code: string }).code)))

  app.patch('/schools/:code', {
    schema: {
      tags: ['schools'], summary: 'Change a school\'s name, levels or ownership', params: codeParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name, levels, ownership } },
      response: { 200: { $ref: 'School#' }, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => schoolView(await schools.update(actor(request), (request.params as { code: string }).code, request.body as never)))

  app.post('/schools/:code/memberships', {
    schema: {
      tags: ['schools'], summary: 'Move a school to another unit from a school year on (earlier years keep the old unit)', params: codeParams,
      body: { type: 'object', additionalProperties: false, required: ['unitCode', 'fromYear'], properties: { unitCode: code, fromYear: schoolYear } },
      response: { 200: { $ref: 'School#' }, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => schoolView(await schools.move(actor(request), (request.params as { code: string }).code, request.body as never)))
}
