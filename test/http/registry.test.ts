// The registry through the API: units, schools (with dated memberships and Vietnamese search) and
// assessment periods; request validation (no coercion, unknown fields refused) and the one error shape.
//
// Fixture (test/http/app.ts): HN ─ LB (2020–2024) ─ LB-W1 (2020–2024); HN ─ PX (2025–); QN.
// Schools: S1 "Trường THCS Ngọc Thụy" and S2 "Trường Tiểu học Ngọc Lâm" in LB-W1 (2020–),
// S3 "Trường THCS Bồ Đề" in PX (2025–), S9 "Trường THCS Hạ Long" in QN (2020–).
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { harness, type Harness } from './app.js'

/**
 * Asserts the one error shape {error:{code,message,path?,details?}} and returns the error.
 * `path`: the expected JSON pointer; null when the error must carry none; omitted to skip the check.
 */
function expectError(t: Test, res: LightMyRequestResponse, status: number, code: string, path?: string | null): any {
  t.equal(res.statusCode, status, `status ${status} (${code})`)
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['error'], 'only an "error" member')
  const e = body.error ?? {}
  t.equal(e.code, code)
  t.type(e.message, 'string')
  t.ok(typeof e.message === 'string' && e.message.length > 0, 'a human message')
  for (const k of Object.keys(e)) t.ok(['code', 'message', 'path', 'details'].includes(k), `known member "${k}"`)
  if (path === null) t.notOk('path' in e, 'no path')
  else if (path !== undefined) t.equal(e.path, path, `path ${path}`)
  return e
}

