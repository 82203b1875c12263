// (filled in by the console's admin pages)
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'

export async function adminRoutes(_app: FastifyInstance, _opts: { services: Services; now: () => number }): Promise<void> {}
