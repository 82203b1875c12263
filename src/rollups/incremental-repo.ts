// A RollupsRepo that answers the summary's reads from records kept in memory (src/rollups/
// snapshot.ts) instead of scanning millions of criterion rows per call: each call first brings the
// records up to date (a scan of assessment versions, then only the changed assessments' rows), so
// every answer reflects the latest committed write. The per-school report reads (criterionPoints,
// missingFacts) and the unit's children stay in SQL. Its answers equal those of the SQL repository
// (test/rollups/differential.test.ts).
import type Database from 'better-sqlite3'
import type { CriterionCut, CriterionStat, RollupGroupRow, RollupScope, RollupsRepo, ScopeSchool, TargetRow } from '../repositories/types.js'
import { rollupsRepo } from '../repositories/sqlite/rollups.js'
import { Kbn, MET_NULL, NO_ROW, type AssessmentRecord, type CriterionRows } from './records.js'
import { Snapshot, type SnapshotKey } from './snapshot.js'
import { Structure } from './structure.js'

// As in the SQL: full points within float noise of the maximum (stored points have 2 decimals).
const EPS = 1e-6

interface Scoped {
  schools: ScopeSchool[]
  /** The counted schools' records (state in scope.states), each with the source that counts. */
  counted: { r: AssessmentRecord; src: CriterionRows | null }[]
  inScope: AssessmentRecord[]
  snapshot: Snapshot
  previous: Snapshot
}

const byBinary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export interface IncrementalRollups extends RollupsRepo {
  /** How many assessments the last sync reloaded (for tests and logs). */
  readonly lastReloaded: number
}

