// Evaluates evidence against a compiled set: points per criterion with an explanation, group
// totals and levels with their reason, the derived overall view, and next-level hints.
// Pure: no I/O, no clock, no randomness.
import type { CompiledCriterion, CompiledGroup, CompiledSet } from './compile-set.js'
import { nextLevelHint } from './hints.js'
import { bandOf } from './levels.js'
import { clamp, fmtNumber, round2, trimNoise } from './numbers.js'
import { runRule, type Data, type RuleRun } from './rules/compile.js'
import { truthy } from './rules/operators.js'
import type { CriterionResult, GroupResult, Reason, ReferenceValues, ScoreResult, Threshold } from './types.js'

export interface ScoreOptions {
  /** Values of other sets' results this set reads (see referenceValues). */
  references?: ReferenceValues
  /** Compute "what it would take to reach the next level" per group. */
  hints?: boolean
}

/** Validates and scores an evidence bundle. Throws EvidenceError for invalid evidence. */
export function score(set: CompiledSet, bundle: unknown, opts: ScoreOptions = {}): ScoreResult {
  const { data, ignored } = set.prepare(bundle)
  if (opts.references) {
    const ref: Data = Object.create(null)
    for (const [k, v] of Object.entries(opts.references)) if (v !== null && v !== undefined) ref[k] = v
    data.ref = ref
  }
  return evaluateData(set, data, ignored, opts.hints ?? false)
}

export function evaluateData(set: CompiledSet, data: Data, ignoredFacts: string[], hints: boolean): ScoreResult {
  const errors: ScoreResult['errors'] = []
  const missing = new Set<string>()
  const groups = set.groups.map((g) => evaluateGroup(set, g, data, errors, missing, hints))
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

function evaluateGroup(set: CompiledSet, g: CompiledGroup, data: Data, errors: ScoreResult['errors'], missing: Set<string>, hints: boolean): GroupResult {
  const criteria = g.criteria.map((c) => evaluateCriterion(c, data, errors))
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
  for (const r of criteria) if (r.kind === 'scored' && typeof r.points === 'number') sum += exactPoints(r)
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
      if (hints) result.nextLevel = nextLevelHint(set, g, result, data)
    }
  }
  return result
}

// Criterion points are stored rounded for display; sums use the exact value kept beside them.
const EXACT = Symbol('exactPoints')
function exactPoints(r: CriterionResult): number {
  return (r as any)[EXACT] ?? (r.points as number)
}
function setPoints(r: CriterionResult, exact: number): void {
  const t = trimNoise(exact)
  r.points = round2(t)
  Object.defineProperty(r, EXACT, { value: t, enumerable: false })
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

function bandText(b: { gt?: number; gte?: number; lt?: number; lte?: number }): string {
  const parts: string[] = []
  if (b.gt !== undefined) parts.push(`> ${b.gt}`)
  if (b.gte !== undefined) parts.push(`≥ ${b.gte}`)
  if (b.lt !== undefined) parts.push(`< ${b.lt}`)
  if (b.lte !== undefined) parts.push(`≤ ${b.lte}`)
  return parts.join(' và ')
}

export function evaluateCriterion(c: CompiledCriterion, data: Data, errors: ScoreResult['errors']): CriterionResult {
  const r: CriterionResult = {
    code: c.code, title: c.title, kind: c.kind, status: 'evaluated',
    explanation: { read: {}, text: '' },
    provenance: c.def.provenance,
  }
  const evidenceMissing = c.evidenceFacts.filter((k) => data[k] === undefined)
  if (evidenceMissing.length > 0) r.evidenceMissing = evidenceMissing

  if (c.children.length > 0) return evaluateParent(c, r, data, errors)
  if (c.kind === 'info' && !c.rule) {
    const value: Record<string, unknown> = {}
    for (const k of c.evidenceFacts) if (data[k] !== undefined) value[k] = data[k]
    r.value = value
    r.explanation = { read: value, text: 'Thông tin, không tính điểm.' }
    return r
  }
  const run = runRule(c.rule as NonNullable<CompiledCriterion['rule']>, data)
  r.explanation = explanationOf(run, data)
  if (c.kind === 'scored') r.maxPoints = c.maxPoints
  if (run.missing) {
    r.status = 'incomplete'
    r.missingFacts = run.missing
    if (c.kind === 'scored') r.points = null
    if (c.kind === 'mandatory' || c.kind === 'target') r.met = null
    r.explanation.text = `Chưa đủ minh chứng: thiếu ${run.missing.join(', ')}.`
    return r
  }
  const v = run.value
  switch (c.kind) {
    case 'scored': {
      const max = c.maxPoints as number
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        return fail(r, errors, `rule returned ${JSON.stringify(v) ?? String(v)} instead of a finite number of points`)
      }
      const clamped = clamp(v, 0, max)
      setPoints(r, clamped)
      r.explanation.text += ` ⇒ ${fmtNumber(clamped)}/${fmtNumber(max)} điểm${clamped !== v ? ` (giới hạn trong [0, ${fmtNumber(max)}])` : ''}`
      applyBands(c, r)
      return r
    }
    case 'mandatory':
      r.met = truthy(v)
      r.explanation.text += r.met ? ' ⇒ đạt' : ' ⇒ chưa đạt'
      return r
    case 'target': {
      if (typeof v === 'number' && !Number.isFinite(v)) return fail(r, errors, `rule returned ${String(v)}`)
      const t = c.threshold as Threshold
      r.value = typeof v === 'number' ? trimNoise(v) : v
      r.threshold = t
      r.met = meets(r.value, t)
      r.gap = typeof r.value === 'number' && typeof t.value === 'number' ? gapTo(r.value, t) : null
      r.explanation.text += ` ⇒ ${display(r.value)} (chỉ tiêu ${t.op} ${display(t.value)}): ${r.met ? 'đạt' : 'chưa đạt'}`
      return r
    }
    case 'info':
      r.value = v
      return r
  }
}

