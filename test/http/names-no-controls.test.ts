// Names, titles and reasons are refused when they hold a bidi control (U+202A–U+202E, U+2066–U+2069,
// U+200E/F, U+061C) or a control character (C0, DEL, C1; names are one line, a reason may break
// lines): "Trường TH \u202Eiam oaS" showed reversed on screen and in every export. One definition
// (src/csv/plain-text.ts) serves the JSON schemas (src/http/schemas/common.ts), the upload's title
// and the school CSV import (test/http/csv-import.test.ts). A schema refusal is reported as
// CONTROL_CHARACTERS with the character's code point (src/http/plugins/errors.ts), not as ajv's
// "must match pattern …".
import t, { type Test } from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { dbHash } from '../support/db-state.js'
import { multipart, PDF } from './route-table.js'
import { act, exampleFacts, harness, startAssessment, type Harness } from './app.js'

const BAD = ['\u202E', '\u202A', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C', '\u0000', '\u0007', '\t', '\n', '\r', '\u007F', '\u0085', '\u009B', '\u2028']

const codePoint = (c: string): string => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`

/** 400 CONTROL_CHARACTERS at `path`; with `c`, the message names that character. */
function refused(t: Test, res: { statusCode: number; body: string }, path: string, what: string, c?: string): void {
  t.equal(res.statusCode, 400, `${what}: 400`)
  const e = JSON.parse(res.body).error
  t.equal(e?.code, 'CONTROL_CHARACTERS', `${what}: code`)
  t.equal(e?.path, path, `${what}: path ${path}`)
  if (c !== undefined) t.ok(String(e?.message).includes(`chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản (${codePoint(c)})`), `${what}: the message names ${codePoint(c)}: ${e?.message}`)
}

async function documentsOf(h: Harness, id: string): Promise<unknown[]> {
  return JSON.parse((await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/documents`)).body).items
}

t.test('period titles', async (t) => {
  const h = await harness(t)
  const body = (title: string) => ({ unitCode: 'HN', schoolYear: '2025-2026', title, criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z' })
  for (const c of BAD) refused(t, await h.req(h.keys.admin, 'POST', '/v1/periods', body(`Đợt ${c}2025`)), '/title', `create with ${codePoint(c)}`, c)
  refused(t, await h.req(h.keys.admin, 'PATCH', `/v1/periods/${h.periodId}`, { title: 'Đợt \u202Emới' }), '/title', 'rename')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/periods', body('Đợt đánh giá 2025-2026 (lần 1) — “chính thức”'))).statusCode, 201, 'Vietnamese, punctuation and quotes are fine')
})

t.test('document titles, of links and of uploads', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  for (const c of BAD) {
    refused(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: `Kế hoạch${c}fdp.hta`, url: 'https://example.edu.vn/kh.pdf' }), '/title', `link U+${c.charCodeAt(0).toString(16)}`)
  }
  const up = multipart('Biên bản \u202Efdp.exe', 'bien-ban.pdf', 'application/pdf', PDF)
  const res = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/file`, up.body, up.headers)
  refused(t, res, '/title', 'upload title')
  t.equal(JSON.parse(res.body).error.code, 'CONTROL_CHARACTERS')
  t.match(JSON.parse(res.body).error.message, /Tiêu đề minh chứng chứa ký tự điều khiển.*U\+202E/)
  t.same(await documentsOf(h, id), [], 'nothing added')
  t.equal((await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Kế hoạch chuyển đổi số', url: 'https://example.edu.vn/kh.pdf' })).statusCode, 201)
})

t.test('reasons: bidi and control characters refused, line breaks and tabs kept', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })).statusCode, 200)
  t.equal((await act(h, h.keys.schoolS1, id, version + 1, 'submit')).statusCode, 200)
  for (const c of ['\u202E', '\u2066', '\u200F', '\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\u2028']) {
    refused(t, await act(h, h.keys.reviewerLB, id, version + 2, 'return', { reason: `Bổ sung ${c}minh chứng` }), '/reason', `reason U+${c.charCodeAt(0).toString(16)}`)
  }
  const a = JSON.parse((await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`)).body)
  t.same([a.state, a.version], ['submitted', version + 2], 'nothing changed')
  const multiline = 'Cần bổ sung:\r\n\t- Kế hoạch CĐS\n\t- Biên bản họp'
  const ok = await act(h, h.keys.reviewerLB, id, version + 2, 'return', { reason: multiline })
  t.equal(ok.statusCode, 200, 'a reason over several lines is fine')
  t.equal(JSON.parse(ok.body).returnReason, multiline)
})

