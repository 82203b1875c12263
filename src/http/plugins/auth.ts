// API-key authentication for /v1 routes: `Authorization: Bearer cds_…`. Routes marked
// `config: { public: true }` (scoring, criteria sets) need no key. Every failed authentication
// (401) is counted per client address; past the limit, further failures answer 429
// TOO_MANY_FAILED_AUTH with Retry-After, while requests with a valid key still go through.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Actor } from '../../services/actor.js'
import { AppError } from '../../services/errors.js'
import type { KeysService } from '../../services/keys.js'
import { errorBody } from './errors.js'
import type { FailedAuthLimiter } from './security.js'

declare module 'fastify' {
  interface FastifyRequest { actor: Actor | null }
  interface FastifyContextConfig { public?: boolean }
}

export function installAuth(app: FastifyInstance, keys: KeysService, limiter?: FailedAuthLimiter): void {
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization
    if (request.routeOptions.config.public && !header) return
    const refuse = (code: string, message: string) => {
      const over = limiter?.fail(request.ip)
      if (over?.limited) {
        return reply.code(429).header('retry-after', String(over.retryAfterS)).send(errorBody('TOO_MANY_FAILED_AUTH',
          `too many failed authentications from this address; try again in ${over.retryAfterS} s (requests with a valid key are not limited)`,
          undefined, { retryAfterSeconds: over.retryAfterS }))
      }
      throw new AppError(401, code, message)
    }
    if (!header) return refuse('UNAUTHENTICATED', 'this route needs an API key: send "Authorization: Bearer <key>"')
    const m = /^Bearer\s+(\S+)$/i.exec(header)
    if (!m) return refuse('UNAUTHENTICATED', 'the Authorization header must be "Bearer <key>"')
    const actor = await keys.authenticate(m[1] as string)
    if (!actor) return refuse('INVALID_KEY', 'the API key is unknown or revoked')
    request.actor = actor
  })
}

/** The caller of a protected route (the hook has run). */
export function actor(request: FastifyRequest): Actor {
  return request.actor as Actor
}
