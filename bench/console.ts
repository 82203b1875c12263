// Benchmark: server time of the console's pages at 3,000 schools, and what a first load weighs.
// The real server (the bench build of src/server.ts with the service's V8 flags) on a dataset of
// bench/aggregate-data.ts (provinces → districts → schools, assessments in every state), signed in
// as an admin. A client in a child process of its own requests each page in turn, one request at a
// time (so each latency is the server's time plus loopback), after a warm-up, and reports per page
// p50, p95 and max, and the page's compressed size; GET /health is the baseline of the same run.
// First load = the page (br) + the stylesheet and scripts it links (br), as a new browser gets them.
// Target: p95 ≤ 50 ms per page; first load ≤ 150 KB.
//
//   npm run bench:console -- [--schools=N] [--requests=N] [--json]
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest, Agent } from 'node:http'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface Plan { base: string; cookie: string; paths: string[]; n: number; warm: number }
interface PageResult { path: string; status: number; p50: number; p95: number; max: number; bytes: number; assets: string[] }

/** One GET with the session cookie and br/gzip accepted: status, body as sent (compressed), ms. */
function get(agent: Agent, base: string, path: string, cookie: string): Promise<{ status: number; raw: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const req = httpRequest(base + path, { agent, headers: { cookie, 'accept-encoding': 'br, gzip', accept: 'text/html' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t0) / 1e6 }))
    })
    req.on('error', reject)
    req.end()
  })
}

