// (filled in by the console's school pages)
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'

export async function schoolRoutes(_app: FastifyInstance, _opts: { services: Services; now: () => number }): Promise<void> {}
