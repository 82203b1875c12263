import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'
import { actor } from '../plugins/auth.js'
import { code, dateTime, errors, idParams, pageQuery, plainText, schoolYear, title } from '../schemas/common.js'
import { periodView } from '../views.js'

const setSpec = { type: 'string', minLength: 1, maxLength: 200, description: '"id" (pinned to its newest published version) or "id@version"' } as const

export async function periodRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { periods } = services
  app.post('/periods', {
    schema: {
      tags: ['periods'], summary: 'Open an assessment period for a unit\'s schools (criteria set versions are pinned now)',
      body: {
        type: 'object', additionalProperties: false, required: ['unitCode', 'schoolYear', 'title', 'criteriaSets', 'submissionDeadline'],
        properties: {
          unitCode: code, schoolYear, title, criteriaSets: { type: 'array', minItems: 1, maxItems: 10, items: setSpec },
          submissionDeadline: dateTime, reviewDeadline: { anyOf: [dateTime, { type: 'null' }] },
        },
      },
      response: { 201: { $ref: 'Period#' }, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.status(201).send(periodView(await periods.create(actor(request), request.body as never))))

  app.get('/periods', {
    schema: {
      tags: ['periods'], summary: 'Periods that apply to this key (its unit\'s, those above it, those below it)',
      querystring: { type: 'object', additionalProperties: false, properties: { year: schoolYear, ...pageQuery } },
      response: {
        200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Period#' } }, total: { type: 'integer', description: 'periods in scope, all pages' } }, required: ['items', 'total'] },
        ...errors(400, 401),
      },
    },
  }, async (request) => {
    const q = request.query as { year?: string; limit: number; offset: number }
    const page = await periods.list(actor(request), { year: q.year }, { limit: q.limit, offset: q.offset })
    return { items: page.items.map(periodView), total: page.total }
  })

  app.get('/periods/:id', {
    schema: { tags: ['periods'], summary: 'One period', params: idParams, response: { 200: { $ref: 'Period#' }, ...errors(401, 404) } },
  }, async (request) => periodView(await periods.get(actor(request), (request.params as { id: string }).id)))

  app.patch('/periods/:id', {
    schema: {
      tags: ['periods'], summary: 'Change a period\'s title or deadlines (its own unit\'s reviewers or an admin)', params: idParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { title, submissionDeadline: dateTime, reviewDeadline: { anyOf: [dateTime, { type: 'null' }] } } },
      response: { 200: { $ref: 'Period#' }, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => periodView(await periods.update(actor(request), (request.params as { id: string }).id, request.body as never)))

  app.post('/periods/:id/publish', {
    schema: {
      tags: ['periods'], summary: 'Publish every approved assessment of the period within this key\'s unit (công bố kết quả)', params: idParams,
      description: 'Each assessment is published as its own workflow step with its own audit entry; one that changed meanwhile is listed as skipped.',
      response: { 200: { type: 'object', properties: { published: { type: 'array', items: { type: 'string' } }, skipped: { type: 'array', items: { type: 'string' } } } }, ...errors(401, 403, 404) },
    },
  }, async (request) => services.assessments.publishApproved(actor(request), (request.params as { id: string }).id))

  app.post('/periods/:id/extensions', {
    schema: {
      tags: ['periods'], summary: 'Extend the submission deadline for a unit\'s subtree or one school', params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['until', 'reason'],
        properties: { unitCode: code, schoolCode: code, until: dateTime, reason: plainText(1, 1000, { multiline: true }) },
      },
      response: { 201: { $ref: 'Period#' }, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(periodView(await periods.extend(actor(request), (request.params as { id: string }).id, request.body as never))))
}
