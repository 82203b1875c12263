// M4: GET /v1/periods pages through the periods visible to the key, filtered in SQL: another
// unit's thousands of periods (newest school year first) no longer push a key's own out of the
// window the service used to load and filter in code. Every page has a total; limit is bounded.
import t from 'tap'
import type { SqliteStore } from '../../src/repositories/sqlite/index.js'
import { harness, type Harness } from './app.js'

/** `n` periods of LB for 2025-2026 — newer than every other period — written straight to the
 *  database (creating them through the API would be slow, and LB ends in 2024-2025 anyway). */
function flood(h: Harness, n: number): void {
  const sqlite = (h.app.services.ctx.store as SqliteStore).connection.sqlite
  const lb = (sqlite.prepare("SELECT id FROM units WHERE code = 'LB'").get() as { id: number }).id
  const insert = sqlite.prepare("INSERT INTO periods (id, unit_id, school_year, title, criteria_sets, submission_deadline, created_at) VALUES (?, ?, 2025, 'Đợt tràn', '[\"moet-4725@2024\"]', 1780000000000, ?)")
  sqlite.transaction(() => { for (let i = 0; i < n; i++) insert.run(`flood-${String(i).padStart(5, '0')}`, lb, 1700000000000 + i) })()
}

const list = async (h: Harness, key: string, query = '') => {
  const res = await h.req(key, 'GET', `/v1/periods${query}`)
  t.equal(res.statusCode, 200, `GET /v1/periods${query}`)
  return h.json(res) as { items: { id: string; unitCode: string }[]; total: number }
}

t.test('10,000 periods of one district leave every other key\'s list intact', async (t) => {
  const h = await harness(t)
  const qn = await h.req(h.keys.admin, 'POST', '/v1/periods', { unitCode: 'QN', schoolYear: '2024-2025', title: 'Đợt QN', criteriaSets: ['moet-4725'], submissionDeadline: '2025-05-31T16:59:59Z' })
  const qnId = h.json(qn).id as string
  flood(h, 10_000)

  const q = await list(h, h.keys.reviewerQN)
  t.same(q.items.map((p) => p.id), [qnId], 'QN\'s reviewer still sees QN\'s period')
  t.equal(q.total, 1)
  const s9 = await list(h, h.keys.schoolS9)
  t.same(s9.items.map((p) => p.id), [qnId], 'so does the school in QN')
  t.equal(s9.total, 1)

  // S1's membership of LB-W1 has no end: LB's 2025-2026 periods apply to it, and HN's 2024-2025.
  const s1 = await list(h, h.keys.schoolS1, '?year=2024-2025')
  t.same(s1.items.map((p) => p.id), [h.periodId])
  t.equal((await list(h, h.keys.schoolS1)).total, 10_001)

  // LB's reviewer sees LB's 10,000 and HN's (above it): 10,001, 500 per page at most.
  const first = await list(h, h.keys.reviewerLB, '?limit=500')
  t.equal(first.total, 10_001)
  t.equal(first.items.length, 500)
  t.equal(first.items[0]?.id, 'flood-00000', 'newest school year first, then in the order opened')
  const last = await list(h, h.keys.reviewerLB, '?limit=500&offset=10000')
  t.same(last.items.map((p) => p.id), [h.periodId], 'the last page holds HN\'s 2024-2025 period')
  t.equal(last.total, 10_001)
  const y24 = await list(h, h.keys.reviewerLB, '?year=2024-2025')
  t.same(y24.items.map((p) => p.id), [h.periodId], '?year= filters in SQL too')
  t.equal(y24.total, 1)
  t.equal((await list(h, h.keys.admin, '?limit=1')).total, 10_002, 'an admin: every period')

  const big = await h.req(h.keys.reviewerLB, 'GET', '/v1/periods?limit=10000')
  t.equal(big.statusCode, 400, 'a page is at most 500')
  t.equal(h.json(big).error.code, 'OUT_OF_RANGE')
})

t.test('a school sees the periods of the unit it is in that school year, and of the units above', async (t) => {
  const h = await harness(t)
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2025-2026' })).statusCode, 200)
  const open = async (unitCode: string, schoolYear: string) => h.json(await h.req(h.keys.admin, 'POST', '/v1/periods', {
    unitCode, schoolYear, title: `Đợt ${unitCode} ${schoolYear}`, criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z',
  })).id as string
  const px25 = await open('PX', '2025-2026')
  const hn25 = await open('HN', '2025-2026')
  const lb24 = await open('LB', '2024-2025')
  await open('QN', '2025-2026')
  const s1 = await list(h, h.keys.schoolS1)
  t.same(s1.items.map((p) => p.id).sort(), [px25, hn25, lb24, h.periodId].sort(), 'S1: PX and HN in 2025-2026, LB and HN in 2024-2025')
  t.equal(s1.total, 4)
  const s3 = await list(h, h.keys.schoolS3)
  t.same(s3.items.map((p) => p.id).sort(), [px25, hn25].sort(), 'S3 (PX from 2025-2026): not 2024-2025\'s')
  const hn = await list(h, h.keys.reviewerHN)
  t.equal(hn.total, 4, 'HN: its own two and those of LB and PX below it')
  for (const p of s1.items) t.equal((await h.req(h.keys.schoolS1, 'GET', `/v1/periods/${p.id}`)).statusCode, 200, 'the list agrees with GET /v1/periods/{id}')
})
