// The criteria verifier: everything a criteria file must satisfy before anyone is scored with it.
//   schema validity · every var a declared fact or reference · unique codes · maxima add up (or a
//   declared gap) · level bands cover 0…max · provenance on every criterion · rules stay within
//   [0, max] and finite over boundary and random evidence · both engine backends agree · the
//   examples beside the set score without error and match their hand-worked expectations.
import { existsSync, readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Catalog, SetEntry } from '../criteria/catalog.js'
import { readJson } from '../criteria/catalog.js'
import { scoreWithReferences } from '../criteria/score-bundle.js'
import { checkSet, type Finding } from '../scoring/check-set.js'
import { compileSet, type CompiledCriterion, type CompiledSet } from '../scoring/compile-set.js'
import { EvidenceError } from '../scoring/evidence.js'
import { runRule, type Data } from '../scoring/rules/compile.js'
import { truthy } from '../scoring/rules/operators.js'
import { VERIFY_BUDGET_NODES, VERIFY_MIN_SAMPLES } from '../scoring/limits.js'
import type { CriterionDef, ScoreResult } from '../scoring/types.js'
import { compareExpectation, type Expectation } from './expectations.js'
import { samplesFor } from './samples.js'

export interface FileReport { file: string; findings: Finding[] }

const RANDOM_SAMPLES = 300
const BOUNDARY_COMBINATIONS = 512
/** Samples per rule when the budget is no constraint: the boundary combinations, the
 *  parts-equal-wholes one, the random ones. */
const FULL_SAMPLES = BOUNDARY_COMBINATIONS + 1 + RANDOM_SAMPLES

/** How many samples each rule gets so that all rules × samples × 2 backends stay within
 *  VERIFY_BUDGET_NODES (each run costs its rule's node count). Shipped sets get the full count. */
export function sampleCounts(compiled: CompiledSet): { combinations: number; random: number } {
  let nodes = 0
  for (const c of compiled.byCode.values()) nodes += c.rule?.size ?? 0
  const perRule = nodes === 0 ? FULL_SAMPLES : Math.floor(VERIFY_BUDGET_NODES / (2 * nodes))
  if (perRule >= FULL_SAMPLES) return { combinations: BOUNDARY_COMBINATIONS, random: RANDOM_SAMPLES }
  const n = Math.max(VERIFY_MIN_SAMPLES, perRule)
  // Boundary values first (they find most problems), then random ones, in the usual proportion.
  const combinations = Math.max(1, Math.floor((n * BOUNDARY_COMBINATIONS) / FULL_SAMPLES))
  return { combinations, random: Math.max(0, n - combinations - 1) }
}

/** Verifies every file in the catalog (and the problems found while loading it). */
export function verifyCatalog(catalog: Catalog): FileReport[] {
  const reports: FileReport[] = catalog.problems.map((p) => ({ file: p.file, findings: p.findings }))
  for (const entry of catalog.list()) reports.push(...verifySet(entry, catalog))
  return reports
}

/** Verifies one set file (loading it into the catalog first if it is not there). */
export function verifyFile(file: string, catalog: Catalog): FileReport[] {
  const before = catalog.problems.length
  const entry = catalog.addSetFile(file)
  if (!entry) return catalog.problems.slice(before).map((p) => ({ file: p.file, findings: p.findings }))
  return verifySet(entry, catalog)
}

