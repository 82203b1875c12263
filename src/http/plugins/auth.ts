// API-key authentication for /v1 routes: `Authorization: Bearer cds_…`. Routes marked
// `config: { public: true }` (scoring, criteria sets) need no key.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../../services/actor.js'
import { AppError } from '../../services/errors.js'
import type { KeysService } from '../../services/keys.js'

declare module 'fastify' {
  interface FastifyRequest { actor: Actor | null }
  interface FastifyContextConfig { public?: boolean }
}

export function installAuth(app: FastifyInstance, keys: KeysService): void {
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization
    if (request.routeOptions.config.public && !header) return
    if (!header) throw new AppError(401, 'UNAUTHENTICATED', 'this route needs an API key: send "Authorization: Bearer <key>"')
    const m = /^Bearer\s+(\S+)$/i.exec(header)
    if (!m) throw new AppError(401, 'UNAUTHENTICATED', 'the Authorization header must be "Bearer <key>"')
    const actor = await keys.authenticate(m[1] as string)
    if (!actor) throw new AppError(401, 'INVALID_KEY', 'the API key is unknown or revoked')
    request.actor = actor
  })
}

/** The caller of a protected route (the hook has run). */
export function actor(request: FastifyRequest): Actor {
  return request.actor as Actor
}
