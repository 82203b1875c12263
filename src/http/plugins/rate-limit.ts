// Rate limits that stop one client from monopolising the service (429 RATE_LIMITED, Retry-After):
//   - POST /v1/score, anonymous, per client address (SCORE_RATE_LIMIT per SCORE_RATE_WINDOW_S);
//   - writes (POST/PUT/PATCH/DELETE under /v1) per API key (WRITE_RATE_LIMIT per WRITE_RATE_WINDOW_S).
// The client address is the socket's unless TRUST_PROXY names the proxy in front (Fastify's
// trustProxy), so a forged X-Forwarded-For never buys a fresh window. Checked in onRequest, after
// the auth hook and before the body is read: a refused request costs no parsing.
import type { FastifyInstance } from 'fastify'
import { errorBody } from './errors.js'
import type { FixedWindowLimiter } from './security.js'

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const SCORE_ROUTE = '/v1/score'

export interface RateLimits { score: FixedWindowLimiter; writes: FixedWindowLimiter }

/** Installs the limits in the /v1 scope (after installAuth, so the key is known). */
export function installRateLimits(v1: FastifyInstance, limits: RateLimits): void {
  if (!limits.score.enabled && !limits.writes.enabled) return
  v1.addHook('onRequest', async (request, reply) => {
    const isScore = request.method === 'POST' && request.routeOptions.url === SCORE_ROUTE
    const over = isScore ? limits.score.hit(`ip:${request.ip}`)
      : WRITE_METHODS.has(request.method) && request.actor ? limits.writes.hit(`key:${request.actor.keyId}`) : { limited: false as const }
    if (!over.limited) return
    const s = over.retryAfterS
    return reply.code(429).header('retry-after', String(s)).send(errorBody('RATE_LIMITED', isScore
      ? `Quá nhiều yêu cầu chấm điểm từ địa chỉ này; vui lòng thử lại sau ${s} giây (too many scoring requests from this address; retry in ${s} s)`
      : `Khóa API này gửi quá nhiều yêu cầu ghi; vui lòng thử lại sau ${s} giây (too many writes with this API key; retry in ${s} s)`,
    undefined, { retryAfterSeconds: s, limit: isScore ? 'score-per-address' : 'writes-per-key' }))
  })
}
