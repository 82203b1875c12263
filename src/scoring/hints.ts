// "What would it take to reach the next level": for each scored criterion with points still
// available, the fact change(s) that earn the most, found by re-running that criterion's own
// rule on changed evidence (so hints can never disagree with scoring). Mandatory conditions
// that cap the group are listed first. Re-runs draw on the request's budget (limits.ts): a
// criterion whose search does not fit in what is left gets no hint and the hint says `truncated`.
import type { CompiledCriterion, CompiledGroup, CompiledSet } from './compile-set.js'
import type { Evaluation } from './evaluate.js'
import { lowerBound } from './levels.js'
import { clamp, round2, trimNoise } from './numbers.js'
import { runRule, type Data } from './rules/compile.js'
import { truthy } from './rules/operators.js'
import type { CriterionResult, FactDef, GroupResult, HintChange, HintItem, NextLevelHint } from './types.js'

export function nextLevelHint(set: CompiledSet, g: CompiledGroup, r: GroupResult, ev: Evaluation): NextLevelHint | null {
  const data = ev.data
  const bands = g.bands
  if (!bands || r.level === null) return null
  const next = bands.filter((b) => b.level > (r.level as number)).sort((a, b) => a.level - b.level)[0]
  if (!next) return null
  const bound = lowerBound(next)
  const pointsNeeded = round2(Math.max(0, bound.value - r.totalExact))

  const results = new Map<string, CriterionResult>()
  const index = (list: CriterionResult[]) => list.forEach((x) => { results.set(x.code, x); if (x.children) index(x.children) })
  index(r.criteria)

  const mandatory: NextLevelHint['mandatory'] = []
  const items: HintItem[] = []
  const budget = new Budget(ev.hintBudget)
  const visit = (c: CompiledCriterion): void => {
    if (c.children.length > 0) { c.children.forEach(visit); return }
    const cr = results.get(c.code)
    if (!cr || !c.rule) return
    if (c.kind === 'mandatory' && cr.met !== true) {
      const best = bestChange(set, c, data, (run) => truthy(run), budget)
      mandatory.push({ criterion: c.code, title: c.title, changes: best?.changes ?? provide(set, cr) })
    }
    if (c.kind !== 'scored') return
    const current = ev.exact.get(c.code) ?? 0
    const available = round2((c.maxPoints as number) - current)
    if (available <= 0) return
    if (cr.status === 'incomplete') {
      items.push({ criterion: c.code, title: c.title, available, gain: available, changes: provide(set, cr) })
      return
    }
    const max = c.maxPoints as number
    const best = bestChange(set, c, data, (v) => (typeof v === 'number' && Number.isFinite(v) ? clamp(v, 0, max) - current : 0), budget)
    if (best && best.gain > 0) items.push({ criterion: c.code, title: c.title, available, gain: round2(trimNoise(best.gain)), changes: best.changes })
  }
  g.criteria.forEach(visit)
  items.sort((a, b) => b.gain - a.gain || b.available - a.available || a.criterion.localeCompare(b.criterion))
  const totalGain = items.reduce((s, i) => s + i.gain, 0)
  const reaches = bound.exclusive ? totalGain > bound.value - r.totalExact : totalGain >= bound.value - r.totalExact
  const capBlocks = r.mandatory.failed.length > 0 || r.mandatory.incomplete.length > 0
  return {
    targetLevel: next.level,
    targetLevelName: next.name,
    pointsNeeded,
    mustExceed: bound.exclusive,
    mandatory,
    criteria: items,
    sufficient: reaches && (!capBlocks || mandatory.every((m) => m.changes.length > 0)),
    ...(budget.cut ? { truncated: true } : {}),
  }
}

/** The request's re-run budget in rule nodes; `cut` once any search was skipped or shortened. */
class Budget {
  cut = false
  constructor(private readonly pool: { left: number }) {}
  /** Takes the cost of `runs` runs of `rule` if it all fits; otherwise takes nothing. */
  take(rule: { size: number }, runs = 1): boolean {
    const cost = rule.size * runs
    if (cost > this.pool.left) { this.cut = true; return false }
    this.pool.left -= cost
    return true
  }
}