const codes = (items: { code?: string; moetCode?: string }[]) => items.map((i) => i.code ?? i.moetCode)
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`

async function listUnits(h: Harness, params: Record<string, string> = {}, key = h.keys.admin) {
  const res = await h.req(key, 'GET', `/v1/units${q(params)}`)
  if (res.statusCode !== 200) throw new Error(`GET /v1/units ${JSON.stringify(params)}: status ${res.statusCode}`)
  return codes(h.json(res).items)
}

async function listSchools(h: Harness, params: Record<string, string> = {}, key = h.keys.admin) {
  const res = await h.req(key, 'GET', `/v1/schools${q(params)}`)
  if (res.statusCode !== 200) throw new Error(`GET /v1/schools ${JSON.stringify(params)}: status ${res.statusCode}`)
  return codes(h.json(res).items)
}

const newSchool = (over: Record<string, unknown> = {}) => ({
  moetCode: 'S20', name: 'Trường THPT Nguyễn Gia Thiều', levels: ['THPT'], ownership: 'public', unitCode: 'LB', fromYear: '2022-2023', ...over,
})

const newPeriod = (over: Record<string, unknown> = {}) => ({
  unitCode: 'QN', schoolYear: '2025-2026', title: 'Đánh giá CĐS năm học 2025-2026', criteriaSets: ['moet-4725'],
  submissionDeadline: '2026-05-31T16:59:59Z', reviewDeadline: '2026-06-20T16:59:59Z', ...over,
})

// ---------------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------------

t.test('units: create and read back', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'LB-W2', name: 'Phường Gia Thụy', type: 'ward', parentCode: 'LB', fromYear: '2020-2021', toYear: '2024-2025' })
  t.equal(res.statusCode, 201)
  const expected = { code: 'LB-W2', name: 'Phường Gia Thụy', type: 'ward', parentCode: 'LB', fromYear: '2020-2021', toYear: '2024-2025' }
  t.same(h.json(res), expected)
  const got = await h.req(h.keys.schoolS1, 'GET', '/v1/units/LB-W2')
  t.equal(got.statusCode, 200, 'any key reads units')
  t.same(h.json(got), expected)

  const top = await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'HP', name: 'Thành phố Hải Phòng', type: 'province', fromYear: '2025-2026' })
  t.equal(top.statusCode, 201)
  t.same(h.json(top), { code: 'HP', name: 'Thành phố Hải Phòng', type: 'province', parentCode: null, fromYear: '2025-2026', toYear: null })
})

t.test('units: names are stored in NFC whatever form they were typed in', async (t) => {
  const h = await harness(t)
  const nfd = 'Xã Đông Anh Thượng'.normalize('NFD')
  const res = await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'DA', name: nfd, type: 'commune', parentCode: 'HN', fromYear: '2025-2026' })
  t.equal(res.statusCode, 201)
  t.equal(h.json(res).name, 'Xã Đông Anh Thượng'.normalize('NFC'))
  const patched = await h.req(h.keys.admin, 'PATCH', '/v1/units/DA', { name: 'Xã Đông Anh Hạ'.normalize('NFD') })
  t.equal(h.json(patched).name, 'Xã Đông Anh Hạ'.normalize('NFC'))
})

t.test('units: listing by parent, within a subtree and by school year', async (t) => {
  const h = await harness(t)
  t.same(await listUnits(h), ['HN', 'LB', 'LB-W1', 'PX', 'QN'], 'all units, ordered by code')
  t.same(await listUnits(h, { parent: 'HN' }), ['LB', 'PX'], 'children of HN')
  t.same(await listUnits(h, { parent: 'LB' }), ['LB-W1'])
  t.same(await listUnits(h, { parent: 'QN' }), [])
  t.same(await listUnits(h, { within: 'HN' }), ['HN', 'LB', 'LB-W1', 'PX'], 'the subtree includes the unit itself')
  t.same(await listUnits(h, { within: 'LB' }), ['LB', 'LB-W1'])
  t.same(await listUnits(h, { year: '2024-2025' }), ['HN', 'LB', 'LB-W1', 'QN'], 'PX does not exist yet in 2024-2025')
  t.same(await listUnits(h, { year: '2025-2026' }), ['HN', 'PX', 'QN'], 'LB and LB-W1 ended after 2024-2025')
  t.same(await listUnits(h, { year: '2019-2020' }), [], 'nothing existed before 2020')
  t.same(await listUnits(h, { parent: 'HN', year: '2024-2025' }), ['LB'])
  t.same(await listUnits(h, { within: 'HN', year: '2025-2026' }), ['HN', 'PX'])
  t.same(await listUnits(h, { limit: '2' }), ['HN', 'LB'], 'query numbers are read from text')
  t.same(await listUnits(h, { limit: '2', offset: '2' }), ['LB-W1', 'PX'])
  t.same(await listUnits(h, {}, h.keys.schoolS9), ['HN', 'LB', 'LB-W1', 'PX', 'QN'], 'units are public to every key')
})

t.test('units: unknown codes are 404 with the path of the parameter', async (t) => {
  const h = await harness(t)
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?parent=NOPE'), 404, 'NOT_FOUND', '/parent')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?within=NOPE'), 404, 'NOT_FOUND', '/within')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units/NOPE'), 404, 'NOT_FOUND', '/code')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/NOPE', { name: 'Không có' }), 404, 'NOT_FOUND', '/code')
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'X1', name: 'Phường X', type: 'ward', parentCode: 'NOPE', fromYear: '2025-2026' }), 404, 'NOT_FOUND', '/parentCode')
  t.match(e.message, /NOPE/)
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/units/X1')).statusCode, 404, 'nothing was created')
})

t.test('units: a duplicate code is 409 UNIT_EXISTS', async (t) => {
  const h = await harness(t)
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'LB', name: 'Quận Long Biên (mới)', type: 'district', parentCode: 'HN', fromYear: '2025-2026' }), 409, 'UNIT_EXISTS')
  t.match(e.message, /"LB"/)
  t.equal(h.json(await h.req(h.keys.admin, 'GET', '/v1/units/LB')).name, 'Quận Long Biên', 'the existing unit is unchanged')
})

t.test('units: school years are checked', async (t) => {
  const h = await harness(t)
  const post = (body: Record<string, unknown>) => h.req(h.keys.admin, 'POST', '/v1/units', { code: 'Y1', name: 'Phường Y', type: 'ward', parentCode: 'HN', ...body })
  const e = expectError(t, await post({ fromYear: '2025-2027' }), 400, 'INVALID_SCHOOL_YEAR', '/fromYear')
  t.match(e.message, /2025-2027/)
  expectError(t, await post({ fromYear: '2025-2024' }), 400, 'INVALID_SCHOOL_YEAR', '/fromYear')
  expectError(t, await post({ fromYear: '2025-2026', toYear: '2026-2028' }), 400, 'INVALID_SCHOOL_YEAR', '/toYear')
  expectError(t, await post({ fromYear: '2025/2026' }), 400, 'INVALID_FORMAT', '/fromYear')
  expectError(t, await post({ fromYear: '2025' }), 400, 'INVALID_FORMAT', '/fromYear')
  expectError(t, await post({ fromYear: '2025-2026', toYear: '2024-2025' }), 400, 'INVALID_YEAR_RANGE', '/toYear')
  const same = await post({ fromYear: '2025-2026', toYear: '2025-2026' })
  t.equal(same.statusCode, 201, 'a unit may exist for a single school year')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?year=2025-2027'), 400, 'INVALID_SCHOOL_YEAR', '/year')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools?year=2024-2026'), 400, 'INVALID_SCHOOL_YEAR', '/year')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/periods?year=2024-2026'), 400, 'INVALID_SCHOOL_YEAR', '/year')
})

t.test('units: patching a name or the last school year', async (t) => {
  const h = await harness(t)
  const renamed = await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { name: 'Phường Bồ Đề (mới)' })
  t.equal(renamed.statusCode, 200)
  t.same(h.json(renamed), { code: 'PX', name: 'Phường Bồ Đề (mới)', type: 'ward', parentCode: 'HN', fromYear: '2025-2026', toYear: null })

  const ended = await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { toYear: '2026-2027' })
  t.equal(ended.statusCode, 200)
  t.equal(h.json(ended).toYear, '2026-2027')
  t.equal(h.json(ended).name, 'Phường Bồ Đề (mới)', 'other fields are kept')
  t.same(await listUnits(h, { year: '2027-2028' }), ['HN', 'QN'], 'PX is gone from 2027-2028')

  const reopened = await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { toYear: null })
  t.equal(h.json(reopened).toYear, null, 'null re-opens the unit')

  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { toYear: '2024-2025' }), 400, 'INVALID_YEAR_RANGE', '/toYear')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { toYear: '2026-2028' }), 400, 'INVALID_SCHOOL_YEAR', '/toYear')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', {}), 400, 'REQUIRED')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { parentCode: 'QN' }), 400, 'UNKNOWN_FIELD', '/parentCode')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { code: 'PX2' }), 400, 'UNKNOWN_FIELD', '/code')
})

t.test('units: who may create and change them', async (t) => {
  const h = await harness(t)
  const unit = (code: string, parentCode?: string) => ({ code, name: `Phường ${code}`, type: 'ward', fromYear: '2024-2025', ...(parentCode ? { parentCode } : {}) })
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/units', unit('LB-W3', 'LB-W1'))).statusCode, 201, 'a reviewer creates units below its own')
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/units', unit('LB-W4', 'LB'))).statusCode, 201, 'directly below its own unit too')
  expectError(t, await h.req(h.keys.reviewerLB, 'POST', '/v1/units', unit('HN-W9', 'HN')), 403, 'FORBIDDEN')
  expectError(t, await h.req(h.keys.reviewerLB, 'POST', '/v1/units', unit('TOP')), 403, 'FORBIDDEN')
  expectError(t, await h.req(h.keys.reviewerQN, 'POST', '/v1/units', unit('LB-W5', 'LB')), 403, 'FORBIDDEN')
  expectError(t, await h.req(h.keys.schoolS1, 'POST', '/v1/units', unit('S-W1', 'LB-W1')), 403, 'FORBIDDEN')
  expectError(t, await h.req(null, 'POST', '/v1/units', unit('ANON', 'LB')), 401, 'UNAUTHENTICATED')
  t.equal((await h.req(h.keys.reviewerLB, 'PATCH', '/v1/units/LB-W1', { name: 'Phường Ngọc Thụy (đổi tên)' })).statusCode, 200)
  expectError(t, await h.req(h.keys.reviewerLB, 'PATCH', '/v1/units/QN', { name: 'Đổi tên' }), 404, 'NOT_FOUND', '/code')
  expectError(t, await h.req(h.keys.schoolS1, 'PATCH', '/v1/units/LB-W1', { name: 'Đổi tên' }), 403, 'FORBIDDEN')
  t.same(await listUnits(h, { parent: 'HN' }), ['LB', 'PX'], 'the refused units were not created')
})

// ---------------------------------------------------------------------------------------------
// Schools
// ---------------------------------------------------------------------------------------------

t.test('schools: create and read back', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ levels: ['THCS', 'THPT', 'THCS'] }))
  t.equal(res.statusCode, 201)
  const expected = {
    moetCode: 'S20', name: 'Trường THPT Nguyễn Gia Thiều', levels: ['THCS', 'THPT'], ownership: 'public',
    memberships: [{ unitCode: 'LB', fromYear: '2022-2023', toYear: null }],
  }
  t.same(h.json(res), expected, 'repeated levels are dropped')
  const got = await h.req(h.keys.admin, 'GET', '/v1/schools/S20')
  t.equal(got.statusCode, 200)
  t.same(h.json(got), expected)
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/schools', newSchool({ moetCode: 'S21', unitCode: 'LB-W1', ownership: 'private' }))).statusCode, 201,
    'a reviewer creates schools in its subtree')
  expectError(t, await h.req(h.keys.reviewerLB, 'POST', '/v1/schools', newSchool({ moetCode: 'S22', unitCode: 'QN' })), 404, 'NOT_FOUND', '/unitCode')
  expectError(t, await h.req(h.keys.schoolS1, 'POST', '/v1/schools', newSchool({ moetCode: 'S23' })), 403, 'FORBIDDEN')
})

t.test('schools: a duplicate MOET code is 409 SCHOOL_EXISTS', async (t) => {
  const h = await harness(t)
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ moetCode: 'S1', name: 'Trường khác' })), 409, 'SCHOOL_EXISTS')
  t.match(e.message, /"S1"/)
  t.equal(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1')).name, 'Trường THCS Ngọc Thụy', 'the existing school is unchanged')
})

t.test('schools: unknown units and bad school years', async (t) => {
  const h = await harness(t)
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ unitCode: 'NOPE' })), 404, 'NOT_FOUND', '/unitCode')
  t.match(e.message, /NOPE/)
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ fromYear: '2025-2027' })), 400, 'INVALID_SCHOOL_YEAR', '/fromYear')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools?unit=NOPE'), 404, 'NOT_FOUND', '/unit')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools/NOPE'), 404, 'NOT_FOUND', '/code')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools/NOPE/memberships', { unitCode: 'PX', fromYear: '2025-2026' }), 404, 'NOT_FOUND', '/code')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'NOPE', fromYear: '2025-2026' }), 404, 'NOT_FOUND', '/unitCode')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/S20')).statusCode, 404, 'nothing was created')
})

t.test('schools: listing by unit and school year', async (t) => {
  const h = await harness(t)
  t.same(await listSchools(h), ['S1', 'S2', 'S3', 'S9'], 'an admin sees all, ordered by code')
  t.same(await listSchools(h, { unit: 'LB' }), ['S1', 'S2'], 'a unit lists its whole subtree')
  t.same(await listSchools(h, { unit: 'LB-W1' }), ['S1', 'S2'])
  t.same(await listSchools(h, { unit: 'HN' }), ['S1', 'S2', 'S3'])
  t.same(await listSchools(h, { unit: 'QN' }), ['S9'])
  t.same(await listSchools(h, { year: '2024-2025' }), ['S1', 'S2', 'S9'], 'S3 joins in 2025-2026')
  t.same(await listSchools(h, { year: '2025-2026' }), ['S1', 'S2', 'S3', 'S9'])
  t.same(await listSchools(h, { year: '2019-2020' }), [], 'no school before 2020')
  t.same(await listSchools(h, { unit: 'PX', year: '2024-2025' }), [])
  t.same(await listSchools(h, { unit: 'PX', year: '2025-2026' }), ['S3'])
  t.same(await listSchools(h, { unit: 'HN', year: '2024-2025' }), ['S1', 'S2'])
  t.same(await listSchools(h, { limit: '1', offset: '1' }), ['S2'])

  t.same(await listSchools(h, {}, h.keys.reviewerLB), ['S1', 'S2'], 'a reviewer sees its subtree')
  t.same(await listSchools(h, {}, h.keys.reviewerQN), ['S9'])
  t.same(await listSchools(h, {}, h.keys.reviewerHN), ['S1', 'S2', 'S3'])
  t.same(await listSchools(h, { unit: 'LB-W1' }, h.keys.reviewerHN), ['S1', 'S2'])
  expectError(t, await h.req(h.keys.reviewerLB, 'GET', '/v1/schools?unit=QN'), 404, 'NOT_FOUND', '/unit')
  t.same(await listSchools(h, {}, h.keys.schoolS1), ['S1'], 'a school key sees itself only')
  expectError(t, await h.req(h.keys.reviewerLB, 'GET', '/v1/schools/S9'), 404, 'NOT_FOUND', '/code')
  expectError(t, await h.req(h.keys.schoolS1, 'GET', '/v1/schools/S2'), 404, 'NOT_FOUND', '/code')
})

t.test('schools: q searches Vietnamese names (any case, NFC or NFD) and MOET codes', async (t) => {
  const h = await harness(t)
  t.same(await listSchools(h, { q: 'ngọc' }), ['S1', 'S2'], 'q=ngọc finds Trường THCS Ngọc Thụy (and Ngọc Lâm)')
  t.same(await listSchools(h, { q: 'Ngọc Thụy' }), ['S1'])
  t.same(await listSchools(h, { q: 'NGỌC THỤY' }), ['S1'], 'upper-case Vietnamese is folded')
  t.same(await listSchools(h, { q: 'ngọc thụy'.normalize('NFD') }), ['S1'], 'a query typed in NFD (decomposed accents) still matches')
  t.same(await listSchools(h, { q: 'bồ đề' }), ['S3'])
  t.same(await listSchools(h, { q: 'Đề'.normalize('NFD') }), ['S3'])
  t.same(await listSchools(h, { q: 'thcs' }), ['S1', 'S3', 'S9'])
  t.same(await listSchools(h, { q: 'tiểu học' }), ['S2'])
  t.same(await listSchools(h, { q: 'S9' }), ['S9'], 'a MOET code matches exactly')
  t.same(await listSchools(h, { q: 'không có trường nào' }), [])
  t.same(await listSchools(h, { q: '%' }), [], 'LIKE wildcards are plain characters')
  t.same(await listSchools(h, { q: '_' }), [])
  t.same(await listSchools(h, { q: 'ngọc', unit: 'QN' }), [], 'q combines with the unit')
  t.same(await listSchools(h, { q: 'thcs', year: '2024-2025' }), ['S1', 'S9'], 'q combines with the year')
  t.same(await listSchools(h, { q: 'ngọc' }, h.keys.reviewerQN), [], 'q stays inside the key\'s scope')
  t.same(await listSchools(h, { q: 'ngọc thụy'.normalize('NFD') }, h.keys.schoolS1), ['S1'], 'a school key searches itself the same way')
  t.same(await listSchools(h, { q: 'ngọc lâm' }, h.keys.schoolS1), [])

  // A school whose name was sent in NFD is stored in NFC and found by either form.
  const created = await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ moetCode: 'S30', name: 'Trường Mầm non Hoa Sữa'.normalize('NFD'), levels: ['TH'] }))
  t.equal(h.json(created).name, 'Trường Mầm non Hoa Sữa'.normalize('NFC'))
  t.same(await listSchools(h, { q: 'hoa sữa' }), ['S30'])
  t.same(await listSchools(h, { q: 'HOA SỮA'.normalize('NFD') }), ['S30'])
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools?q='), 400, 'INVALID_LENGTH', '/q')
})

t.test('schools: patching', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.admin, 'PATCH', '/v1/schools/S2', { name: 'Trường Tiểu học Ngọc Lâm B', levels: ['TH', 'THCS', 'TH'], ownership: 'private' })
  t.equal(res.statusCode, 200)
  t.same(h.json(res), {
    moetCode: 'S2', name: 'Trường Tiểu học Ngọc Lâm B', levels: ['TH', 'THCS'], ownership: 'private',
    memberships: [{ unitCode: 'LB-W1', fromYear: '2020-2021', toYear: null }],
  })
  t.same(await listSchools(h, { q: 'lâm b' }), ['S2'], 'the new name is searchable')
  const one = await h.req(h.keys.reviewerLB, 'PATCH', '/v1/schools/S2', { ownership: 'public' })
  t.equal(one.statusCode, 200, 'a reviewer changes schools in its subtree')
  t.equal(h.json(one).name, 'Trường Tiểu học Ngọc Lâm B', 'fields not sent are kept')
  t.equal(h.json(one).ownership, 'public')

  expectError(t, await h.req(h.keys.reviewerQN, 'PATCH', '/v1/schools/S2', { ownership: 'private' }), 404, 'NOT_FOUND', '/code')
  expectError(t, await h.req(h.keys.schoolS2, 'PATCH', '/v1/schools/S2', { ownership: 'private' }), 403, 'FORBIDDEN')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/schools/S2', {}), 400, 'REQUIRED')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/schools/S2', { moetCode: 'S2B' }), 400, 'UNKNOWN_FIELD', '/moetCode')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/schools/S2', { unitCode: 'PX' }), 400, 'UNKNOWN_FIELD', '/unitCode')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/schools/S2', { levels: [] }), 400, 'INVALID_LENGTH', '/levels')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/schools/S2', { levels: ['MN'] }), 400, 'INVALID_VALUE', '/levels/0')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/schools/NOPE', { ownership: 'public' }), 404, 'NOT_FOUND', '/code')
})

t.test('schools: moving a school ends the old membership the year before', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2025-2026' })
  t.equal(res.statusCode, 200)
  t.same(h.json(res).memberships, [
    { unitCode: 'LB-W1', fromYear: '2020-2021', toYear: '2024-2025' },
    { unitCode: 'PX', fromYear: '2025-2026', toYear: null },
  ])
  t.same(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1')).memberships, h.json(res).memberships, 'stored')

  t.same(await listSchools(h, { unit: 'LB-W1', year: '2024-2025' }), ['S1', 'S2'], 'a past year still lists the school under its old unit')
  t.same(await listSchools(h, { unit: 'LB-W1', year: '2020-2021' }), ['S1', 'S2'])
  t.same(await listSchools(h, { unit: 'LB-W1', year: '2025-2026' }), ['S2'], 'the current year does not')
  t.same(await listSchools(h, { unit: 'LB', year: '2025-2026' }), ['S2'], 'nor does the old unit\'s parent')
  t.same(await listSchools(h, { unit: 'PX', year: '2025-2026' }), ['S1', 'S3'], 'the new unit has it from the move on')
  t.same(await listSchools(h, { unit: 'PX', year: '2024-2025' }), [], 'but not before')
  t.same(await listSchools(h, { unit: 'HN', year: '2024-2025' }), ['S1', 'S2'], 'the common ancestor has it throughout')
  t.same(await listSchools(h, { unit: 'HN', year: '2025-2026' }), ['S1', 'S2', 'S3'])
  t.same(await listSchools(h, { unit: 'LB-W1' }), ['S1', 'S2'], 'without a year, any membership counts')

  // The old district's reviewer still sees the school: it answers for the school's past years.
  t.equal((await h.req(h.keys.reviewerLB, 'GET', '/v1/schools/S1')).statusCode, 200)

  // A second move: the open membership ends the year before, earlier ones stay. The clock moves
  // into 2026-2027 first: a move may start in the next school year at the latest.
  h.clock.set('2026-09-01T03:00:00Z')
  const again = await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'QN', fromYear: '2027-2028' })
  t.equal(again.statusCode, 200)
  t.same(h.json(again).memberships, [
    { unitCode: 'LB-W1', fromYear: '2020-2021', toYear: '2024-2025' },
    { unitCode: 'PX', fromYear: '2025-2026', toYear: '2026-2027' },
    { unitCode: 'QN', fromYear: '2027-2028', toYear: null },
  ])
  t.same(await listSchools(h, { unit: 'PX', year: '2026-2027' }), ['S1', 'S3'])
  t.same(await listSchools(h, { unit: 'PX', year: '2027-2028' }), ['S3'])
  t.same(await listSchools(h, { unit: 'QN', year: '2027-2028' }), ['S1', 'S9'])

  // Moving from an earlier year replaces the memberships that started later.
  const back = await h.req(h.keys.admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2026-2027' })
  t.same(h.json(back).memberships, [
    { unitCode: 'LB-W1', fromYear: '2020-2021', toYear: '2024-2025' },
    { unitCode: 'PX', fromYear: '2025-2026', toYear: '2025-2026' },
    { unitCode: 'PX', fromYear: '2026-2027', toYear: null },
  ])
  t.same(await listSchools(h, { unit: 'QN', year: '2027-2028' }), ['S9'])
})

t.test('schools: a move is checked', async (t) => {
  const h = await harness(t)
  const move = (key: string, code: string, body: unknown) => h.req(key, 'POST', `/v1/schools/${code}/memberships`, body)
  expectError(t, await move(h.keys.admin, 'S3', { unitCode: 'LB-W1', fromYear: '2024-2025' }), 400, 'INVALID_YEAR_RANGE', '/fromYear')
  expectError(t, await move(h.keys.admin, 'S1', { unitCode: 'PX', fromYear: '2025-2027' }), 400, 'INVALID_SCHOOL_YEAR', '/fromYear')
  expectError(t, await move(h.keys.admin, 'S1', { unitCode: 'PX' }), 400, 'REQUIRED', '/fromYear')
  expectError(t, await move(h.keys.admin, 'S1', { unitCode: 'PX', fromYear: '2025-2026', toYear: '2026-2027' }), 400, 'UNKNOWN_FIELD', '/toYear')
  expectError(t, await move(h.keys.reviewerLB, 'S1', { unitCode: 'PX', fromYear: '2025-2026' }), 404, 'NOT_FOUND', '/unitCode')
  expectError(t, await move(h.keys.reviewerQN, 'S1', { unitCode: 'QN', fromYear: '2025-2026' }), 404, 'NOT_FOUND', '/code')
  expectError(t, await move(h.keys.schoolS1, 'S1', { unitCode: 'PX', fromYear: '2025-2026' }), 403, 'FORBIDDEN')
  t.same(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1')).memberships, [{ unitCode: 'LB-W1', fromYear: '2020-2021', toYear: null }], 'nothing moved')
  t.equal((await move(h.keys.reviewerHN, 'S1', { unitCode: 'PX', fromYear: '2025-2026' })).statusCode, 200, 'a reviewer above both units moves it')
})

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

t.test('periods: criteria set versions are pinned when the period opens', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod())
  t.equal(res.statusCode, 201)
  const p = h.json(res)
  t.same(p.criteriaSets, ['moet-4725@2022-12-30'], '"moet-4725" is pinned to its published version')
  t.match(p, {
    unitCode: 'QN', schoolYear: '2025-2026', title: 'Đánh giá CĐS năm học 2025-2026',
    submissionDeadline: '2026-05-31T16:59:59.000Z', reviewDeadline: '2026-06-20T16:59:59.000Z', extensions: [],
  })
  t.type(p.id, 'string')
  t.same(h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${p.id}`)), p, 'read back as created')

  const explicit = await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: ['moet-4725@2022-12-30'] }))
  t.equal(explicit.statusCode, 201)
  t.same(h.json(explicit).criteriaSets, ['moet-4725@2022-12-30'])

  const noReview = await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ reviewDeadline: null, submissionDeadline: '2026-05-31T23:59:59+07:00' }))
  t.equal(noReview.statusCode, 201)
  t.equal(h.json(noReview).reviewDeadline, null)
  t.equal(h.json(noReview).submissionDeadline, '2026-05-31T16:59:59.000Z', 'offsets are kept as the instant')

  const seeded = h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${h.periodId}`))
  t.same(seeded.criteriaSets, ['moet-4725@2022-12-30'])
})

t.test('periods: unknown criteria sets are 404 with the index of the set', async (t) => {
  const h = await harness(t)
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: ['no-such-set'] })), 404, 'UNKNOWN_CRITERIA_SET', '/criteriaSets/0')
  t.match(e.message, /no-such-set/)
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: ['moet-4725', 'no-such-set'] })), 404, 'UNKNOWN_CRITERIA_SET', '/criteriaSets/1')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: ['moet-4725@1999-01-01'] })), 404, 'UNKNOWN_CRITERIA_SET', '/criteriaSets/0')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: ['moet-4725', 'moet-4725@2022-12-30'] })), 400, 'DUPLICATE_CRITERIA_SET', '/criteriaSets/1')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: [] })), 400, 'INVALID_LENGTH', '/criteriaSets')
  t.same(h.json(await h.req(h.keys.admin, 'GET', '/v1/periods?year=2025-2026')).items, [], 'no period was created')
})

t.test('periods: deadlines, units and school years are checked', async (t) => {
  const h = await harness(t)
  const post = (over: Record<string, unknown>) => h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod(over))
  const e = expectError(t, await post({ submissionDeadline: '2026-06-30T00:00:00Z', reviewDeadline: '2026-06-01T00:00:00Z' }), 400, 'INVALID_DEADLINES', '/reviewDeadline')
  t.match(e.message, /before/)
  expectError(t, await post({ submissionDeadline: '31/05/2026' }), 400, 'INVALID_FORMAT', '/submissionDeadline')
  expectError(t, await post({ reviewDeadline: 'soon' }), 400, 'INVALID_FORMAT', '/reviewDeadline')
  expectError(t, await post({ unitCode: 'NOPE' }), 404, 'NOT_FOUND', '/unitCode')
  expectError(t, await post({ schoolYear: '2025-2027' }), 400, 'INVALID_SCHOOL_YEAR', '/schoolYear')
  expectError(t, await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', newPeriod({ unitCode: 'QN' })), 404, 'NOT_FOUND', '/unitCode')
  expectError(t, await h.req(h.keys.schoolS9, 'POST', '/v1/periods', newPeriod()), 403, 'FORBIDDEN')
  t.equal((await post({ submissionDeadline: '2026-06-01T00:00:00Z', reviewDeadline: '2026-06-01T00:00:00Z' })).statusCode, 201, 'review may end when submission ends')
  t.equal((await h.req(h.keys.reviewerQN, 'POST', '/v1/periods', newPeriod())).statusCode, 201, 'a reviewer opens a period for its own unit')
})

t.test('periods: listing by school year and visibility', async (t) => {
  const h = await harness(t)
  const qn = h.json(await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod()))
  const ids = async (key: string, query = '') => (h.json(await h.req(key, 'GET', `/v1/periods${query}`)).items as { id: string }[]).map((p) => p.id)
  t.same((await ids(h.keys.admin)).sort(), [h.periodId, qn.id].sort())
  t.same(await ids(h.keys.admin, '?year=2024-2025'), [h.periodId])
  t.same(await ids(h.keys.admin, '?year=2025-2026'), [qn.id])
  t.same(await ids(h.keys.admin, '?year=2023-2024'), [])
  t.same(await ids(h.keys.reviewerLB), [h.periodId], 'a reviewer sees the periods of the units above it')
  t.same(await ids(h.keys.reviewerQN), [qn.id])
  t.same(await ids(h.keys.schoolS1), [h.periodId], 'a school sees the periods that apply to it')
  t.same(await ids(h.keys.schoolS9), [qn.id])
  expectError(t, await h.req(h.keys.reviewerQN, 'GET', `/v1/periods/${h.periodId}`), 404, 'NOT_FOUND', '/id')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/periods/00000000-0000-0000-0000-000000000000'), 404, 'NOT_FOUND', '/id')
})

t.test('periods: patching deadlines keeps review after submission', async (t) => {
  const h = await harness(t)
  const url = `/v1/periods/${h.periodId}`
  const ok = await h.req(h.keys.admin, 'PATCH', url, { title: 'Đợt đánh giá (sửa)', submissionDeadline: '2025-06-05T16:59:59Z' })
  t.equal(ok.statusCode, 200)
  t.match(h.json(ok), { title: 'Đợt đánh giá (sửa)', submissionDeadline: '2025-06-05T16:59:59.000Z', reviewDeadline: '2025-06-20T16:59:59.000Z' })
  expectError(t, await h.req(h.keys.admin, 'PATCH', url, { reviewDeadline: '2025-06-01T00:00:00Z' }), 400, 'INVALID_DEADLINES', '/reviewDeadline')
  expectError(t, await h.req(h.keys.admin, 'PATCH', url, { submissionDeadline: '2025-07-01T00:00:00Z' }), 400, 'INVALID_DEADLINES', '/reviewDeadline')
  const cleared = await h.req(h.keys.admin, 'PATCH', url, { reviewDeadline: null })
  t.equal(h.json(cleared).reviewDeadline, null)
  t.equal((await h.req(h.keys.admin, 'PATCH', url, { submissionDeadline: '2025-07-01T00:00:00Z' })).statusCode, 200, 'without a review deadline any submission deadline goes')
  expectError(t, await h.req(h.keys.reviewerLB, 'PATCH', url, { title: 'Đổi' }), 403, 'FORBIDDEN')
  t.equal((await h.req(h.keys.reviewerHN, 'PATCH', url, { title: 'Đổi' })).statusCode, 200, 'the opening unit\'s reviewer changes it')
  expectError(t, await h.req(h.keys.admin, 'PATCH', url, { criteriaSets: ['moet-4725'] }), 400, 'UNKNOWN_FIELD', '/criteriaSets')
  expectError(t, await h.req(h.keys.admin, 'PATCH', url, { schoolYear: '2025-2026' }), 400, 'UNKNOWN_FIELD', '/schoolYear')
})

t.test('periods: an extension must end after the submission deadline', async (t) => {
  const h = await harness(t)
  const url = `/v1/periods/${h.periodId}/extensions`
  const e = expectError(t, await h.req(h.keys.admin, 'POST', url, { unitCode: 'LB', until: '2025-05-20T00:00:00Z', reason: 'Bão' }), 400, 'INVALID_EXTENSION', '/until')
  t.match(e.message, /after/)
  expectError(t, await h.req(h.keys.admin, 'POST', url, { unitCode: 'LB', until: '2025-05-31T16:59:59Z', reason: 'Bão' }), 400, 'INVALID_EXTENSION', '/until')
  expectError(t, await h.req(h.keys.admin, 'POST', url, { until: '2025-06-10T00:00:00Z', reason: 'Bão' }), 400, 'EXTENSION_TARGET')
  expectError(t, await h.req(h.keys.admin, 'POST', url, { unitCode: 'LB', schoolCode: 'S1', until: '2025-06-10T00:00:00Z', reason: 'Bão' }), 400, 'EXTENSION_TARGET')
  expectError(t, await h.req(h.keys.admin, 'POST', url, { unitCode: 'QN', until: '2025-06-10T00:00:00Z', reason: 'Bão' }), 409, 'OUTSIDE_PERIOD', null)
  expectError(t, await h.req(h.keys.admin, 'POST', url, { unitCode: 'NOPE', until: '2025-06-10T00:00:00Z', reason: 'Bão' }), 404, 'NOT_FOUND', '/unitCode')
  expectError(t, await h.req(h.keys.admin, 'POST', url, { schoolCode: 'NOPE', until: '2025-06-10T00:00:00Z', reason: 'Bão' }), 404, 'NOT_FOUND', '/schoolCode')
  expectError(t, await h.req(h.keys.admin, 'POST', url, { unitCode: 'LB', until: '2025-06-10T00:00:00Z', reason: '' }), 400, 'INVALID_LENGTH', '/reason')
  t.same(h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${h.periodId}`)).extensions, [], 'no extension was added')

  const unit = await h.req(h.keys.reviewerLB, 'POST', url, { unitCode: 'LB-W1', until: '2025-06-10T00:00:00Z', reason: 'Mất điện diện rộng' })
  t.equal(unit.statusCode, 201)
  const school = await h.req(h.keys.admin, 'POST', url, { schoolCode: 'S2', until: '2025-06-15T00:00:00Z', reason: 'Ngập lụt' })
  t.equal(school.statusCode, 201)
  t.same(h.json(school).extensions, [
    { unitCode: 'LB-W1', schoolCode: null, until: '2025-06-10T00:00:00.000Z', reason: 'Mất điện diện rộng' },
    { unitCode: null, schoolCode: 'S2', until: '2025-06-15T00:00:00.000Z', reason: 'Ngập lụt' },
  ])
  t.equal(h.json(school).submissionDeadline, '2025-05-31T16:59:59.000Z', 'the period\'s own deadline is unchanged')
})

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

