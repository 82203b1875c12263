import type { FastifyInstance } from 'fastify'
import type { Store } from '../../repositories/types.js'
import type { Catalog } from '../../criteria/catalog.js'

export async function opsRoutes(app: FastifyInstance, opts: { store: Store; catalog: Catalog }): Promise<void> {
  const ok = { type: 'object', properties: { status: { type: 'string' } } } as const
  app.get('/health', { schema: { tags: ['ops'], summary: 'the process is up', security: [], response: { 200: ok } } }, async () => ({ status: 'ok' }))
  app.get('/ready', {
    schema: {
      tags: ['ops'], summary: 'the database answers and criteria sets are loaded', security: [],
      response: { 200: { type: 'object', properties: { status: { type: 'string' }, criteriaSets: { type: 'integer' } } }, 503: { $ref: 'Error#' } },
    },
  }, async (_req, reply) => {
    const dbOk = await opts.store.ping().catch(() => false)
    const sets = opts.catalog.sets.size
    if (!dbOk || sets === 0) return reply.status(503).send({ error: { code: 'NOT_READY', message: !dbOk ? 'the database does not answer' : 'no criteria sets are loaded' } })
    return { status: 'ready', criteriaSets: sets }
  })
}
