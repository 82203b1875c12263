// (filled in by the console's review pages)
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'

export async function reviewRoutes(_app: FastifyInstance, _opts: { services: Services; now: () => number }): Promise<void> {}