/** Verifies one set entry (a file's, or a set held in the database). */
export function verifySet(entry: SetEntry, catalog: Catalog): FileReport[] {
  const { def, file } = entry
  const vocabulary = catalog.vocabularyOf(def)
  const findings: Finding[] = []
  if (def.vocabulary && !vocabulary) {
    findings.push({ severity: 'error', code: 'UNKNOWN_VOCABULARY', path: '/vocabulary', message: `vocabulary "${def.vocabulary}" not found`, fix: `add criteria/facts/${def.vocabulary}.json or correct the name` })
  }
  findings.push(...checkSet(def, vocabulary).findings)
  findings.push(...checkReferences(entry, catalog))
  if (findings.some((f) => f.severity === 'error')) return [{ file, findings }]

  const compiled = compileSet(def, vocabulary)
  const reference = compileSet(def, vocabulary, { backend: 'json-logic-js' })
  const counts = sampleCounts(compiled)
  for (const c of compiled.byCode.values()) findings.push(...checkRuleBehaviour(compiled, reference, c, counts))
  const reports: FileReport[] = [{ file, findings }]
  reports.push(...verifyExamples(entry, compiled, catalog))
  return reports
}

function checkReferences(entry: SetEntry, catalog: Catalog): Finding[] {
  const findings: Finding[] = []
  for (const [name, ref] of Object.entries(entry.def.references ?? {})) {
    const path = `/references/${name}`
    if (ref.set === entry.def.id) {
      findings.push({ severity: 'error', code: 'SELF_REFERENCE', path, message: `reference "${name}" reads this set's own result`, fix: 'reference another set' })
      continue
    }
    let target: SetEntry
    try {
      target = catalog.find(ref.version ? `${ref.set}@${ref.version}` : ref.set)
    } catch (e) {
      findings.push({ severity: 'error', code: 'UNKNOWN_REFERENCED_SET', path, message: (e as Error).message, fix: 'load the referenced set into criteria/ or correct set/version' })
      continue
    }
    const s = ref.select
    if ('group' in s && !target.def.groups.some((g) => g.code === s.group)) {
      findings.push({ severity: 'error', code: 'UNKNOWN_REFERENCED_GROUP', path: `${path}/select/group`, message: `${target.def.id}@${target.def.version} has no group "${s.group}"`, fix: `use one of ${target.def.groups.map((g) => g.code).join(', ')}` })
    }
    if ('criterion' in s && !hasCriterion(target.def.groups.flatMap((g) => g.criteria), s.criterion)) {
      findings.push({ severity: 'error', code: 'UNKNOWN_REFERENCED_CRITERION', path: `${path}/select/criterion`, message: `${target.def.id}@${target.def.version} has no criterion "${s.criterion}"`, fix: 'correct the criterion code' })
    }
    if ('overall' in s && !target.def.policies?.overall) {
      findings.push({ severity: 'error', code: 'NO_OVERALL_LEVEL', path, message: `${target.def.id} defines no overall level`, fix: 'select a group level instead' })
    }
  }
  return findings
}

function hasCriterion(list: CriterionDef[], code: string): boolean {
  return list.some((c) => c.code === code || hasCriterion(c.children ?? [], code))
}

function describe(d: Data, vars: string[]): string {
  return vars.map((v) => `${v}=${JSON.stringify(v.startsWith('ref.') ? (d.ref as Data | undefined)?.[v.slice(4)] : d[v])}`).join(', ')
}

