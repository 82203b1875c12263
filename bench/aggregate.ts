// Benchmark: the unit summary (GET /v1/units/:code/summary) at the ROOT of national-scale
// hierarchies — 1 ministry → provinces → districts → schools — of 300, 3,000 and 30,000 schools,
// measured in one run both as the service call (reports.summary) and as the HTTP request
// (fastify.inject, admin key). Each dataset is a temp WAL SQLite file filled directly with prepared
// statements in one transaction: units, schools, dated memberships, a 2024 period and a 2023 one
// (previous-year comparison), assessments in a realistic state mix with real results (≈200 seeded
// evidence bundles scored once with the catalog and reused), external results, and the group and
// criterion rows stored beside each result (resultRows).
//   (S)  score() of one bundle in-process — the baseline, measured between the summary runs
// The machine is shared and noisy: read the ratios (30,000 / 3,000, 3,000 / 300, and ÷ (S)).
//
// Per-query times are taken inside the measured summaries (each store read is wrapped), and the
// summary's SQL is shown with EXPLAIN QUERY PLAN when the largest size is slow.
//
//   npm run bench:aggregate -- [--sizes=300,3000,30000] [--runs=N] [--budget=S] [--stats=optimize|none] [--explain]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import Database from 'better-sqlite3'
import { buildApp } from '../src/app.js'
import { Catalog } from '../src/criteria/catalog.js'
import { packageRoot } from '../src/paths.js'
import { buildRollup } from '../src/reports/rollup.js'
import { rollupsRepo } from '../src/repositories/sqlite/rollups.js'
import { actorOf } from '../src/services/actor.js'
import { score } from '../src/scoring/evaluate.js'
import { buildDataset, scoreCorpus, type Built } from './aggregate-data.js'

// ---------------------------------------------------------------- options

const USAGE = `usage: npm run bench:aggregate -- [--sizes=300,3000,30000] [--runs=N] [--budget=S] [--stats=optimize|none] [--seed=N] [--bundles=N] [--explain]
  --sizes=LIST   school counts of the generated hierarchies (default 300,3000,30000)
  --runs=N       timed runs per size (default adaptive: 15, or 7 when the warm-up summary takes > 500 ms)
  --budget=S     when the warm-up summary takes longer than S seconds (default 60), that call is the
                 only service run and one HTTP run follows: a pathological size still finishes
  --stats=MODE   optimize (default): the file is closed with closeDatabase, whose PRAGMA optimize
                 writes planner statistics (sqlite_stat1), as a server's shutdown does;
                 none: those statistics are dropped (a database that was never closed cleanly)
  --seed=N       PRNG seed (default 4725)
  --bundles=N    distinct evidence bundles scored and reused across schools (default 200)
  --explain      print EXPLAIN QUERY PLAN of the summary's SQL (printed anyway when the largest size
                 takes more than 2 s per summary)`
const argv = process.argv.slice(2)
if (argv.includes('--help')) { process.stdout.write(`${USAGE}\n`); process.exit(0) }
const val = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
for (const a of argv) {
  if (!/^--(sizes|runs|seed|bundles|budget)=\d[\d,]*$/.test(a) && !/^--stats=(optimize|none)$/.test(a) && a !== '--explain') { process.stderr.write(`bench/aggregate: unknown argument "${a}"\n${USAGE}\n`); process.exit(1) }
}
const SIZES = (val('sizes') ?? '300,3000,30000').split(',').map(Number)
if (SIZES.some((n) => !Number.isInteger(n) || n < 10)) { process.stderr.write('bench/aggregate: --sizes takes integers ≥ 10\n'); process.exit(1) }
const RUNS = val('runs') === undefined ? null : Number(val('runs'))
const SEED = Number(val('seed') ?? 4725)
const N_BUNDLES = Number(val('bundles') ?? 200)
const BUDGET_S = Number(val('budget') ?? 60)
const STATS = val('stats') ?? 'optimize'
const EXPLAIN = argv.includes('--explain')

