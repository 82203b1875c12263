// Two servers on one database file (two processes, or a server beside the CLI): a criteria set
// published through one is found by the other at its first lookup (a miss reloads the published
// sets and runs the request again), and misses for sets that exist nowhere cost bounded reloads.
// Two apps in one process stand in for the two processes: each opens its own SQLite connection and
// keeps its own catalog, exactly as two processes do.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { Catalog } from '../../src/criteria/catalog.js'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { RELOAD_INTERVAL_MS } from '../../src/services/scoring.js'
import { harness, LIMITS_OFF } from './app.js'

const CSV = readFileSync(new URL('../../docs/examples/district-model.csv', import.meta.url), 'utf8')
const META = {
  unitCode: 'LB', id: 'lb-mo-hinh-vi-du', version: '2024-2025', title: 'Bộ tiêu chí ví dụ của quận',
  document: { issuer: 'Phòng GDĐT quận Long Biên (ví dụ)', number: '01/VD-PGDĐT', date: '2024-08-05' }, appliesTo: ['TH', 'THCS'],
}
const SET = 'lb-mo-hinh-vi-du@2024-2025'
const FACTS = {
  online_teaching_plan: true, teachers_with_lms_account: 18, teachers_total: 24, lms_homework: true, lms_online_quiz: false,
  lms_parent_tracking: true, shared_digital_library: true, lessons_with_slides_pct: 60, students_with_digital_transcript: 450,
  students_total: 500, electronic_gradebook: true, cashless_fees: true, online_admission: false,
}

async function twoApps(t: Parameters<typeof harness>[0]) {
  const dir = mkdtempSync(join(tmpdir(), 'cds-two-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'cds.sqlite')
  const a = await harness(t, { catalog: Catalog.load(), store: sqliteStore(openDatabase(file)) })
  const b = await buildApp({ logger: false, catalog: Catalog.load(), config: { dbFile: file, uploadsDir: dir, ...LIMITS_OFF } })
  t.teardown(() => b.close())
  const reqB = (key: string | null, method: string, url: string, body?: object) =>
    b.inject({ method: method as 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(body ? { payload: body } : {}) })
  // Every reload of B's published sets, with its time.
  const loads: number[] = []
  const load = b.services.authoring.loadNewPublished.bind(b.services.authoring)
  b.services.authoring.loadNewPublished = async () => { loads.push(Date.now()); return load() }
  return { a, b, reqB, loads }
}

t.test('a set published through server A is scored, opened in a period and listed through server B', async (t) => {
  const { a, b, reqB, loads } = await twoApps(t)
  t.equal((await a.req(a.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...META, csv: CSV })).statusCode, 201)
  t.equal((await a.req(a.keys.reviewerLB, 'POST', `/v1/authored-sets/${META.id}/${META.version}/publish`, {})).statusCode, 200)
  t.notOk(b.services.scoring.catalog.sets.has(SET), 'B has not seen it yet')

  const scored = await reqB(null, 'POST', '/v1/score', { criteriaSet: SET, evidence: { facts: FACTS } })
  t.equal(scored.statusCode, 200, `B scores with it: ${scored.body.slice(0, 200)}`)
  t.equal(JSON.parse(scored.body).set.id, META.id)
  const byA = await a.req(null, 'POST', '/v1/score', { criteriaSet: SET, evidence: { facts: FACTS } })
  t.same(JSON.parse(scored.body).groups, JSON.parse(byA.body).groups, 'the same result as through A')
  t.equal(loads.length, 1, 'one reload')

  const period = await reqB(a.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Mô hình quận (qua máy chủ B)', criteriaSets: [META.id], submissionDeadline: '2025-05-31T16:59:59Z',
  })
  t.equal(period.statusCode, 201, `B opens a period with it: ${period.body.slice(0, 200)}`)
  t.same(JSON.parse(period.body).criteriaSets, [SET], 'pinned to the published version')
  const listed = JSON.parse((await reqB(null, 'GET', '/v1/criteria-sets')).body).items.map((s: { id: string }) => s.id)
  t.ok(listed.includes(META.id), 'B lists it')
})

