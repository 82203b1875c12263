// Evaluates evidence against a compiled set: points per criterion with an explanation, group
// totals and levels with their reason, the derived overall view, and next-level hints.
// Pure: no I/O, no clock, no randomness.
import type { CompiledCriterion, CompiledGroup, CompiledSet } from './compile-set.js'
import { nextLevelHint } from './hints.js'
import { HINT_BUDGET_NODES } from './limits.js'
import { bandOf, bandText } from './levels.js'
import { ChildrenSumExplanation, RuleExplanation } from './explanation.js'
import { clamp, fmtNumber, round2, trimNoise } from './numbers.js'
import { runRule, type Data } from './rules/compile.js'
import { truthy } from './rules/operators.js'
import type { Band, CriterionResult, GroupResult, Reason, ReferenceValues, ScoreResult, Threshold } from './types.js'

export interface ScoreOptions {
  /** Values of other sets' results this set reads (see referenceValues). */
  references?: ReferenceValues
  /** Compute "what it would take to reach the next level" per group. */
  hints?: boolean
  /** Rule nodes the hints may spend re-running rules (default HINT_BUDGET_NODES, limits.ts). */
  hintBudget?: number
}

/** Validates and scores an evidence bundle. Throws EvidenceError for invalid evidence. */
export function score(set: CompiledSet, bundle: unknown, opts: ScoreOptions = {}): ScoreResult {
  const { data, ignored } = set.prepare(bundle)
  if (opts.references) {
    const ref: Data = {}
    for (const [k, v] of Object.entries(opts.references)) if (v !== null && v !== undefined) ref[k] = v
    data.ref = ref
  }
  return evaluateData(set, data, ignored, opts.hints ?? false, opts.hintBudget)
}

export function evaluateData(set: CompiledSet, data: Data, ignoredFacts: string[], hints: boolean, hintBudget = HINT_BUDGET_NODES): ScoreResult {
  const ev: Evaluation = { data, errors: [], exact: new Map(), hintBudget: { left: hintBudget } }
  const errors = ev.errors
  const missing = new Set<string>()
  const groups = set.groups.map((g) => evaluateGroup(set, g, ev, missing, hints))
  const complete = groups.every((g) => g.complete) && errors.length === 0
  const result: ScoreResult = {
    set: { id: set.id, version: set.version, status: set.status, contentHash: set.contentHash, title: set.title },
    engine: set.engine,
    complete,
    missingFacts: [...missing].sort(),
    ignoredFacts,
    errors,
    groups,
    overall: overallOf(set, groups),
  }
  const targets = groups.filter((g) => g.targets).map((g) => g.targets as NonNullable<GroupResult['targets']>)
  if (targets.length > 0) {
    const met = targets.reduce((s, t) => s + t.met, 0)
    const total = targets.reduce((s, t) => s + t.total, 0)
    result.targets = { met, total, share: total === 0 ? 0 : round2(met / total), allMet: met === total }
  }
  return result
}

function evaluateGroup(set: CompiledSet, g: CompiledGroup, ev: Evaluation, missing: Set<string>, hints: boolean): GroupResult {
  const criteria = g.criteria.map((c) => evaluateCriterion(c, ev))
  const groupMissing = new Set<string>()
  const mandatory = { met: [] as string[], failed: [] as string[], incomplete: [] as string[] }
  let incomplete = false
  let hasError = false
  let targetsMet = 0
  let targetsTotal = 0
  const visit = (r: CriterionResult): void => {
    r.missingFacts?.forEach((k) => { groupMissing.add(k); missing.add(k) })
    if (r.kind !== 'info' && r.status === 'incomplete') incomplete = true
    if (r.status === 'error') hasError = true
    if (r.kind === 'mandatory') (r.met === true ? mandatory.met : r.met === false ? mandatory.failed : mandatory.incomplete).push(r.code)
    if (r.kind === 'target') { targetsTotal++; if (r.met === true) targetsMet++ }
    r.children?.forEach(visit)
  }
  criteria.forEach(visit)
  let sum = 0
  for (const r of criteria) if (r.kind === 'scored' && typeof r.points === 'number') sum += ev.exact.get(r.code) as number
  const totalExact = trimNoise(sum)
  const result: GroupResult = {
    code: g.code,
    title: g.title,
    maxPoints: g.maxPoints,
    total: round2(totalExact),
    totalExact,
    complete: !incomplete && !hasError,
    missingFacts: [...groupMissing].sort(),
    level: null,
    levelName: null,
    levelReason: null,
    mandatory,
    criteria,
  }
  if (g.def.declaredGap) result.declaredGap = { points: g.def.declaredGap.points, reason: g.def.declaredGap.reason }
  if (targetsTotal > 0) {
    result.targets = { met: targetsMet, total: targetsTotal, share: round2(targetsMet / targetsTotal), allMet: targetsMet === targetsTotal }
  }
  if (g.bands) {
    if (hasError) {
      result.levelReason = { code: 'RULE_ERROR', text: 'Không xác định được mức: có tiêu chí lỗi khi tính điểm (xem errors).' }
    } else {
      assignLevel(set, g, result)
      if (hints) result.nextLevel = nextLevelHint(set, g, result, ev)
    }
  }
  return result
}