const log = (s: string): void => { process.stderr.write(`${s}\n`) }
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

// ---------------------------------------------------------------- peak RSS

let phasePeak = 0
const sample = (): void => { const r = process.memoryUsage().rss; if (r > phasePeak) phasePeak = r }
setInterval(sample, 5).unref()

// ---------------------------------------------------------------- scoring the bundles once

const catalog = Catalog.load()
const set = catalog.compile('moet-4725')
const corpus = scoreCorpus(set, N_BUNDLES, SEED)
const { scored, complete } = corpus
const scoreMs = corpus.ms
const levelMix = new Map<string, number>()
for (const s of complete) levelMix.set(s.summary, (levelMix.get(s.summary) ?? 0) + 1)
log(`scored ${scored.length} bundles (${complete.length} complete, ${scored.length - complete.length} partial drafts) in ${scoreMs.toFixed(0)} ms; `
  + `result JSON ${(scored.reduce((t, s) => t + s.resultJson.length, 0) / scored.length / 1024).toFixed(1)} KB on average; `
  + `group levels: ${[...levelMix].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ×${v}`).join(', ')}`)

// The baseline (S): score() of one fixed bundle, like bench/service.ts.
const baseFacts = (JSON.parse(readFileSync(new URL('criteria/moet-4725/examples/strong-thcs.json', packageRoot()), 'utf8')) as { facts: Record<string, unknown> }).facts
const BASE_OPS = 200
const baselineBatch = (): number => {
  const t = performance.now()
  for (let k = 0; k < BASE_OPS; k++) score(set, { facts: baseFacts })
  return (performance.now() - t) / BASE_OPS
}
for (let k = 0; k < 5; k++) baselineBatch()

// ---------------------------------------------------------------- measuring

const median = (xs: number[]): number => { const v = [...xs].sort((x, y) => x - y); return v[Math.floor(v.length / 2)] as number }
const spreadOf = (xs: number[]): number => (xs.length < 2 ? 0 : (Math.max(...xs) - Math.min(...xs)) / 2)
const timeIt = async (fn: () => unknown): Promise<number> => { const t = performance.now(); await fn(); return performance.now() - t }

/** The store reads of the summary, in the order ReportsService.summary issues them. */
const SUMMARY_READS = ['schools', 'groups', 'criterionStats', 'criterionCuts', 'targets', 'previous', 'children'] as const
type Read = (typeof SUMMARY_READS)[number]
interface Row {
  size: number; built: Built; runs: number; overBudget: boolean; serviceMs: number; serviceSpread: number; httpMs: number | null; httpSpread: number; baseUs: number
  kb: number | null; peakRss: number; maxRss: number; reads: Record<Read, { ms: number; rows: number }>; rollupMs: number; stringifyMs: number
  plans: { name: string; plan: string[] }[]; analyzed: boolean; check: string
}

const dir = mkdtempSync(join(tmpdir(), 'cds-bench-aggregate-'))
const rows: Row[] = []
try {
  for (const size of SIZES) {
    phasePeak = 0
    gc()
    log(`\n— ${size.toLocaleString('en')} schools: building the dataset…`)
    const file = join(dir, `aggregate-${size}.sqlite`)
    const built = buildDataset(file, size, SEED + size, corpus)
    if (STATS === 'none') { const d = new Database(file); d.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4'); d.close() }
    log(`  ${built.units} units (${built.provinces} provinces, ${built.districts} districts), ${built.schools} schools (${built.moved} moved), `
      + `${built.assessments} + ${built.previous} assessments (2024 + 2023), ${built.external} external, ${built.criteriaRows.toLocaleString('en')} criterion rows; `
      + `${(built.bytes / 2 ** 20).toFixed(1)} MB in ${(built.totalMs / 1000).toFixed(1)} s (insert transaction ${(built.insertMs / 1000).toFixed(1)} s)`)

    const app = await buildApp({ logger: false, catalog, config: { dbFile: file, uploadsDir: join(dir, 'uploads'), summaryCacheEntries: 0 /* the computation, not its reuse */ }, now: () => new Date('2025-03-01T02:00:00Z') })
    const { key, record } = await app.services.keys.create(null, { role: 'admin', label: 'bench-aggregate' })
    const actor = actorOf(record)
    const headers = { authorization: `Bearer ${key}` }
    const url = `/v1/units/${built.rootCode}/summary?period=${built.periodId}`

    // Each store read of the summary is timed where the service calls it, so the per-query profile
    // comes from the measured summaries themselves.
    const store = app.services.ctx.store.rollups as unknown as Record<Read, (...a: unknown[]) => Promise<unknown>>
    const readTimes = Object.fromEntries(SUMMARY_READS.map((k) => [k, [] as number[]])) as Record<Read, number[]>
    const lastOut = {} as Record<Read, unknown>
    for (const k of SUMMARY_READS) {
      const orig = store[k].bind(store)
      store[k] = async (...a: unknown[]) => {
        // The SQLite store does its work before its promise is returned: time the call, not the await
        // (which resumes only after the other reads of the Promise.all).
        const t = performance.now()
        const pending = orig(...a)
        readTimes[k].push(performance.now() - t)
        const out = await pending
        lastOut[k] = out
        return out
      }
    }
    const clearReads = (): void => { for (const k of SUMMARY_READS) readTimes[k].length = 0 }

    const service = () => app.services.reports.summary(actor, built.rootCode, { periodId: built.periodId })
    let body = ''
    const http = async () => {
      const r = await app.inject({ method: 'GET', url, headers })
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 500)}`)
      body = r.body
    }

    // Warm-up, which also decides the number of runs.
    gc()
    let first: Awaited<ReturnType<typeof service>> | undefined
    const warm = await timeIt(async () => { first = await service() }); sample()
    const overBudget = warm > BUDGET_S * 1000
    const runs = overBudget ? 1 : RUNS ?? (warm > 500 ? 7 : 15)
    log(`  warm-up: first summary ${(warm / 1000).toFixed(2)} s → ${overBudget ? `over the ${BUDGET_S} s budget: that call is the one service run, then one HTTP run` : `${runs} runs`}`)
    if (!overBudget) { await http(); await service(); await http(); sample() }

    // Sanity: the summary counts what was generated.
    const s = first!
    const sc = s.schools
    const bad: string[] = []
    if (sc.inScope !== built.schools) bad.push(`inScope ${sc.inScope} ≠ ${built.schools}`)
    for (const [k, v] of Object.entries(built.byState)) if ((sc.byState as Record<string, number>)[k] !== v) bad.push(`byState.${k} ${(sc.byState as Record<string, number>)[k]} ≠ ${v}`)
    if (s.external.assessments !== built.external) bad.push(`external ${s.external.assessments} ≠ ${built.external}`)
    if (bad.length) throw new Error(`summary does not match the dataset: ${bad.join('; ')}`)
    const check = `inScope ${sc.inScope}, counted ${sc.counted}, external ${s.external.assessments}, previous-year schools ${s.previousYear.schools}, byUnit ${s.byUnit.length}`
    log(`  check: ${check}`)

    const tService: number[] = overBudget ? [warm] : []
    const tHttp: number[] = []
    const tBase: number[] = [baselineBatch() * 1000]
    if (!overBudget) clearReads()
    for (let i = 0; i < runs; i++) {
      if (!overBudget) { gc(); tService.push(await timeIt(service)); sample() }
      gc(); tHttp.push(await timeIt(http)); sample()
      tBase.push(baselineBatch() * 1000)
      if (overBudget) log(`  HTTP run: ${(tHttp[0]! / 1000).toFixed(2)} s`)
    }

    // The JS side of the summary on the rows of the last run, and serialising its result.
    const input = {
      def: set.def, states: ['approved', 'published'], schools: lastOut.schools, groups: lastOut.groups, stats: lastOut.criterionStats,
      cuts: lastOut.criterionCuts, targets: lastOut.targets, previous: lastOut.previous, children: lastOut.children,
    } as Parameters<typeof buildRollup>[0]
    const tRollup: number[] = []
    const tStringify: number[] = []
    for (let i = 0; i < Math.min(runs, 7) + 1; i++) {
      let t = performance.now(); buildRollup(input); if (i > 0) tRollup.push(performance.now() - t)
      t = performance.now(); JSON.stringify(s); if (i > 0) tStringify.push(performance.now() - t)
    }
    sample()

    // Query plans on a second, read-only connection: the repository's own SQL, captured as it prepares it.
    const ro = new Database(file, { readonly: true })
    const captured: string[] = []
    rollupsRepo({ prepare: (sql: string) => { captured.push(sql); return ro.prepare(sql) } } as unknown as Database.Database)
    const root = (await app.services.ctx.store.units.byCode(built.rootCode))!
    const params = { root: root.id, year: 2024, period: built.periodId, setId: set.id, setVersion: set.version, states: JSON.stringify(['approved', 'published']) }
    // rollupsRepo prepares schools, groups, stats, cuts, targets, previous, points, missing, children.
    const plans = [0, 1, 2, 3, 4, 5].map((i) => ({
      name: SUMMARY_READS[i] as string,
      plan: (ro.prepare(`EXPLAIN QUERY PLAN ${captured[i]}`).all(params) as { id: number; parent: number; detail: string }[]).map((p) => p.detail),
    }))
    const analyzed = (ro.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").get() as { n: number }).n > 0
    ro.close()

    const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0)
    rows.push({
      size, built, runs, overBudget,
      serviceMs: median(tService), serviceSpread: spreadOf(tService), httpMs: tHttp.length ? median(tHttp) : null, httpSpread: spreadOf(tHttp), baseUs: median(tBase),
      kb: body ? Buffer.byteLength(body) / 1024 : null, peakRss: phasePeak, maxRss: process.resourceUsage().maxRSS * 1024,
      reads: Object.fromEntries(SUMMARY_READS.map((k) => [k, { ms: median(readTimes[k]), rows: count(lastOut[k]) }])) as Row['reads'],
      rollupMs: median(tRollup), stringifyMs: median(tStringify), plans, analyzed, check,
    })
    log(`  summary: service ${median(tService).toFixed(1)} ms, HTTP ${tHttp.length ? median(tHttp).toFixed(1) : '—'} ms, ${body ? (Buffer.byteLength(body) / 1024).toFixed(0) : '—'} KB; (S) ${median(tBase).toFixed(1)} µs`)
    await app.close()
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

