// The unit summary is reused until the next write (src/services/summary-cache.ts): a reused answer
// must always equal what the database says now — after a write through the API, after a write by
// another connection (the CLI, a restore), and for a key that may not read it, nothing at all.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { acceptsGzip } from '../../src/http/encoding.js'
import { SummaryCache } from '../../src/services/summary-cache.js'
import { act, exampleFacts, harness, startAssessment } from './app.js'

t.test('SummaryCache: one version per entry, single flight, stale only while a newer one is counted', async (t) => {
  let clock = 0
  const c = new SummaryCache<string>(2, 5000, () => clock)
  let computed = 0
  const get = async (version: string, key: string) => (await c.get(key, version, async () => `${key}@${version}#${++computed}`)).value
  t.equal(await get('v1', 'a'), 'a@v1#1', 'computed')
  t.equal(await get('v1', 'a'), 'a@v1#1', 'reused at the same version')
  t.equal(await get('v1', 'b'), 'b@v1#2')
  t.equal(await get('v1', 'a'), 'a@v1#1', 'a is now the most recently used')
  t.equal(await get('v1', 'c'), 'c@v1#3', 'a third key evicts the least recently used (b)')
  t.equal(c.size, 2)
  t.equal(await get('v1', 'b'), 'b@v1#4', 'b was evicted: computed again')
  t.equal(await get('v2', 'b'), 'b@v2#5', 'a new data version: computed again, nothing stale is served when no count is running')

  // Single flight: ten concurrent reads of one key and version cost one computation.
  let release!: (v: string) => void
  let runs = 0
  const slow = () => { runs++; return new Promise<string>((r) => { release = r }) }
  const ten = Array.from({ length: 10 }, () => c.get('k', 'v1', slow))
  release('k@v1')
  t.same((await Promise.all(ten)).map((x) => [x.value, x.stale]), Array.from({ length: 10 }, () => ['k@v1', false]), 'all ten get the one result, fresh')
  t.equal(runs, 1, 'one computation')

  // A write (v2) while a count of v2 runs: readers get the v1 answer, marked stale, within the bound.
  clock = 1000
  const counting = c.get('k', 'v2', slow)
  const meanwhile = await c.get('k', 'v2', slow)
  t.same([meanwhile.value, meanwhile.stale, meanwhile.version], ['k@v1', true, 'v1'], 'the last answer, stale, while v2 is counted')
  clock = 6001
  const late = c.get('k', 'v2', slow)
  release('k@v2')
  t.same([(await counting).value, (await late).value, (await late).stale], ['k@v2', 'k@v2', false], 'past the bound a reader waits for the count instead')
  t.equal(runs, 2, 'still one computation per version')

  const off = new SummaryCache<string>(0, 0, () => 0)
  let n = 0
  await off.get('k', 'v', async () => String(++n))
  t.equal((await off.get('k', 'v', async () => String(++n))).value, '2', 'maxEntries 0: never reused')
})