/**
 * One evaluation's working state. Criterion points are reported rounded; sums, bands and hints
 * use the exact values kept here by criterion code.
 */
export interface Evaluation {
  data: Data
  errors: ScoreResult['errors']
  exact: Map<string, number>
  /** Rule nodes hints may still spend in this request (shared by every group; limits.ts). */
  hintBudget: { left: number }
}

function setPoints(ev: Evaluation, r: CriterionResult, exact: number): void {
  const t = trimNoise(exact)
  r.points = round2(t)
  ev.exact.set(r.code, t)
}

function assignLevel(set: CompiledSet, g: CompiledGroup, r: GroupResult): void {
  const bands = g.bands ?? []
  const band = bandOf(bands, r.totalExact)
  if (!band) return
  let level = band.level
  let reason: Reason = { code: 'BAND', text: `Tổng ${fmtNumber(r.totalExact)} điểm ${bandText(band)} → Mức ${band.level} (${band.name}).` }
  if (set.capLevel !== null && r.mandatory.failed.length > 0 && level > set.capLevel) {
    level = set.capLevel
    const capName = bands.find((b) => b.level === level)?.name ?? ''
    reason = {
      code: 'MANDATORY_CAP',
      text: `Giới hạn ở Mức ${level} (${capName}): điều kiện bắt buộc ${r.mandatory.failed.join(', ')} chưa đạt; tổng điểm ${fmtNumber(r.totalExact)} lẽ ra ở Mức ${band.level}.`,
      criteria: [...r.mandatory.failed],
    }
  }
  if (!r.complete) {
    reason = {
      code: 'PROVISIONAL',
      text: `Tạm tính (chưa đủ minh chứng: ${r.missingFacts.join(', ')}). ${reason.text}`,
      criteria: reason.criteria,
    }
  }
  r.level = level
  r.levelName = bands.find((b) => b.level === level)?.name ?? null
  r.levelReason = reason
}

export function evaluateCriterion(c: CompiledCriterion, ev: Evaluation): CriterionResult {
  const data = ev.data
  // Every field is present from the start (undefined ones are left out of JSON): one object
  // shape for all criteria keeps this hot path fast, and the JSON key order readable.
  const r: CriterionResult = {
    code: c.code, title: c.title, kind: c.kind, status: 'evaluated',
    maxPoints: c.maxPoints, points: undefined, met: undefined, value: undefined, gap: undefined, threshold: undefined,
    level: undefined, levelName: undefined, missingFacts: undefined, evidenceMissing: undefined, error: undefined,
    explanation: NO_EXPLANATION, provenance: c.def.provenance, children: undefined,
  }
  if (c.evidenceFacts.length > 0) {
    const evidenceMissing = c.evidenceFacts.filter((k) => data[k] === undefined)
    if (evidenceMissing.length > 0) r.evidenceMissing = evidenceMissing
  }
  if (c.children.length > 0) return evaluateParent(c, r, ev)
  if (c.kind === 'info' && !c.rule) {
    const value: Record<string, unknown> = {}
    for (const k of c.evidenceFacts) if (data[k] !== undefined) value[k] = data[k]
    r.value = value
    r.explanation = { read: value, text: 'Thông tin, không tính điểm.' }
    return r
  }
  const run = runRule(c.rule as NonNullable<CompiledCriterion['rule']>, data)
  const explanation = new RuleExplanation(run, data, r)
  r.explanation = explanation
  if (run.missing) {
    r.status = 'incomplete'
    r.missingFacts = run.missing
    if (c.kind === 'scored') r.points = null
    if (c.kind === 'mandatory' || c.kind === 'target') r.met = null
    return r
  }
  const v = run.value
  switch (c.kind) {
    case 'scored': {
      const max = c.maxPoints as number
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return fail(r, ev.errors, `rule returned ${typeof v === 'number' ? String(v) : JSON.stringify(v) ?? String(v)} instead of a finite number of points`)
      }
      const clamped = clamp(v, 0, max)
      explanation.clamped = clamped !== v
      setPoints(ev, r, clamped)
      explanation.band = applyBands(c, r, clamped)
      return r
    }
    case 'mandatory':
      r.met = truthy(v)
      return r
    case 'target': {
      if (typeof v === 'number' && !Number.isFinite(v)) return fail(r, ev.errors, `rule returned ${String(v)}`)
      const t = c.threshold as Threshold
      r.value = typeof v === 'number' ? trimNoise(v) : v
      r.threshold = t
      r.met = meets(r.value, t)
      r.gap = typeof r.value === 'number' && typeof t.value === 'number' ? gapTo(r.value, t) : null
      return r
    }
    case 'info':
      r.value = v
      return r
  }
}