/** For an incomplete criterion: the facts to provide. */
function provide(set: CompiledSet, cr: CriterionResult): HintChange[] {
  return (cr.missingFacts ?? []).map((k) => ({ fact: k, label: set.facts.get(k)?.label ?? k, from: null, to: 'cung cấp minh chứng' }))
}

interface Change { gain: number; changes: HintChange[] }

function bestChange(set: CompiledSet, c: CompiledCriterion, data: Data, gainOf: (value: unknown) => number | boolean, budget: Budget): Change | null {
  const rule = c.rule
  if (!rule) return null
  const facts = rule.vars.filter((v) => !v.startsWith('ref.')).map((k) => set.facts.get(k)).filter((f): f is FactDef => f !== undefined)
  const options: { fact: FactDef; to: unknown }[][] = facts.map((f) => candidates(f, data).map((to) => ({ fact: f, to })))
  // Single changes, then every fact at its best value together (e.g. "both gradebook and transcript").
  const trials: { fact: FactDef; to: unknown }[][] = options.flat().map((o) => [o])
  const together = options.map((o) => o[o.length - 1]).filter((o): o is { fact: FactDef; to: unknown } => o !== undefined)
  if (together.length > 1) trials.push(together)
  // All the trials or none: a half-searched criterion would offer a change that is not the best.
  if (!budget.take(rule, trials.length)) return null
  let best: Change | null = null
  for (const trial of trials) {
    // Changed facts layered over the evidence (a prototype chain), not a copy of it.
    const changed: Data = Object.create(data)
    for (const t of trial) changed[t.fact.key] = t.to
    const gain = gainAt(rule, changed, gainOf)
    if (gain > 0 && (!best || gain > best.gain + 1e-9 || (Math.abs(gain - best.gain) <= 1e-9 && trial.length < best.changes.length))) {
      const to = (t: { fact: FactDef; to: unknown }) => (trial.length === 1 ? smallestSufficient(rule, data, t, gain, gainOf, budget) : t.to)
      best = { gain, changes: trial.map((t) => ({ fact: t.fact.key, label: t.fact.label, from: data[t.fact.key] ?? null, to: to(t) })) }
    }
  }
  return best
}

function gainAt(rule: NonNullable<CompiledCriterion['rule']>, d: Data, gainOf: (value: unknown) => number | boolean): number {
  const run = runRule(rule, d)
  if (run.missing) return 0
  const g = gainOf(run.value)
  return typeof g === 'boolean' ? (g ? 1 : 0) : g
}

/**
 * For a count raised to its upper bound, the smallest count that earns the same gain
 * ("informatics_computers: 25 → 38", not "→ 5000"). Rules are monotone in such counts in
 * practice; the answer is re-checked, and the bound kept if the search finds nothing better.
 */
function smallestSufficient(rule: NonNullable<CompiledCriterion['rule']>, data: Data, t: { fact: FactDef; to: unknown }, gain: number, gainOf: (value: unknown) => number | boolean, budget: Budget): unknown {
  if (t.fact.type !== 'integer' || typeof t.to !== 'number') return t.to
  const from = data[t.fact.key]
  let lo = typeof from === 'number' ? from : (t.fact.min ?? 0)
  let hi = t.to
  // The bisection and its re-check; without the budget for them the upper bound (which earns
  // the gain) stays the answer.
  if (!budget.take(rule, Math.ceil(Math.log2(Math.max(2, hi - lo + 1))) + 1)) return t.to
  const probe: Data = Object.create(data)
  const ok = (v: number) => { probe[t.fact.key] = v; return gainAt(rule, probe, gainOf) >= gain - 1e-9 }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (ok(mid)) hi = mid
    else lo = mid + 1
  }
  return ok(hi) ? hi : t.to
}

/** Values worth trying for a fact, best-for-the-school last: yes, the whole, the upper bound. */
function candidates(f: FactDef, data: Data): unknown[] {
  const current = data[f.key]
  let values: unknown[] = []
  switch (f.type) {
    case 'boolean': values = [false, true]; break
    case 'enum': values = (f.values ?? []).map((v) => v.value); break
    case 'integer':
    case 'number': {
      const whole = f.maxFact !== undefined ? data[f.maxFact] : undefined
      const upper = typeof whole === 'number' ? whole : f.max
      if (upper !== undefined) values = [upper]
      break
    }
    default: values = []
  }
  return values.filter((v) => v !== current)
}
