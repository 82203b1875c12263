// (filled in by the console's dashboard pages)
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'

export async function dashboardRoutes(_app: FastifyInstance, _opts: { services: Services; now: () => number }): Promise<void> {}