/** Runs one criterion's rule over boundary and random evidence, on both backends. */
function checkRuleBehaviour(compiled: CompiledSet, reference: CompiledSet, c: CompiledCriterion, counts: { combinations: number; random: number }): Finding[] {
  if (!c.rule) return []
  const ref = reference.byCode.get(c.code) as CompiledCriterion
  const where = { path: '', criterion: c.code }
  const findings: Finding[] = []
  const report = (code: string, message: string, fix: string) => {
    if (!findings.some((f) => f.code === code)) findings.push({ severity: 'error', code, ...where, message, fix })
  }
  for (const d of samplesFor(compiled, c.rule.vars, counts.random, undefined, counts.combinations)) {
    let value: unknown
    let expected: unknown
    try {
      value = runRule(c.rule, d).value
      expected = runRule(ref.rule as NonNullable<typeof ref.rule>, d).value
    } catch (e) {
      report('RULE_THROWS', `rule throws "${(e as Error).message}" when ${describe(d, c.rule.vars)}`, 'guard the operation (e.g. check a divisor is > 0)')
      continue
    }
    if (!sameValue(value, expected)) {
      report('ENGINE_MISMATCH', `the compiled engine gives ${JSON.stringify(value)} but json-logic-js gives ${JSON.stringify(expected)} when ${describe(d, c.rule.vars)}`, 'report this as an engine bug; meanwhile rewrite the rule with plainer operators')
    }
    if (c.kind === 'scored') {
      const max = c.maxPoints as number
      if (typeof value !== 'number') report('RULE_NOT_NUMBER', `rule gives ${JSON.stringify(value)}, not points, when ${describe(d, c.rule.vars)}`, 'make every branch give a number of points')
      else if (!Number.isFinite(value)) report('RULE_NON_FINITE', `rule gives ${value} when ${describe(d, c.rule.vars)}`, 'guard divisions: {"if": [{">": [{"var": ["whole", 0]}, 0]}, …, 0]}')
      else if (value > max + 1e-9) report('RULE_ABOVE_MAX', `rule gives ${value} points, above the maximum ${max}, when ${describe(d, c.rule.vars)}`, `cap it (e.g. {"min": [${max}, …]}) or correct maxPoints`)
      else if (value < -1e-9) report('RULE_BELOW_ZERO', `rule gives ${value} points when ${describe(d, c.rule.vars)}`, 'points cannot be negative: cap at 0 with {"max": [0, …]}')
    } else if (c.kind === 'target' && typeof value === 'number' && !Number.isFinite(value)) {
      report('RULE_NON_FINITE', `rule gives ${value} when ${describe(d, c.rule.vars)}`, 'guard divisions by zero')
    } else if (c.kind === 'mandatory' && typeof value !== 'boolean') {
      if (!findings.some((f) => f.code === 'MANDATORY_NOT_BOOLEAN')) {
        findings.push({ severity: 'warning', code: 'MANDATORY_NOT_BOOLEAN', ...where, message: `a pass/fail rule gives ${JSON.stringify(value)} (read as ${truthy(value) ? 'pass' : 'fail'})`, fix: 'wrap it in {"!!": …} to make pass/fail explicit' })
      }
    }
  }
  return findings
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b))
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Examples live in <set dir>/examples/*.json; <name>.expected.json holds hand-worked results. */
function verifyExamples(entry: SetEntry, compiled: CompiledSet, catalog: Catalog): FileReport[] {
  const dir = join(dirname(entry.file), 'examples')
  if (!existsSync(dir)) return []
  const reports: FileReport[] = []
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.expected.json')).sort()) {
    const file = join(dir, name)
    const findings: Finding[] = []
    const { json, problem } = readJson(file)
    if (problem) { reports.push({ file, findings: [problem] }); continue }
    const forSet = (json as { set?: string }).set
    if (forSet !== undefined && forSet !== `${compiled.id}@${compiled.version}` && forSet !== compiled.id) continue
    let result: ScoreResult
    try {
      result = scoreWithReferences(compiled, json, catalog)
    } catch (e) {
      const issues = e instanceof EvidenceError ? e.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : (e as Error).message
      reports.push({ file, findings: [{ severity: 'error', code: 'EXAMPLE_INVALID', path: '', message: `example does not score: ${issues}`, fix: 'correct the example evidence' }] })
      continue
    }
    for (const err of result.errors) findings.push({ severity: 'error', code: 'EXAMPLE_RULE_ERROR', path: '', criterion: err.criterion, message: err.message })
    const expectedFile = join(dir, `${basename(name, '.json')}.expected.json`)
    if (existsSync(expectedFile)) {
      const exp = readJson(expectedFile)
      if (exp.problem) findings.push(exp.problem)
      else findings.push(...compareExpectation(result, exp.json as Expectation))
    }
    reports.push({ file, findings })
  }
  return reports
}