function evaluateParent(c: CompiledCriterion, r: CriterionResult, data: Data, errors: ScoreResult['errors']): CriterionResult {
  const children = c.children.map((ch) => evaluateCriterion(ch, data, errors))
  r.children = children
  r.maxPoints = c.maxPoints
  const scored = children.filter((ch) => ch.kind === 'scored')
  const missing = new Set<string>()
  let sum = 0
  for (const ch of scored) {
    if (ch.status === 'error') r.status = 'error'
    else if (ch.status === 'incomplete' && r.status !== 'error') r.status = 'incomplete'
    ch.missingFacts?.forEach((k) => missing.add(k))
    if (typeof ch.points === 'number') sum += exactPoints(ch)
  }
  if (missing.size > 0) r.missingFacts = [...missing]
  setPoints(r, clamp(sum, 0, c.maxPoints ?? sum))
  const parts = scored.map((ch) => `${ch.code}: ${ch.points === null ? '?' : fmtNumber(ch.points as number)}`)
  r.explanation = {
    read: {},
    text: `Tổng các tiêu chí con (${parts.join(', ')}) = ${fmtNumber(r.points as number)}/${fmtNumber(c.maxPoints ?? sum)} điểm${r.status === 'incomplete' ? ' (tạm tính)' : ''}`,
  }
  if (r.status === 'evaluated') applyBands(c, r)
  return r
}

function applyBands(c: CompiledCriterion, r: CriterionResult): void {
  if (!c.bands) return
  const band = bandOf(c.bands, exactPoints(r))
  r.level = band?.level ?? null
  r.levelName = band?.name ?? null
  if (band) r.explanation.text += `; Mức ${band.level} (${bandText(band)})`
}

function fail(r: CriterionResult, errors: ScoreResult['errors'], message: string): CriterionResult {
  r.status = 'error'
  r.error = message
  if (r.kind === 'scored') r.points = null
  else r.met = null
  errors.push({ criterion: r.code, message })
  return r
}

function explanationOf(run: RuleRun, data: Data): CriterionResult['explanation'] {
  const read: Record<string, unknown> = {}
  for (const k of run.read) read[k] = k.startsWith('ref.') ? (data.ref as Data)[k.slice(4)] : data[k]
  const values = run.read.map((k) => `${k} = ${display(read[k])}`).join('; ')
  const e: CriterionResult['explanation'] = { read, text: values ? `${run.text} [${values}]` : run.text }
  if (run.branches.length > 0) {
    e.branch = run.branches[0]
    e.condition = run.conditions[0]
  }
  return e
}

function display(v: unknown): string {
  if (typeof v === 'number') return fmtNumber(v)
  if (typeof v === 'object' && v !== null) return (v as { title?: string }).title ?? JSON.stringify(v)
  return String(v)
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
