import type { Page, School } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { conflict, invalid, notFound } from './errors.js'
import { parseSchoolYear } from './school-year.js'
import { parseSchoolsCsv, type CsvRowError } from './school-csv.js'

export const SCHOOL_LEVELS = ['TH', 'THCS', 'THPT', 'GDTX'] as const

export interface SchoolInput { moetCode: string; name: string; levels: string[]; ownership: 'public' | 'private'; unitCode: string; fromYear: string }

export class SchoolsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A school visible to the actor (404 otherwise, as if it did not exist). */
  async get(actor: Actor, code: string, path = '/code'): Promise<School> {
    const s = await this.ctx.store.schools.byCode(code)
    if (!s || !(await this.ctx.access.schoolVisible(actor, s))) throw notFound('school', code, path)
    return s
  }

  private async unitForWrite(actor: Actor, unitCode: string, path: string): Promise<number> {
    const u = await this.ctx.store.units.byCode(unitCode)
    if (!u || !(await this.ctx.access.unitVisible(actor, u.id))) throw notFound('unit', unitCode, path)
    return u.id
  }

  async create(actor: Actor, input: SchoolInput): Promise<School> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'creating a school')
    const unitId = await this.unitForWrite(actor, input.unitCode, '/unitCode')
    const fromYear = parseSchoolYear(input.fromYear, '/fromYear')
    if (await this.ctx.store.schools.byCode(input.moetCode)) throw conflict('SCHOOL_EXISTS', `a school with MOET code "${input.moetCode}" already exists`)
    return this.ctx.store.schools.create({ ...input, name: input.name.normalize('NFC'), levels: dedupe(input.levels), unitId, fromYear }, auditOf(this.ctx, actor, 'school.create'))
  }

  /** All rows or none: any row error (or an existing MOET code) rejects the whole file. */
  async importCsv(actor: Actor, text: string, dryRun: boolean): Promise<{ created: number; valid: number; dryRun: boolean }> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'importing schools')
    const { rows, errors } = parseSchoolsCsv(text)
    const unitIds = new Map<string, number | null>()
    for (const r of rows) {
      if (!unitIds.has(r.unitCode)) {
        const u = await this.ctx.store.units.byCode(r.unitCode)
        unitIds.set(r.unitCode, u && (await this.ctx.access.unitVisible(actor, u.id)) ? u.id : null)
      }
      if (r.unitCode !== '' && unitIds.get(r.unitCode) === null) errors.push({ line: r.line, column: 'unitCode', code: 'UNKNOWN_UNIT', message: `unit "${r.unitCode}" not found (or not within this key's unit)` })
    }
    const exists = (moetCode: string, line: number): void => { errors.push({ line, column: 'moetCode', code: 'SCHOOL_EXISTS', message: `a school with MOET code "${moetCode}" already exists` }) }
    // Existing codes are reported with every other problem, so one corrected upload is enough.
    for (const r of rows) if (await this.ctx.store.schools.byCode(r.moetCode)) exists(r.moetCode, r.line)
    if (errors.length === 0 && dryRun) return { created: 0, valid: rows.length, dryRun }
    if (errors.length === 0) {
      const importRows = rows.map((r) => ({ moetCode: r.moetCode, name: r.name, levels: r.levels, ownership: r.ownership, unitId: unitIds.get(r.unitCode) as number, fromYear: r.fromYear }))
      // The store re-checks inside its transaction: a school created meanwhile still rejects the file.
      const out = await this.ctx.store.schools.createMany(importRows, auditOf(this.ctx, actor, 'school.import'))
      if (out.ok) return { created: out.created, valid: rows.length, dryRun }
      for (const c of out.conflicts) exists(c.moetCode, (rows[c.index] as { line: number }).line)
    }
    errors.sort((a, b) => a.line - b.line)
    throw invalid('IMPORT_REJECTED', `${errors.length} problem(s) in the file; nothing was imported`, `/line/${errors[0]?.line}`, { errors: errors.slice(0, 500) as CsvRowError[] })
  }

  async list(actor: Actor, f: { unitCode?: string; year?: string; q?: string }, page: Page): Promise<School[]> {
    const year = f.year ? parseSchoolYear(f.year, '/year') : undefined
    if (actor.role === 'school') {
      // Its own school, if it matches the filters (the unit tree is public: ?unit= is only a filter).
      const own = await this.ctx.store.schools.byId(actor.schoolId as number)
      if (!own || (f.q && own.moetCode !== f.q && !own.name.toLocaleLowerCase('vi').includes(f.q.normalize('NFC').toLocaleLowerCase('vi')))) return []
      if (f.unitCode === undefined && year === undefined) return [own]
      const unit = f.unitCode === undefined ? undefined : await this.ctx.store.units.byCode(f.unitCode)
      if (f.unitCode !== undefined && !unit) throw notFound('unit', f.unitCode, '/unit')
      const matching = await this.ctx.store.schools.list({ withinUnitId: unit?.id, year, q: own.moetCode }, { limit: 1000, offset: 0 })
      return matching.filter((m) => m.id === own.id)
    }
    let within: number | undefined
    if (f.unitCode) within = await this.unitForWrite(actor, f.unitCode, '/unit')
    else if (actor.role === 'reviewer') within = actor.unitId as number
    return this.ctx.store.schools.list({ withinUnitId: within, year, q: f.q }, page)
  }

  async update(actor: Actor, code: string, patch: { name?: string; levels?: string[]; ownership?: 'public' | 'private' }): Promise<School> {
    const s = await this.get(actor, code)
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'changing a school')
    await this.ctx.access.requireSchoolManaged(actor, s, 'changing a school')
    return this.ctx.store.schools.update(s.id, { ...patch, ...(patch.name ? { name: patch.name.normalize('NFC') } : {}), ...(patch.levels ? { levels: dedupe(patch.levels) } : {}) },
      auditOf(this.ctx, actor, 'school.update'))
  }

  /** Moves a school to another unit from a school year on; both units must be in the key's scope. */
  async move(actor: Actor, code: string, input: { unitCode: string; fromYear: string }): Promise<School> {
    const s = await this.get(actor, code)
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'moving a school')
    await this.ctx.access.requireSchoolManaged(actor, s, 'moving a school')
    const unitId = await this.unitForWrite(actor, input.unitCode, '/unitCode')
    const fromYear = parseSchoolYear(input.fromYear, '/fromYear')
    const first = s.memberships[0]
    if (first && fromYear < first.fromYear) throw invalid('INVALID_YEAR_RANGE', `the school's first membership starts ${first.fromYear}; a move cannot start before it`, '/fromYear')
    return this.ctx.store.schools.setMembership(s.id, unitId, fromYear, auditOf(this.ctx, actor, 'school.move'))
  }
}

function dedupe(levels: string[]): string[] {
  return [...new Set(levels)]
}
