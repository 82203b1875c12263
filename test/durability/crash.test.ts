// Durability, end to end: the real server is SIGKILLed in the middle of a write load, three times,
// and restarted on the same DATA_DIR. Every write that got a 2xx before the kill must still be
// there; a write in flight at the kill may be there or not (but nothing else may be); the
// database passes PRAGMA integrity_check. The kill point varies from run to run; the checks hold
// for any kill point.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import t from 'tap'
import { childEnv, LIMITS_OFF_ENV, ROOT, startServer, type ServerProcess } from '../support/server-process.js'
import { currentSchoolYear } from '../support/school-year.js'

const UNIT = 'CRASH'
const { year: YEAR, deadline: DEADLINE } = currentSchoolYear()
const SCHOOLS = 5
const UNIT_LOOPS = 2
// Per cycle: the load runs until every loop has had a write acknowledged, then this long (plus up
// to 100 ms of jitter) before the SIGKILL.
const KILL_AFTER_MS = [150, 400, 900]

interface Reply { status: number; body: any }

/** One assessment, written by one sequential loop: at most one write is in flight at a time. */
interface Track {
  id: string
  /** The version and teachers_total of the last acknowledged state (value undefined: no facts yet). */
  version: number
  value: number | undefined
  /** The write sent and not (yet) acknowledged: after a kill it may or may not have committed. */
  inflight: { ifMatch: number; value: number } | null
  acked: number
}

async function call(base: string, key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text) }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const factsOf = (value: number | undefined) => value === undefined ? {} : { teachers_total: value, teachers_with_online_training_account: 0 }

function integrityCheck(file: string): { integrity: unknown; foreignKeys: unknown[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return { integrity: db.pragma('integrity_check', { simple: true }), foreignKeys: db.pragma('foreign_key_check') as unknown[] }
  } finally { db.close() }
}

