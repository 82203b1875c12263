// Heavy reads on worker threads (src/workers): with a database file the unit summary and the
// exports are made on threads with their own read-only connections, and their answers are the very
// bytes the in-process path gives; a job past its time limit is cancelled with a 503 in the error
// shape, and the service goes on answering.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { actorOf } from '../../src/services/actor.js'
import { criteriaFromCsv } from '../../src/authoring/criteria-csv.js'
import { Catalog } from '../../src/criteria/catalog.js'
import { verifySet } from '../../src/verify/verify.js'
import { loadCatalog } from '../helpers.js'
import { act, exampleFacts, harness, startAssessment, type Harness } from '../http/app.js'

function dbFile(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'cds-workers-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'cds.sqlite')
}

async function approvedS1(t: Test, h: Harness): Promise<void> {
  const a = await startAssessment(h)
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': '"1"' })).statusCode, 200)
  t.equal((await act(h, h.keys.schoolS1, a.id, 2, 'submit')).statusCode, 200)
  t.equal((await act(h, h.keys.reviewerLB, a.id, 3, 'approve')).statusCode, 200)
}

t.test('summary and exports from worker threads equal the in-process answers', async (t) => {
  const file = dbFile(t)
  const h = await harness(t, { store: sqliteStore(openDatabase(file)) })
  await approvedS1(t, h)
  const pools = h.app.services.ctx.pools
  t.ok(pools, 'a database file: the service has worker pools')

  const url = `/v1/units/LB/summary?period=${h.periodId}`
  const res = await h.req(h.keys.reviewerLB, 'GET', url)
  t.equal(res.statusCode, 200)
  const body = h.json(res)
  // strong-thcs, approved: Nhóm I 89.03 and Nhóm II 80, both Mức 3 (the shipped worked example).
  t.same(body.overall.groups.map((g: { code: string; meanTotal: number }) => [g.code, g.meanTotal]), [['I', 89.03], ['II', 80]], 'the counted school, from the worker')
  t.equal(res.headers['x-data-version'], body.asOf.dataVersion, 'the data version it counted, in the body and a header')
  t.equal(body.asOf.at, h.clock.now.toISOString(), 'counted at the service clock')
  const inProcess = await h.app.services.reports.summary(actorOf({ role: 'admin', id: 'a', unitId: null, schoolId: null } as never), 'LB', { periodId: h.periodId })
  t.same(body, JSON.parse(JSON.stringify({ ...inProcess, asOf: body.asOf })), 'the worker\'s summary equals the in-process one')
  const gz = await h.req(h.keys.reviewerLB, 'GET', url, undefined, { 'accept-encoding': 'gzip' })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.equal(gunzipSync(gz.rawPayload).toString(), res.body, 'the worker\'s gzip is of the same bytes')

  // Exports: the same bytes as the in-process path (a second app on the same file, no threads).
  const plain = await buildApp({ logger: false, catalog: loadCatalog(), store: sqliteStore(openDatabase(file)), now: () => h.clock.now, config: { dbFile: file, uploadsDir: h.uploadsDir, workerThreads: 0, authFailureLimit: 0, writeRateLimit: 0, scoreRateLimit: 0 } as never })
  t.teardown(() => plain.close())
  t.equal(plain.services.ctx.pools, null, 'WORKER_THREADS=0: in-process')
  for (const q of ['format=json', 'format=csv', 'format=csv&group=II']) {
    const viaWorker = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&${q}`)
    const direct = await plain.inject({ method: 'GET', url: `/v1/units/LB/report?period=${h.periodId}&${q}`, headers: { authorization: `Bearer ${h.keys.reviewerLB}` } })
    t.equal(viaWorker.statusCode, 200, `${q}: 200`)
    t.equal(viaWorker.headers['content-type'], direct.headers['content-type'], `${q}: same type`)
    t.equal(viaWorker.headers['content-disposition'], direct.headers['content-disposition'], `${q}: same file name`)
    t.equal(viaWorker.body, direct.body, `${q}: same bytes`)
  }
  const xlsx = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=xlsx`)
  t.equal(xlsx.statusCode, 200)
  t.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK', 'an XLSX (a ZIP) made on a worker thread')
  const unknown = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=csv&group=IX`)
  t.same([unknown.statusCode, h.json(unknown).error.code, h.json(unknown).error.path], [400, 'UNKNOWN_GROUP', '/group'], 'an unknown group is refused before any job starts')
})

t.test('a district table read and verified on worker threads: the same draft and report as in-process', async (t) => {
  const file = dbFile(t)
  const h = await harness(t, { store: sqliteStore(openDatabase(file)), catalog: Catalog.load() })
  const csv = readFileSync(new URL('../../docs/examples/district-model.csv', import.meta.url), 'utf8')
  const meta = { unitCode: 'LB', id: 'lb-mo-hinh-vi-du', version: '2024-2025', title: 'Bộ tiêu chí ví dụ của quận', document: { issuer: 'Phòng GDĐT quận Long Biên (ví dụ)', number: '01/VD-PGDĐT', date: '2024-08-05' }, appliesTo: ['TH', 'THCS'] }
  const authoring = h.app.services.authoring
  const runs = authoring.verifierRuns
  const res = await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...meta, csv })
  t.equal(res.statusCode, 201, 'imported through the jobs thread')
  const body = h.json(res)
  t.equal(authoring.verifierRuns, runs + 1, 'verified once, on the thread')
  // The same table and verifier in-process.
  const { unitCode: _, csv: __, ...plainMeta } = { ...meta, csv }
  const direct = criteriaFromCsv(csv, plainMeta)
  t.same(body.definition, JSON.parse(JSON.stringify(direct.def)), 'the draft equals the in-process reading of the table')
  const inProcess = verifySet({ file: 'database:LB', def: body.definition }, Catalog.load()).flatMap((r) => r.findings)
  t.same(body.verification.findings, JSON.parse(JSON.stringify(inProcess)), 'the report equals the in-process verifier\'s')
  t.equal(body.verification.errors, 0)
  t.equal((await h.req(h.keys.reviewerLB, 'GET', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025')).statusCode, 200)
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025/publish', {})).statusCode, 200, 'published')
  t.equal(authoring.verifierRuns, runs + 1, 'the GET and the publish reused the draft\'s report')
})

t.test('WAL checkpoints run on the maintenance thread, not inside a save on the main thread', async (t) => {
  const file = dbFile(t)
  const h = await harness(t, { store: sqliteStore(openDatabase(file)) })
  const sqlite = (h.app.services.ctx.store as unknown as { connection: { sqlite: import('better-sqlite3').Database } }).connection.sqlite
  t.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 10000, 'the main connection checkpoints only past 40 MB of WAL (a safety net)')
  await approvedS1(t, h)
  const pools = h.app.services.ctx.pools!
  const deadline = Date.now() + 10_000
  while ((pools.lastCheckpoint?.log ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  const c = pools.lastCheckpoint
  t.ok(c && c.log > 0, `the maintenance thread checkpointed the WAL (${c?.log} frames)`)
  t.equal(c?.checkpointed, c?.log, 'every frame copied back (no reader held it)')
})

t.test('a job past its time limit is cancelled with 503 JOB_TIMEOUT; the service goes on', async (t) => {
  const file = dbFile(t)
  const seeded = await harness(t, { store: sqliteStore(openDatabase(file)) })
  await approvedS1(t, seeded)
  const app = await buildApp({
    logger: false, catalog: loadCatalog(), store: sqliteStore(openDatabase(file)), now: () => seeded.clock.now,
    config: { dbFile: file, uploadsDir: seeded.uploadsDir, summaryTimeLimitMs: 1, jobTimeLimitMs: 1, authFailureLimit: 0, writeRateLimit: 0, scoreRateLimit: 0 } as never,
  })
  t.teardown(() => app.close())
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${seeded.keys.reviewerLB}` } })
  for (const url of [`/v1/units/LB/summary?period=${seeded.periodId}`, `/v1/units/LB/report?period=${seeded.periodId}&format=xlsx`]) {
    const res = await get(url)
    t.equal(res.statusCode, 503, `${url.split('?')[0]}: 503`)
    const e = JSON.parse(res.body).error
    t.equal(e.code, 'JOB_TIMEOUT')
    t.match(e.message, /thử lại/, 'a Vietnamese message saying to try again')
  }
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the service still answers')
})
