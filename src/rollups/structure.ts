// The hierarchy a rollup walks: units (parent links), schools, and dated memberships, read whole.
// They change rarely but may change in any write (a move, a rename, a new school), so they are
// re-read when the 'structure' change counter (bumped by triggers on those tables, migration 0003)
// moved.
import type Database from 'better-sqlite3'
import type { ScopeSchool } from '../repositories/types.js'

interface UnitRow { id: number; code: string; name: string; parentId: number | null }
interface SchoolRow { id: number; moetCode: string; name: string; levels: string; ownership: 'public' | 'private' }
interface MembershipRow { schoolId: number; unitId: number; fromYear: number; toYear: number | null }

export interface SchoolInfo { moetCode: string; name: string; levels: string[]; ownership: 'public' | 'private' }

export class Structure {
  units = new Map<number, UnitRow>()
  children = new Map<number, number[]>()
  schools = new Map<number, SchoolInfo>()
  memberships: MembershipRow[] = []
  private fingerprint = -1
  /** schoolsIn per (root, year), until the hierarchy changes: the national list is 30,000 rows. */
  private readonly lists = new Map<string, ReturnType<Structure['listSchools']>>()
  private readonly print: Database.Statement
  private readonly unitsQ: Database.Statement
  private readonly schoolsQ: Database.Statement
  private readonly membershipsQ: Database.Statement

  constructor(db: Database.Database) {
    this.print = db.prepare("SELECT n FROM change_counters WHERE name = 'structure'").pluck()
    this.unitsQ = db.prepare('SELECT id, code, name, parent_id AS parentId FROM units')
    this.schoolsQ = db.prepare('SELECT id, moet_code AS moetCode, name, levels, ownership FROM schools')
    this.membershipsQ = db.prepare('SELECT school_id AS schoolId, unit_id AS unitId, from_year AS fromYear, to_year AS toYear FROM school_units')
  }

  /** The change counter the hierarchy was read at. */
  get version(): number { return this.fingerprint }

  /** Re-reads the hierarchy when it changed. Run inside the same read transaction as the records. */
  sync(): boolean {
    const fp = this.print.get() as number
    if (fp === this.fingerprint) return false
    this.fingerprint = fp
    this.lists.clear()
    this.units = new Map((this.unitsQ.all() as UnitRow[]).map((u) => [u.id, u]))
    this.children = new Map()
    for (const u of this.units.values()) {
      if (u.parentId === null) continue
      const list = this.children.get(u.parentId)
      if (list) list.push(u.id)
      else this.children.set(u.parentId, [u.id])
    }
    this.schools = new Map((this.schoolsQ.all() as SchoolRow[]).map((s) => [s.id, { moetCode: s.moetCode, name: s.name, levels: JSON.parse(s.levels) as string[], ownership: s.ownership }]))
    this.memberships = this.membershipsQ.all() as MembershipRow[]
    return true
  }

  /** Unit id → the child of `root` it lies under (null for the root itself), for `root`'s subtree. */
  subtree(root: number): Map<number, number | null> {
    const out = new Map<number, number | null>([[root, null]])
    const walk = (id: number, child: number | null) => {
      for (const c of this.children.get(id) ?? []) {
        if (out.has(c)) continue
        const via = child ?? c
        out.set(c, via)
        walk(c, via)
      }
    }
    walk(root, null)
    return out
  }

  /** The schools in `root`'s subtree in school year `year`, one row per membership that covers the
   *  year (as the SQL scope does), without the assessment columns; sorted by MOET code. */
  schoolsIn(root: number, year: number): readonly Omit<ScopeSchool, 'assessmentId' | 'state' | 'hasExternal'>[] {
    const key = `${root}|${year}`
    let list = this.lists.get(key)
    if (!list) {
      list = this.listSchools(root, year)
      if (this.lists.size >= 64) this.lists.delete(this.lists.keys().next().value as string)
      this.lists.set(key, list)
    }
    return list
  }

  private listSchools(root: number, year: number): Omit<ScopeSchool, 'assessmentId' | 'state' | 'hasExternal'>[] {
    const sub = this.subtree(root)
    const out: Omit<ScopeSchool, 'assessmentId' | 'state' | 'hasExternal'>[] = []
    for (const m of this.memberships) {
      if (m.fromYear > year || (m.toYear !== null && m.toYear < year)) continue
      const child = sub.get(m.unitId)
      if (child === undefined) continue
      const s = this.schools.get(m.schoolId)
      const u = this.units.get(m.unitId)
      if (!s || !u) continue
      out.push({ schoolId: m.schoolId, moetCode: s.moetCode, name: s.name, levels: s.levels, ownership: s.ownership, unitId: m.unitId, unitCode: u.code, unitName: u.name, childUnitId: child })
    }
    // SQLite's BINARY collation compares UTF-8 bytes; for codes without astral characters that is
    // the UTF-16 order of <.
    return out.sort((a, b) => (a.moetCode < b.moetCode ? -1 : a.moetCode > b.moetCode ? 1 : 0))
  }
}
