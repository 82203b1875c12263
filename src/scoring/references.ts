// Cross-set references: values another set's result gives this set (e.g. Long Biên's target
// "level 3 in both 4725 groups" reads the school's 4725 group levels).
import type { CompiledSet } from './compile-set.js'
import type { CriterionResult, ReferenceDef, ReferenceValues, ScoreResult } from './types.js'

/** The sets (id and optional pinned version) a compiled set reads results of. */
export function referencedSets(set: CompiledSet): { id: string; version?: string }[] {
  const seen = new Map<string, { id: string; version?: string }>()
  for (const r of Object.values(set.references)) seen.set(`${r.set}@${r.version ?? ''}`, r.version ? { id: r.set, version: r.version } : { id: r.set })
  return [...seen.values()]
}

/**
 * Picks the referenced values out of other sets' results (keyed by set id). A value from an
 * incomplete result, or from another version than the one pinned, is left out: the reading
 * criterion is then reported incomplete rather than scored on a provisional number.
 */
export function referenceValues(set: CompiledSet, results: Record<string, ScoreResult>): ReferenceValues {
  const values: ReferenceValues = {}
  for (const [name, ref] of Object.entries(set.references)) {
    const v = select(ref, results[ref.set])
    if (v !== undefined && v !== null) values[name] = v
  }
  return values
}

function select(ref: ReferenceDef, result: ScoreResult | undefined): unknown {
  if (!result || (ref.version !== undefined && result.set.version !== ref.version)) return undefined
  const s = ref.select
  if ('overall' in s) return result.complete ? result.overall?.level : undefined
  if ('group' in s) {
    const g = result.groups.find((x) => x.code === s.group)
    if (!g || !g.complete) return undefined
    return s.field === 'level' ? g.level : g.totalExact
  }
  const c = findCriterion(result.groups.flatMap((g) => g.criteria), s.criterion)
  if (!c || c.status !== 'evaluated') return undefined
  return c[s.field]
}

function findCriterion(list: CriterionResult[], code: string): CriterionResult | undefined {
  for (const c of list) {
    if (c.code === code) return c
    const inner = c.children ? findCriterion(c.children, code) : undefined
    if (inner) return inner
  }
  return undefined
}
