// Benchmark: full QĐ 4725 evaluations per second, measured in one run for
//   (E)    the engine, score(set, bundle)                   — validation, explanations, totals, levels
//   (Ev)   the engine on evidence validated beforehand (evaluateData): what evaluation alone costs
//   (E+h)  the engine with hints, score(set, bundle, { hints: true })
//   (a)    bare json-logic-js: jsonLogic.apply(rule, facts) over every criterion rule of the set,
//          points summed per group the simplest way (no validation, no explanation)
//   (b)    a hand-written TypeScript function for the same points, totals and levels (the ceiling)
// on N deterministic, valid, complete evidence bundles (mulberry32). Before timing, (E), (a) and
// (b) must agree on every bundle; then the variants run in interleaved rounds and the median of
// each is reported, with ratios (the machine is shared and noisy: compare ratios, not absolutes).
//
//   npm run bench:score -- [--quick] [--json] [--jl] [--bundles=N] [--evals=N] [--rounds=N]
//                          [--warmup=N] [--min-round-ms=N] [--seed=N]
//   npm run bench:score -- --quick
import { readFileSync } from 'node:fs'
import os from 'node:os'
import v8 from 'node:v8'
import vm from 'node:vm'
import jsonLogic from 'json-logic-js'
import { Catalog } from '../src/criteria/catalog.js'
import { evaluateData, score, type CompiledSet } from '../src/scoring/index.js'
import type { Band, CriteriaSetDef, CriterionDef, CriterionResult, ScoreResult } from '../src/scoring/types.js'
import { generateBundles, type Bundle } from './evidence.js'

// ---------------------------------------------------------------- options

interface Options {
  quick: boolean
  json: boolean
  jl: boolean
  bundles: number
  evals: number
  rounds: number
  warmup: number
  minRoundMs: number
  seed: number
  only: string[] | null
}

const USAGE = `usage: npm run bench:score -- [--quick] [--json] [--jl] [--bundles=N] [--evals=N] [--rounds=N] [--warmup=N] [--min-round-ms=N] [--seed=N]
  --quick          short run (5 rounds of 2,000 evaluations, short warm-up)
  --json           print the results as JSON on stdout (progress goes to stderr)
  --jl             also time the engine on its json-logic-js backend (E/jl)
  --bundles=N      generated evidence bundles (default 1000)
  --evals=N        evaluations per batch (default 20000; quick 2000)
  --rounds=N       interleaved rounds per variant (default 7; quick 5; at least 5)
  --warmup=N       warm-up evaluations per variant (default 20000; quick 3000)
  --min-round-ms=N a round repeats whole batches until it lasts this long (default 200; quick 50)
  --seed=N         PRNG seed (default 4725)
  --only=LIST      time only these variants, e.g. --only=E or --only=E,a (for profiling with node --cpu-prof;
                   ratios need a and b)`

function parseOptions(argv: string[]): Options {
  const flags = new Set<string>()
  const values = new Map<string, number>()
  let only: string[] | null = null
  for (const a of argv) {
    if (a.startsWith('--only=')) {
      only = a.slice(7).split(',').filter(Boolean)
      const bad = only.filter((k) => !['E', 'Ev', 'E+h', 'a', 'b', 'E/jl'].includes(k))
      if (bad.length > 0 || only.length === 0) fatal(`--only takes a comma-separated list of E, Ev, E+h, a, b, E/jl; got "${a.slice(7)}"`)
      continue
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a)
    if (!m) fatal(`unknown argument "${a}"\n${USAGE}`)
    const [, name, value] = m as unknown as [string, string, string | undefined]
    if (value === undefined) {
      if (!['quick', 'json', 'jl', 'help'].includes(name)) fatal(`unknown or incomplete option "${a}"\n${USAGE}`)
      flags.add(name)
    } else {
      if (!['bundles', 'evals', 'rounds', 'warmup', 'min-round-ms', 'seed'].includes(name)) fatal(`unknown option "${a}"\n${USAGE}`)
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0) fatal(`--${name} needs a non-negative integer, got "${value}"`)
      values.set(name, n)
    }
  }
  if (flags.has('help')) { process.stdout.write(`${USAGE}\n`); process.exit(0) }
  const quick = flags.has('quick')
  const o: Options = {
    quick,
    json: flags.has('json'),
    jl: flags.has('jl'),
    bundles: values.get('bundles') ?? 1000,
    evals: values.get('evals') ?? (quick ? 2000 : 20000),
    rounds: values.get('rounds') ?? (quick ? 5 : 7),
    warmup: values.get('warmup') ?? (quick ? 3000 : 20000),
    minRoundMs: values.get('min-round-ms') ?? (quick ? 50 : 200),
    seed: values.get('seed') ?? 4725,
    only,
  }
  if (only?.includes('E/jl')) o.jl = true
  if (o.bundles < 1) fatal('--bundles must be at least 1')
  if (o.evals < 1) fatal('--evals must be at least 1')
  if (o.rounds < 5) fatal('--rounds must be at least 5')
  return o
}

