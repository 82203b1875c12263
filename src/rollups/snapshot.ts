// Records of one (period, set, version) — or of one (school year, set id) for the previous-year
// comparison — kept in memory and brought up to date from the database by assessment version:
// every change to an assessment (save, transition, external result) bumps its version, so a scan of
// (id, version) finds what to reload, whoever wrote it (this process, another one, the CLI).
import type Database from 'better-sqlite3'
import type { AssessmentState } from '../repositories/types.js'
import { CodeTable, emptyRows, grown, MET_NULL, type AssessmentRecord, type CriterionRows } from './records.js'

interface VersionRow { id: string; version: number; schoolId: number; state: AssessmentState; rowid: number }
interface GroupRow { assessmentId: string; source: 'self' | 'external'; groupCode: string; total: number; level: number | null; complete: number }
/** assessment id, source, code, kind, max points, points, met, value, gap, status (a raw row). */
type CritRow = [string, 'self' | 'external', string, string, number | null, number | null, number | null, number | null, number | null, string]

/** Above this many changed assessments one scan of the whole period beats a query per assessment. */
const BULK_RELOAD = 200

export type SnapshotKey = { kind: 'period'; periodId: string; setId: string; setVersion: string } | { kind: 'year'; year: number; setId: string }

export class Snapshot {
  readonly records = new Map<string, AssessmentRecord>()
  readonly codes = new CodeTable()
  /** By school: the records of that school (one per period snapshot; several a year). */
  readonly bySchool = new Map<number, AssessmentRecord[]>()
  /** Moves whenever a record is added, changed or removed: results derived from the records can be
   *  kept while it stays. */
  generation = 0
  private readonly versions: Database.Statement
  private readonly groupsOf: Database.Statement
  private readonly criteriaOf: Database.Statement
  private readonly allGroups: Database.Statement
  private readonly allCriteria: Database.Statement
  /** Criterion rows are needed for the period being summarised, not for the previous year. */
  private readonly withCriteria: boolean

  constructor(private readonly db: Database.Database, readonly key: SnapshotKey) {
    this.withCriteria = key.kind === 'period'
    const where = key.kind === 'period'
      ? 'a.period_id = @periodId AND a.criteria_set_id = @setId AND a.criteria_set_version = @setVersion'
      : 'a.period_id IN (SELECT id FROM periods WHERE school_year = @year) AND a.criteria_set_id = @setId'
    this.versions = db.prepare(`SELECT a.id, a.version, a.school_id AS schoolId, a.state, a.rowid AS rowid FROM assessments a WHERE ${where}`)
    this.groupsOf = db.prepare(`SELECT assessment_id AS assessmentId, source, group_code AS groupCode, total, level, complete FROM assessment_groups WHERE assessment_id = ?`)
    this.criteriaOf = db.prepare(`SELECT assessment_id AS assessmentId, source, code, kind, max_points AS maxPoints, points, met, value, gap, status FROM assessment_criteria WHERE assessment_id = ?`)
    this.allGroups = db.prepare(`SELECT g.assessment_id AS assessmentId, g.source, g.group_code AS groupCode, g.total, g.level, g.complete FROM assessments a JOIN assessment_groups g ON g.assessment_id = a.id WHERE ${where}`)
    this.allCriteria = db.prepare(`SELECT c.assessment_id AS assessmentId, c.source, c.code, c.kind, c.max_points AS maxPoints, c.points, c.met, c.value, c.gap, c.status FROM assessments a JOIN assessment_criteria c ON c.assessment_id = a.id WHERE ${where}`)
  }

  private params() {
    const k = this.key
    return k.kind === 'period' ? { periodId: k.periodId, setId: k.setId, setVersion: k.setVersion } : { year: k.year, setId: k.setId }
  }

  /** Brings the records up to date. Run inside a read transaction: one consistent snapshot.
   *  Returns how many assessments were (re)loaded. */
  sync(): number {
    // Rows as arrays (id, version, schoolId, state, rowid): 30,000 of them on every summary.
    const current = this.versions.raw(true).all(this.params()) as [string, number, number, AssessmentState, number][]
    const seen = new Set<string>()
    const stale: VersionRow[] = []
    for (const [id, version, schoolId, state, rowid] of current) {
      seen.add(id)
      const r = this.records.get(id)
      if (!r || r.version !== version) stale.push({ id, version, schoolId, state, rowid })
    }
    let removed = 0
    if (seen.size !== this.records.size || stale.length > 0) {
      for (const id of this.records.keys()) if (!seen.has(id)) { this.drop(id); removed++ }
    }
    if (stale.length === 0) { if (removed) this.generation++; return removed }
    const fresh = new Map<string, AssessmentRecord>()
    for (const v of stale) {
      fresh.set(v.id, { id: v.id, schoolId: v.schoolId, state: v.state, version: v.version, rowid: v.rowid, groups: [], hasExternal: false, self: null, external: null })
    }
    const bulk = stale.length > BULK_RELOAD
    const groups = (bulk ? this.allGroups.iterate(this.params()) : stale.flatMap((v) => this.groupsOf.all(v.id))) as Iterable<GroupRow>
    for (const g of groups) {
      const r = fresh.get(g.assessmentId)
      if (!r) continue
      r.groups.push({ schoolId: r.schoolId, source: g.source, groupCode: g.groupCode, total: g.total, level: g.level, complete: g.complete === 1 })
      if (g.source === 'external') r.hasExternal = true
    }
    if (this.withCriteria) {
      // Rows as arrays: a national period is 1.8 million of them, and an object per row was most
      // of the first load's time and garbage.
      const rows = (bulk ? this.allCriteria.raw(true).iterate(this.params()) : stale.flatMap((v) => this.criteriaOf.raw(true).all(v.id))) as Iterable<CritRow>
      for (const c of rows) {
        const r = fresh.get(c[0])
        if (r) this.put(r, c)
      }
    }
    for (const r of fresh.values()) { this.drop(r.id); this.add(r) }
    this.generation++
    return stale.length + removed
  }

  private put(r: AssessmentRecord, [, source, code, kind, maxPoints, points, met, value, gap, status]: CritRow): void {
    const i = this.codes.slot(code, kind, maxPoints)
    const size = Math.max(i + 1, this.codes.codes.length)
    let rows: CriterionRows = (source === 'external' ? r.external : r.self) ?? emptyRows(size)
    if (rows.points.length <= i) rows = grown(rows, size)
    if (source === 'external') r.external = rows
    else r.self = rows
    rows.points[i] = points ?? Number.NaN
    rows.met[i] = met === null ? MET_NULL : met
    if (kind === 'target') rows.targets.push({ code, met: met === null ? null : met === 1, value, gap, status })
  }

  private add(r: AssessmentRecord): void {
    this.records.set(r.id, r)
    const list = this.bySchool.get(r.schoolId)
    if (list) list.push(r)
    else this.bySchool.set(r.schoolId, [r])
  }

  private drop(id: string): void {
    const r = this.records.get(id)
    if (!r) return
    this.records.delete(id)
    const list = this.bySchool.get(r.schoolId)
    if (!list) return
    const rest = list.filter((x) => x.id !== id)
    if (rest.length) this.bySchool.set(r.schoolId, rest)
    else this.bySchool.delete(r.schoolId)
  }
}
