import { UNIT_TYPES, type Page, type Unit, type UnitType } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { conflict, forbidden, invalid, notFound } from './errors.js'
import { parseSchoolYear } from './school-year.js'

export interface UnitInput { code: string; name: string; type: UnitType; parentCode?: string | null; fromYear: string; toYear?: string | null }

export class UnitsService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(code: string, path = '/code'): Promise<Unit> {
    const u = await this.ctx.store.units.byCode(code)
    if (!u) throw notFound('unit', code, path)
    return u
  }

  /** Admins create any unit; a reviewer creates units below its own. */
  async create(actor: Actor, input: UnitInput): Promise<Unit> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'creating a unit')
    if (!UNIT_TYPES.includes(input.type)) throw invalid('INVALID_UNIT_TYPE', `unit type must be one of ${UNIT_TYPES.join(', ')}`, '/type')
    const parent = input.parentCode ? await this.get(input.parentCode, '/parentCode') : null
    if (actor.role === 'reviewer' && (!parent || !(await this.ctx.access.unitVisible(actor, parent.id)))) {
      throw forbidden('a reviewer key creates units only below its own unit')
    }
    const fromYear = parseSchoolYear(input.fromYear, '/fromYear')
    const toYear = input.toYear ? parseSchoolYear(input.toYear, '/toYear') : null
    if (toYear !== null && toYear < fromYear) throw invalid('INVALID_YEAR_RANGE', 'toYear is before fromYear', '/toYear')
    const same = await this.ctx.store.units.byCodeIgnoringCase(input.code)
    // "hn-a" beside "HN-A" would be two units to the store and one to people.
    if (same) throw conflict('UNIT_EXISTS', same.code === input.code ? `a unit with code "${input.code}" already exists` : `mã đơn vị "${input.code}" trùng với đơn vị đã có "${same.code}" (mã không phân biệt chữ hoa/thường)`, { existing: same.code })
    return this.ctx.store.units.create({ code: input.code, name: input.name.normalize('NFC'), type: input.type, parentId: parent?.id ?? null, fromYear, toYear },
      auditOf(this.ctx, actor, 'unit.create'))
  }

  async list(f: { parentCode?: string; year?: string; within?: string }, page: Page): Promise<Unit[]> {
    const parent = f.parentCode ? await this.get(f.parentCode, '/parent') : undefined
    const within = f.within ? await this.get(f.within, '/within') : undefined
    return this.ctx.store.units.list({
      parentId: parent?.id, withinUnitId: within?.id, year: f.year ? parseSchoolYear(f.year, '/year') : undefined,
    }, page)
  }

  async update(actor: Actor, code: string, patch: { name?: string; toYear?: string | null }): Promise<Unit> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'changing a unit')
    const u = await this.get(code)
    if (!(await this.ctx.access.unitVisible(actor, u.id))) throw notFound('unit', code, '/code')
    const toYear = patch.toYear === undefined ? undefined : patch.toYear === null ? null : parseSchoolYear(patch.toYear, '/toYear')
    if (toYear !== undefined && toYear !== null && toYear < u.fromYear) throw invalid('INVALID_YEAR_RANGE', 'toYear is before the unit\'s fromYear', '/toYear')
    return this.ctx.store.units.update(u.id, { ...(patch.name !== undefined ? { name: patch.name.normalize('NFC') } : {}), ...(toYear !== undefined ? { toYear } : {}) },
      auditOf(this.ctx, actor, 'unit.update'))
  }
}
