// "/": where each person starts — a school at its own page, an officer at the dashboard.
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'
import { redirect } from '../reply.js'
import { session } from '../session.js'

export async function homeRoutes(app: FastifyInstance, _opts: { services: Services }): Promise<void> {
  app.get('/', async (request, reply) => redirect(reply, session(request).user.role === 'school' ? '/school' : '/dashboard'))
}
