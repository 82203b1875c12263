// Names, titles and reasons are refused when they hold a bidi control (U+202A–U+202E, U+2066–U+2069,
// U+200E/F, U+061C) or a control character (C0, DEL, C1; names are one line, a reason may break
// lines): "Trường TH \u202Eiam oaS" showed reversed on screen and in every export. One definition
// (src/csv/plain-text.ts) serves the JSON schemas (src/http/schemas/common.ts), the upload's title
// and the school CSV import (test/http/csv-import.test.ts).
import t, { type Test } from 'tap'
import { multipart, PDF } from './route-table.js'
import { act, exampleFacts, harness, startAssessment, type Harness } from './app.js'

const BAD = ['\u202E', '\u202A', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C', '\u0000', '\u0007', '\t', '\n', '\r', '\u007F', '\u0085', '\u009B', '\u2028']

function refused(t: Test, res: { statusCode: number; body: string }, path: string, what: string): void {
  t.equal(res.statusCode, 400, `${what}: 400`)
  const e = JSON.parse(res.body).error
  t.ok(['INVALID_FORMAT', 'CONTROL_CHARACTERS'].includes(e?.code), `${what}: ${e?.code}`)
  t.equal(e?.path, path, `${what}: path ${path}`)
}

async function documentsOf(h: Harness, id: string): Promise<unknown[]> {
  return JSON.parse((await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/documents`)).body).items
}

t.test('period titles', async (t) => {
  const h = await harness(t)
  const body = (title: string) => ({ unitCode: 'HN', schoolYear: '2025-2026', title, criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z' })
  for (const c of BAD) refused(t, await h.req(h.keys.admin, 'POST', '/v1/periods', body(`Đợt ${c}2025`)), '/title', `create with U+${c.charCodeAt(0).toString(16)}`)
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