function fatal(message: string): never {
  process.stderr.write(`bench/score: ${message}\n`)
  process.exit(1)
}

const opts = parseOptions(process.argv.slice(2))
const log = (s: string): void => { process.stderr.write(`${s}\n`) }

// A collected garbage between rounds keeps one variant's garbage from being billed to the next.
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

// ---------------------------------------------------------------- (a) bare json-logic-js

interface FlatRule { group: number; kind: 'scored' | 'mandatory'; rule: jsonLogic.RulesLogic }
interface BareSet { groups: { code: string; bands: Band[] }[]; rules: FlatRule[]; capLevel: number | null }
interface BareResult { totals: number[]; levels: number[]; overall: number }

/** Every criterion rule of the set, read from its JSON file (independently of the engine). */
function collectBare(def: CriteriaSetDef): BareSet {
  const rules: FlatRule[] = []
  def.groups.forEach((g, gi) => {
    const walk = (cs: CriterionDef[]): void => {
      for (const c of cs) {
        if (c.rule !== undefined) {
          if (c.kind !== 'scored' && c.kind !== 'mandatory') throw new Error(`bench/score: criterion ${c.code} has kind ${c.kind}; (a) handles scored and mandatory rules only`)
          rules.push({ group: gi, kind: c.kind, rule: c.rule as jsonLogic.RulesLogic })
        }
        if (c.children) walk(c.children)
      }
    }
    walk(g.criteria)
  })
  return {
    groups: def.groups.map((g) => ({ code: g.code, bands: g.levelBands?.bands ?? [] })),
    rules,
    capLevel: def.policies?.mandatoryFailure?.capLevel ?? null,
  }
}

function bandLevel(bands: Band[], v: number): number {
  for (const b of bands) {
    if ((b.gt === undefined || v > b.gt) && (b.gte === undefined || v >= b.gte) && (b.lt === undefined || v < b.lt) && (b.lte === undefined || v <= b.lte)) return b.level
  }
  return 0
}

/**
 * The project's number convention (src/scoring/numbers.ts): each criterion's points and each group
 * total are trimmed at 1e-9 before summing and banding. Without the per-criterion trim, totals
 * drift from the engine's by up to ~5e-9 (10 ratio criteria × 0.5e-9), more than the 1e-9 check.
 */
function trim(x: number): number {
  return Math.round(x * 1e9) / 1e9
}

function bareScore(s: BareSet, facts: Record<string, unknown>): BareResult {
  const ng = s.groups.length
  const totals = new Array<number>(ng).fill(0)
  const mandatoryOk = new Array<boolean>(ng).fill(true)
  for (const r of s.rules) {
    const v = jsonLogic.apply(r.rule, facts)
    if (r.kind === 'scored') totals[r.group] = (totals[r.group] as number) + trim(v as number)
    else if (!v) mandatoryOk[r.group] = false
  }
  const levels = new Array<number>(ng)
  let overall = Infinity
  for (let g = 0; g < ng; g++) {
    const t = trim(totals[g] as number)
    totals[g] = t
    let level = bandLevel((s.groups[g] as BareSet['groups'][number]).bands, t)
    if (!mandatoryOk[g] && s.capLevel !== null && level > s.capLevel) level = s.capLevel
    levels[g] = level
    if (level < overall) overall = level
  }
  return { totals, levels, overall }
}

