// H1: a district a school moved to cannot take over the years the school belonged elsewhere. A move
// from year Y ends the membership running into Y and replaces those starting later; each of them
// may be rewritten only by a key whose subtree holds its unit (an admin, or a unit above both).
//
//   HN ─ LB ─ LB-W1 (S1 2020-2021 … 2024-2025, its 2024-2025 assessment approved by LB)
//      └ TH ─ TH-W1 (S1 from 2025-2026: the province moved it)
import t, { type Test } from 'tap'
import { act, exampleFacts, harness, startAssessment, type Harness } from './app.js'

async function world(t: Test) {
  const h = await harness(t)
  const ok = async (key: string, method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await h.req(key, method, url, body, headers)
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`)
    return h.json(res)
  }
  await ok(h.keys.admin, 'POST', '/v1/units', { code: 'TH', name: 'Quận Tây Hồ', type: 'district', parentCode: 'HN', fromYear: '2020-2021' })
  await ok(h.keys.admin, 'POST', '/v1/units', { code: 'TH-W1', name: 'Phường Nhật Tân', type: 'ward', parentCode: 'TH', fromYear: '2020-2021' })
  const reviewerTH = (await ok(h.keys.admin, 'POST', '/v1/keys', { role: 'reviewer', label: 'Phòng GDĐT Tây Hồ', unitCode: 'TH' })).key as string
  const a = await startAssessment(h)
  const saved = await ok(h.keys.schoolS1, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${a.version}"` })
  const submitted = await act(h, h.keys.schoolS1, a.id, saved.version, 'submit')
  const approved = await act(h, h.keys.reviewerLB, a.id, h.json(submitted).version, 'approve')
  t.equal(approved.statusCode, 200, 'LB approved S1\'s 2024-2025 assessment')
  h.clock.set('2025-10-01T03:00:00Z')
  await ok(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'TH', fromYear: '2025-2026' })
  return { h, reviewerTH, aid: a.id, version: h.json(approved).version as number }
}

const memberships = async (h: Harness) => h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1')).memberships
const AFTER_PROVINCE_MOVE = [
  { unitCode: 'LB-W1', fromYear: '2020-2021', toYear: '2024-2025' },
  { unitCode: 'TH', fromYear: '2025-2026', toYear: null },
]

t.test('the new district cannot rewrite the years before its own membership (403, nothing changes)', async (t) => {
  const { h, reviewerTH, aid, version } = await world(t)
  t.same(await memberships(h), AFTER_PROVINCE_MOVE)
  for (const fromYear of ['2020-2021', '2023-2024', '2024-2025']) {
    const res = await h.req(reviewerTH, 'POST', '/v1/schools/S1/memberships', { unitCode: 'TH', fromYear })
    t.equal(res.statusCode, 403, `TH from ${fromYear}: 403`)
    t.equal(h.json(res).error.code, 'FORBIDDEN')
    t.match(h.json(res).error.message, /LB-W1/, 'the message names the unit whose history it is')
  }
  t.same(await memberships(h), AFTER_PROVINCE_MOVE, 'memberships unchanged')

  // The old district keeps its year: the assessment, the report, the workflow stay LB's.
  t.equal((await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments/${aid}`)).statusCode, 200, 'LB still reads S1\'s 2024-2025 assessment')
  const lbList = h.json(await h.req(h.keys.reviewerLB, 'GET', '/v1/assessments?school=S1')).items as { id: string }[]
  t.same(lbList.map((x) => x.id), [aid], 'and lists it')
  t.equal((await h.req(reviewerTH, 'GET', `/v1/assessments/${aid}`)).statusCode, 404, 'TH does not see LB\'s year')
  t.equal((await h.req(reviewerTH, 'GET', `/v1/assessments/${aid}/audit`)).statusCode, 404, 'nor its audit')
  t.equal((await act(h, reviewerTH, aid, version, 'revoke', { reason: 'chiếm quyền' })).statusCode, 404, 'nor revokes LB\'s approval')
  t.equal((await h.req(reviewerTH, 'PUT', `/v1/assessments/${aid}/external`, { facts: {} }, { 'if-match': `"${version}"` })).statusCode, 404, 'nor records an external assessment')
  t.equal(h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${aid}`)).state, 'approved', 'still approved')
})

t.test('the new district rewrites its own years; an admin or a unit above both rewrites history', async (t) => {
  const { h, reviewerTH, aid } = await world(t)
  const own = await h.req(reviewerTH, 'POST', '/v1/schools/S1/memberships', { unitCode: 'TH-W1', fromYear: '2025-2026' })
  t.equal(own.statusCode, 200, 'TH replaces its own membership (2025-2026 on)')
  t.same(h.json(own).memberships, [AFTER_PROVINCE_MOVE[0], { unitCode: 'TH-W1', fromYear: '2025-2026', toYear: null }])
  const later = await h.req(reviewerTH, 'POST', '/v1/schools/S1/memberships', { unitCode: 'TH', fromYear: '2027-2028' })
  t.equal(h.json(later).error?.code, 'SCHOOL_YEAR_OUT_OF_RANGE', 'in 2025-2026, a move from 2027-2028 is too far ahead')
  t.equal((await h.req(reviewerTH, 'POST', '/v1/schools/S1/memberships', { unitCode: 'TH', fromYear: '2026-2027' })).statusCode, 200, 'TH ends its own membership later')
  t.same(await memberships(h), [AFTER_PROVINCE_MOVE[0], { unitCode: 'TH-W1', fromYear: '2025-2026', toYear: '2025-2026' }, { unitCode: 'TH', fromYear: '2026-2027', toYear: null }])

  const above = await h.req(h.keys.reviewerHN, 'POST', '/v1/schools/S1/memberships', { unitCode: 'TH', fromYear: '2020-2021' })
  t.equal(above.statusCode, 200, 'HN, above both districts, may rewrite the whole history')
  t.same(h.json(above).memberships, [{ unitCode: 'TH', fromYear: '2020-2021', toYear: null }])
  t.equal((await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments/${aid}`)).statusCode, 404, 'then the year is TH\'s')
  t.equal((await h.req(reviewerTH, 'GET', `/v1/assessments/${aid}`)).statusCode, 200)
  const admin = await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'LB-W1', fromYear: '2020-2021' })
  t.equal(admin.statusCode, 200, 'an admin may too')
})

t.test('a district cannot rewrite another unit\'s membership between two of its own', async (t) => {
  const h = await harness(t)
  // S2: LB-W1 2020-2021 … 2022-2023, QN 2023-2024, LB-W1 again from 2024-2025 (moves by an admin).
  for (const [unitCode, fromYear] of [['QN', '2023-2024'], ['LB-W1', '2024-2025']]) {
    t.equal((await h.req(h.keys.admin, 'POST', '/v1/schools/S2/memberships', { unitCode, fromYear })).statusCode, 200)
  }
  const before = h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S2')).memberships
  t.same(before.map((m: { unitCode: string }) => m.unitCode), ['LB-W1', 'QN', 'LB-W1'])
  const res = await h.req(h.keys.reviewerLB, 'POST', '/v1/schools/S2/memberships', { unitCode: 'LB-W1', fromYear: '2021-2022' })
  t.equal(res.statusCode, 403, 'the move would delete QN\'s 2023-2024')
  t.match(h.json(res).error.message, /QN/)
  t.same(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S2')).memberships, before, 'unchanged')
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/schools/S2/memberships', { unitCode: 'LB-W1', fromYear: '2024-2025' })).statusCode, 200, 'from its own last membership on it may')
})
