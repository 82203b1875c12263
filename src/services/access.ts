// One place for "may this key see or change that": admins everything; a reviewer the units and
// schools in its unit's subtree; a school only itself. Out-of-scope resources answer 404, so a key
// cannot learn what exists outside its scope; a wrong role on a visible resource answers 403.
import type { Role, School, Store } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { forbidden, invalid, notFound } from './errors.js'

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

  /** Who may change a school's record (name, unit, keys): the reviewers above the unit of its
   *  latest membership. A district a school moved away from still sees it (schoolVisible, for the
   *  old years' assessments) but no longer manages it: 403 there, not a key that reaches new years. */
  async schoolManaged(actor: Actor, school: School): Promise<boolean> {
    if (actor.role === 'admin') return true
    if (actor.role === 'school') return this.schoolVisible(actor, school)
    const latest = latestMembership(school)
    return latest !== undefined && this.store.units.isWithin(latest.unitId, actor.unitId as number)
  }

  /** The unit or school a new credential (an API key, a console account) of `role` is bound to,
   *  checked against what `actor` may hand out: an admin anything; a reviewer reviewer credentials
   *  of units it sees and school credentials of schools it manages; only an admin an admin one.
   *  `actor` null: the server's own CLI. One rule for keys and accounts alike. */
  async credentialScope(actor: Actor | null, input: { role: Role; unitCode?: string; schoolCode?: string }, what: string): Promise<{ unitId: number | null; schoolId: number | null }> {
    if (actor) this.requireRole(actor, ['admin', 'reviewer'], what)
    if (input.role === 'admin' && actor && actor.role !== 'admin') throw forbidden(`only an admin issues admin credentials (${what})`)
    if (input.role === 'reviewer') {
      if (!input.unitCode || input.schoolCode) throw invalid('KEY_SCOPE', 'a reviewer is bound to a unit: give unitCode (and no schoolCode)', '/unitCode')
      const u = await this.store.units.byCode(input.unitCode)
      if (!u || (actor && !(await this.unitVisible(actor, u.id)))) throw notFound('unit', input.unitCode, '/unitCode')
      return { unitId: u.id, schoolId: null }
    }
    if (input.role === 'school') {
      if (!input.schoolCode || input.unitCode) throw invalid('KEY_SCOPE', 'a school credential is bound to a school: give schoolCode (and no unitCode)', '/schoolCode')
      const s = await this.store.schools.byCode(input.schoolCode)
      if (!s || (actor && !(await this.schoolVisible(actor, s)))) throw notFound('school', input.schoolCode, '/schoolCode')
      if (actor) await this.requireSchoolManaged(actor, s, what)
      return { unitId: null, schoolId: s.id }
    }
    if (input.unitCode || input.schoolCode) throw invalid('KEY_SCOPE', 'an admin is not bound to a unit or school', input.unitCode ? '/unitCode' : '/schoolCode')
    return { unitId: null, schoolId: null }
  }

  /** For changes to a school's record: 404 if the key cannot see it, 403 if it sees but does not manage it. */
  async requireSchoolManaged(actor: Actor, school: School, what: string): Promise<void> {
    if (!(await this.schoolManaged(actor, school))) {
      throw forbidden(`${what}: school ${school.moetCode} now belongs to unit ${latestMembership(school)?.unitCode}, outside this key's unit; ask a reviewer there`)
    }
  }
}

/** The membership with the latest start: where the school is now, or will be from a coming year. */
function latestMembership(school: School): School['memberships'][number] | undefined {
  return school.memberships.reduce<School['memberships'][number] | undefined>((a, m) => (a === undefined || m.fromYear > a.fromYear ? m : a), undefined)
}