// ---------------------------------------------------------------- (b) hand-written

interface Facts4725 {
  online_teaching_plan_issued: boolean
  online_teaching_regulation_issued: boolean
  live_online_teaching_software_deployed: boolean
  lms_assigns_self_study: boolean
  lms_answers_questions: boolean
  lms_continuous_assessment: boolean
  lms_parent_monitoring: boolean
  subjects_total: number
  subjects_with_digital_materials: number
  periodic_tests_total: number
  periodic_tests_on_computer: number
  testing_software_exchanges_with_sis: boolean
  teachers_total: number
  teachers_with_online_training_account: number
  teachers_using_digital_tools: number
  teachers_creating_digital_materials: number
  classrooms_total: number
  classrooms_with_projector_and_internet: number
  pupils_th: number
  pupils_thcs: number
  pupils_thpt: number
  informatics_computers: number
  digital_content_studio: boolean
  dx_steering_unit: boolean
  dx_plan_issued: boolean
  sis_usage_regulation_issued: boolean
  sis_student_module: boolean
  electronic_gradebook: boolean
  electronic_transcript: boolean
  sis_staff_module: boolean
  sis_facilities_module: boolean
  sis_health_module: boolean
  sis_accounting_module: boolean
  sis_syncs_with_sector_database: boolean
  family_school_app: boolean
  online_admission: boolean
  cashless_fee_payment: boolean
}

interface HandGroup { total: number; level: number; mandatoryMet: boolean }
interface HandResult {
  points: Record<string, number>
  level13: number
  I: HandGroup
  II: HandGroup
  overall: number
}

/** Group bands of QĐ 4725: < 50 → 1, 50…75 → 2, > 75 → 3; a failed mandatory condition caps at 1. */
function groupLevel(total: number, mandatoryMet: boolean): number {
  if (!mandatoryMet) return 1
  return total < 50 ? 1 : total <= 75 ? 2 : 3
}