t.test('a reused summary is always the current one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-summary-cache-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'cds.sqlite')
  const h = await harness(t, { store: sqliteStore(openDatabase(file)) })
  const url = `/v1/units/LB/summary?period=${h.periodId}`
  const summary = async (key = h.keys.admin) => {
    const res = await h.req(key, 'GET', url)
    t.equal(res.statusCode, 200, 'summary 200')
    t.match(res.headers['content-type'], /^application\/json; charset=utf-8/, 'JSON')
    return { body: res.body, json: h.json(res) }
  }

  // LB has S1 and S2 (both in LB-W1): no assessment yet.
  const first = await summary()
  t.same(first.json.schools.byState, { draft: 0, submitted: 0, returned: 0, approved: 0, published: 0, none: 2 }, 'no assessments: both "none"')
  const again = await summary()
  t.equal(again.body, first.body, 'the same answer again')
  t.same((await summary(h.keys.reviewerLB)).json, first.json, 'the same answer for a reviewer of LB')
  const hn = await summary(h.keys.reviewerHN)
  t.equal(hn.json.unit.code, 'LB', 'and for a reviewer above')

  // Access is checked on every request, cached or not.
  const qn = await h.req(h.keys.reviewerQN, 'GET', url)
  t.same([qn.statusCode, h.json(qn).error.code], [404, 'NOT_FOUND'], 'a reviewer of another province: 404, even with the summary in memory')
  const school = await h.req(h.keys.schoolS1, 'GET', url)
  t.equal(school.statusCode, 403, 'a school key: 403')

  // A write through the API: S1 starts, fills and submits; LB approves.
  const { id, version } = await startAssessment(h)
  t.same((await summary()).json.schools.byState, { draft: 1, submitted: 0, returned: 0, approved: 0, published: 0, none: 1 }, 'S1 started: 1 draft, 1 none')
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })
  t.equal(saved.statusCode, 200)
  t.equal((await act(h, h.keys.schoolS1, id, version + 1, 'submit')).statusCode, 200)
  t.equal((await act(h, h.keys.reviewerLB, id, version + 2, 'approve')).statusCode, 200)
  const approved = (await summary()).json
  t.same(approved.schools.byState, { draft: 0, submitted: 0, returned: 0, approved: 1, published: 0, none: 1 }, 'after approval: 1 approved')
  // strong-thcs: Nhóm I 89.03 (mức 3), Nhóm II 80 (mức 3) — the shipped worked example.
  t.same(approved.overall.groups.map((g: { code: string; meanTotal: number; levels: Record<string, number> }) => [g.code, g.meanTotal, g.levels['3']]),
    [['I', 89.03, 1], ['II', 80, 1]], 'the counted school\'s totals and levels')

  // A write by another connection (the CLI, a script): the server's connection sees data_version move.
  const other = new Database(file)
  other.prepare("UPDATE units SET name = 'Quận Long Biên (đổi tên)' WHERE code = 'LB'").run()
  other.close()
  t.equal((await summary()).json.unit.name, 'Quận Long Biên (đổi tên)', 'a write by another connection is seen at once')
})

t.test('Accept-Encoding: gzip accepted unless refused with q=0', async (t) => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false], ['', false], ['identity', false], ['br', false], ['gzip', true], ['GZIP', true], ['x-gzip', true],
    ['gzip, deflate, br', true], ['br;q=1.0, gzip;q=0.8', true], ['gzip;q=0', false], ['gzip; q=0.0', false],
    ['*', true], ['*;q=0', false], ['*, gzip;q=0', false], ['gzip;q=0, *', false], ['deflate, *;q=0.1', true],
  ]
  for (const [header, want] of cases) t.equal(acceptsGzip(header), want, `${JSON.stringify(header)} → ${want ? 'gzip' : 'identity'}`)
  t.equal(acceptsGzip(['br', 'gzip']), true, 'repeated headers are one list')
})

t.test('the summary is sent gzip-compressed to clients that accept it, the same JSON', async (t) => {
  const h = await harness(t)
  const url = `/v1/units/LB/summary?period=${h.periodId}`
  const plain = await h.req(h.keys.admin, 'GET', url)
  t.equal(plain.statusCode, 200)
  t.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: identity')
  t.match(plain.headers.vary, /accept-encoding/i, 'Vary: Accept-Encoding')
  for (let i = 0; i < 2; i++) {
    const gz = await h.req(h.keys.admin, 'GET', url, undefined, { 'accept-encoding': 'gzip, deflate, br' })
    t.equal(gz.statusCode, 200)
    t.equal(gz.headers['content-encoding'], 'gzip', `gzip (${i === 0 ? 'made' : 'reused'})`)
    t.match(gz.headers.vary, /accept-encoding/i)
    t.equal(Number(gz.headers['content-length']), gz.rawPayload.length)
    t.ok(gz.rawPayload.length < plain.rawPayload.length, `smaller: ${gz.rawPayload.length} < ${plain.rawPayload.length} bytes`)
    t.same(gunzipSync(gz.rawPayload), plain.rawPayload, 'gunzipped, byte for byte the identity answer')
  }
  const refused = await h.req(h.keys.admin, 'GET', url, undefined, { 'accept-encoding': 'gzip;q=0, br' })
  t.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0: identity')
  t.same(refused.rawPayload, plain.rawPayload)
  const denied = await h.req(h.keys.reviewerQN, 'GET', url, undefined, { 'accept-encoding': 'gzip' })
  t.same([denied.statusCode, denied.headers['content-encoding']], [404, undefined], 'a refusal is not the cached answer, compressed or not')
})
