// One place for "may this key see or change that": admins everything; a reviewer the units and
// schools in its unit's subtree; a school only itself. Out-of-scope resources answer 404, so a key
// cannot learn what exists outside its scope; a wrong role on a visible resource answers 403.
import type { Role, School, Store } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { forbidden } from './errors.js'

export class Access {
  constructor(private readonly store: Store) {}

  requireRole(actor: Actor, roles: readonly Role[], what: string): void {
    if (!roles.includes(actor.role)) throw forbidden(`${what} needs a ${roles.join(' or ')} key; this key is a ${actor.role} key`)
  }

  async unitVisible(actor: Actor, unitId: number): Promise<boolean> {
    if (actor.role === 'admin') return true
    if (actor.role === 'reviewer') return this.store.units.isWithin(unitId, actor.unitId as number)
    return false
  }

  /** A school is visible to a reviewer if it belongs to the reviewer's subtree in `year`, or in
   *  any year when no year is given (so old districts' reviewers still see their past schools). */
  async schoolVisible(actor: Actor, school: School, year?: number): Promise<boolean> {
    if (actor.role === 'admin') return true
    if (actor.role === 'school') return actor.schoolId === school.id
    const unitIds = year === undefined ? school.memberships.map((m) => m.unitId) : [await this.store.schools.unitAt(school.id, year)].filter((u): u is number => u !== null)
    for (const u of unitIds) if (await this.store.units.isWithin(u, actor.unitId as number)) return true
    return false
  }
}
