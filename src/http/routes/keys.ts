import type { FastifyInstance } from 'fastify'
import type { ApiKey, Store } from '../../repositories/types.js'
import type { Services } from '../../services/index.js'
import { actor } from '../plugins/auth.js'
import { code, errors, idParams, keySchema, pageQuery } from '../schemas/common.js'

/** A key as shown to people: never its secret or hash; who minted it (null: the server's CLI). */
const keyRecord = {
  type: 'object',
  properties: {
    ...keySchema.properties,
    mintedBy: {
      type: ['object', 'null'], description: 'the key that issued this one (null: created on the server with the CLI)',
      properties: { id: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' } },
    },
  },
  required: [...keySchema.required, 'mintedBy', 'createdAt', 'revokedAt'],
} as const

/** Looks up codes and minting keys once per response (a listing shows many keys of few units). */
function keyViews(store: Store) {
  const memo = new Map<string, Promise<unknown>>()
  const once = <T>(k: string, f: () => Promise<T>): Promise<T> => {
    if (!memo.has(k)) memo.set(k, f())
    return memo.get(k) as Promise<T>
  }
  return async (k: ApiKey) => {
    const minter = k.mintedBy === null ? null : await once(`k:${k.mintedBy}`, () => store.keys.byId(k.mintedBy as string))
    return {
      id: k.id, role: k.role, label: k.label,
      unitCode: k.unitId === null ? null : await once(`u:${k.unitId}`, async () => (await store.units.byId(k.unitId as number))?.code ?? null),
      schoolCode: k.schoolId === null ? null : await once(`s:${k.schoolId}`, async () => (await store.schools.byId(k.schoolId as number))?.moetCode ?? null),
      mintedBy: minter ? { id: minter.id, role: minter.role, label: minter.label } : null,
      createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
    }
  }
}

export async function keyRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { keys, ctx } = services
  app.get('/me', {
    schema: { tags: ['keys'], summary: 'The key you are using: role, unit or school', response: { 200: keyRecord, ...errors(401) } },
  }, async (request) => keyViews(ctx.store)((await ctx.store.keys.byId(actor(request).keyId)) as ApiKey))

  app.get('/keys', {
    schema: {
      tags: ['keys'],
      summary: 'Keys this key may revoke (admin: every key; reviewer: itself, the keys it minted, reviewer keys of units below its own, school keys of the schools it manages)',
      description: 'Oldest first. Secrets and their hashes are never shown. A school key gets 403.',
      querystring: { type: 'object', additionalProperties: false, properties: { ...pageQuery } },
      response: {
        200: { type: 'object', properties: { items: { type: 'array', items: keyRecord }, total: { type: 'integer', description: 'keys in scope, all pages' } }, required: ['items', 'total'] },
        ...errors(400, 401, 403),
      },
    },
  }, async (request) => {
    const q = request.query as { limit: number; offset: number }
    const page = await keys.list(actor(request), { limit: q.limit, offset: q.offset })
    const view = keyViews(ctx.store)
    return { items: await Promise.all(page.items.map(view)), total: page.total }
  })

  app.post('/keys', {
    schema: {
      tags: ['keys'], summary: 'Issue a key: admin any; a reviewer for units and schools in its subtree. The key is shown once.',
      body: {
        type: 'object', additionalProperties: false, required: ['role', 'label'],
        properties: { role: { type: 'string', enum: ['admin', 'reviewer', 'school'] }, label: { type: 'string', minLength: 1, maxLength: 200 }, unitCode: code, schoolCode: code },
      },
      response: {
        201: { type: 'object', properties: { key: { type: 'string', description: 'the secret; store it now, it cannot be shown again' }, record: keyRecord } },
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request, reply) => {
    const { key, record } = await keys.create(actor(request), request.body as never)
    return reply.status(201).send({ key, record: await keyViews(ctx.store)(record) })
  })

  app.delete('/keys/:id', {
    schema: {
      tags: ['keys'], summary: 'Revoke a key and the keys minted from it, transitively',
      description: 'A reviewer revokes itself, the keys it minted, reviewer keys of units below its own and school keys of the schools it manages; a peer\'s key of its own unit is 403. `keepMinted=true` (admin only) revokes this key alone.',
      params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { keepMinted: { type: 'boolean', default: false } } },
      response: {
        200: { ...keyRecord, properties: { ...keyRecord.properties, alsoRevoked: { type: 'array', items: keyRecord, description: 'the keys minted from it that were revoked with it' } } },
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (request) => {
    const { keepMinted } = request.query as { keepMinted: boolean }
    const out = await keys.revoke(actor(request), (request.params as { id: string }).id, { keepMinted })
    const view = keyViews(ctx.store)
    return { ...(await view(out.key)), alsoRevoked: await Promise.all(out.alsoRevoked.map(view)) }
  })
}