// Placeholder until a criterion's own explanation is attached (never left in a result).
const NO_EXPLANATION: CriterionResult['explanation'] = { read: {}, text: '' }

function evaluateParent(c: CompiledCriterion, r: CriterionResult, ev: Evaluation): CriterionResult {
  const children = c.children.map((ch) => evaluateCriterion(ch, ev))
  r.children = children
  const missing = new Set<string>()
  let sum = 0
  for (const ch of children) {
    if (ch.kind !== 'scored') continue
    if (ch.status === 'error') r.status = 'error'
    else if (ch.status === 'incomplete' && r.status !== 'error') r.status = 'incomplete'
    ch.missingFacts?.forEach((k) => missing.add(k))
    if (typeof ch.points === 'number') sum += ev.exact.get(ch.code) as number
  }
  if (missing.size > 0) r.missingFacts = [...missing]
  const total = clamp(sum, 0, c.maxPoints ?? sum)
  setPoints(ev, r, total)
  const explanation = new ChildrenSumExplanation(r)
  r.explanation = explanation
  if (r.status === 'evaluated') explanation.band = applyBands(c, r, total)
  return r
}

function applyBands(c: CompiledCriterion, r: CriterionResult, points: number): Band | null {
  if (!c.bands) return null
  const band = bandOf(c.bands, trimNoise(points))
  r.level = band?.level ?? null
  r.levelName = band?.name ?? null
  return band
}

function fail(r: CriterionResult, errors: ScoreResult['errors'], message: string): CriterionResult {
  r.status = 'error'
  r.error = message
  if (r.kind === 'scored') r.points = null
  else r.met = null
  errors.push({ criterion: r.code, message })
  return r
}

export function meets(v: unknown, t: Threshold): boolean {
  switch (t.op) {
    case '==': return v === t.value
    case '>=': return typeof v === 'number' && v >= (t.value as number)
    case '>': return typeof v === 'number' && v > (t.value as number)
    case '<=': return typeof v === 'number' && v <= (t.value as number)
    case '<': return typeof v === 'number' && v < (t.value as number)
  }
}

function gapTo(v: number, t: Threshold): number {
  const target = t.value as number
  if (t.op === '>=' || t.op === '>') return round2(Math.max(0, target - v))
  if (t.op === '<=' || t.op === '<') return round2(Math.max(0, v - target))
  return round2(Math.abs(target - v))
}

function overallOf(set: CompiledSet, groups: GroupResult[]): ScoreResult['overall'] {
  const policy = set.def.policies?.overall
  if (!policy) return null
  const levels = groups.map((g) => g.level)
  if (levels.some((l) => l === null)) {
    return { level: null, levelName: null, derived: true, label: policy.label, reason: { code: 'NO_GROUP_LEVEL', text: 'Chưa có mức của tất cả các nhóm.' } }
  }
  const level = Math.min(...(levels as number[]))
  const g = groups.find((x) => x.level === level) as GroupResult
  return {
    level,
    levelName: g.levelName,
    derived: true,
    label: policy.label,
    reason: {
      code: groups.every((x) => x.complete) ? 'MIN_GROUP_LEVEL' : 'PROVISIONAL',
      text: `Mức thấp nhất của các nhóm: ${groups.map((x) => `Nhóm ${x.code} → Mức ${x.level}`).join(', ')}.`,
    },
  }
}
