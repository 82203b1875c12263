// Hand-worked expectations for example evidence (<name>.expected.json): the golden cases the
// verifier checks every criteria change against.
import type { Finding } from '../scoring/check-set.js'
import type { CriterionResult, ScoreResult } from '../scoring/types.js'

export interface Expectation {
  /** How the numbers were worked out, for the reader. */
  workings?: string[]
  complete?: boolean
  groups?: Record<string, { total?: number; level?: number | null; levelReason?: string }>
  overall?: number | null
  /** Points of scored criteria, met of mandatory/target ones. */
  criteria?: Record<string, number | boolean | null>
}

const TOLERANCE = 0.005 // reported points have 2 decimals

export function compareExpectation(result: ScoreResult, exp: Expectation): Finding[] {
  const findings: Finding[] = []
  const mismatch = (what: string, expected: unknown, actual: unknown, criterion?: string) => findings.push({
    severity: 'error', code: 'EXAMPLE_MISMATCH', path: '', ...(criterion ? { criterion } : {}),
    message: `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    fix: 'if the criteria changed on purpose, work the expectation out again by hand and update the .expected.json file',
  })
  const near = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= TOLERANCE : a === b)
  if (exp.complete !== undefined && exp.complete !== result.complete) mismatch('complete', exp.complete, result.complete)
  for (const [code, g] of Object.entries(exp.groups ?? {})) {
    const actual = result.groups.find((x) => x.code === code)
    if (!actual) { mismatch(`group ${code}`, 'present', 'absent'); continue }
    if (g.total !== undefined && !near(g.total, actual.totalExact)) mismatch(`group ${code} total`, g.total, actual.total)
    if (g.level !== undefined && g.level !== actual.level) mismatch(`group ${code} level`, g.level, actual.level)
    if (g.levelReason !== undefined && g.levelReason !== actual.levelReason?.code) mismatch(`group ${code} level reason`, g.levelReason, actual.levelReason?.code)
  }
  if (exp.overall !== undefined && exp.overall !== (result.overall?.level ?? null)) mismatch('overall level', exp.overall, result.overall?.level ?? null)
  const byCode = new Map<string, CriterionResult>()
  const index = (list: CriterionResult[]) => list.forEach((c) => { byCode.set(c.code, c); if (c.children) index(c.children) })
  result.groups.forEach((g) => index(g.criteria))
  for (const [code, expected] of Object.entries(exp.criteria ?? {})) {
    const c = byCode.get(code)
    if (!c) { mismatch(`criterion ${code}`, 'present', 'absent', code); continue }
    const actual = c.kind === 'scored' ? c.points : c.met
    if (!near(expected, actual)) mismatch(`criterion ${code}`, expected, actual, code)
  }
  return findings
}