// ---------------------------------------------------------------- report

const f1 = (x: number): string => x.toFixed(1)
const mb = (x: number): string => (x / 2 ** 20).toFixed(0)
const n = (x: number): string => x.toLocaleString('en')
const ratio = (x: number): string => (x >= 100 ? n(Math.round(x)) : f1(x))
console.log(`\n## bench:aggregate — unit summary at the root (Node ${process.version}, seed ${SEED}, ${scored.length} bundles scored in ${scoreMs.toFixed(0)} ms, planner statistics: ${STATS === 'none' ? 'none' : 'PRAGMA optimize at close'})\n`)
console.log('| schools | units (prov/dist) | assessments 2024 + 2023 (ext) | criterion rows | DB MB | build s | runs | (A) service ms | (B) HTTP ms | (S) µs | (A) ÷ (S) | (B) ÷ (S) | response KB | peak RSS MB |')
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const r of rows) {
  const b = r.built
  console.log(`| ${n(r.size)} | ${b.units} (${b.provinces}/${b.districts}) | ${n(b.assessments)} + ${n(b.previous)} (${n(b.external)}) | ${n(b.criteriaRows)} | ${mb(b.bytes)} | ${f1(b.totalMs / 1000)} | ${r.runs}${r.overBudget ? '*' : ''} `
    + `| ${f1(r.serviceMs)}${r.runs > 1 ? ` ± ${f1(r.serviceSpread)}` : ''} | ${r.httpMs === null ? '—' : `${f1(r.httpMs)}${r.runs > 1 ? ` ± ${f1(r.httpSpread)}` : ''}`} | ${f1(r.baseUs)} `
    + `| ${n(Math.round((r.serviceMs * 1000) / r.baseUs))}× | ${r.httpMs === null ? '—' : `${n(Math.round((r.httpMs * 1000) / r.baseUs))}×`} | ${r.kb === null ? '—' : n(Math.round(r.kb))} | ${mb(r.peakRss)} |`)
}
console.log('\n(A) reports.summary(actor, root, { periodId }); (B) GET /v1/units/:root/summary via inject with an admin key; (S) score() of one bundle, measured between the runs.')
console.log(`Medians; ± is half the range of the runs. * over the ${BUDGET_S} s budget: one (cold) service call and one HTTP call. Peak RSS: sampled during that size (process high-water mark at the end: ${mb(rows.at(-1)?.maxRss ?? 0)} MB).`)

