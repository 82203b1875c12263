import { randomUUID } from 'node:crypto'
import type { Page, Paged, Period, PeriodScope, School } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { refuseWithdrawn } from './criteria-authoring.js'
import { conflict, forbidden, invalid, notFound } from './errors.js'
import { parseSchoolYear } from './school-year.js'
import { requireUnitIn, requireYearInWindow } from './year-window.js'

export interface PeriodInput {
  unitCode: string
  schoolYear: string
  title: string
  criteriaSets: string[]
  submissionDeadline: string
  reviewDeadline?: string | null
}

function parseTime(s: string, path: string): Date {
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) throw invalid('INVALID_DATE', `"${s}" is not a date-time (e.g. 2026-05-31T23:59:59+07:00)`, path)
  return d
}

export class PeriodsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A period opened by a unit applies to the schools below it in that school year. A reviewer sees
   *  periods of its own subtree and those of units above it (which apply to its schools). */
  async visible(actor: Actor, p: Period): Promise<boolean> {
    const { access, store } = this.ctx
    if (actor.role === 'admin') return true
    if (actor.role === 'reviewer') return (await access.unitVisible(actor, p.unitId)) || store.units.isWithin(actor.unitId as number, p.unitId)
    const unitId = await store.schools.unitAt(actor.schoolId as number, p.schoolYear)
    return unitId !== null && store.units.isWithin(unitId, p.unitId)
  }

  async get(actor: Actor, id: string, path = '/id'): Promise<Period> {
    const p = await this.ctx.store.periods.byId(id)
    if (!p || !(await this.visible(actor, p))) throw notFound('period', id, path)
    return p
  }

  async create(actor: Actor, input: PeriodInput): Promise<Period> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'opening a period')
    const unit = await this.ctx.store.units.byCode(input.unitCode)
    if (!unit || !(await this.ctx.access.unitVisible(actor, unit.id))) throw notFound('unit', input.unitCode, '/unitCode')
    const schoolYear = parseSchoolYear(input.schoolYear, '/schoolYear')
    requireYearInWindow(schoolYear, this.ctx.now(), '/schoolYear')
    requireUnitIn(unit, schoolYear, '/unitCode')
    // Versions are pinned when the period opens: a later criteria file never changes it.
    input.criteriaSets.forEach((spec, i) => refuseWithdrawn(this.ctx.scoring.catalog, spec, `/criteriaSets/${i}`))
    const pinned = input.criteriaSets.map((spec, i) => this.ctx.scoring.compile(spec, `/criteriaSets/${i}`))
    const ids = new Set<string>()
    pinned.forEach((s, i) => {
      if (ids.has(s.id)) throw invalid('DUPLICATE_CRITERIA_SET', `criteria set ${s.id} is listed twice`, `/criteriaSets/${i}`)
      ids.add(s.id)
    })
    const submissionDeadline = parseTime(input.submissionDeadline, '/submissionDeadline')
    const reviewDeadline = input.reviewDeadline ? parseTime(input.reviewDeadline, '/reviewDeadline') : null
    if (reviewDeadline && reviewDeadline < submissionDeadline) throw invalid('INVALID_DEADLINES', 'the review deadline is before the submission deadline', '/reviewDeadline')
    return this.ctx.store.periods.create({
      id: randomUUID(), unitId: unit.id, schoolYear, title: input.title.normalize('NFC'),
      criteriaSets: pinned.map((s) => `${s.id}@${s.version}`), submissionDeadline, reviewDeadline,
    }, auditOf(this.ctx, actor, 'period.create'))
  }

  /** The same rule as visible(), applied by the store to the whole list. */
  async list(actor: Actor, f: { year?: string }, page: Page): Promise<Paged<Period>> {
    const year = f.year ? parseSchoolYear(f.year, '/year') : undefined
    let scope: PeriodScope
    if (actor.role === 'admin') scope = { kind: 'all' }
    else if (actor.role === 'reviewer') scope = { kind: 'reviewer', unitId: actor.unitId as number }
    else scope = { kind: 'school', memberships: (await this.ctx.store.schools.byId(actor.schoolId as number))?.memberships ?? [] }
    return this.ctx.store.periods.listVisible(scope, { year }, page)
  }

  /** Only the opening unit's reviewers (or an admin) change deadlines. */
  async update(actor: Actor, id: string, patch: { title?: string; submissionDeadline?: string; reviewDeadline?: string | null }): Promise<Period> {
    const p = await this.get(actor, id)
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'changing a period')
    await this.requireOwner(actor, p)
    const submissionDeadline = patch.submissionDeadline ? parseTime(patch.submissionDeadline, '/submissionDeadline') : undefined
    const reviewDeadline = patch.reviewDeadline === undefined ? undefined : patch.reviewDeadline === null ? null : parseTime(patch.reviewDeadline, '/reviewDeadline')
    const sub = submissionDeadline ?? p.submissionDeadline
    const rev = reviewDeadline === undefined ? p.reviewDeadline : reviewDeadline
    if (rev && rev < sub) throw invalid('INVALID_DEADLINES', 'the review deadline is before the submission deadline', '/reviewDeadline')
    return this.ctx.store.periods.update(p.id, {
      ...(patch.title !== undefined ? { title: patch.title.normalize('NFC') } : {}),
      ...(submissionDeadline ? { submissionDeadline } : {}),
      ...(reviewDeadline !== undefined ? { reviewDeadline } : {}),
    }, auditOf(this.ctx, actor, 'period.update'))
  }

  /** A reviewer extends the submission deadline for a unit or a school within its own subtree. */
  async extend(actor: Actor, id: string, input: { unitCode?: string; schoolCode?: string; until: string; reason: string }): Promise<Period> {
    const p = await this.get(actor, id)
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'extending a deadline')
    if ((input.unitCode === undefined) === (input.schoolCode === undefined)) throw invalid('EXTENSION_TARGET', 'give exactly one of unitCode or schoolCode', '/unitCode')
    const until = parseTime(input.until, '/until')
    if (until <= p.submissionDeadline) throw invalid('INVALID_EXTENSION', 'an extension must end after the period\'s submission deadline', '/until')
    let unitId: number | null = null
    let schoolId: number | null = null
    if (input.unitCode !== undefined) {
      const u = await this.ctx.store.units.byCode(input.unitCode)
      if (!u || !(await this.ctx.access.unitVisible(actor, u.id))) throw notFound('unit', input.unitCode, '/unitCode')
      if (!(await this.ctx.store.units.isWithin(u.id, p.unitId))) throw conflict('OUTSIDE_PERIOD', `unit ${u.code} is not within the unit that opened this period`)
      unitId = u.id
    } else {
      const s = await this.ctx.store.schools.byCode(input.schoolCode as string)
      if (!s || !(await this.ctx.access.schoolVisible(actor, s, p.schoolYear))) throw notFound('school', input.schoolCode as string, '/schoolCode')
      schoolId = s.id
    }
    return this.ctx.store.periods.addExtension(p.id, { unitId, schoolId, until, reason: input.reason.normalize('NFC') }, auditOf(this.ctx, actor, 'period.extend'))
  }

  /** The submission deadline for one school: the period's, or the latest extension that covers it. */
  async deadlineFor(p: Period, school: School): Promise<Date> {
    let deadline = p.submissionDeadline
    const unitId = await this.ctx.store.schools.unitAt(school.id, p.schoolYear)
    for (const e of p.extensions) {
      const covers = e.schoolId === school.id || (e.unitId !== null && unitId !== null && (await this.ctx.store.units.isWithin(unitId, e.unitId)))
      if (covers && e.until > deadline) deadline = e.until
    }
    return deadline
  }

  private async requireOwner(actor: Actor, p: Period): Promise<void> {
    if (!(await this.ctx.access.unitVisible(actor, p.unitId))) {
      throw forbidden('only the unit that opened the period (or a unit above it) can change it')
    }
  }
}