/** QĐ 4725 (2022-12-30) by hand, straight from the rules in criteria/moet-4725/2022-12-30.json. */
function handScore(f: Facts4725): HandResult {
  // Group I
  const p131 = f.live_online_teaching_software_deployed ? 6 : 0
  const p132 = f.lms_assigns_self_study ? 6 : 0
  const p133 = f.lms_answers_questions ? 6 : 0
  const p134 = f.lms_continuous_assessment ? 6 : 0
  const p135 = f.lms_parent_monitoring ? 6 : 0
  const p13 = Math.min(30, p131 + p132 + p133 + p134 + p135)
  const level13 = p13 < 10 ? 1 : p13 <= 20 ? 2 : 3
  const p14 = trim(f.subjects_total > 0 ? 10 * Math.min(1, f.subjects_with_digital_materials / f.subjects_total) : 0)
  const p151 = trim(f.periodic_tests_total > 0 ? 15 * Math.min(1, f.periodic_tests_on_computer / f.periodic_tests_total) : 0)
  const p152 = f.testing_software_exchanges_with_sis ? 5 : 0
  const t = f.teachers_total
  const p161 = trim(t > 0 ? 7 * Math.min(1, f.teachers_with_online_training_account / t) : 0)
  const p162 = trim(t > 0 ? 7 * Math.min(1, f.teachers_using_digital_tools / t) : 0)
  const p163 = trim(t > 0 ? 6 * Math.min(1, f.teachers_creating_digital_materials / t) : 0)
  const c = f.classrooms_total
  const p171 = trim(c > 0 ? 8 * Math.min(1, f.classrooms_with_projector_and_internet / c) : 0)
  const th = f.pupils_th, thcs = f.pupils_thcs, thpt = f.pupils_thpt
  const p172 = trim(th + thcs + thpt > 0 ? 7 * Math.min(1, f.informatics_computers / (th / 24 + thcs / 16 + thpt / 12)) : 0)
  const p173 = f.digital_content_studio ? 5 : 0
  const totalI = trim(p13 + p14 + p151 + p152 + p161 + p162 + p163 + p171 + p172 + p173)
  const mandI = f.online_teaching_plan_issued && f.online_teaching_regulation_issued
  // Group II
  const p231 = f.sis_usage_regulation_issued ? 6 : 0
  const p232 = f.sis_student_module ? 6 : 0
  const p233 = f.electronic_gradebook && f.electronic_transcript ? 10 : 0
  const p234 = f.sis_staff_module ? 6 : 0
  const p235 = f.sis_facilities_module ? 10 : 0
  const p236 = f.sis_health_module ? 10 : 0
  const p237 = f.sis_accounting_module ? 6 : 0
  const p238 = f.sis_syncs_with_sector_database ? 6 : 0
  const p241 = f.family_school_app ? 8 : 0
  const p242 = f.online_admission ? 12 : 0
  const p243 = f.cashless_fee_payment ? 10 : 0
  const totalII = p231 + p232 + p233 + p234 + p235 + p236 + p237 + p238 + p241 + p242 + p243
  const mandII = f.dx_steering_unit && f.dx_plan_issued
  const levelI = groupLevel(totalI, mandI)
  const levelII = groupLevel(totalII, mandII)
  return {
    points: {
      '1.3': p13, '1.3.1': p131, '1.3.2': p132, '1.3.3': p133, '1.3.4': p134, '1.3.5': p135,
      '1.4': p14, '1.5.1': p151, '1.5.2': p152, '1.6.1': p161, '1.6.2': p162, '1.6.3': p163,
      '1.7.1': p171, '1.7.2': p172, '1.7.3': p173,
      '2.3.1': p231, '2.3.2': p232, '2.3.3': p233, '2.3.4': p234, '2.3.5': p235, '2.3.6': p236,
      '2.3.7': p237, '2.3.8': p238, '2.4.1': p241, '2.4.2': p242, '2.4.3': p243,
    },
    level13,
    I: { total: totalI, level: levelI, mandatoryMet: mandI },
    II: { total: totalII, level: levelII, mandatoryMet: mandII },
    overall: Math.min(levelI, levelII),
  }
}

// ---------------------------------------------------------------- agreement check

function flatten(list: CriterionResult[], acc: Map<string, CriterionResult> = new Map()): Map<string, CriterionResult> {
  for (const c of list) { acc.set(c.code, c); if (c.children) flatten(c.children, acc) }
  return acc
}

interface Coverage { levelsI: number[]; levelsII: number[]; overall: number[]; capped: number; evidenceMissing: number }