// The registry's names and the deadline extension's reason (issue 11, Low): a bidi override and a C0
// control each refused with the field's path; nothing stored (every table hashed before and after).
const NAME_BAD = ['\u202E', '\u0007', '\n']

async function hashed(t: Test): Promise<{ h: Harness; unchanged: (what: string) => void }> {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const before = dbHash(store.connection)
  return { h, unchanged: (what) => t.same(dbHash(store.connection), before, `${what}: nothing stored`) }
}

t.test('school names, on create and on rename', async (t) => {
  const { h, unchanged } = await hashed(t)
  const school = (name: string) => ({ moetCode: 'S70', name, levels: ['TH'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2024-2025' })
  for (const c of NAME_BAD) {
    refused(t, await h.req(h.keys.admin, 'POST', '/v1/schools', school(`Trường TH ${c}iam oaS`)), '/name', `create ${codePoint(c)}`, c)
    refused(t, await h.req(h.keys.reviewerLB, 'PATCH', '/v1/schools/S1', { name: `Trường TH ${c}iam oaS` }), '/name', `rename ${codePoint(c)}`, c)
  }
  const e = h.json(await h.req(h.keys.admin, 'POST', '/v1/schools', school('Trường \u202Efdp.exe'))).error
  t.equal(e.message, 'Tên chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản (U+202E); hãy gõ lại tên trên một dòng, không dán ký tự ẩn', 'a message a person can act on')
  unchanged('schools')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/S70')).statusCode, 404, 'S70 was not created')
  const name = 'Trường Tiểu học Nguyễn Thị Định – Phường Ngọc Thụy (cơ sở 2)'
  const created = await h.req(h.keys.admin, 'POST', '/v1/schools', school(name))
  t.equal(created.statusCode, 201, 'a Vietnamese name with diacritics, dash and brackets is fine')
  t.equal(h.json(created).name, name)
  const renamed = await h.req(h.keys.reviewerLB, 'PATCH', '/v1/schools/S1', { name: 'Trường THCS Ái Mộ' })
  t.equal(renamed.statusCode, 200)
  t.equal(h.json(renamed).name, 'Trường THCS Ái Mộ')
})

t.test('unit names, on create and on rename', async (t) => {
  const { h, unchanged } = await hashed(t)
  const unit = (name: string) => ({ code: 'LB-W9', name, type: 'ward', parentCode: 'LB', fromYear: '2024-2025' })
  for (const c of NAME_BAD) {
    refused(t, await h.req(h.keys.admin, 'POST', '/v1/units', unit(`Phường ${c}ỵhT cọgN`)), '/name', `create ${codePoint(c)}`, c)
    refused(t, await h.req(h.keys.admin, 'PATCH', '/v1/units/LB-W1', { name: `Phường ${c}ỵhT cọgN` }), '/name', `rename ${codePoint(c)}`, c)
  }
  unchanged('units')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/units/LB-W9')).statusCode, 404, 'LB-W9 was not created')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/units', unit('Phường Ngọc Thụy'))).statusCode, 201, 'a Vietnamese name is fine')
  const renamed = await h.req(h.keys.admin, 'PATCH', '/v1/units/LB-W1', { name: 'Phường Bồ Đề' })
  t.equal(renamed.statusCode, 200)
  t.equal(h.json(renamed).name, 'Phường Bồ Đề')
})

t.test('deadline extensions: the reason refuses bidi and control characters, keeps line breaks', async (t) => {
  const { h, unchanged } = await hashed(t)
  const url = `/v1/periods/${h.periodId}/extensions`
  const extend = (reason: string) => h.req(h.keys.reviewerLB, 'POST', url, { unitCode: 'LB-W1', until: '2025-06-10T00:00:00Z', reason })
  for (const c of ['\u202E', '\u0007', '\u2028']) refused(t, await extend(`Mất điện ${c}diện rộng`), '/reason', `reason ${codePoint(c)}`, c)
  const e = h.json(await extend('Ngập \u202Elụt')).error
  t.match(e.message, /^Lý do chứa ký tự điều khiển .*\(U\+202E\)/, 'the field is named')
  unchanged('extensions')
  t.same(h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${h.periodId}`)).extensions, [], 'no extension was added')
  const reason = 'Mất điện diện rộng:\r\n\t- trạm biến áp Ngọc Thụy\n\t- đường truyền'
  const ok = await extend(reason)
  t.equal(ok.statusCode, 201, 'a reason over several lines is fine')
  t.same(h.json(ok).extensions.map((x: { reason: string }) => x.reason), [reason])
})
