import type { Page, School, Unit } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { conflict, forbidden, invalid, notFound } from './errors.js'
import { formatSchoolYear, parseSchoolYear } from './school-year.js'
import { parseSchoolsCsv, type CsvRowError } from './school-csv.js'
import { EARLIEST_SCHOOL_YEAR, latestSchoolYear, requireUnitIn, requireYearInWindow, unitExistsIn } from './year-window.js'

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

  private async unitForWrite(actor: Actor, unitCode: string, path: string): Promise<Unit> {
    const u = await this.ctx.store.units.byCode(unitCode)
    if (!u || !(await this.ctx.access.unitVisible(actor, u.id))) throw notFound('unit', unitCode, path)
    return u
  }

  /** 409 if a school has this MOET code in any case: "s1" beside "S1" would be two schools to people. */
  private async requireNewCode(moetCode: string): Promise<void> {
    const same = await this.ctx.store.schools.byCodeIgnoringCase(moetCode)
    if (same) throw conflict('SCHOOL_EXISTS', same.moetCode === moetCode ? `a school with MOET code "${moetCode}" already exists` : `mã trường "${moetCode}" trùng với trường đã có "${same.moetCode}" (mã không phân biệt chữ hoa/thường)`, { existing: same.moetCode })
  }

  async create(actor: Actor, input: SchoolInput): Promise<School> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'creating a school')
    const unit = await this.unitForWrite(actor, input.unitCode, '/unitCode')
    const fromYear = parseSchoolYear(input.fromYear, '/fromYear')
    requireYearInWindow(fromYear, this.ctx.now(), '/fromYear')
    requireUnitIn(unit, fromYear, '/unitCode')
    await this.requireNewCode(input.moetCode)
    return this.ctx.store.schools.create({ ...input, name: input.name.normalize('NFC'), levels: dedupe(input.levels), unitId: unit.id, fromYear }, auditOf(this.ctx, actor, 'school.create'))
  }

  /** All rows or none: any row error (or an existing MOET code) rejects the whole file. */
  async importCsv(actor: Actor, text: string, dryRun: boolean): Promise<{ created: number; valid: number; dryRun: boolean }> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'importing schools')
    // Reading and checking 20,000 rows is about a second of CPU: on a worker thread when there is one.
    const pools = this.ctx.pools
    const { rows, errors } = pools ? await pools.job<ReturnType<typeof parseSchoolsCsv>>('parseSchools', { text }, this.ctx.config.jobTimeLimitMs, 'tệp trường học (school CSV)') : parseSchoolsCsv(text)
    const units = new Map<string, Unit | null>()
    const latest = latestSchoolYear(this.ctx.now())
    const folded = new Map<string, { code: string; line: number }>()
    for (const r of rows) {
      if (!units.has(r.unitCode)) {
        const u = await this.ctx.store.units.byCode(r.unitCode)
        units.set(r.unitCode, u && (await this.ctx.access.unitVisible(actor, u.id)) ? u : null)
      }
      const u = units.get(r.unitCode)
      if (r.unitCode !== '' && u === null) errors.push({ line: r.line, column: 'unitCode', code: 'UNKNOWN_UNIT', message: `unit "${r.unitCode}" not found (or not within this key's unit)` })
      if (r.fromYear < EARLIEST_SCHOOL_YEAR || r.fromYear > latest) {
        errors.push({ line: r.line, column: 'fromYear', code: 'SCHOOL_YEAR_OUT_OF_RANGE', message: `năm học ${formatSchoolYear(r.fromYear)} nằm ngoài khoảng cho phép: từ ${formatSchoolYear(EARLIEST_SCHOOL_YEAR)} đến ${formatSchoolYear(latest)} (năm học tới)` })
      } else if (u && !unitExistsIn(u, r.fromYear)) {
        errors.push({ line: r.line, column: 'unitCode', code: 'UNIT_NOT_IN_YEAR', message: `đơn vị ${u.code} không tồn tại trong năm học ${formatSchoolYear(r.fromYear)}` })
      }
      // Exact repeats are the parser's DUPLICATE_IN_FILE; these differ only in case.
      const other = folded.get(r.moetCode.toLowerCase())
      if (other && other.code !== r.moetCode) errors.push({ line: r.line, column: 'moetCode', code: 'DUPLICATE_IN_FILE', message: `mã trường "${r.moetCode}" trùng với "${other.code}" ở dòng ${other.line} (mã không phân biệt chữ hoa/thường)` })
      else if (!other) folded.set(r.moetCode.toLowerCase(), { code: r.moetCode, line: r.line })
    }
    const exists = (moetCode: string, line: number, existing = moetCode): void => {
      errors.push({ line, column: 'moetCode', code: 'SCHOOL_EXISTS', message: existing === moetCode ? `a school with MOET code "${moetCode}" already exists` : `mã trường "${moetCode}" trùng với trường đã có "${existing}" (mã không phân biệt chữ hoa/thường)` })
    }
    // Existing codes are reported with every other problem, so one corrected upload is enough.
    const taken = await this.ctx.store.schools.takenCodes(rows.map((r) => r.moetCode))
    for (const r of rows) {
      const same = taken.get(r.moetCode.toLowerCase())
      if (same !== undefined) exists(r.moetCode, r.line, same)
    }
    if (errors.length === 0 && dryRun) return { created: 0, valid: rows.length, dryRun }
    if (errors.length === 0) {
      const importRows = rows.map((r) => ({ moetCode: r.moetCode, name: r.name, levels: r.levels, ownership: r.ownership, unitId: (units.get(r.unitCode) as Unit).id, fromYear: r.fromYear }))
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
    if (f.unitCode) within = (await this.unitForWrite(actor, f.unitCode, '/unit')).id
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
    const unit = await this.unitForWrite(actor, input.unitCode, '/unitCode')
    const fromYear = parseSchoolYear(input.fromYear, '/fromYear')
    requireYearInWindow(fromYear, this.ctx.now(), '/fromYear')
    requireUnitIn(unit, fromYear, '/unitCode')
    const first = s.memberships[0]
    if (first && fromYear < first.fromYear) throw invalid('INVALID_YEAR_RANGE', `the school's first membership starts ${first.fromYear}; a move cannot start before it`, '/fromYear')
    await this.requireHistoryOwned(actor, s, fromYear)
    return this.ctx.store.schools.setMembership(s.id, unit.id, fromYear, auditOf(this.ctx, actor, 'school.move'))
  }

  /** A move from `fromYear` ends the membership running into it and replaces those starting later
   *  (setMembership). Each of them is another unit's history (its assessments, its reports): only
   *  a key whose subtree holds that unit — an admin, or a unit above both — may rewrite it. A
   *  district the school moved to cannot take over the years it belonged elsewhere. */
  private async requireHistoryOwned(actor: Actor, s: School, fromYear: number): Promise<void> {
    for (const m of s.memberships) {
      const rewritten = m.fromYear >= fromYear || m.toYear === null || m.toYear >= fromYear
      if (rewritten && !(await this.ctx.access.unitVisible(actor, m.unitId))) {
        const span = `${formatSchoolYear(m.fromYear)}${m.toYear === null ? ' trở đi' : ` đến ${formatSchoolYear(m.toYear)}`}`
        throw forbidden(`không thể chuyển trường ${s.moetCode} từ năm học ${formatSchoolYear(fromYear)}: trường thuộc đơn vị ${m.unitCode} từ năm học ${span}, ngoài phạm vi của khóa này; chỉ quản trị viên hoặc đơn vị cấp trên của cả hai đơn vị mới được sửa lịch sử đó (the membership in ${m.unitCode} is outside this key's unit)`)
      }
    }
  }
}

function dedupe(levels: string[]): string[] {
  return [...new Set(levels)]
}