t.test('validation: request bodies are not coerced', async (t) => {
  const h = await harness(t)
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ levels: 'TH' })), 400, 'INVALID_TYPE', '/levels')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'Z1', name: 'Phường Z', type: 'ward', parentCode: 'HN', fromYear: 2025 }), 400, 'INVALID_TYPE', '/fromYear')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 42, name: 'Phường Z', type: 'ward', fromYear: '2025-2026' }), 400, 'INVALID_TYPE', '/code')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ name: ['Trường'] })), 400, 'INVALID_TYPE', '/name')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: 'moet-4725' })), 400, 'INVALID_TYPE', '/criteriaSets')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ criteriaSets: [4725] })), 400, 'INVALID_TYPE', '/criteriaSets/0')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ submissionDeadline: 1780000000000 })), 400, 'INVALID_TYPE', '/submissionDeadline')
  expectError(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/PX', { toYear: 2026 }), 400, 'INVALID_TYPE', '/toYear')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', ['HN']), 400, 'INVALID_TYPE', '')
  t.same(await listUnits(h, { parent: 'HN' }), ['LB', 'PX'], 'nothing was created')
  t.same(await listSchools(h), ['S1', 'S2', 'S3', 'S9'])
})

t.test('validation: unknown body keys are refused, not dropped', async (t) => {
  const h = await harness(t)
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'Z1', name: 'Phường Z', type: 'ward', parentCode: 'HN', fromYear: '2025-2026', population: 12000 }), 400, 'UNKNOWN_FIELD', '/population')
  t.match(e.message, /population/)
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ principal: 'Nguyễn Văn A' })), 400, 'UNKNOWN_FIELD', '/principal')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/periods', newPeriod({ deadline: '2026-05-31T16:59:59Z' })), 400, 'UNKNOWN_FIELD', '/deadline')
  expectError(t, await h.req(h.keys.admin, 'POST', `/v1/periods/${h.periodId}/extensions`, { unitCode: 'LB', until: '2025-06-10T00:00:00Z', reason: 'x', by: 'me' }), 400, 'UNKNOWN_FIELD', '/by')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/units/Z1')).statusCode, 404, 'nothing was created')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/S20')).statusCode, 404)
})

