// Benchmark: does one officer's heavy read freeze everyone else? The real server (the bench build of
// src/server.ts with the service's V8 flags, package.json start:prod) on the 30,000-school dataset of
// bench/aggregate-data.ts, under three kinds of clients at once, each kind an autocannon instance in
// a child process of its own (so a slow summary response never delays the clock of a /health probe):
//   (U) 5 connections re-reading the national and a province's summary, alternately
//       (GET /v1/units/{root}/summary?period=… and /v1/units/{province}/summary?period=…);
//   (W) 10 connections saving evidence, each of its own draft assessment (a different school) with
//       that school's own key and If-Match, following its own ETag: every save is a real 200 that
//       writes, and every write empties the summary cache, so the summaries keep being computed;
//       at most 5 saves/s per client by default (under the default write limit per key);
//   (H) 1 connection on GET /health.
// Inside the server, CDS_LOOP_MONITOR=1 (src/ops/loop-monitor.ts) measures the event-loop delay;
// the bench asks for its histogram over IPC at the start and at the end of the measured window.
// Targets: (H) p99 ≤ 50 ms, (W) p99 ≤ 150 ms, event-loop delay max ≤ 200 ms, 0 errors.
//
//   npm run bench:mixed -- [--duration=S] [--schools=N] [--seed=N] [--json] [--fresh]
import { fork, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type autocannonT from 'autocannon'

type Result = autocannonT.Result

// ---------------------------------------------------------------- a load-generator child

/** What the parent sends a load child: one class of clients. */
interface LoadPlan {
  kind: 'summaries' | 'saves' | 'health'
  url: string; connections: number; duration: number; timeout: number
  headers: Record<string, string>
  /** summaries: the paths read in turn by each connection */
  paths?: string[]
  /** saves: one slot per connection (its assessment, its school's key and its current version), the
   *  two alternating bodies, and the pace of each client (saves/s; 0: as fast as the answers come) */
  slots?: { id: string; key: string; version: number; next: 0 | 1 }[]
  bodies?: [string, string]
  rate?: number
}
interface LoadOutcome { kind: LoadPlan['kind']; result: Result; resynced: number; lostVersions: number }

if (process.argv[2] === '--child=load') {
  const { default: autocannon } = await import('autocannon')
  const plan = JSON.parse(process.env.CDS_LOAD_PLAN as string) as LoadPlan
  let resynced = 0
  let lostVersions = 0
  const opts: autocannonT.Options = { url: plan.url, connections: plan.connections, pipelining: 1, duration: plan.duration, timeout: plan.timeout, headers: plan.headers }
  if (plan.kind === 'summaries') opts.requests = (plan.paths ?? []).map((path) => ({ method: 'GET', path }))
  else if (plan.kind === 'health') opts.requests = [{ method: 'GET', path: '/health' }]
  const runs: autocannonT.Instance[] = []
  const go = new Promise((resolve) => process.once('message', resolve))
  process.send!({ ready: true })
  await go
  let result: Result
  if (plan.kind !== 'saves') result = await autocannon(opts)
  else {
    // One autocannon instance per client, each with its own assessment in its closure: a client
    // owns its school for the whole run and follows its own ETag (autocannon's per-connection
    // context is reset every time the request list wraps, so it cannot hold that). The latency
    // histograms of the instances are merged exactly (aggregateResult over skipAggregateResult runs).
    const bodies = plan.bodies as [string, string]
    for (const s of plan.slots ?? []) {
      runs.push(autocannon({
        ...opts, connections: 1, skipAggregateResult: true, headers: { ...opts.headers, authorization: `Bearer ${s.key}` },
        ...(plan.rate ? { connectionRate: plan.rate } : {}),
        requests: [{
          method: 'PATCH',
          setupRequest: (req) => ({ ...req, path: `/v1/assessments/${s.id}/evidence`, headers: { ...req.headers, 'if-match': `"${s.version}"` }, body: bodies[s.next] }),
          onResponse: (status, body, _ctx, headers) => {
            const etag = Object.entries(headers).find(([k]) => k.toLowerCase() === 'etag')?.[1]
            if (status === 200 && typeof etag === 'string') { s.version = Number(etag.replace(/\D/g, '')); s.next = s.next === 0 ? 1 : 0; return }
            // Should not happen; if it does (e.g. a timed-out save that did land), the 412 names the
            // current version: follow it so one miss does not turn every later save into a 412.
            try {
              const v = (JSON.parse(body) as { error?: { details?: { currentVersion?: number } } }).error?.details?.currentVersion
              if (typeof v === 'number') { s.version = v; resynced++ } else lostVersions++
            } catch { lostVersions++ }
          },
        }],
      } as autocannonT.Options))
    }
    const merge = (autocannon as unknown as { aggregateResult(rs: Result[], o: autocannonT.Options): Result }).aggregateResult
    result = merge(await Promise.all(runs), { url: plan.url, connections: runs.length, duration: plan.duration })
  }
  process.send!({ kind: plan.kind, result, resynced, lostVersions } satisfies LoadOutcome, () => process.exit(0))
} else {
  await main()
}

async function main(): Promise<void> {
  const { Catalog } = await import('../src/criteria/catalog.js')
  const { packageRoot } = await import('../src/paths.js')
  const { buildDataset, scoreCorpus } = await import('./aggregate-data.js')
  const { log, rssSampler, serverFlags, startProcess, stopAll, stopProcess } = await import('./processes.js')
  const { parseLoopDelayLines } = await import('../src/ops/loop-monitor.js')
  type LoopDelayReport = import('../src/ops/loop-monitor.js').LoopDelayReport
  const { default: Database } = await import('better-sqlite3')

  // -------------------------------------------------------------- options
  const USAGE = `usage: npm run bench:mixed -- [--duration=S] [--save-rate=N] [--schools=N] [--seed=N] [--json] [--fresh]
  --duration=S  measured seconds, all three kinds of clients at once (default 30)
  --save-rate=N saves per second of each save client, at most (default 5: under the default write limit
                of 60 per 10 s per key); 0: each client saves again as soon as it has its answer, and the
                server's write limit is turned off (WRITE_RATE_LIMIT=0) so the saves are not refused
  --schools=N   schools in the generated dataset (default 30000)
  --seed=N      PRNG seed of the dataset (default 4725)
  --json        the results as JSON on stdout instead of the table (progress stays on stderr)
  --fresh       rebuild the cached dataset even if its key matches`
  const argv = process.argv.slice(2)
  if (argv.includes('--help')) { process.stdout.write(`${USAGE}\n`); return }
  for (const a of argv) if (!/^--(duration|save-rate|schools|seed)=\d+$/.test(a) && a !== '--json' && a !== '--fresh') { process.stderr.write(`bench/mixed: unknown argument "${a}"\n${USAGE}\n`); process.exit(1) }
  const opt = (name: string, def: number): number => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def)
  const DURATION = opt('duration', 30)
  const SCHOOLS = opt('schools', 30_000)
  const SEED = opt('seed', 4725)
  const SAVE_RATE = opt('save-rate', 5)
  const JSON_OUT = argv.includes('--json')
  if (DURATION < 1 || SCHOOLS < 100) { process.stderr.write('bench/mixed: --duration ≥ 1, --schools ≥ 100\n'); process.exit(1) }
  const CLIENTS = { summaries: 5, saves: 10, health: 1 }
  const TARGETS = { healthP99: 50, saveP99: 150, loopMax: 200 }
  // Long enough that a slow summary is measured, not cut off: its latency is the figure to read.
  const TIMEOUT_S = 120

  const root = fileURLToPath(packageRoot())
  const cpus = os.cpus()
  const loadBefore = os.loadavg()
  log(`${cpus.length} cores (${cpus[0]?.model ?? '?'}), load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`)

  // -------------------------------------------------------------- the dataset, cached by content
  // Keyed by what the generated file depends on: the generator, the evidence, the migrations, the
  // criteria set, the scoring code whose results it stores, the DB layer, and the size and seed.
  // A changed key rebuilds it (30,000 schools: about 1.7 GB and a minute or two); other keys of the
  // same size and seed are deleted then, so /tmp holds one copy. Each run works on a copy of it.
  const files = (rel: string): string[] => {
    const p = join(root, rel)
    if (!existsSync(p)) return []
    if (!statSync(p).isDirectory()) return [p]
    return readdirSync(p, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name))
  }
  const hash = createHash('sha256').update(`schools=${SCHOOLS} seed=${SEED}\n`)
  for (const f of ['bench/aggregate-data.ts', 'bench/evidence.ts', 'migrations/sqlite', 'criteria/moet-4725', 'criteria/facts', 'src/scoring', 'src/db', 'src/services/scoring.ts', 'src/repositories/sqlite/schools.ts'].flatMap(files).sort()) {
    hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0')
  }
  const cacheKey = hash.digest('hex').slice(0, 16)
  const cacheRoot = join(os.tmpdir(), 'cds-bench-mixed')
  const cacheDir = join(cacheRoot, `${SCHOOLS}-${SEED}-${cacheKey}`)
  const cachedDb = join(cacheDir, 'dataset.sqlite')
  const builtFile = join(cacheDir, 'built.json')
  type Built = import('./aggregate-data.js').Built
  let built: Built
  let datasetNote: string
  if (!argv.includes('--fresh') && existsSync(builtFile) && existsSync(cachedDb)) {
    built = JSON.parse(readFileSync(builtFile, 'utf8')) as Built
    datasetNote = `cached in ${cacheDir}`
    log(`dataset: ${datasetNote}`)
  } else {
    mkdirSync(cacheRoot, { recursive: true })
    for (const d of readdirSync(cacheRoot)) if (d.startsWith(`${SCHOOLS}-${SEED}-`)) rmSync(join(cacheRoot, d), { recursive: true, force: true })
    mkdirSync(cacheDir, { recursive: true })
    log(`building the ${SCHOOLS.toLocaleString('en')}-school dataset into ${cacheDir}…`)
    const set = Catalog.load().compile('moet-4725')
    built = buildDataset(cachedDb, SCHOOLS, SEED + SCHOOLS, scoreCorpus(set, 200, SEED))
    writeFileSync(builtFile, JSON.stringify(built)) // last: a build cut short leaves no built.json
    datasetNote = `built in ${(built.totalMs / 1000).toFixed(0)} s, cached in ${cacheDir}`
    log(`  ${datasetNote}`)
  }
  const describe = `${built.schools.toLocaleString('en')} schools, ${built.units.toLocaleString('en')} units, ${built.assessments.toLocaleString('en')} + ${built.previous.toLocaleString('en')} assessments, ${(built.bytes / 2 ** 30).toFixed(1)} GB`

  const dir = mkdtempSync(join(os.tmpdir(), 'cds-bench-mixed-run-'))
  const loaders: ChildProcess[] = []
  let outcomes: LoadOutcome[] = []
  let loop: LoopDelayReport | undefined
  let exitLoop: LoopDelayReport | undefined
  let firstSummaryMs = 0
  const freshSummaryMs: number[] = []
  let lastVersion: string | undefined
  let peakRss = 0
  let province = ''
  let serverFailed = ''
  try {
    const dbFile = join(dir, 'mixed.sqlite')
    const t0 = performance.now()
    copyFileSync(cachedDb, dbFile) // the runs' writes never reach the cache
    log(`  working copy in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

    // The assessments the save clients own: drafts of the summarised period, each of its own
    // school (one assessment per school and period), spread over the country by their random ids.
    const db = new Database(dbFile, { readonly: true })
    const drafts = db.prepare(`SELECT a.id AS id, s.moet_code AS school FROM assessments a JOIN schools s ON s.id = a.school_id
      WHERE a.state = 'draft' AND a.period_id = ? ORDER BY a.id LIMIT ?`).all(built.periodId, CLIENTS.saves) as { id: string; school: string }[]
    // The province read beside the nation: the one with the most schools (its own and its districts').
    const units = db.prepare('SELECT id, code, type, parent_id AS parent FROM units').all() as { id: number; code: string; type: string; parent: number | null }[]
    const perUnit = new Map((db.prepare('SELECT unit_id AS id, COUNT(*) AS n FROM school_units WHERE to_year IS NULL GROUP BY unit_id').all() as { id: number; n: number }[]).map((r) => [r.id, r.n]))
    const provinceOf = new Map(units.map((u) => [u.id, u.type === 'province' ? u.id : u.parent ?? u.id]))
    const perProvince = new Map<number, number>()
    for (const [id, n] of perUnit) { const p = provinceOf.get(id) ?? id; perProvince.set(p, (perProvince.get(p) ?? 0) + n) }
    const biggest = [...perProvince].filter(([id]) => units.find((u) => u.id === id)?.type === 'province').sort((a, b) => b[1] - a[1])[0]
    province = units.find((u) => u.id === biggest?.[0])?.code ?? ''
    if (!province) throw new Error('no province in the dataset')
    db.close()
    if (drafts.length < CLIENTS.saves) throw new Error(`only ${drafts.length} draft assessments in the dataset`)

    const env: Record<string, string> = { DATA_DIR: dir, DB_FILE: dbFile, LOG_LEVEL: 'silent', CDS_LOOP_MONITOR: '1', ...(SAVE_RATE === 0 ? { WRITE_RATE_LIMIT: '0' } : {}) }
    // Keys as `cds create-key` makes them (in this process: eleven tsx start-ups would take ~30 s):
    // an admin for the summaries, and each saving school its own school key.
    const { runServiceCommand } = await import('../src/cli/service-commands.js')
    const createKey = async (args: string[]): Promise<string> => {
      const out: string[] = []
      const code = await runServiceCommand('create-key', [...args, '--label', 'bench-mixed'], { out: (x: string) => { out.push(x) }, err: () => {} }, env)
      const k = (out[0] ?? '').trim()
      if (code !== 0 || !/^\S{16,}$/.test(k)) throw new Error(`create-key ${args.join(' ')}: exit ${code}, printed ${JSON.stringify(out)}`)
      return k
    }
    const key = await createKey(['--role', 'admin'])
    const schoolKeys = new Map<string, string>()
    for (const d of drafts) schoolKeys.set(d.id, await createKey(['--role', 'school', '--school', d.school]))
    const server = await startProcess('server', [...serverFlags(root), join(root, '.bench-build/src/server.js')], env, '/health', root, { ipc: true })
    const auth = { authorization: `Bearer ${key}` }
    const q = `period=${built.periodId}`
    const paths = [`/v1/units/${built.rootCode}/summary?${q}`, `/v1/units/${province}/summary?${q}`]

    // One save per assessment before the run: it proves each one saves (200, not 409/412) and
    // gives its version; the national summary is then read once (cold) and checked.
    const facts = (JSON.parse(readFileSync(join(root, 'criteria/moet-4725/examples/strong-thcs.json'), 'utf8')) as { facts: Record<string, unknown> }).facts
    const bodies = [40, 41].map((v) => JSON.stringify({ facts: { ...facts, teachers_using_digital_tools: v } })) as [string, string]
    const slots: NonNullable<LoadPlan['slots']> = []
    for (const { id } of drafts) {
      const own = { authorization: `Bearer ${schoolKeys.get(id)}` }
      const a = await fetch(`${server.base}/v1/assessments/${id}`, { headers: own })
      await a.arrayBuffer()
      const etag = a.headers.get('etag')
      if (a.status !== 200 || !etag) throw new Error(`GET /v1/assessments/${id}: ${a.status}`)
      const w = await fetch(`${server.base}/v1/assessments/${id}/evidence`, { method: 'PATCH', headers: { ...own, 'content-type': 'application/json', 'if-match': etag }, body: bodies[0] })
      const text = await w.text()
      const next = w.headers.get('etag')
      if (w.status !== 200 || !next) throw new Error(`PATCH /v1/assessments/${id}/evidence: ${w.status} ${text.slice(0, 300)}`)
      slots.push({ id, key: schoolKeys.get(id)!, version: Number(next.replace(/\D/g, '')), next: 1 })
    }
    {
      const t = performance.now()
      const res = await fetch(server.base + paths[0], { headers: auth })
      const text = await res.text()
      firstSummaryMs = performance.now() - t
      const inScope = res.status === 200 ? (JSON.parse(text) as { schools?: { inScope?: number } }).schools?.inScope : undefined
      if (inScope !== built.schools) throw new Error(`national summary: ${res.status}, inScope ${inScope} ≠ ${built.schools}: ${text.slice(0, 300)}`)
      log(`  national summary (cold, alone): ${firstSummaryMs.toFixed(0)} ms; province ${province}`)
    }
    // A fresh national summary: one save, then the summary, alone, nine times. Each answer must
    // count the data version after the save (asOf), so none is a cached or stale one.
    {
      const slot = slots[0]!
      const own = { authorization: `Bearer ${slot.key}`, 'content-type': 'application/json' }
      for (let k = 0; k < 9; k++) {
        const w = await fetch(`${server.base}/v1/assessments/${slot.id}/evidence`, { method: 'PATCH', headers: { ...own, 'if-match': `"${slot.version}"` }, body: bodies[slot.next]! })
        await w.arrayBuffer()
        if (w.status !== 200) throw new Error(`fresh-summary save: ${w.status}`)
        slot.version++
        slot.next = slot.next === 0 ? 1 : 0
        const t = performance.now()
        const res = await fetch(server.base + paths[0], { headers: auth })
        const body = JSON.parse(await res.text()) as { asOf?: { dataVersion: string } }
        freshSummaryMs.push(performance.now() - t)
        if (res.status !== 200 || res.headers.get('age') !== null) throw new Error(`fresh national summary: ${res.status}, age ${res.headers.get('age')}`)
        if (k > 0 && body.asOf?.dataVersion === lastVersion) throw new Error('fresh national summary: the data version did not move after a save')
        lastVersion = body.asOf?.dataVersion
      }
      const sorted = [...freshSummaryMs].sort((x, y) => x - y)
      log(`  national summary after a save (fresh, alone, 9×): median ${sorted[4]!.toFixed(0)} ms, max ${sorted[8]!.toFixed(0)} ms`)
    }

    // The three load generators, each in its own process, started together.
    const plans: LoadPlan[] = [
      { kind: 'summaries', url: server.base, connections: CLIENTS.summaries, duration: DURATION, timeout: TIMEOUT_S, headers: auth, paths },
      { kind: 'saves', url: server.base, connections: CLIENTS.saves, duration: DURATION, timeout: TIMEOUT_S, headers: { 'content-type': 'application/json' }, slots, bodies, rate: SAVE_RATE },
      { kind: 'health', url: server.base, connections: CLIENTS.health, duration: DURATION, timeout: TIMEOUT_S, headers: {} },
    ]
    const self = fileURLToPath(import.meta.url)
    const children = plans.map((plan) => {
      const c = fork(self, ['--child=load'], { cwd: root, execArgv: [], env: { ...process.env, CDS_LOAD_PLAN: JSON.stringify(plan) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      loaders.push(c)
      // Its first message says it is ready, its second one is its result.
      const messages: unknown[] = []
      const waiters = new Set<() => void>()
      c.on('message', (m) => { messages.push(m); for (const w of waiters) w() })
      const nth = (i: number): Promise<unknown> => new Promise((resolve, reject) => {
        const check = (): void => { if (messages.length > i) { waiters.delete(check); resolve(messages[i]) } }
        waiters.add(check)
        c.once('exit', (code) => { check(); reject(new Error(`load child (${plan.kind}) exited (${code}) before its message ${i + 1}`)) })
        check()
      })
      const ready = nth(0)
      const result = nth(1) as Promise<LoadOutcome>
      result.catch(() => {}) // awaited later; a child failing before "go" rejects `ready` first
      return { c, ready, result }
    })
    await Promise.all(children.map((x) => x.ready))
    const results = children.map((x) => x.result)
    const askLoop = (): Promise<LoopDelayReport> => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not report its event-loop delay within 120 s')), 120_000)
      server.child.once('message', (m) => { clearTimeout(timer); resolve((m as { cdsLoopMonitor: LoopDelayReport }).cdsLoopMonitor) })
      server.child.send({ cdsLoopMonitor: 'report' })
    })
    await askLoop() // resets the histogram: start-up and the preparation above are not counted
    const rss = rssSampler(server.pid)
    log(`\nrunning ${DURATION} s: ${CLIENTS.summaries} summary, ${CLIENTS.saves} save (${SAVE_RATE ? `≤ ${SAVE_RATE}/s each` : 'unpaced'}), ${CLIENTS.health} /health connection(s)…`)
    for (const x of children) x.c.send('go')
    outcomes = await Promise.all(results)
    loop = await askLoop()
    peakRss = rss.stop()
    if (server.child.exitCode !== null || server.child.signalCode !== null) serverFailed = `the server exited (${server.child.exitCode ?? server.child.signalCode})`
    await stopProcess(server)
    exitLoop = parseLoopDelayLines(server.out()).at(-1)
  } finally {
    for (const c of loaders) if (c.exitCode === null) c.kill('SIGKILL')
    stopAll()
    rmSync(dir, { recursive: true, force: true })
  }

  // -------------------------------------------------------------- report
  const by = (k: LoadPlan['kind']): LoadOutcome => outcomes.find((o) => o.kind === k) as LoadOutcome
  const classes = [
    { key: 'H', kind: 'health' as const, label: '`GET /health`', clients: CLIENTS.health, target: TARGETS.healthP99 },
    { key: 'W', kind: 'saves' as const, label: `\`PATCH /v1/assessments/{id}/evidence\` (each client its own school and key, If-Match, ${SAVE_RATE ? `≤ ${SAVE_RATE} saves/s` : 'unpaced'})`, clients: CLIENTS.saves, target: TARGETS.saveP99 },
    { key: 'U', kind: 'summaries' as const, label: `\`GET /v1/units/{${built.rootCode} | ${province}}/summary\`, alternately`, clients: CLIENTS.summaries, target: null },
  ].map((c) => {
    const o = by(c.kind)
    const r = o.result
    const errors = r.errors + r.timeouts
    return {
      ...c, requests: r.requests.total, rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
      errors, non2xx: r.non2xx, statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([s, v]) => [s, v.count])), resynced: o.resynced, lostVersions: o.lostVersions,
      met: c.target === null ? null : r.latency.p99 <= c.target,
    }
  })
  const totalBad = classes.reduce((t, c) => t + c.errors + c.non2xx, 0)
  const verdicts = {
    healthP99: { target: `≤ ${TARGETS.healthP99} ms`, value: classes[0]!.p99, met: classes[0]!.p99 <= TARGETS.healthP99 },
    saveP99: { target: `≤ ${TARGETS.saveP99} ms`, value: classes[1]!.p99, met: classes[1]!.p99 <= TARGETS.saveP99 },
    loopMax: { target: `≤ ${TARGETS.loopMax} ms`, value: loop?.maxMs ?? null, met: loop !== undefined && loop.maxMs <= TARGETS.loopMax },
    errors: { target: '0 errors, timeouts and non-2xx', value: totalBad, met: totalBad === 0 && serverFailed === '' },
  }
  const allMet = Object.values(verdicts).every((v) => v.met)
  const meta = {
    node: process.version, cores: cpus.length, cpu: cpus[0]?.model ?? '?', loadBefore, loadAfter: os.loadavg(), durationS: DURATION,
    dataset: describe, datasetNote, saveRatePerClient: SAVE_RATE, serverFlags: serverFlags(root), firstSummaryMs: Math.round(firstSummaryMs), freshSummaryMs: freshSummaryMs.map(Math.round), serverPeakRssMB: Math.round(peakRss / 2 ** 20), serverFailed,
  }
  if (JSON_OUT) {
    console.log(JSON.stringify({ meta, classes, loopDelay: loop ?? null, loopDelayAtExit: exitLoop ?? null, verdicts, allMet }, null, 2))
  } else {
    const mark = (m: boolean | null): string => m === null ? '' : m ? 'met' : '**NOT met**'
    const la = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ')
    console.log(`\n## bench:mixed — summaries, saves and /health at once (Node ${process.version}, ${cpus.length} cores: ${cpus[0]?.model ?? '?'})\n`)
    console.log(`${DURATION} s, all clients at once, pipelining 1, each kind of client an autocannon instance in its own process. Dataset: ${describe} (${datasetNote}). `
      + `The national summary alone, cold, before the run: ${(firstSummaryMs / 1000).toFixed(1)} s; after a save (fresh, alone, 9 times): median ${fmtMs(median(freshSummaryMs))}, max ${fmtMs(Math.max(...freshSummaryMs))} (target ≤ 500 ms: ${Math.max(...freshSummaryMs) <= 500 ? 'met' : '**NOT met**'}). Load average before ${la(loadBefore)}, after ${la(os.loadavg())}. Latencies have autocannon's 1 ms resolution.\n`)
    console.log('| clients | case | requests | req/s | p50 ms | p99 ms | max ms | errors | non-2xx | target (p99) | |')
    console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    for (const c of classes) {
      console.log(`| ${c.clients} | (${c.key}) ${c.label} | ${c.requests.toLocaleString('en')} | ${c.rps.toFixed(1)} | ${c.p50} | ${c.p99} | ${c.max} | ${c.errors} | ${c.non2xx} | ${c.target === null ? '' : `≤ ${c.target}`} | ${mark(c.met)} |`)
    }
    const l = loop
    console.log(`\nServer event-loop delay (perf_hooks.monitorEventLoopDelay inside the server, 10 ms sampling, over the measured window${l ? ` of ${(l.windowMs / 1000).toFixed(1)} s, ${l.samples.toLocaleString('en')} samples` : ''}): `
      + (l ? `p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, **max ${l.maxMs} ms** (target ≤ ${TARGETS.loopMax} ms: ${mark(verdicts.loopMax.met)}); the loop was busy ${(l.utilization * 100).toFixed(0)}% of the window. `
        + 'The window ends when the server answers the final report, i.e. once the loop is free: a computation still running when the clients stop is counted whole. '
        + 'A blocked loop takes few samples (one per block), so read the max, not the percentiles, when the samples are few.' : 'not reported.'))
    console.log(`Errors (errors + timeouts + non-2xx, all clients): ${totalBad} (target 0: ${mark(verdicts.errors.met)}).${serverFailed ? ` ${serverFailed}.` : ''}`)
    for (const c of classes) if (c.non2xx) console.log(`(${c.key}) status codes: ${JSON.stringify(c.statusCodes)}.`)
    const w = classes[1]!
    if (w.resynced || w.lostVersions) console.log(`(W) ${w.resynced} saves answered 412 and were resynchronised from its currentVersion; ${w.lostVersions} left a client without a version.`)
    console.log(`Server: .bench-build/src/server.js with the service's flags (${meta.serverFlags.join(' ')}), LOG_LEVEL=silent, CDS_LOOP_MONITOR=1${SAVE_RATE === 0 ? ', WRITE_RATE_LIMIT=0 (unpaced saves)' : ', its configuration otherwise default'}, on a copy of the dataset; peak RSS during the run ${meta.serverPeakRssMB} MB. `
      + `Server and the three load generators share the machine's ${cpus.length} cores. A request still in flight when the run ends is not counted.`)
    console.log(`\n${allMet ? 'All targets met.' : '**Targets NOT met**: ' + Object.entries(verdicts).filter(([, v]) => !v.met).map(([k]) => k).join(', ') + '.'}`)
  }
  if (!allMet) process.exitCode = 1
}

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1]! : NaN }
function fmtMs(ms: number): string { return `${Math.round(ms)} ms` }