t.test('an assessment of a period opened through A with a set published through A starts through B', async (t) => {
  const { a, reqB } = await twoApps(t)
  await a.req(a.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...META, csv: CSV })
  await a.req(a.keys.reviewerLB, 'POST', `/v1/authored-sets/${META.id}/${META.version}/publish`, {})
  const period = a.json(await a.req(a.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Mô hình quận', criteriaSets: [SET], submissionDeadline: '2025-05-31T16:59:59Z',
  }))
  const started = await reqB(a.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: period.id })
  t.equal(started.statusCode, 201, `a lookup of the pinned set inside the service reloads too: ${started.body.slice(0, 200)}`)
  t.equal(JSON.parse(started.body).result.set.id, META.id)
})

t.test('misses for sets that exist nowhere: no reload without a write, one shared reload, reloads a second apart', async (t) => {
  const { a, reqB, loads } = await twoApps(t)
  const nonsense = (i: number) => reqB(null, 'POST', '/v1/score', { criteriaSet: `khong-co-bo-nay-${i}@1`, evidence: { facts: {} } })

  for (let i = 0; i < 5; i++) t.equal((await nonsense(i)).statusCode, 404)
  t.equal(loads.length, 0, 'nothing was written since B loaded its sets: no reload at all')

  // A write (through A) may have published something: the next misses reload once, together.
  t.equal((await a.req(a.keys.admin, 'POST', '/v1/units', { code: 'HN-X1', name: 'Phường thử', type: 'ward', parentCode: 'HN', fromYear: '2025-2026' })).statusCode, 201)
  const together = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(nonsense))
  t.same(together.map((r) => r.statusCode), [404, 404, 404, 404, 404, 404, 404, 404])
  t.equal(JSON.parse(together[0]!.body).error.code, 'UNKNOWN_CRITERIA_SET')
  t.equal(loads.length, 1, 'eight concurrent misses share one reload')
  for (let i = 0; i < 3; i++) await nonsense(i)
  t.equal(loads.length, 1, 'no write since: misses cost no reload')

  // Another write: the next miss waits for the interval instead of reloading at once.
  await a.req(a.keys.admin, 'POST', '/v1/units', { code: 'HN-X2', name: 'Phường thử 2', type: 'ward', parentCode: 'HN', fromYear: '2025-2026' })
  t.equal((await nonsense(9)).statusCode, 404)
  t.equal(loads.length, 2)
  t.ok(loads[1]! - loads[0]! >= RELOAD_INTERVAL_MS - 5, `reloads ${loads[1]! - loads[0]!} ms apart (at least ${RELOAD_INTERVAL_MS})`)
})

t.test('an assessment pinned to a set withdrawn through A before B ever saw it is still saved through B', async (t) => {
  const { a, b, reqB, loads } = await twoApps(t)
  await a.req(a.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...META, csv: CSV })
  await a.req(a.keys.reviewerLB, 'POST', `/v1/authored-sets/${META.id}/${META.version}/publish`, {})
  const period = a.json(await a.req(a.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Mô hình quận', criteriaSets: [SET], submissionDeadline: '2025-05-31T16:59:59Z',
  }))
  const started = a.json(await a.req(a.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: period.id }))
  t.equal((await a.req(a.keys.reviewerLB, 'POST', `/v1/authored-sets/${META.id}/${META.version}/withdraw`, { reason: 'Thay bằng phiên bản mới' })).statusCode, 200)
  const saved = await b.inject({
    method: 'PATCH', url: `/v1/assessments/${started.id}/evidence`, payload: { facts: FACTS },
    headers: { authorization: `Bearer ${a.keys.schoolS1}`, 'if-match': `"${started.version}"` },
  })
  t.equal(saved.statusCode, 200, `the first save through B finds the withdrawn set by version: ${saved.body.slice(0, 160)}`)
  t.equal(loads.length, 1)
  const scored = await reqB(null, 'POST', '/v1/score', { criteriaSet: SET, evidence: { facts: FACTS } })
  t.equal(JSON.parse(scored.body).error?.code, 'CRITERIA_SET_WITHDRAWN', 'and B refuses it for new use, as A does')
})
