import type { FastifyInstance } from 'fastify'
import { UNIT_TYPES } from '../../repositories/types.js'
import type { Services } from '../../services/index.js'
import { actor } from '../plugins/auth.js'
import { code, codeParams, errors, pageQuery, plainText, schoolYear } from '../schemas/common.js'
import { unitView } from '../views.js'

export async function unitRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { units } = services
  app.post('/units', {
    schema: {
      tags: ['units'], summary: 'Create a unit (admin anywhere; a reviewer below its own unit)',
      body: {
        type: 'object', additionalProperties: false, required: ['code', 'name', 'type', 'fromYear'],
        properties: {
          code, name: plainText(1, 300), type: { type: 'string', enum: [...UNIT_TYPES] },
          parentCode: { anyOf: [code, { type: 'null' }] }, fromYear: schoolYear, toYear: { anyOf: [schoolYear, { type: 'null' }] },
        },
      },
      response: { 201: { $ref: 'Unit#' }, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(unitView(await units.create(actor(request), request.body as never))))

  app.get('/units', {
    schema: {
      tags: ['units'], summary: 'List units (any key): children of a parent, a subtree, or those existing in a school year',
      querystring: { type: 'object', additionalProperties: false, properties: { parent: code, within: code, year: schoolYear, ...pageQuery } },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Unit#' } } } }, ...errors(400, 401, 404) },
    },
  }, async (request) => {
    const q = request.query as { parent?: string; within?: string; year?: string; limit: number; offset: number }
    const items = await units.list({ parentCode: q.parent, within: q.within, year: q.year }, { limit: q.limit, offset: q.offset })
    return { items: items.map(unitView) }
  })

  app.get('/units/:code', {
    schema: { tags: ['units'], summary: 'One unit', params: codeParams, response: { 200: { $ref: 'Unit#' }, ...errors(401, 404) } },
  }, async (request) => unitView(await units.get((request.params as { code: string }).code)))

  app.patch('/units/:code', {
    schema: {
      tags: ['units'], summary: 'Rename a unit, or end it after a school year (after a reform)', params: codeParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name: plainText(1, 300), toYear: { anyOf: [schoolYear, { type: 'null' }] } } },
      response: { 200: { $ref: 'Unit#' }, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => unitView(await units.update(actor(request), (request.params as { code: string }).code, request.body as never)))
}