function checkAgreement(sets: { label: string; set: CompiledSet }[], bare: BareSet, bundles: Bundle[]): Coverage {
  const cov: Coverage = { levelsI: [0, 0, 0, 0], levelsII: [0, 0, 0, 0], overall: [0, 0, 0, 0], capped: 0, evidenceMissing: 0 }
  const problems: string[] = []
  const fail = (i: number, what: string): void => { if (problems.length < 20) problems.push(`bundle #${i} (${String(bundles[i]?.school.code)}): ${what}`) }
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9
  for (let i = 0; i < bundles.length; i++) {
    const bundle = bundles[i] as Bundle
    const a = bareScore(bare, bundle.facts)
    const b = handScore(bundle.facts as unknown as Facts4725)
    const bGroups = [b.I, b.II]
    for (const { label, set } of sets) {
      let e: ScoreResult
      let eh: ScoreResult
      try {
        e = score(set, bundle)
        eh = score(set, bundle, { hints: true })
      } catch (err) {
        fail(i, `${label} threw: ${(err as Error).message}`)
        continue
      }
      if (!e.complete || e.errors.length > 0 || e.missingFacts.length > 0) fail(i, `${label} result not complete (missing ${e.missingFacts.join(', ')}; errors ${JSON.stringify(e.errors)})`)
      if (e.groups.length !== bare.groups.length) { fail(i, `${label} has ${e.groups.length} groups, (a) ${bare.groups.length}`); continue }
      e.groups.forEach((g, gi) => {
        const bg = bGroups[gi] as HandGroup
        const at = a.totals[gi] as number
        if (!close(g.totalExact, at)) fail(i, `group ${g.code} total: ${label} ${g.totalExact} ≠ (a) ${at}`)
        if (!close(g.totalExact, bg.total)) fail(i, `group ${g.code} total: ${label} ${g.totalExact} ≠ (b) ${bg.total}`)
        if (g.level !== a.levels[gi]) fail(i, `group ${g.code} level: ${label} ${g.level} ≠ (a) ${a.levels[gi]}`)
        if (g.level !== bg.level) fail(i, `group ${g.code} level: ${label} ${g.level} ≠ (b) ${bg.level}`)
        if ((g.mandatory.failed.length === 0) !== bg.mandatoryMet) fail(i, `group ${g.code} mandatory: ${label} failed [${g.mandatory.failed.join(', ')}], (b) met=${bg.mandatoryMet}`)
        const gh = eh.groups[gi]
        if (!gh || gh.totalExact !== g.totalExact || gh.level !== g.level) fail(i, `group ${g.code}: (E+h) ${gh?.totalExact}/${gh?.level} ≠ (E) ${g.totalExact}/${g.level}`)
        if (gh && gh.nextLevel === undefined) fail(i, `group ${g.code}: (E+h) computed no nextLevel`)
      })
      if (e.overall?.level !== a.overall || e.overall?.level !== b.overall) fail(i, `overall level: ${label} ${e.overall?.level}, (a) ${a.overall}, (b) ${b.overall}`)
      const byCode = flatten(e.groups.flatMap((g) => g.criteria))
      for (const [code, p] of Object.entries(b.points)) {
        const c = byCode.get(code)
        if (!c || typeof c.points !== 'number' || Math.abs(c.points - p) > 0.005 + 1e-9) fail(i, `criterion ${code}: ${label} ${c?.points} ≠ (b) ${p}`)
      }
      const scoredCodes = [...byCode.values()].filter((c) => c.kind === 'scored').map((c) => c.code)
      const handOnly = Object.keys(b.points).filter((k) => !byCode.has(k))
      const engineOnly = scoredCodes.filter((k) => !(k in b.points))
      if (handOnly.length + engineOnly.length > 0) fail(i, `scored criteria differ: engine-only [${engineOnly.join(', ')}], (b)-only [${handOnly.join(', ')}]`)
      if (byCode.get('1.3')?.level !== b.level13) fail(i, `criterion 1.3 level: ${label} ${byCode.get('1.3')?.level} ≠ (b) ${b.level13}`)
      if (label === '(E)') {
        cov.levelsI[e.groups[0]?.level ?? 0]!++
        cov.levelsII[e.groups[1]?.level ?? 0]!++
        cov.overall[e.overall?.level ?? 0]!++
        if (e.groups.some((g) => g.levelReason?.code === 'MANDATORY_CAP')) cov.capped++
        if ([...byCode.values()].some((c) => (c.evidenceMissing?.length ?? 0) > 0)) cov.evidenceMissing++
      }
    }
  }
  if (problems.length > 0) {
    fatal(`the variants disagree; nothing was timed.\n  ${problems.join('\n  ')}${problems.length >= 20 ? '\n  (first 20 shown)' : ''}`)
  }
  return cov
}

// ---------------------------------------------------------------- timing

interface Variant { key: string; label: string; batch: (n: number) => number }

let sink = 0 // results flow here so that no variant's work can be optimised away

