import type { FastifyInstance } from 'fastify'
import type { ApiKey, Store } from '../../repositories/types.js'
import type { Services } from '../../services/index.js'
import { actor } from '../plugins/auth.js'
import { code, errors, idParams } from '../schemas/common.js'

async function keyView(store: Store, k: ApiKey) {
  return {
    id: k.id, role: k.role, label: k.label,
    unitCode: k.unitId === null ? null : (await store.units.byId(k.unitId))?.code ?? null,
    schoolCode: k.schoolId === null ? null : (await store.schools.byId(k.schoolId))?.moetCode ?? null,
    createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  }
}

export async function keyRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { keys, ctx } = services
  app.get('/me', {
    schema: { tags: ['keys'], summary: 'The key you are using: role, unit or school', response: { 200: { $ref: 'ApiKey#' }, ...errors(401) } },
  }, async (request) => keyView(ctx.store, (await ctx.store.keys.byId(actor(request).keyId)) as ApiKey))

  app.post('/keys', {
    schema: {
      tags: ['keys'], summary: 'Issue a key: admin any; a reviewer for units and schools in its subtree. The key is shown once.',
      body: {
        type: 'object', additionalProperties: false, required: ['role', 'label'],
        properties: { role: { type: 'string', enum: ['admin', 'reviewer', 'school'] }, label: { type: 'string', minLength: 1, maxLength: 200 }, unitCode: code, schoolCode: code },
      },
      response: {
        201: { type: 'object', properties: { key: { type: 'string', description: 'the secret; store it now, it cannot be shown again' }, record: { $ref: 'ApiKey#' } } },
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request, reply) => {
    const { key, record } = await keys.create(actor(request), request.body as never)
    return reply.status(201).send({ key, record: await keyView(ctx.store, record) })
  })

  app.delete('/keys/:id', {
    schema: { tags: ['keys'], summary: 'Revoke a key', params: idParams, response: { 200: { $ref: 'ApiKey#' }, ...errors(401, 403, 404) } },
  }, async (request) => keyView(ctx.store, await keys.revoke(actor(request), (request.params as { id: string }).id)))
}