export function incrementalRollups(db: Database.Database, opts: { maxSnapshots?: number } = {}): IncrementalRollups {
  const sql = rollupsRepo(db)
  const structure = new Structure(db)
  const snapshots = new Map<string, Snapshot>()
  const maxSnapshots = opts.maxSnapshots ?? 8
  let lastReloaded = 0
  // One sync per data version and scope: the summary asks six questions of the same scope at once.
  const dataVersion = db.prepare('SELECT total_changes() AS own, (SELECT data_version FROM pragma_data_version) AS other')
  let memo: { version: string; key: string; scoped: Scoped } | null = null
  // The previous year's rows change far less often than the current year's: kept per scope until
  // that year's records or the hierarchy move.
  const previousRows = new Map<string, (RollupGroupRow & { state: ScopeSchool['state'] & string })[]>()

  const snapshot = (key: SnapshotKey): Snapshot => {
    const id = JSON.stringify(key)
    let s = snapshots.get(id)
    if (s) { snapshots.delete(id); snapshots.set(id, s); return s }
    s = new Snapshot(db, key)
    snapshots.set(id, s)
    // Least recently used out: a national snapshot holds ~30 MB of points.
    if (snapshots.size > maxSnapshots) snapshots.delete(snapshots.keys().next().value as string)
    return s
  }

  const scoped = (scope: RollupScope): Scoped => {
    const v = dataVersion.get() as { own: number; other: number }
    const version = `${v.own}.${v.other}`
    const key = JSON.stringify(scope)
    if (memo && memo.version === version && memo.key === key) return memo.scoped
    const current = snapshot({ kind: 'period', periodId: scope.periodId, setId: scope.setId, setVersion: scope.setVersion })
    const previous = snapshot({ kind: 'year', year: scope.year - 1, setId: scope.setId })
    // One read transaction: the hierarchy and both snapshots from the same committed state.
    db.transaction(() => {
      structure.sync()
      lastReloaded = current.sync() + previous.sync()
    })()
    const states = new Set<string>(scope.states)
    const schools: ScopeSchool[] = []
    const counted: Scoped['counted'] = []
    const inScope: AssessmentRecord[] = []
    for (const s of structure.schoolsIn(scope.rootUnitId, scope.year)) {
      const r = current.bySchool.get(s.schoolId)?.[0]
      schools.push({
        schoolId: s.schoolId, moetCode: s.moetCode, name: s.name, levels: s.levels, ownership: s.ownership, unitId: s.unitId, unitCode: s.unitCode,
        unitName: s.unitName, childUnitId: s.childUnitId, assessmentId: r?.id ?? null, state: r?.state ?? null, hasExternal: r?.hasExternal ?? false,
      })
      if (!r) continue
      inScope.push(r)
      if (states.has(r.state)) counted.push({ r, src: r.hasExternal ? r.external : r.self })
    }
    const out: Scoped = { schools, counted, inScope, snapshot: current, previous }
    memo = { version, key, scoped: out }
    return out
  }

  const irregular = (s: Scoped) => s.snapshot.codes.irregular

  return {
    get lastReloaded() { return lastReloaded },
    async schools(scope) { return scoped(scope).schools },
    async groups(scope) {
      return scoped(scope).inScope.flatMap((r) => r.groups)
    },
    async criterionStats(scope) {
      const s = scoped(scope)
      if (irregular(s)) return sql.criterionStats(scope)
      const { codes, kinds, maxPoints } = s.snapshot.codes
      const acc = codes.map(() => ({ schools: 0, full: 0, zero: 0, sum: new Kbn() }))
      for (const { src } of s.counted) {
        if (!src) continue
        for (let i = 0; i < src.points.length; i++) {
          if (kinds[i] !== 'scored') continue
          const p = src.points[i] as number
          if (Number.isNaN(p)) continue
          const a = acc[i]!
          a.schools++
          const max = maxPoints[i]
          if (max !== null && max !== undefined && p >= max - EPS) a.full++
          if (p <= EPS) a.zero++
          a.sum.add(p)
        }
      }
      const out: CriterionStat[] = []
      codes.forEach((code, i) => {
        const a = acc[i]!
        if (a.schools > 0) out.push({ code, schools: a.schools, full: a.full, zero: a.zero, meanPoints: a.sum.total / a.schools })
      })
      return out.sort((a, b) => byBinary(a.code, b.code))
    },
    async criterionCuts(scope) {
      const s = scoped(scope)
      if (irregular(s)) return sql.criterionCuts(scope)
      const { codes, kinds } = s.snapshot.codes
      const acc = codes.map(() => ({ schools: 0, cut: 0, raised: 0, diff: new Kbn(), pointsCut: new Kbn() }))
      for (const { r } of s.counted) {
        if (!r.hasExternal || !r.external || !r.self) continue
        const e = r.external
        const self = r.self
        for (let i = 0; i < e.met.length; i++) {
          const kind = kinds[i]
          if ((kind !== 'scored' && kind !== 'mandatory') || e.met[i] === NO_ROW || (self.met[i] ?? NO_ROW) === NO_ROW) continue
          const a = acc[i]!
          if (kind === 'scored') {
            const ep = e.points[i] as number
            const sp = self.points[i] as number
            if (Number.isNaN(ep) || Number.isNaN(sp)) continue
            a.schools++
            if (ep < sp - EPS) a.cut++
            if (ep > sp + EPS) a.raised++
            a.diff.add(ep - sp)
            if (sp > ep) a.pointsCut.add(sp - ep)
          } else {
            const em = e.met[i] as number
            const sm = self.met[i] as number
            if (em === MET_NULL || sm === MET_NULL) continue
            a.schools++
            if (sm === 1 && em === 0) a.cut++
            if (sm === 0 && em === 1) a.raised++
          }
        }
      }
      const out: CriterionCut[] = []
      codes.forEach((code, i) => {
        const a = acc[i]!
        if (a.schools > 0) out.push({ code, schools: a.schools, cut: a.cut, raised: a.raised, meanDiff: a.diff.n ? a.diff.total / a.diff.n : null as unknown as number, pointsCut: a.pointsCut.total })
      })
      return out.sort((a, b) => byBinary(a.code, b.code))
    },
    async targets(scope) {
      const out: TargetRow[] = []
      for (const { r, src } of scoped(scope).counted) {
        for (const t of src?.targets ?? []) out.push({ schoolId: r.schoolId, code: t.code, met: t.met, value: t.value, gap: t.gap, status: t.status })
      }
      return out
    },
    async previous(scope) {
      const s = scoped(scope)
      const key = `${scope.rootUnitId}|${scope.year}|${scope.setId}|${scope.states.join(',')}|${s.previous.generation}|${structure.version}`
      const kept = previousRows.get(key)
      if (kept) return kept
      const states = new Set<string>(scope.states)
      const out: (RollupGroupRow & { state: ScopeSchool['state'] & string })[] = []
      const done = new Set<number>()
      for (const school of s.schools) {
        if (done.has(school.schoolId)) continue
        done.add(school.schoolId)
        let latest: AssessmentRecord | undefined
        for (const r of s.previous.bySchool.get(school.schoolId) ?? []) {
          if (states.has(r.state) && (!latest || r.rowid > latest.rowid)) latest = r
        }
        if (!latest) continue
        const source = latest.hasExternal ? 'external' : 'self'
        for (const g of latest.groups) if (g.source === source) out.push({ ...g, state: latest.state })
      }
      if (previousRows.size >= 32) previousRows.delete(previousRows.keys().next().value as string)
      previousRows.set(key, out)
      return out
    },
    criterionPoints: (scope, group, visit) => sql.criterionPoints(scope, group, visit),
    missingFacts: (scope) => sql.missingFacts(scope),
    children: (unitId) => sql.children(unitId),
  }
}
