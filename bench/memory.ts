// Benchmark: resident memory of the real server holding a national dataset (30,000 schools and
// their assessments by default, bench/aggregate-data.ts) while it answers the heaviest reads and
// some writes. The server is the bench build of src/server.ts as a child process; after each step
// its VmRSS and its high-water mark VmHWM are read from /proc. Target: peak resident set < 300 MB.
//
//   npm run bench:memory -- [--schools=N] [--seed=N] [--keep]
//   --keep   keep the generated dataset in $TMPDIR/cds-bench-memory-<schools>-<seed>/ and reuse it
//            next time (it is 1.6 GB at 30,000 schools; the runs' few writes stay in it)
//   SERVER_FLAGS="…"  the server's V8 flags instead of the service's own (package.json start:prod);
//                     SERVER_FLAGS="" for none
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { Catalog } from '../src/criteria/catalog.js'
import { packageRoot } from '../src/paths.js'
import { buildDataset, scoreCorpus, type Built } from './aggregate-data.js'
import { log, memory, serverFlags, startProcess, stopAll, stopProcess } from './processes.js'

const USAGE = 'usage: npm run bench:memory -- [--schools=N] [--seed=N] [--keep]   (defaults 30000, 4725)'
const argv = process.argv.slice(2)
if (argv.includes('--help')) { process.stdout.write(`${USAGE}\n`); process.exit(0) }
for (const a of argv) if (!/^--(schools|seed)=\d+$/.test(a) && a !== '--keep') { process.stderr.write(`bench/memory: unknown argument "${a}"\n${USAGE}\n`); process.exit(1) }
const opt = (name: string, def: number): number => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def)
const SCHOOLS = opt('schools', 30_000)
const SEED = opt('seed', 4725)
const TARGET_MB = 300