function makeVariants(set: CompiledSet, setJl: CompiledSet | null, bare: BareSet, bundles: Bundle[]): Variant[] {
  const N = bundles.length
  const factsList = bundles.map((b) => b.facts)
  const handFacts = factsList as unknown as Facts4725[]
  const engine = (s: CompiledSet) => (n: number): number => {
    let acc = 0
    for (let i = 0, j = 0; i < n; i++, j = j + 1 === N ? 0 : j + 1) {
      const r = score(s, bundles[j])
      acc += (r.groups[0] as ScoreResult['groups'][number]).totalExact + (r.overall?.level ?? 0)
    }
    return acc
  }
  // (Ev): the same evaluation on evidence validated once beforehand, to show what validation costs.
  const prepared = bundles.map((b) => set.prepare(b))
  const variants: Variant[] = [
    { key: 'E', label: '(E)    engine score()', batch: engine(set) },
    {
      key: 'Ev', label: '(Ev)   engine, evidence pre-validated',
      batch: (n) => {
        let acc = 0
        for (let i = 0, j = 0; i < n; i++, j = j + 1 === N ? 0 : j + 1) {
          const p = prepared[j] as (typeof prepared)[number]
          const r = evaluateData(set, p.data, p.ignored, false)
          acc += (r.groups[0] as ScoreResult['groups'][number]).totalExact + (r.overall?.level ?? 0)
        }
        return acc
      },
    },
    {
      key: 'a', label: '(a)    bare jsonLogic.apply',
      batch: (n) => {
        let acc = 0
        for (let i = 0, j = 0; i < n; i++, j = j + 1 === N ? 0 : j + 1) {
          const r = bareScore(bare, factsList[j] as Record<string, unknown>)
          acc += (r.totals[0] as number) + r.overall
        }
        return acc
      },
    },
    {
      key: 'b', label: '(b)    hand-written TS',
      batch: (n) => {
        let acc = 0
        for (let i = 0, j = 0; i < n; i++, j = j + 1 === N ? 0 : j + 1) {
          const r = handScore(handFacts[j] as Facts4725)
          acc += r.I.total + r.overall
        }
        return acc
      },
    },
    {
      key: 'E+h', label: '(E+h)  engine score() + hints',
      batch: (n) => {
        let acc = 0
        for (let i = 0, j = 0; i < n; i++, j = j + 1 === N ? 0 : j + 1) {
          const r = score(set, bundles[j], { hints: true })
          acc += (r.groups[0] as ScoreResult['groups'][number]).totalExact + (r.overall?.level ?? 0)
        }
        return acc
      },
    },
  ]
  if (setJl) variants.push({ key: 'E/jl', label: '(E/jl) engine, json-logic-js backend', batch: engine(setJl) })
  return variants
}

