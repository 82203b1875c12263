// The education office's management pages and the admin pages: schools, periods and exports,
// criteria sets, units, accounts, API keys. Each area is its own plugin (admin-<area>.ts).
import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services/index.js'
import { adminSchoolRoutes } from './admin-schools.js'
import { adminPeriodRoutes } from './admin-periods.js'
import { adminCriteriaRoutes } from './admin-criteria.js'
import { adminPeopleRoutes } from './admin-people.js'

export async function adminRoutes(app: FastifyInstance, opts: { services: Services; now: () => number }): Promise<void> {
  for (const routes of [adminSchoolRoutes, adminPeriodRoutes, adminCriteriaRoutes, adminPeopleRoutes]) await app.register(routes, opts)
}