const root = fileURLToPath(packageRoot())
const KEEP = argv.includes('--keep')
const dir = KEEP ? join(os.tmpdir(), `cds-bench-memory-${SCHOOLS}-${SEED}`) : mkdtempSync(join(os.tmpdir(), 'cds-bench-memory-'))
const mb = (x: number): string => (x / 2 ** 20).toFixed(0)
interface Step { step: string; rss: number; hwm: number; note: string }
const steps: Step[] = []
let datasetNote = ''
let serverNote = ''
try {
  const catalog = Catalog.load()
  const set = catalog.compile('moet-4725')
  const dbFile = join(dir, 'memory.sqlite')
  const builtFile = join(dir, 'built.json')
  let built: Built
  if (KEEP && existsSync(builtFile)) {
    built = JSON.parse(readFileSync(builtFile, 'utf8')) as Built
    log(`reusing the dataset in ${dir}`)
  } else {
    log(`building the ${SCHOOLS.toLocaleString('en')}-school dataset…`)
    mkdirSync(dir, { recursive: true })
    built = buildDataset(dbFile, SCHOOLS, SEED + SCHOOLS, scoreCorpus(set, 200, SEED))
    if (KEEP) writeFileSync(builtFile, JSON.stringify(built))
  }
  datasetNote = `${built.schools.toLocaleString('en')} schools, ${built.units.toLocaleString('en')} units, ${built.assessments.toLocaleString('en')} + ${built.previous.toLocaleString('en')} assessments, ${built.criteriaRows.toLocaleString('en')} criterion rows, ${(built.bytes / 2 ** 20).toFixed(0)} MB`
  log(`  ${datasetNote}`)
  const codes = (sql: string): string[] => {
    const db = new Database(dbFile, { readonly: true })
    try { return (db.prepare(sql).all() as { v: string }[]).map((r) => r.v) } finally { db.close() }
  }
  const provinces = codes("SELECT code AS v FROM units WHERE type = 'province' ORDER BY code")
  const drafts = codes(`SELECT id AS v FROM assessments WHERE state = 'draft' AND period_id = '${built.periodId}' ORDER BY id LIMIT 200`)

  // The rate limits off: the scoring and write steps send far more than 60 requests per 10 s.
  const env = { DATA_DIR: dir, DB_FILE: dbFile, LOG_LEVEL: 'silent', SCORE_RATE_LIMIT: '0', WRITE_RATE_LIMIT: '0' }
  const key = execFileSync(process.execPath, ['bin/cds.js', 'create-key', '--role', 'admin', '--label', 'bench'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim()
  // The service's own V8 flags (package.json start:prod), unless SERVER_FLAGS names others ("" for none).
  const flags = process.env.SERVER_FLAGS === undefined ? serverFlags(root) : process.env.SERVER_FLAGS.split(/\s+/).filter(Boolean)
  const server = await startProcess('server', [...flags, join(root, '.bench-build/src/server.js')], env, '/health', root)
  serverNote = flags.length ? `node ${flags.join(' ')}` : 'no V8 flags (V8 sizes its heap to the machine)'
  const auth = { authorization: `Bearer ${key}` }
  const record = (step: string, note = ''): void => {
    const s = { step, rss: memory(server.pid, 'VmRSS'), hwm: memory(server.pid, 'VmHWM'), note }
    steps.push(s)
    log(`  ${step}: RSS ${mb(s.rss)} MB, peak ${mb(s.hwm)} MB${note ? ` (${note})` : ''}`)
  }
  const get = async (path: string): Promise<number> => {
    const res = await fetch(server.base + path, { headers: auth })
    const bytes = (await res.arrayBuffer()).byteLength
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`)
    return bytes
  }
  const q = `period=${built.periodId}`
  record('started, idle')

  let t = performance.now()
  let bytes = await get(`/v1/units/${built.rootCode}/summary?${q}`)
  record('national summary, computed', `${((performance.now() - t) / 1000).toFixed(1)} s, ${(bytes / 1024).toFixed(0)} KB`)
  for (let i = 0; i < 20; i++) await get(`/v1/units/${built.rootCode}/summary?${q}`)
  record('the same summary 20 more times (reused)')
  await get(`/v1/units/${built.rootCode}/summary?${q}&includeSubmitted=true`)
  record('national summary with submitted ones, computed')
  for (const p of provinces) await get(`/v1/units/${p}/summary?${q}`)
  record(`the summary of each of the ${provinces.length} provinces`)

  for (const format of ['json', 'csv', 'xlsx'] as const) {
    t = performance.now()
    bytes = await get(`/v1/units/${provinces[0]}/report?${q}&format=${format}`)
    record(`province report (${format})`, `${((performance.now() - t) / 1000).toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(1)} MB`)
  }
  for (const format of ['csv', 'xlsx'] as const) {
    t = performance.now()
    bytes = await get(`/v1/units/${built.rootCode}/report?${q}&format=${format}`)
    record(`national report of every school (${format})`, `${((performance.now() - t) / 1000).toFixed(1)} s, ${(bytes / 2 ** 20).toFixed(1)} MB`)
  }
  for (let offset = 0; offset < 2000; offset += 100) await get(`/v1/assessments?limit=100&offset=${offset}`)
  record('20 pages of 100 assessments')

  const facts = (JSON.parse(readFileSync(join(root, 'criteria/moet-4725/examples/strong-thcs.json'), 'utf8')) as { facts: Record<string, unknown> }).facts
  let writes = 0
  for (const id of drafts) {
    const a = await fetch(`${server.base}/v1/assessments/${id}`, { headers: auth })
    const etag = a.headers.get('etag')
    await a.arrayBuffer()
    const res = await fetch(`${server.base}/v1/assessments/${id}/evidence`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json', 'if-match': etag ?? '' }, body: JSON.stringify({ facts }) })
    await res.arrayBuffer()
    if (res.status === 200) writes++
  }
  record(`${writes} evidence saves`, `of ${drafts.length} draft assessments`)
  const scoring = await autocannon({ url: `${server.base}/v1/score`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ criteriaSet: 'moet-4725', evidence: { facts } }), connections: 10, duration: 5 })
  record(`${scoring.requests.total.toLocaleString('en')} scoring requests (5 s, 10 connections)`)
  await get(`/v1/units/${built.rootCode}/summary?${q}`)
  record('national summary again, computed (the writes emptied the cache)')
  await stopProcess(server)
} finally {
  stopAll()
  if (!KEEP) rmSync(dir, { recursive: true, force: true })
}

const peak = Math.max(...steps.map((s) => s.hwm))
const cpus = os.cpus()
console.log(`\n## bench:memory — the server's resident memory with a national dataset (Node ${process.version}, ${cpus.length} cores)\n`)
console.log(`Dataset: ${datasetNote}. Server: .bench-build/src/server.js, LOG_LEVEL=silent, SCORE_RATE_LIMIT=0 and WRITE_RATE_LIMIT=0 (rate limits off), ${serverNote}. After each step (in order), VmRSS and the high-water mark VmHWM from /proc/<pid>/status.\n`)
console.log('| step | RSS MB | peak so far MB | |')
console.log('|---|---:|---:|---|')
for (const s of steps) console.log(`| ${s.step} | ${mb(s.rss)} | ${mb(s.hwm)} | ${s.note} |`)
console.log(`\nPeak resident set: **${mb(peak)} MB** (target < ${TARGET_MB} MB: ${peak < TARGET_MB * 2 ** 20 ? 'met' : 'NOT met'}).`)
if (peak >= TARGET_MB * 2 ** 20) process.exitCode = 1