if (rows.length > 1) {
  console.log('\n| scaling | schools × | (A) service | (B) HTTP | (A) ÷ (S) | (B) ÷ (S) | goal: ≤ schools × |')
  console.log('|---|---:|---:|---:|---:|---:|---|')
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1] as Row, b = rows[i] as Row
    const x = b.size / a.size
    const rs = b.serviceMs / a.serviceMs
    const rh = a.httpMs !== null && b.httpMs !== null ? b.httpMs / a.httpMs : null
    const ns = (b.serviceMs / b.baseUs) / (a.serviceMs / a.baseUs)
    const nh = rh === null ? null : ((b.httpMs as number) / b.baseUs) / ((a.httpMs as number) / a.baseUs)
    const worst = Math.max(rs, rh ?? 0)
    console.log(`| ${n(b.size)} / ${n(a.size)} | ${f1(x)} | ${ratio(rs)}× | ${rh === null ? '—' : `${ratio(rh)}×`} | ${ratio(ns)}× | ${nh === null ? '—' : `${ratio(nh)}×`} | ${worst <= x ? 'met' : 'NOT met'} |`)
  }
}

console.log('\n### Where the time goes (ms, median over the runs; rows returned)\n')
console.log(`| step of (A) | ${rows.map((r) => n(r.size)).join(' | ')} |`)
console.log(`|---|${rows.map(() => '---:').join('|')}|`)
for (const k of SUMMARY_READS) console.log(`| rollups.${k} | ${rows.map((r) => `${f1(r.reads[k].ms)} (${n(r.reads[k].rows)})`).join(' | ')} |`)
console.log(`| buildRollup (JS) | ${rows.map((r) => f1(r.rollupMs)).join(' | ')} |`)
console.log(`| sum of the above | ${rows.map((r) => f1(SUMMARY_READS.reduce((t, k) => t + r.reads[k].ms, 0) + r.rollupMs)).join(' | ')} |`)
console.log(`| (A) service | ${rows.map((r) => f1(r.serviceMs)).join(' | ')} |`)
console.log(`| JSON.stringify of (A)'s result | ${rows.map((r) => f1(r.stringifyMs)).join(' | ')} |`)
console.log(`| (B) − (A): HTTP, auth, response schema | ${rows.map((r) => (r.httpMs === null ? '—' : f1(r.httpMs - r.serviceMs))).join(' | ')} |`)
console.log(`\nsqlite_stat1 in the database (planner statistics): ${rows.map((r) => `${n(r.size)}: ${r.analyzed ? 'yes' : 'no'}`).join(', ')}. Checks: ${rows.map((r) => `${n(r.size)}: ${r.check}`).join('; ')}.`)

const last = rows.at(-1)
if (last && (EXPLAIN || last.serviceMs > 2000)) {
  console.log(`\n### EXPLAIN QUERY PLAN (${n(last.size)} schools)\n`)
  for (const p of last.plans) console.log(`${p.name}:\n${p.plan.map((l) => `    ${l}`).join('\n')}\n`)
}
