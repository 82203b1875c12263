// Memberships and periods name a unit that exists in their school year, and school years within a
// plausible window: 2015-2016 to the next school year by the service clock (the harness clock is
// 2025-04-15, in 2024-2025, so the latest is 2025-2026). Refusals are 400s with the JSON path and
// change nothing.
//   LB, LB-W1: 2020-2021 … 2024-2025 · PX: from 2025-2026 · HN, QN: from 2020-2021
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { harness, type Harness } from './app.js'

function refused(t: Test, h: Harness, res: LightMyRequestResponse, code: string, path: string, what: string): void {
  t.equal(res.statusCode, 400, `${what}: 400`)
  const err = h.json(res).error
  t.equal(err?.code, code, `${what}: ${code}`)
  t.equal(err?.path, path, `${what}: path ${path}`)
  t.match(err?.message, /năm học/, `${what}: the message says which school year (Vietnamese)`)
}

const period = (unitCode: string, schoolYear: string) => ({ unitCode, schoolYear, title: `Đợt ${schoolYear}`, criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z' })
const school = (moetCode: string, unitCode: string, fromYear: string) => ({ moetCode, name: `Trường ${moetCode}`, levels: ['TH'], ownership: 'public', unitCode, fromYear })
const count = async (h: Harness, url: string) => h.json(await h.req(h.keys.admin, 'GET', url)).items.length as number

t.test('a membership only to a unit that exists in its first year', async (t) => {
  const h = await harness(t)
  const before = h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1')).memberships
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2024-2025' }), 'UNIT_NOT_IN_YEAR', '/unitCode', 'S1 → PX before PX exists')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'LB-W1', fromYear: '2025-2026' }), 'UNIT_NOT_IN_YEAR', '/unitCode', 'S1 → LB-W1 after LB-W1 ended')
  t.same(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1')).memberships, before, 'memberships unchanged')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2025-2026' })).statusCode, 200, 'PX from 2025-2026 is fine')

  const schools = await count(h, '/v1/schools')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/schools', school('S40', 'PX', '2024-2025')), 'UNIT_NOT_IN_YEAR', '/unitCode', 'a new school in PX from 2024-2025')
  refused(t, h, await h.req(h.keys.reviewerLB, 'POST', '/v1/schools', school('S40', 'LB-W1', '2025-2026')), 'UNIT_NOT_IN_YEAR', '/unitCode', 'a new school in LB-W1 from 2025-2026')
  t.equal(await count(h, '/v1/schools'), schools, 'no school created')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/schools', school('S40', 'LB-W1', '2024-2025'))).statusCode, 201)
})

t.test('a period only for a unit that exists in its school year', async (t) => {
  const h = await harness(t)
  const periods = await count(h, '/v1/periods')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/periods', period('PX', '2024-2025')), 'UNIT_NOT_IN_YEAR', '/unitCode', 'PX in 2024-2025')
  refused(t, h, await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', period('LB', '2025-2026')), 'UNIT_NOT_IN_YEAR', '/unitCode', 'LB in 2025-2026')
  t.equal(await count(h, '/v1/periods'), periods, 'no period opened')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/periods', period('PX', '2025-2026'))).statusCode, 201)
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', period('LB', '2024-2025'))).statusCode, 201)
})

t.test('school years from 2015-2016 to the next school year', async (t) => {
  const h = await harness(t)
  const periods = await count(h, '/v1/periods')
  const tooLate = await h.req(h.keys.reviewerHN, 'POST', '/v1/periods', period('HN', '2099-2100'))
  refused(t, h, tooLate, 'SCHOOL_YEAR_OUT_OF_RANGE', '/schoolYear', 'a period for 2099-2100')
  t.same(h.json(tooLate).error.details, { earliest: '2015-2016', latest: '2025-2026' }, 'the window is in the details')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/periods', period('HN', '2026-2027')), 'SCHOOL_YEAR_OUT_OF_RANGE', '/schoolYear', 'in 2024-2025, a period for the year after next')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/periods', period('HN', '2014-2015')), 'SCHOOL_YEAR_OUT_OF_RANGE', '/schoolYear', 'a period for 2014-2015')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/schools/S9/memberships', { unitCode: 'QN', fromYear: '2099-2100' }), 'SCHOOL_YEAR_OUT_OF_RANGE', '/fromYear', 'a move from 2099-2100')
  refused(t, h, await h.req(h.keys.admin, 'POST', '/v1/schools', school('S41', 'QN', '2099-2100')), 'SCHOOL_YEAR_OUT_OF_RANGE', '/fromYear', 'a school from 2099-2100')
  t.equal(await count(h, '/v1/periods'), periods, 'no period opened')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/periods', period('HN', '2025-2026'))).statusCode, 201, 'the next school year is fine')
  // 2015-2016 is inside the window; HN exists only from 2020-2021, so that is what refuses it.
  t.equal(h.json(await h.req(h.keys.admin, 'POST', '/v1/periods', period('HN', '2015-2016'))).error?.code, 'UNIT_NOT_IN_YEAR', '2015-2016 passes the window')
  // The school year turns on 1 August, Vietnam time: 2025-07-31T17:00Z is 00:00 on 1 August in Hà Nội.
  h.clock.set('2025-07-31T16:59:00Z')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/periods', period('HN', '2026-2027'))).statusCode, 400, 'on 31 July 2025 (Hà Nội) 2026-2027 is still too far ahead')
  h.clock.set('2025-07-31T17:00:00Z')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/periods', period('HN', '2026-2027'))).statusCode, 201, 'on 1 August 2025 it is the next school year')
})

t.test('a school CSV is checked the same way, row by row', async (t) => {
  const h = await harness(t)
  const csv = 'moetCode,name,levels,ownership,unitCode,fromYear\nS60,Trường A,TH,public,QN,2099-2100\nS61,Trường B,TH,public,PX,2024-2025\nS62,Trường C,TH,public,QN,2024-2025\n'
  const res = await h.req(h.keys.admin, 'POST', '/v1/schools/import', csv, { 'content-type': 'text/csv' })
  t.equal(res.statusCode, 400)
  t.equal(h.json(res).error.code, 'IMPORT_REJECTED')
  t.same(h.json(res).error.details.errors.map((e: { line: number; column: string; code: string }) => `${e.line} ${e.column} ${e.code}`),
    ['2 fromYear SCHOOL_YEAR_OUT_OF_RANGE', '3 unitCode UNIT_NOT_IN_YEAR'])
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/S62')).statusCode, 404, 'nothing imported')
})
