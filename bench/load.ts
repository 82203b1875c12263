// Benchmark: the real server under HTTP load (autocannon over loopback sockets), against a
// hello-world Fastify app measured in the same run as the baseline. Both servers are child
// processes (the server is the bench build of src/server.ts, LOG_LEVEL=silent; the hello-world app is
// this file run with --child=hello, pino at level silent too); autocannon runs in this process, on
// the same machine: server and load generator share its cores, so read the ratios, not the rates.
//   (0) GET /            hello-world Fastify, {hello:'world'} — the baseline (first and last case)
//   (P0) POST /sized/score   hello-world Fastify parsing the same body as (P) and sending the same
//                        response bytes: the floor of (P) without any work (no target)
//   (P) POST /v1/score   stateless scoring of a complete bundle (strong-thcs), no key
//   (W0) PATCH /sized/write  hello-world Fastify parsing the same body as (W) and sending one of
//        (W)'s answers: its floor
//   (W) PATCH /v1/assessments/:id/evidence with an admin key and If-Match: a pool of assessments
//       (2 per connection); each request takes a free one with its current version and returns it
//       with the version of the response's ETag; a teachers count alternates so every save writes
//   (U0) GET /sized/summary  hello-world Fastify sending the bytes of (U)'s response: its floor
//   (Uz0), (Uz) the same two with Accept-Encoding: gzip, deflate, br (what a browser sends): the
//       server sends the summary's gzip, made once per summary
//   (U) GET /v1/units/<root>/summary?period=… of a generated national dataset (3,000 schools by
//       default, bench/aggregate-data.ts), admin key
// Per case: a warm-up run (discarded), then the measured run; the server's peak RSS is sampled
// from /proc during both.
//
//   npm run bench:load -- [--duration=S] [--warmup=S] [--connections=N] [--schools=N] [--seed=N]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { log, memory, rssSampler, serverFlags, startProcess, stopAll, stopProcess } from './processes.js'

// ---------------------------------------------------------------- the hello-world child

if (process.argv[2] === '--child=hello') {
  const { default: Fastify } = await import('fastify')
  const app = Fastify({ logger: { level: 'silent' } })
  app.get('/', async () => ({ hello: 'world' }))
  // The floors of (P) and (U): the same request parsed, the same response bytes sent, nothing else.
  const sized = (name: string): Buffer => readFileSync(join(process.env.SIZED_DIR as string, `${name}.json`))
  const score = sized('score')
  const summary = sized('summary')
  app.post('/sized/score', async (_request, reply) => reply.type('application/json; charset=utf-8').send(score))
  // (W)'s answer exists only once the pool is set up: read on first use.
  let write: Buffer | undefined
  app.patch('/sized/write', async (_request, reply) => reply.type('application/json; charset=utf-8').send(write ??= sized('write')))
  const summaryGzip = gzipSync(summary, { level: 6 }) // the bytes the server sends (src/http/encoding.ts)
  app.get('/sized/summary', async (_request, reply) => reply.type('application/json; charset=utf-8').send(summary))
  app.get('/sized/summary-gzip', async (_request, reply) => reply.type('application/json; charset=utf-8').header('content-encoding', 'gzip').send(summaryGzip))
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) })
  process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)) })
} else {
  await main()
}

