// The unit summary from a scope already authorised and resolved (ReportsService.scope): the reads
// and the counting, shared by the service (in-process) and the summary worker thread.
import { buildRollup } from '../reports/rollup.js'
import type { Period, RollupScope, RollupsRepo, Unit } from '../repositories/types.js'
import type { CriteriaSetDef } from '../scoring/types.js'
import { formatSchoolYear } from './school-year.js'

/** Plain data (structured-cloneable): what a worker thread needs to count a summary. */
export interface SummaryJob {
  unit: Pick<Unit, 'id' | 'code' | 'name' | 'type'>
  period: Pick<Period, 'id' | 'title' | 'schoolYear' | 'unitCode'>
  set: { id: string; version: string; def: CriteriaSetDef }
  scope: RollupScope
}

export interface AsOf { at: string; dataVersion: string }

export async function computeSummary(r: RollupsRepo, { unit, period, set, scope }: SummaryJob, asOf: AsOf) {
  const [schools, groups, stats, cuts, targets, previous, children] = await Promise.all([
    r.schools(scope), r.groups(scope), r.criterionStats(scope), r.criterionCuts(scope), r.targets(scope), r.previous(scope), r.children(unit.id),
  ])
  return {
    unit: { code: unit.code, name: unit.name, type: unit.type },
    period: { id: period.id, title: period.title, schoolYear: formatSchoolYear(period.schoolYear), unitCode: period.unitCode },
    criteriaSet: { id: set.id, version: set.version, title: set.def.title },
    asOf,
    ...buildRollup({ def: set.def, states: scope.states, schools, groups, stats, cuts, targets, previous, children, year: period.schoolYear }),
  }
}

export type UnitSummary = Awaited<ReturnType<typeof computeSummary>>
