// The per-school report of a unit (the exports) from a scope already authorised and resolved, and
// its rendering as JSON, CSV or XLSX bytes: shared by the service (in-process) and the jobs worker.
import { reportCsv, criteriaCsv } from '../reports/csv.js'
import { SchoolPoints } from '../reports/points.js'
import { flatten } from '../reports/rollup.js'
import type { GroupCell, ReportRow, UnitReport } from '../reports/types.js'
import { reportXlsx } from '../reports/xlsx.js'
import type { RollupsRepo } from '../repositories/types.js'
import { formatSchoolYear } from './school-year.js'
import type { SummaryJob } from './summary-compute.js'

export type ReportFormat = 'json' | 'csv' | 'xlsx'

/** Plain data (structured-cloneable) for a worker thread. `at`: the report's generatedAt. */
export interface ReportTask { job: SummaryJob; format: ReportFormat; group?: string; at: string }

export interface ReportFile { body: Buffer; contentType: string; fileName: string | null }

/** One row per school of the unit (every state; the state is a column). `points`: the
 *  per-criterion points to read — none (the summary CSV), one group's (its CSV), or all. */
export async function buildReport(r: RollupsRepo, { unit, period, set, scope }: SummaryJob, points: { group: string } | 'all' | 'none', at: Date): Promise<UnitReport> {
  const [schools, groups, previous, missing] = await Promise.all([r.schools(scope), r.groups(scope), r.previous(scope), r.missingFacts(scope)])
  const criteria = flatten(set.def).filter((f) => f.def.kind === 'scored')
    .map((f) => ({ code: f.def.code, title: f.def.title, groupCode: f.groupCode, maxPoints: f.def.maxPoints ?? null, depth: f.depth }))
  const index = SchoolPoints.indexOf(criteria.map((c) => c.code))
  const perSchool = new Map<number, SchoolPoints>()
  if (points !== 'none') {
    await r.criterionPoints(scope, points === 'all' ? null : points.group, (p) => {
      let m = perSchool.get(p.schoolId)
      if (!m) perSchool.set(p.schoolId, m = new SchoolPoints(index))
      m.set(p.code, p.source, p.points)
    })
  }
  const noPoints = new SchoolPoints(index)
  const cells = new Map<string, Record<string, GroupCell>>()
  const put = (key: string, groupCode: string, c: GroupCell) => { const m = cells.get(key) ?? {}; m[groupCode] = c; cells.set(key, m) }
  for (const g of groups) put(`${g.source}:${g.schoolId}`, g.groupCode, { total: g.total, level: g.level, complete: g.complete })
  for (const g of previous) put(`previous:${g.schoolId}`, g.groupCode, { total: g.total, level: g.level, complete: g.complete })
  const rows: ReportRow[] = schools.map((s) => ({
    moetCode: s.moetCode, name: s.name, unitCode: s.unitCode, unitName: s.unitName, levels: s.levels, ownership: s.ownership, state: s.state,
    self: cells.get(`self:${s.schoolId}`) ?? {},
    external: s.hasExternal ? cells.get(`external:${s.schoolId}`) ?? {} : null,
    previous: cells.get(`previous:${s.schoolId}`) ?? null,
    missingFacts: missing.get(s.schoolId) ?? [],
    criteria: perSchool.get(s.schoolId) ?? noPoints,
  }))
  return {
    unit: { code: unit.code, name: unit.name },
    period: { id: period.id, title: period.title, schoolYear: formatSchoolYear(period.schoolYear) },
    criteriaSet: { id: set.id, version: set.version, title: set.def.title },
    groups: set.def.groups.map((g) => ({ code: g.code, title: g.title, maxPoints: g.maxPoints ?? null })),
    criteria,
    rows,
    generatedAt: at,
  }
}

/** The report as the bytes of one format, with its content type and download name. */
export async function renderReport(r: RollupsRepo, task: ReportTask): Promise<ReportFile> {
  const { format, group } = task
  // The summary CSV has no per-criterion columns; a group's CSV needs that group's only.
  const points = format !== 'csv' ? 'all' : group === undefined ? 'none' : { group }
  const report = await buildReport(r, task.job, points, new Date(task.at))
  const base = `bao-cao-cds-${report.unit.code}-${report.period.schoolYear}`
  if (format === 'csv') {
    return { body: Buffer.from(group === undefined ? reportCsv(report) : criteriaCsv(report, group)), contentType: 'text/csv; charset=utf-8', fileName: `${base}${group ? `-nhom-${group}` : ''}.csv` }
  }
  if (format === 'xlsx') return { body: await reportXlsx(report), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${base}.xlsx` }
  return { body: Buffer.from(JSON.stringify(report)), contentType: 'application/json; charset=utf-8', fileName: null }
}
