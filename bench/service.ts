// Benchmark: what the HTTP service adds on top of scoring, measured in one run (in-process with
// fastify.inject — no sockets; the network load benchmark belongs to `bench/load`, later):
//   (S)  score() on the compiled set, no HTTP                     — the baseline
//   (H)  GET /health                                               — the framework's floor (inject)
//   (P)  POST /v1/score: parse, validate, score, serialise         — the stateless endpoint
//   (W)  PATCH /v1/assessments/{id}/evidence on a WAL file database: re-score, store result,
//        group summaries and audit entry in one transaction, If-Match checked
//   (G)  GET /v1/assessments/{id}: read, access check, serialise the stored result
// Variants run in interleaved rounds; medians and ratios to (S) from the same run.
//   npm run bench:service -- [--rounds=N] [--ops=N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import { Catalog } from '../src/criteria/catalog.js'
import { score } from '../src/scoring/index.js'
import { packageRoot } from '../src/paths.js'

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def)
const ROUNDS = arg('rounds', 7)
const OPS = arg('ops', 400)

const dir = mkdtempSync(join(tmpdir(), 'cds-bench-'))
const catalog = Catalog.load()
const set = catalog.compile('moet-4725')
const facts = (JSON.parse(readFileSync(new URL('criteria/moet-4725/examples/strong-thcs.json', packageRoot()), 'utf8')) as { facts: Record<string, unknown> }).facts
// The rate limits off: (P) and (W) send thousands of requests from one client and one key.
const app = await buildApp({ logger: false, catalog, config: { dbFile: join(dir, 'bench.sqlite'), uploadsDir: join(dir, 'uploads'), scoreRateLimit: 0, writeRateLimit: 0 } })
const s = app.services
const admin = (await s.keys.create(null, { role: 'admin', label: 'bench' })).key
const auth = { authorization: `Bearer ${admin}` }
const post = async (url: string, payload: object) => {
  const r = await app.inject({ method: 'POST', url, headers: auth, payload })
  if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
  return JSON.parse(r.body)
}
await post('/v1/units', { code: 'B', name: 'Bench', type: 'province', fromYear: '2020-2021' })
await post('/v1/schools', { moetCode: 'B1', name: 'Trường Bench', levels: ['THCS'], ownership: 'public', unitCode: 'B', fromYear: '2020-2021' })
const period = await post('/v1/periods', { unitCode: 'B', schoolYear: '2026-2027', title: 'Bench', criteriaSets: ['moet-4725'], submissionDeadline: '2099-01-01T00:00:00Z' })
const a = await post('/v1/assessments', { schoolCode: 'B1', periodId: period.id })
let version = a.version as number
let i = 0

const variants: Record<string, () => Promise<void> | void> = {
  S: () => { score(set, { facts }) },
  H: async () => { await app.inject({ method: 'GET', url: '/health' }) },
  P: async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/score', payload: { criteriaSet: 'moet-4725', evidence: { facts } } })
    if (r.statusCode !== 200) throw new Error(r.body)
  },
  W: async () => {
    // A real change every time (teachers count alternates), so every save writes.
    const r = await app.inject({ method: 'PATCH', url: `/v1/assessments/${a.id}/evidence`, headers: { ...auth, 'if-match': `"${version}"` }, payload: { facts: { ...facts, teachers_using_digital_tools: 40 + (i++ % 10) } } })
    if (r.statusCode !== 200) throw new Error(r.body)
    version++
  },
  G: async () => {
    const r = await app.inject({ method: 'GET', url: `/v1/assessments/${a.id}`, headers: auth })
    if (r.statusCode !== 200) throw new Error(r.body)
  },
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
for (let round = -1; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(variants)) {
    const t0 = process.hrtime.bigint()
    for (let k = 0; k < OPS; k++) await fn()
    const us = Number(process.hrtime.bigint() - t0) / 1000 / OPS
    if (round >= 0) times[name]!.push(us) // round -1 is the warm-up
  }
}
const median = (xs: number[]): number => { const v = [...xs].sort((x, y) => x - y); return v[Math.floor(v.length / 2)] as number }
const base = median(times.S!)
const labels: Record<string, string> = { S: 'score() in-process (baseline)', H: 'GET /health (framework floor)', P: 'POST /v1/score', W: 'PATCH evidence (re-score + store + audit)', G: 'GET assessment' }
console.log(`${ROUNDS} rounds × ${OPS} ops, medians (Node ${process.version}); rate limits off (scoreRateLimit 0, writeRateLimit 0)`)
console.log('| variant | µs/op | ops/s | vs (S) |\n|---|---:|---:|---:|')
for (const k of Object.keys(variants)) {
  const m = median(times[k]!)
  console.log(`| (${k}) ${labels[k]} | ${m.toFixed(1)} | ${Math.round(1e6 / m).toLocaleString('en')} | ${(m / base).toFixed(1)}× |`)
}
await app.close()
rmSync(dir, { recursive: true, force: true })