t.test('SIGKILL under write load loses no acknowledged write (3 kill/restart cycles)', async (t) => {
  const started = Date.now()
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-crash-'))
  const dbFile = join(dataDir, 'cds.sqlite')
  // Registered first; every server started below also kills its child in its own teardown.
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const servers: ServerProcess[] = []
  t.teardown(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) { s.child.kill('SIGKILL'); await s.exited }
  })
  const start = async () => {
    const s = await startServer(t, LIMITS_OFF_ENV, { dataDir })
    servers.push(s)
    return s
  }

  let server = await start()
  let base = `http://127.0.0.1:${server.port}`
  const admin = execFileSync(process.execPath, [fileURLToPath(new URL('bin/cds.js', ROOT)), 'create-key', '--role', 'admin', '--label', 'crash test'], {
    cwd: ROOT, env: childEnv({ DATA_DIR: dataDir }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000,
  }).trim()
  t.ok(admin.length > 10, 'an admin key from cds create-key')

  const setup = async (method: string, path: string, body: unknown, status: number) => {
    const r = await call(base, admin, method, path, body)
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  await setup('POST', '/v1/units', { code: UNIT, name: 'Tỉnh thử nghiệm sự cố', type: 'province', fromYear: '2025-2026' }, 201)
  const period = await setup('POST', '/v1/periods', {
    unitCode: UNIT, schoolYear: YEAR, title: 'Đợt đánh giá thử sự cố', criteriaSets: ['moet-4725'],
    submissionDeadline: DEADLINE,
  }, 201)
  const tracks: Track[] = []
  for (let i = 0; i < SCHOOLS; i++) {
    const moetCode = `9900000${i}`
    await setup('POST', '/v1/schools', { moetCode, name: `Trường thử ${i}`, levels: ['THCS'], ownership: 'public', unitCode: UNIT, fromYear: '2025-2026' }, 201)
    const a = await setup('POST', '/v1/assessments', { schoolCode: moetCode, periodId: period.id }, 201)
    tracks.push({ id: a.id, version: a.version, value: undefined, inflight: null, acked: 0 })
  }

  const sentUnits = new Set<string>()
  const ackedUnits = new Set<string>()
  const unexpected: string[] = []
  let counter = 0
  const nextValue = () => (counter++ % 9000) + 1

  for (let cycle = 0; cycle < KILL_AFTER_MS.length; cycle++) {
    let killed = false
    const ackedBefore = tracks.map((a) => a.acked)
    const unitsBefore = ackedUnits.size
    const fail = (what: string) => { if (!killed) unexpected.push(`cycle ${cycle}: ${what}`) }

    const evidenceLoop = async (a: Track) => {
      while (!killed) {
        const value = nextValue()
        a.inflight = { ifMatch: a.version, value }
        let r: Reply
        try {
          r = await call(base, admin, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: factsOf(value) }, { 'if-match': `"${a.version}"` })
        } catch (e) { fail(`PATCH ${a.id}: ${String(e)}`); return }
        if (r.status !== 200 || r.body.version !== a.version + 1) { fail(`PATCH ${a.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`); return }
        a.version = r.body.version
        a.value = value
        a.inflight = null
        a.acked++
      }
    }
    const unitLoop = async (loop: number) => {
      for (let i = 0; !killed; i++) {
        const code = `${UNIT}-${cycle}-${loop}-${i}`
        sentUnits.add(code)
        let r: Reply
        try {
          r = await call(base, admin, 'POST', '/v1/units', { code, name: `Đơn vị ${code}`, type: 'district', parentCode: UNIT, fromYear: '2025-2026' })
        } catch (e) { fail(`POST unit ${code}: ${String(e)}`); return }
        if (r.status !== 201) { fail(`POST unit ${code}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`); return }
        ackedUnits.add(code)
      }
    }
    const loops = [...tracks.map(evidenceLoop), ...Array.from({ length: UNIT_LOOPS }, (_, i) => unitLoop(i))]

    // Every loop has had a write acknowledged (so no cycle is vacuous), then the kill point.
    const deadline = Date.now() + 15_000
    while (!(tracks.every((a, i) => a.acked > (ackedBefore[i] as number)) && ackedUnits.size >= unitsBefore + UNIT_LOOPS)) {
      if (Date.now() > deadline || unexpected.length > 0) break
      await sleep(5)
    }
    const delay = (KILL_AFTER_MS[cycle] as number) + Math.floor(Math.random() * 100)
    await sleep(delay)
    // Same tick: no response can be seen between the flag and the signal.
    killed = true
    server.child.kill('SIGKILL')
    const inflightAtKill = tracks.filter((a) => a.inflight !== null).length
    await server.exited
    await Promise.all(loops)
    t.same(unexpected, [], `cycle ${cycle}: every write before the kill got a 2xx`)
    t.equal(server.child.signalCode, 'SIGKILL', `cycle ${cycle}: the server died of SIGKILL`)
    const evidenceAcks = tracks.reduce((n, a, i) => n + a.acked - (ackedBefore[i] as number), 0)
    t.comment(`cycle ${cycle}: killed ${delay} ms after the first acks; acknowledged ${evidenceAcks} evidence saves and ${ackedUnits.size - unitsBefore} units; ${inflightAtKill} evidence saves in flight`)
    t.ok(tracks.every((a, i) => a.acked > (ackedBefore[i] as number)), `cycle ${cycle}: every assessment had a save acknowledged before the kill`)

    server = await start()
    base = `http://127.0.0.1:${server.port}`

    // Acknowledged units are all there; nothing that was never sent is.
    const missing: string[] = []
    for (const code of ackedUnits) {
      const r = await call(base, admin, 'GET', `/v1/units/${code}`)
      if (r.status !== 200) missing.push(`${code}: ${r.status}`)
    }
    t.same(missing, [], `cycle ${cycle}: all ${ackedUnits.size} acknowledged units exist after the restart`)
    const listed: string[] = []
    for (let offset = 0; ; offset += 500) {
      const r = await call(base, admin, 'GET', `/v1/units?parent=${UNIT}&limit=500&offset=${offset}`)
      t.equal(r.status, 200)
      listed.push(...(r.body.items as { code: string }[]).map((u) => u.code))
      if (r.body.items.length < 500) break
    }
    t.same(listed.filter((c) => !sentUnits.has(c)), [], `cycle ${cycle}: no unit that was never sent`)

    // Each assessment: the last acknowledged save, or the one in flight at the kill — nothing older,
    // nothing else. Then the load continues from what is stored.
    for (const a of tracks) {
      const r = await call(base, admin, 'GET', `/v1/assessments/${a.id}`)
      t.equal(r.status, 200)
      const stored = { version: r.body.version as number, facts: r.body.facts as Record<string, unknown> }
      if (stored.version === a.version) {
        t.same(stored.facts, factsOf(a.value), `cycle ${cycle}: ${a.id} v${a.version} holds the last acknowledged facts`)
      } else if (a.inflight !== null && stored.version === a.version + 1) {
        t.same(stored.facts, factsOf(a.inflight.value), `cycle ${cycle}: ${a.id} v${stored.version} holds the save in flight at the kill`)
        a.value = a.inflight.value
      } else {
        t.fail(`cycle ${cycle}: ${a.id} is at version ${stored.version}; acknowledged ${a.version}${a.inflight ? `, in flight ${a.version + 1}` : ''}`)
      }
      a.version = stored.version
      a.inflight = null
    }

    const check = integrityCheck(dbFile)
    t.equal(check.integrity, 'ok', `cycle ${cycle}: PRAGMA integrity_check`)
    t.same(check.foreignKeys, [], `cycle ${cycle}: PRAGMA foreign_key_check`)
  }

  // The last server stops cleanly; the file it leaves is sound too.
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'the last server exits 0 on SIGTERM')
  const final = integrityCheck(dbFile)
  t.equal(final.integrity, 'ok', 'PRAGMA integrity_check after a clean stop')
  t.same(final.foreignKeys, [], 'PRAGMA foreign_key_check after a clean stop')
  t.comment(`${ackedUnits.size} units and ${tracks.reduce((n, a) => n + a.acked, 0)} evidence saves acknowledged in ${Date.now() - started} ms`)
})
