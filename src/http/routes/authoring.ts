import type { FastifyInstance } from 'fastify'
import type { AuthoredSet } from '../../repositories/types.js'
import type { CriteriaSetDef } from '../../scoring/types.js'
import type { Services } from '../../services/index.js'
import type { Verification } from '../../services/criteria-authoring.js'
import { actor } from '../plugins/auth.js'
import { code, errors } from '../schemas/common.js'

const setId = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 } as const
const setVersion = { type: 'string', pattern: '^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$' } as const
const params = { type: 'object', properties: { id: setId, version: setVersion }, required: ['id', 'version'] } as const

const finding = {
  type: 'object',
  properties: { severity: { type: 'string' }, code: { type: 'string' }, path: { type: 'string' }, criterion: { type: 'string' }, message: { type: 'string' }, fix: { type: 'string' } },
  required: ['severity', 'code', 'message'],
} as const
const verification = { type: 'object', properties: { errors: { type: 'integer' }, warnings: { type: 'integer' }, findings: { type: 'array', items: finding } }, required: ['errors', 'warnings', 'findings'] } as const
const setSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' }, version: { type: 'string' }, status: { type: 'string', enum: ['draft', 'published', 'withdrawn'] }, unitCode: { type: 'string' },
    title: { type: 'string' }, contentHash: { type: 'string' }, createdBy: { type: 'string' },
    createdAt: { type: 'string' }, updatedAt: { type: 'string' }, publishedAt: { type: ['string', 'null'] },
  },
  required: ['id', 'version', 'status', 'unitCode', 'title', 'contentHash', 'createdAt', 'updatedAt', 'publishedAt'],
} as const
const detail = {
  type: 'object',
  properties: { set: setSummary, verification, definition: { type: 'object', additionalProperties: true }, sourceCsv: { type: ['string', 'null'] } },
  required: ['set', 'verification', 'definition'],
} as const

function summaryView(s: AuthoredSet) {
  return {
    id: s.id, version: s.version, status: s.status, unitCode: s.unitCode, title: (s.definition as CriteriaSetDef).title, contentHash: s.contentHash,
    createdBy: s.createdBy, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(), publishedAt: s.publishedAt?.toISOString() ?? null,
  }
}
const detailView = (r: { set: AuthoredSet; verification: Verification }) =>
  ({ set: summaryView(r.set), verification: r.verification, definition: r.set.definition, sourceCsv: r.set.sourceCsv })

export async function authoringRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { authoring } = services
  app.post('/authored-sets/import', {
    schema: {
      tags: ['criteria authoring'],
      summary: 'Import a criteria table (CSV text, docs/criteria-csv.md) as a draft set of your unit; importing the same id and version again replaces the draft',
      body: {
        type: 'object', additionalProperties: false, required: ['unitCode', 'id', 'version', 'title', 'document', 'appliesTo', 'csv'],
        properties: {
          unitCode: code, id: setId, version: setVersion, title: { type: 'string', minLength: 1, maxLength: 500 },
          document: {
            type: 'object', additionalProperties: false, required: ['issuer', 'number', 'date'],
            properties: {
              issuer: { type: 'string', minLength: 1, maxLength: 200 }, number: { type: 'string', minLength: 1, maxLength: 80 },
              date: { type: 'string', format: 'date' }, kind: { type: 'string', maxLength: 80 }, note: { type: 'string', maxLength: 2000 },
            },
          },
          appliesTo: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['MN', 'TH', 'THCS', 'THPT', 'GDTX'] } },
          schoolYear: { type: 'string', pattern: '^[0-9]{4}-[0-9]{4}$' },
          description: { type: 'string', maxLength: 5000 },
          csv: { type: 'string', minLength: 1, maxLength: 2_000_000, description: 'the table as CSV text (comma or semicolon separated)' },
        },
      },
      response: { 200: detail, 201: detail, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const r = await authoring.importCsv(actor(request), request.body as never)
    return reply.status(r.created ? 201 : 200).send(detailView(r))
  })

  app.get('/authored-sets', {
    schema: {
      tags: ['criteria authoring'], summary: 'Sets authored by your unit and the units below it (drafts and published)',
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: setSummary } } }, ...errors(401, 403) },
    },
  }, async (request) => ({ items: (await authoring.list(actor(request))).map(summaryView) }))

  app.get('/authored-sets/:id/:version', {
    schema: { tags: ['criteria authoring'], summary: 'One authored set with its definition, source table and the verifier\'s report', params, response: { 200: detail, ...errors(401, 403, 404) } },
  }, async (request) => {
    const p = request.params as { id: string; version: string }
    return detailView(await authoring.get(actor(request), p.id, p.version))
  })

  app.post('/authored-sets/:id/:version/publish', {
    schema: {
      tags: ['criteria authoring'], summary: 'Publish a draft the verifier passes; it becomes immutable and usable in periods',
      params, response: { 200: detail, ...errors(401, 403, 404, 409) },
    },
  }, async (request) => {
    const p = request.params as { id: string; version: string }
    return detailView(await authoring.publish(actor(request), p.id, p.version))
  })

  app.post('/authored-sets/:id/:version/withdraw', {
    schema: {
      tags: ['criteria authoring'],
      summary: 'Withdraw a published set (an admin, the owning unit or a unit above it): no new period, assessment or stateless score can use it; assessments already pinned to it keep their results',
      params,
      body: {
        type: 'object', additionalProperties: false, required: ['reason'],
        properties: { reason: { type: 'string', minLength: 1, maxLength: 2000, description: 'why it is withdrawn (kept in the audit log)' } },
      },
      response: { 200: detail, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => {
    const p = request.params as { id: string; version: string }
    return detailView(await authoring.withdraw(actor(request), p.id, p.version, (request.body as { reason: string }).reason))
  })
}