async function main(): Promise<void> {
  const { default: autocannon } = await import('autocannon')
  const { Catalog } = await import('../src/criteria/catalog.js')
  const { packageRoot } = await import('../src/paths.js')
  const { buildDataset, scoreCorpus } = await import('./aggregate-data.js')

  // -------------------------------------------------------------- options
  const USAGE = `usage: npm run bench:load -- [--duration=S] [--warmup=S] [--connections=N] [--schools=N] [--seed=N]
  --duration=S     measured seconds per case (default 10)
  --warmup=S       warm-up seconds before each case, discarded (default 2)
  --connections=N  concurrent connections, pipelining 1 (default 10)
  --schools=N      schools in the generated dataset of the summary case (default 3000)
  --seed=N         PRNG seed of the dataset (default 4725)`
  const argv = process.argv.slice(2)
  if (argv.includes('--help')) { process.stdout.write(`${USAGE}\n`); return }
  for (const a of argv) if (!/^--(duration|warmup|connections|schools|seed)=\d+$/.test(a)) { process.stderr.write(`bench/load: unknown argument "${a}"\n${USAGE}\n`); process.exit(1) }
  const opt = (name: string, def: number): number => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def)
  const DURATION = opt('duration', 10)
  const WARMUP = opt('warmup', 2)
  const CONNECTIONS = opt('connections', 10)
  const SCHOOLS = opt('schools', 3000)
  const SEED = opt('seed', 4725)
  if (DURATION < 1 || CONNECTIONS < 1 || SCHOOLS < 10) { process.stderr.write(`bench/load: --duration ≥ 1, --connections ≥ 1, --schools ≥ 10\n`); process.exit(1) }

  const root = packageRoot()
  const rootPath = fileURLToPath(root)

  // -------------------------------------------------------------- the measured cases

  interface Row { key: string; label: string; target: number | null; r: import('autocannon').Result; rps: number; peakRss: number; note: string }
  const rows: Row[] = []
  const run = async (opts: import('autocannon').Options, seconds: number): Promise<import('autocannon').Result> =>
    await autocannon({ connections: CONNECTIONS, pipelining: 1, timeout: 30, ...opts, duration: seconds })
  const measure = async (key: string, label: string, target: number | null, pid: number, opts: import('autocannon').Options, before?: () => Promise<void>, note = ''): Promise<Row> => {
    const rss = rssSampler(pid)
    if (before) await before()
    if (WARMUP > 0) await run(opts, WARMUP)
    if (before) await before()
    const r = await run(opts, DURATION)
    const row: Row = { key, label, target, r, rps: r.requests.total / r.duration, peakRss: rss.stop(), note }
    rows.push(row)
    const bad = r.errors + r.timeouts + r.non2xx
    log(`  (${key}) ${row.rps.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.total} requests${bad ? `, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx ${JSON.stringify(r.statusCodeStats)}` : ''}`)
    return row
  }

  const dir = mkdtempSync(join(os.tmpdir(), 'cds-bench-load-'))
  const cpus = os.cpus()
  const loadBefore = os.loadavg()
  let datasetNote = ''
  let serverHwm = 0
  try {
    // The dataset of (U), built before the server starts; the server opens it as its DB_FILE.
    const catalog = Catalog.load()
    const set = catalog.compile('moet-4725')
    log(`${cpus.length} cores (${cpus[0]?.model ?? '?'}), load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)
    log(`building the ${SCHOOLS.toLocaleString('en')}-school dataset…`)
    const corpus = scoreCorpus(set, 200, SEED)
    const dbFile = join(dir, 'load.sqlite')
    const built = buildDataset(dbFile, SCHOOLS, SEED + SCHOOLS, corpus)
    datasetNote = `${built.schools.toLocaleString('en')} schools, ${built.units} units, ${built.assessments.toLocaleString('en')} + ${built.previous.toLocaleString('en')} assessments, ${(built.bytes / 2 ** 20).toFixed(0)} MB, built in ${(built.totalMs / 1000).toFixed(1)} s`
    log(`  ${datasetNote}`)

    // The rate limits off: the bench measures throughput, and 60 requests per 10 s would answer 429.
    const env = { DATA_DIR: dir, DB_FILE: dbFile, LOG_LEVEL: 'silent', SCORE_RATE_LIMIT: '0', WRITE_RATE_LIMIT: '0' }
    const key = execFileSync(process.execPath, ['bin/cds.js', 'create-key', '--role', 'admin', '--label', 'bench'], { cwd: rootPath, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim()
    if (!/^\S{16,}$/.test(key)) throw new Error(`create-key printed ${JSON.stringify(key)}`)

    const server = await startProcess('server', [...serverFlags(rootPath), join(rootPath, '.bench-build/src/server.js')], env, '/health', rootPath)
    const pid = server.child.pid!
    const facts = (JSON.parse(readFileSync(new URL('criteria/moet-4725/examples/strong-thcs.json', root), 'utf8')) as { facts: Record<string, unknown> }).facts
    const scoreBody = JSON.stringify({ criteriaSet: 'moet-4725', evidence: { facts } })
    const auth = { authorization: `Bearer ${key}` }
    const summaryPath = `/v1/units/${built.rootCode}/summary?period=${built.periodId}`
    // The responses of (P) and (U), for their floors in the hello-world app.
    const sized = async (name: string, path: string, init: RequestInit): Promise<number> => {
      const res = await fetch(server.base + path, init)
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
      const bytes = Buffer.from(await res.arrayBuffer())
      writeFileSync(join(dir, `${name}.json`), bytes)
      return bytes.byteLength
    }
    const scoreBytes = await sized('score', '/v1/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: scoreBody })
    const summaryBytes = await sized('summary', summaryPath, { headers: auth })
    const hello = await startProcess('hello-world', [fileURLToPath(import.meta.url), '--child=hello'], { SIZED_DIR: dir }, '/', rootPath)
    const api = async (method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; json: Record<string, unknown> }> => {
      const res = await fetch(server.base + path, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : null })
      const json = (await res.json()) as Record<string, unknown>
      return { status: res.status, etag: res.headers.get('etag'), json }
    }
    const must = async (method: string, path: string, body?: object): Promise<Record<string, unknown>> => {
      const r = await api(method, path, body)
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json).slice(0, 500)}`)
      return r.json
    }

    // (0) hello-world, first
    log('\ncases:')
    await measure('0', 'hello-world Fastify `GET /` (first)', null, hello.child.pid!, { url: `${hello.base}/` })

    // (P) stateless scoring, and its floor in the hello-world app
    {
      const kb = (scoreBytes / 1024).toFixed(0)
      const post = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: scoreBody }
      await measure('P0', `hello-world Fastify \`POST /sized/score\`: the same request parsed, the same ${kb} KB response sent, no work`, null, hello.child.pid!, { url: `${hello.base}/sized/score`, ...post })
      await measure('P', '`POST /v1/score` (strong-thcs, no key)', 0.6, pid, { url: `${server.base}/v1/score`, ...post }, undefined, `request ${(scoreBody.length / 1024).toFixed(1)} KB, response ${kb} KB (every criterion with its explanation)`)
    }

    // (W) evidence writes: a pool of draft assessments in a province of their own, deadline far away.
    const POOL = CONNECTIONS * 2
    await must('POST', '/v1/units', { code: 'LOAD', name: 'Bench load', type: 'province', fromYear: '2020-2021' })
    const period = await must('POST', '/v1/periods', { unitCode: 'LOAD', schoolYear: '2026-2027', title: 'Bench load', criteriaSets: ['moet-4725'], submissionDeadline: '2099-01-01T00:00:00Z' })
    const ids: string[] = []
    for (let i = 0; i < POOL; i++) {
      await must('POST', '/v1/schools', { moetCode: `LOAD${i}`, name: `Trường Bench ${i}`, levels: ['THCS'], ownership: 'public', unitCode: 'LOAD', fromYear: '2020-2021' })
      ids.push((await must('POST', '/v1/assessments', { schoolCode: `LOAD${i}`, periodId: period.id })).id as string)
    }
    // Two bodies: the full strong-thcs facts with teachers_using_digital_tools 40 or 41.
    const writeBody = [40, 41].map((v) => JSON.stringify({ facts: { ...facts, teachers_using_digital_tools: v } }))
    interface Slot { id: string; version: number; next: 0 | 1 }
    let free: Slot[] = []
    let lost = 0
    // Before each run: the stored version and value of every assessment (a run ends with requests
    // in flight whose responses are never read).
    const refresh = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, 300))
      free = []
      for (const id of ids) {
        const r = await api('GET', `/v1/assessments/${id}`)
        if (r.status !== 200 || !r.etag) throw new Error(`GET assessment ${id}: ${r.status}`)
        const stored = ((r.json.facts ?? {}) as Record<string, unknown>).teachers_using_digital_tools
        free.push({ id, version: Number(r.etag.replace(/"/g, '')), next: stored === 40 ? 1 : 0 })
      }
    }
    const writeReq: import('autocannon').Request = {
      method: 'PATCH',
      setupRequest: (req, ctx) => {
        const s = free.pop()
        if (!s) throw new Error('no free assessment in the pool (more requests in flight than connections?)')
        ctx.slot = s
        return { ...req, path: `/v1/assessments/${s.id}/evidence`, headers: { ...req.headers, 'if-match': `"${s.version}"` }, body: writeBody[s.next] }
      },
      onResponse: (status, _body, ctx, headers) => {
        const s = ctx.slot as Slot | undefined
        if (!s) return
        ctx.slot = undefined
        const etag = Object.entries(headers).find(([k]) => k.toLowerCase() === 'etag')?.[1]
        if (status === 200 && typeof etag === 'string') { s.version = Number(etag.replace(/"/g, '')); s.next = s.next === 0 ? 1 : 0; free.push(s) }
        else lost++ // its version is unknown now: left out of the pool until the next refresh
      },
    }
    await refresh()
    const w0 = await api('PATCH', `/v1/assessments/${ids[0]}/evidence`, { facts: { ...facts, teachers_using_digital_tools: 40 } }, { 'if-match': `"${free.find((s) => s.id === ids[0])!.version}"` })
    if (w0.status !== 200) throw new Error(`PATCH evidence: ${w0.status} ${JSON.stringify(w0.json).slice(0, 300)}`)
    const writeAnswer = JSON.stringify(w0.json)
    writeFileSync(join(dir, 'write.json'), writeAnswer)
    await measure('W0', `hello-world Fastify \`PATCH /sized/write\`: the same ${(Buffer.byteLength(writeBody[0] as string) / 1024).toFixed(1)} KB request parsed, the same ${(Buffer.byteLength(writeAnswer) / 1024).toFixed(0)} KB answer sent, no work`, null, hello.child.pid!,
      { url: `${hello.base}/sized/write`, method: 'PATCH', headers: { ...auth, 'content-type': 'application/json', 'if-match': '"1"' }, body: writeBody[0] })
    await measure('W', '`PATCH /v1/assessments/:id/evidence` (admin, If-Match)', 0.25, pid,
      { url: server.base, headers: { ...auth, 'content-type': 'application/json' }, requests: [writeReq] }, refresh,
      `${POOL} draft assessments, full strong-thcs facts, a teachers count alternating`)
    if (lost) log(`  (W) ${lost} responses without a usable ETag`)

    // (U) the summary of the generated dataset's root (the writes of (W) emptied the summary cache)
    {
      await measure('U0', `hello-world Fastify \`GET /sized/summary\`: the same ${(summaryBytes / 1024).toFixed(0)} KB response sent, no work`, null, hello.child.pid!, { url: `${hello.base}/sized/summary` })
      const t = performance.now()
      const s = await must('GET', summaryPath)
      const ms = performance.now() - t
      const inScope = (s.schools as { inScope: number }).inScope
      if (inScope !== built.schools) throw new Error(`summary: inScope ${inScope} ≠ ${built.schools}`)
      await measure('U', `\`GET /v1/units/${built.rootCode}/summary\` (${built.schools.toLocaleString('en')} schools, admin), no Accept-Encoding`, 0.1, pid,
        { url: `${server.base}${summaryPath}`, headers: auth }, undefined, `first call (computed; later ones reuse it until a write) ${ms.toFixed(0)} ms, ${(summaryBytes / 1024).toFixed(0)} KB`)
      // What a browser or any HTTP library asks for: the same summary, gzip-compressed once.
      const gzBytes = gzipSync(readFileSync(join(dir, 'summary.json')), { level: 6 }).byteLength
      await measure('Uz0', `hello-world Fastify \`GET /sized/summary-gzip\`: the same ${(gzBytes / 1024).toFixed(0)} KB gzip response sent, no work`, null, hello.child.pid!, { url: `${hello.base}/sized/summary-gzip` })
      await measure('Uz', `\`GET /v1/units/${built.rootCode}/summary\` (${built.schools.toLocaleString('en')} schools, admin), \`Accept-Encoding: gzip, deflate, br\``, 0.1, pid,
        { url: `${server.base}${summaryPath}`, headers: { ...auth, 'accept-encoding': 'gzip, deflate, br' } }, undefined, `${(gzBytes / 1024).toFixed(0)} KB gzip (made once per summary)`)
    }

    // (0) hello-world again: the baseline is the mean of the first and the last
    await measure('0', 'hello-world Fastify `GET /` (last)', null, hello.child.pid!, { url: `${hello.base}/` })

    serverHwm = memory(pid, 'VmHWM')
    await stopProcess(server)
    await stopProcess(hello)
  } finally {
    stopAll()
    rmSync(dir, { recursive: true, force: true })
  }

  // -------------------------------------------------------------- report

  const hellos = rows.filter((r) => r.key === '0')
  const base = hellos.reduce((t, r) => t + r.rps, 0) / hellos.length
  const n = (x: number): string => Math.round(x).toLocaleString('en')
  const mb = (x: number): string => (x / 2 ** 20).toFixed(0)
  console.log(`\n## bench:load — the server under HTTP load (Node ${process.version}, ${cpus.length} cores: ${cpus[0]?.model ?? '?'}; autocannon in the same machine)\n`)
  const la = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ')
  console.log(`${CONNECTIONS} connections, pipelining 1, ${WARMUP} s warm-up (discarded) + ${DURATION} s measured per case. Baseline: hello-world Fastify, mean of the first and last runs (${n(base)} req/s). `
    + `Load average before the run ${la(loadBefore)}, after ${la(os.loadavg())}. Latencies have autocannon's 1 ms resolution.\n`)
  console.log('| case | req/s | p50 ms | p99 ms | requests | errors / non-2xx | ÷ hello-world | target | | server peak RSS MB |')
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|---:|')
  let failed = false
  for (const r of rows) {
    const bad = r.r.errors + r.r.timeouts
    if (bad + r.r.non2xx > 0) failed = true
    const ratio = r.rps / base
    const verdict = r.target === null ? '' : ratio >= r.target ? 'met' : 'NOT met'
    console.log(`| (${r.key}) ${r.label} | ${n(r.rps)} | ${r.r.latency.p50} | ${r.r.latency.p99} | ${n(r.r.requests.total)} | ${bad} / ${r.r.non2xx} | ${(ratio * 100).toFixed(r.rps / base < 0.1 ? 2 : 1)}% | ${r.target === null ? '' : `≥ ${r.target * 100}%`} | ${verdict} | ${mb(r.peakRss)}${r.key.endsWith('0') ? ' (hello)' : ''} |`)
  }
  console.log('\nPeak RSS: the process\'s VmRSS sampled every 50 ms during the case\'s warm-up and run (the hello-world rows: the hello-world process).'
    + ` Server high-water mark (VmHWM) at the end: ${mb(serverHwm)} MB.`)
  for (const r of rows) if (r.note) console.log(`(${r.key}) ${r.note}.`)
  console.log(`(U) dataset: ${datasetNote}.`)
  console.log(`Server: .bench-build/src/server.js (the bench build of src/) with the service's flags (${serverFlags(rootPath).join(' ')}), LOG_LEVEL=silent, SCORE_RATE_LIMIT=0 and WRITE_RATE_LIMIT=0 (rate limits off: the load comes from one address and one key), WAL SQLite file under /tmp; hello-world: Fastify with pino at level silent. `
    + `Both servers and autocannon share the machine's ${cpus.length} cores: the load generator takes CPU the server would otherwise have, more so for the fast cases.`)
  if (failed) { console.log('\n**Errors or non-2xx responses: the run is not valid.**'); process.exitCode = 1 }
}