t.test('validation: missing fields, bad values and query parameters', async (t) => {
  const h = await harness(t)
  const e = expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'Z1', type: 'ward', fromYear: '2025-2026' }), 400, 'REQUIRED', '/name')
  t.match(e.message, /name/)
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'Z1', name: 'Phường Z', type: 'hamlet', fromYear: '2025-2026' }), 400, 'INVALID_VALUE', '/type')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'Z 1', name: 'Phường Z', type: 'ward', fromYear: '2025-2026' }), 400, 'INVALID_FORMAT', '/code')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ ownership: 'công lập' })), 400, 'INVALID_VALUE', '/ownership')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ levels: ['TH', 'MN'] })), 400, 'INVALID_VALUE', '/levels/1')
  expectError(t, await h.req(h.keys.admin, 'POST', '/v1/schools', newSchool({ name: 'A' })), 400, 'INVALID_LENGTH', '/name')

  const lim = expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?limit=abc'), 400, 'INVALID_TYPE', '/limit')
  t.same(lim.details, { in: 'querystring' }, 'query errors say where')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?limit=0'), 400, 'OUT_OF_RANGE', '/limit')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?limit=501'), 400, 'OUT_OF_RANGE', '/limit')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units?colour=red'), 400, 'UNKNOWN_FIELD', '/colour')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools?year=2025'), 400, 'INVALID_FORMAT', '/year')
})