if (process.argv[2] === '--child=pages') {
  const plan = JSON.parse(process.env.CDS_PAGES_PLAN as string) as Plan
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const { brotliDecompressSync, gunzipSync } = await import('node:zlib')
  const out: PageResult[] = []
  for (const path of plan.paths) {
    for (let i = 0; i < plan.warm; i++) await get(agent, plan.base, path, plan.cookie)
    const times: number[] = []
    let last: { status: number; raw: Buffer; ms: number } = { status: 0, raw: Buffer.alloc(0), ms: 0 }
    for (let i = 0; i < plan.n; i++) { last = await get(agent, plan.base, path, plan.cookie); times.push(last.ms) }
    times.sort((a, b) => a - b)
    const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] as number
    let text = ''
    try { text = brotliDecompressSync(last.raw).toString() } catch { try { text = gunzipSync(last.raw).toString() } catch { text = last.raw.toString() } }
    const assets = [...text.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string)
    out.push({ path, status: last.status, p50: q(0.5), p95: q(0.95), max: times[times.length - 1] as number, bytes: last.raw.length, assets })
  }
  const assetBytes: Record<string, number> = {}
  for (const a of new Set(out.flatMap((r) => r.assets))) assetBytes[a] = (await get(agent, plan.base, a, plan.cookie)).raw.length
  process.send!({ pages: out, assetBytes }, () => process.exit(0))
} else {
  await main()
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const arg = (name: string, def: number) => { const a = argv.find((x) => x.startsWith(`--${name}=`)); return a ? Number(a.split('=')[1]) : def }
  const SCHOOLS = arg('schools', 3000)
  const N = arg('requests', 200)
  const { Catalog } = await import('../src/criteria/catalog.js')
  const { packageRoot } = await import('../src/paths.js')
  const { buildDataset, scoreCorpus } = await import('./aggregate-data.js')
  const { log, serverFlags, startProcess, stopAll, stopProcess } = await import('./processes.js')
  const { default: Database } = await import('better-sqlite3')
  const root = fileURLToPath(packageRoot())
  const dir = mkdtempSync(join(os.tmpdir(), 'cds-bench-console-'))
  try {
    const dbFile = join(dir, 'console.sqlite')
    log(`building the ${SCHOOLS.toLocaleString('en')}-school dataset…`)
    const built = buildDataset(dbFile, SCHOOLS, 7 + SCHOOLS, scoreCorpus(Catalog.load().compile('moet-4725'), 200, 7))
    const env: Record<string, string> = { DATA_DIR: dir, DB_FILE: dbFile, LOG_LEVEL: 'silent' }
    const { runServiceCommand } = await import('../src/cli/service-commands.js')
    const password = 'mat-khau-bench-console'
    const code = await runServiceCommand('create-user', ['--username', 'bench-admin', '--role', 'admin', '--name', 'Bench'], { out: () => {}, err: (s) => log(s), stdin: async () => password }, env)
    if (code !== 0) throw new Error(`create-user exited ${code}`)
    const db = new Database(dbFile, { readonly: true })
    const pick = (sql: string, ...p: unknown[]) => db.prepare(sql).get(...p) as Record<string, string> | undefined
    const province = pick("SELECT code FROM units WHERE type = 'province' ORDER BY id LIMIT 1")?.code
    const submitted = pick("SELECT id FROM assessments WHERE state = 'submitted' AND period_id = ? LIMIT 1", built.periodId)?.id
    const draft = pick("SELECT id FROM assessments WHERE state = 'draft' AND period_id = ? LIMIT 1", built.periodId)?.id
    db.close()
    const server = await startProcess('server', [...serverFlags(root), join(root, '.bench-build/src/server.js')], env, '/health', root)
    // Sign in as a browser does: the sign-in form's token cookie, then the form.
    const form = await fetch(`${server.base}/login`)
    const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0] as string
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
    const signIn = await fetch(`${server.base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username: 'bench-admin', password }).toString() })
    const cookie = (signIn.headers.getSetCookie().find((c) => c.startsWith('cds_session=')) ?? '').split(';')[0] as string
    if (signIn.status !== 303 || !cookie) throw new Error(`sign-in: ${signIn.status}`)
    const p = built.periodId
    const paths = [
      '/health',
      `/dashboard?unit=${built.rootCode}&period=${p}`, `/dashboard?unit=${province}&period=${p}`,
      `/review?period=${p}`, `/review/${submitted}`, `/assessments/${draft}`, `/assessments/${draft}/check`,
      '/schools', '/schools?q=THCS', '/periods', '/accounts',
    ]
    const child = fork(fileURLToPath(import.meta.url), ['--child=pages'], { env: { ...process.env, CDS_PAGES_PLAN: JSON.stringify({ base: server.base, cookie, paths, n: N, warm: 10 } satisfies Plan) } })
    const res = await new Promise<{ pages: PageResult[]; assetBytes: Record<string, number> }>((resolve, reject) => { child.once('message', resolve as never); child.once('exit', (c) => { if (c) reject(new Error(`pages client exited ${c}`)) }) })
    await stopProcess(server)
    const health = res.pages.find((r) => r.path === '/health') as PageResult
    const rows = res.pages.map((r) => {
      const firstLoad = r.bytes + r.assets.reduce((a, u) => a + (res.assetBytes[u] ?? 0), 0)
      return { ...r, firstLoadKB: firstLoad / 1024, ratio: r.p95 / health.p95 }
    })
    if (argv.includes('--json')) { console.log(JSON.stringify({ schools: built.schools, units: built.units, assessments: built.assessments, requests: N, rows }, null, 2)); return }
    console.log(`Console pages, ${built.schools.toLocaleString('en')} schools, ${built.units} units, ${built.assessments.toLocaleString('en')} assessments; ${N} sequential requests per page after 10 warm-up, one connection, signed in as an admin.`)
    console.log('| page | status | p50 ms | p95 ms | max ms | p95 ÷ /health p95 | page KB (br) | first load KB |')
    console.log('|---|---|---|---|---|---|---|---|')
    for (const r of rows) console.log(`| \`${r.path.replace(/[0-9a-f-]{36}/g, '{id}').replace(/period=[^&]+/, 'period={p}')}\` | ${r.status} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.ratio.toFixed(1)} | ${(r.bytes / 1024).toFixed(1)} | ${r.firstLoadKB.toFixed(1)} |`)
  } finally {
    stopAll()
    rmSync(dir, { recursive: true, force: true })
  }
}