/** Whole batches until the round lasts minRoundMs (a fast variant would otherwise time a few ms). */
function timeRound(v: Variant, evals: number, minRoundMs: number): { evals: number; ns: number } {
  gc()
  const minNs = BigInt(minRoundMs) * 1_000_000n
  let done = 0
  const t0 = process.hrtime.bigint()
  let elapsed = 0n
  do {
    sink += v.batch(evals)
    done += evals
    elapsed = process.hrtime.bigint() - t0
  } while (elapsed < minNs)
  return { evals: done, ns: Number(elapsed) }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

// ---------------------------------------------------------------- main

const catalog = Catalog.load()
const entry = catalog.find('moet-4725')
const set = catalog.compile('moet-4725')
const setJl = opts.jl ? catalog.compile('moet-4725', 'json-logic-js') : null
const bare = collectBare(JSON.parse(readFileSync(entry.file, 'utf8')) as CriteriaSetDef)

log(`bench/score: ${set.id}@${set.version}, ${bare.rules.length} rules; generating ${opts.bundles} bundles (seed ${opts.seed})…`)
const bundles = generateBundles(opts.bundles, opts.seed)
const engines = [{ label: '(E)', set }, ...(setJl ? [{ label: '(E/jl)', set: setJl }] : [])]
const coverage = checkAgreement(engines, bare, bundles)
log(`bench/score: (E), (E+h), (a), (b)${setJl ? ', (E/jl)' : ''} agree on totals (1e-9), levels and criterion points for all ${bundles.length} bundles.`)

const variants = makeVariants(set, setJl, bare, bundles).filter((v) => opts.only === null || opts.only.includes(v.key))
log(`bench/score: warming up (${opts.warmup} evaluations per variant)…`)
for (const v of variants) sink += v.batch(opts.warmup)

const samples = new Map<string, { evals: number; ns: number }[]>(variants.map((v) => [v.key, []]))
for (let r = 0; r < opts.rounds; r++) {
  for (const v of variants) samples.get(v.key)?.push(timeRound(v, opts.evals, opts.minRoundMs))
  log(`bench/score: round ${r + 1}/${opts.rounds} done`)
}

interface Row { key: string; label: string; evalsPerSec: number; usPerEval: number; vsA: number; vsB: number; pairedVsA: number; pairedVsB: number; spread: number; rounds: { evals: number; ms: number; evalsPerSec: number }[] }
const usOf = (s: { evals: number; ns: number }): number => s.ns / 1000 / s.evals
const medUs = new Map(variants.map((v) => [v.key, median((samples.get(v.key) ?? []).map(usOf))]))
const rows: Row[] = variants.map((v) => {
  const ss = samples.get(v.key) ?? []
  const us = medUs.get(v.key) as number
  const rates = ss.map((s) => 1e6 / usOf(s))
  const paired = (ref: string): number => {
    const rs = samples.get(ref)
    return rs ? median(ss.map((s, i) => usOf(s) / usOf(rs[i] as { evals: number; ns: number }))) : NaN
  }
  return {
    key: v.key,
    label: v.label,
    evalsPerSec: 1e6 / us,
    usPerEval: us,
    vsA: us / (medUs.get('a') ?? NaN),
    vsB: us / (medUs.get('b') ?? NaN),
    pairedVsA: paired('a'),
    pairedVsB: paired('b'),
    spread: (Math.max(...rates) - Math.min(...rates)) / median(rates),
    rounds: ss.map((s) => ({ evals: s.evals, ms: s.ns / 1e6, evalsPerSec: 1e6 / usOf(s) })),
  }
})

const cpus = os.cpus()
const env = {
  node: process.version,
  v8: process.versions.v8,
  platform: `${process.platform}-${process.arch}`,
  cpuModel: cpus[0]?.model ?? 'unknown',
  cores: cpus.length,
  availableParallelism: os.availableParallelism(),
  loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
}

if (opts.json) {
  process.stdout.write(`${JSON.stringify({
    benchmark: 'score', set: `${set.id}@${set.version}`, rules: bare.rules.length, env,
    options: opts, bundles: bundles.length, coverage, agreement: 'ok',
    results: rows, checksum: sink,
  }, null, 2)}\n`)
} else {
  const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US')
  const fmtUs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3))
  const fmtRatio = (x: number): string => Number.isNaN(x) ? '–' : `${x >= 100 ? x.toFixed(0) : x.toPrecision(3)}×`
  const header = ['variant', 'evaluations/s', 'µs/eval', 'vs (a)', 'vs (b)', 'spread']
  const body = rows.map((r) => [r.label, fmtInt(r.evalsPerSec), fmtUs(r.usPerEval), fmtRatio(r.vsA), fmtRatio(r.vsB), `±${(r.spread * 50).toFixed(0)}%`])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
  const out: string[] = []
  out.push(`QĐ 4725 scoring benchmark — ${set.id}@${set.version} (${bare.rules.length} rules), ${bundles.length} bundles, seed ${opts.seed}${opts.quick ? ' [quick]' : ''}`)
  out.push(`Node ${env.node} (V8 ${env.v8}), ${env.platform}, ${env.cores} cores (availableParallelism ${env.availableParallelism}), ${env.cpuModel}, load ${env.loadavg.join(' ')}`)
  out.push(`levels over the bundles: group I ${coverage.levelsI.slice(1).join('/')}, group II ${coverage.levelsII.slice(1).join('/')}, overall ${coverage.overall.slice(1).join('/')} (Mức 1/2/3); ${coverage.capped} capped by a failed mandatory condition`)
  out.push(`${opts.rounds} interleaved rounds per variant, batches of ${opts.evals} evaluations (repeated to ≥ ${opts.minRoundMs} ms), median of rounds; warm-up ${opts.warmup}`)
  out.push('')
  out.push(line(header))
  out.push(line(widths.map((w) => '-'.repeat(w))))
  for (const b of body) out.push(line(b))
  out.push('')
  out.push('vs (a), vs (b): µs per evaluation ÷ that of (a) / (b) — above 1× is slower. spread: half the range of the rounds around the median.')
  process.stdout.write(`${out.join('\n')}\n`)
}
