// Stateless scoring and the criteria catalog: no key needed, nothing written.
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'
import { errors } from '../schemas/common.js'
import { refuseWithdrawn } from '../../services/criteria-authoring.js'

const setSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' }, version: { type: 'string' }, status: { type: 'string' }, title: { type: 'string' },
    document: { type: 'object', properties: { issuer: { type: 'string' }, number: { type: 'string' }, date: { type: 'string' }, kind: { type: 'string' }, note: { type: 'string' } } },
    appliesTo: { type: 'array', items: { type: 'string' } }, contentHash: { type: 'string' },
  },
} as const
const specParams = { type: 'object', properties: { spec: { type: 'string', minLength: 1, maxLength: 200, description: '"id" (newest published) or "id@version"' } }, required: ['spec'] } as const

export async function scoringRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { scoring } = services
  app.post('/score', {
    config: { public: true },
    schema: {
      tags: ['scoring'], summary: 'Score evidence against a criteria set (stateless; nothing is stored)', security: [],
      body: {
        type: 'object', additionalProperties: false, required: ['criteriaSet', 'evidence'],
        properties: {
          criteriaSet: { type: 'string', minLength: 1, maxLength: 200, examples: ['moet-4725@2022-12-30'] },
          evidence: { type: 'object', description: 'an evidence bundle {"facts": {...}}; see GET /v1/criteria-sets/{spec}/evidence-schema' },
          hints: { type: 'boolean', default: false, description: 'include what it takes to reach the next level' },
        },
      },
      response: { 200: { $ref: 'ScoreResult#' }, ...errors(400, 404, 409) },
    },
  }, async (request) => {
    const body = request.body as { criteriaSet: string; evidence: unknown; hints: boolean }
    refuseWithdrawn(scoring.catalog, body.criteriaSet, '/criteriaSet')
    const set = scoring.compile(body.criteriaSet)
    return scoring.score(set, body.evidence, { hints: body.hints, evidencePath: '/evidence' })
  })

  app.get('/criteria-sets', {
    config: { public: true },
    schema: { tags: ['criteria'], summary: 'Criteria sets on this server', security: [], response: { 200: { type: 'object', properties: { items: { type: 'array', items: setSummary } } } } },
  }, async () => ({
    items: scoring.catalog.list().map((e) => ({ ...e.def, contentHash: scoring.compile(`${e.def.id}@${e.def.version}`).contentHash })),
  }))

  app.get('/criteria-sets/:spec', {
    config: { public: true },
    schema: {
      tags: ['criteria'], summary: 'A criteria set in full: groups, criteria, rules, level bands and the provenance of every number', security: [], params: specParams,
      response: { 200: { type: 'object', additionalProperties: true, properties: { contentHash: { type: 'string' }, provenanceSummary: { type: 'object', additionalProperties: { type: 'integer' } } } }, ...errors(404) },
    },
  }, async (request) => {
    const spec = (request.params as { spec: string }).spec
    const set = scoring.compile(spec, '/spec')
    const def = set.def
    const counts: Record<string, number> = {}
    const visit = (p: { confidence: string } | undefined): void => { if (p) counts[p.confidence] = (counts[p.confidence] ?? 0) + 1 }
    const walk = (cs: typeof def.groups[number]['criteria']): void => cs.forEach((c) => { visit(c.provenance); if (c.children) walk(c.children) })
    def.groups.forEach((g) => walk(g.criteria))
    return { ...def, contentHash: set.contentHash, provenanceSummary: counts }
  })

  app.get('/criteria-sets/:spec/evidence-schema', {
    config: { public: true },
    schema: {
      tags: ['criteria'], summary: 'JSON Schema of the evidence bundle this set reads', security: [], params: specParams,
      response: { 200: { type: 'object', additionalProperties: true }, ...errors(404) },
    },
  }, async (request) => {
    return scoring.compile((request.params as { spec: string }).spec, '/spec').evidenceSchema
  })
}
