// A second server process on the same database file: sets published through it are not in this
// process's catalog. A route that fails with UNKNOWN_CRITERIA_SET is run once more after the
// published sets were reloaded and some were added (Scoring.reloadAfterMiss bounds the reloads).
// Safe to re-run: a set is looked up before anything is written, and the first run sent nothing.
import type { FastifyInstance, RouteHandlerMethod } from 'fastify'
import type { Scoring } from '../../services/scoring.js'
import { AppError } from '../../services/errors.js'

export function installSetReload(v1: FastifyInstance, scoring: Scoring): void {
  v1.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod
    route.handler = async function (this: FastifyInstance, request, reply) {
      try {
        return await handler.call(this, request, reply)
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'UNKNOWN_CRITERIA_SET') || reply.sent || !(await scoring.reloadAfterMiss())) throw e
        return handler.call(this, request, reply)
      }
    }
  })
}
