// Exports of a unit's report (JSON, CSV, XLSX) and the printable phiếu, in-process.
import ExcelJS from 'exceljs'
import t, { type Test } from 'tap'
import { act, exampleFacts, harness, startAssessment } from './app.js'

async function fixture(t: Test) {
  const h = await harness(t)
  // S1: strong-thcs with the plan as a link; submitted, external without the family app, approved.
  const a = await startAssessment(h)
  const facts = { ...exampleFacts('strong-thcs'), online_teaching_plan_document: { title: 'Kế hoạch dạy học trực tuyến', url: 'https://thcs-ngocthuy.edu.vn/ke-hoach.pdf' } }
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts }, { 'if-match': '"1"' })).statusCode, 200)
  t.equal((await act(h, h.keys.schoolS1, a.id, 2, 'submit')).statusCode, 200)
  t.equal((await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${a.id}/external`, { facts: { family_school_app: false } }, { 'if-match': '"3"' })).statusCode, 200)
  t.equal((await act(h, h.keys.reviewerLB, a.id, 4, 'approve')).statusCode, 200)
  // S2: a draft with two facts only.
  const b = await startAssessment(h, h.keys.schoolS2, 'S2')
  await h.req(h.keys.schoolS2, 'PATCH', `/v1/assessments/${b.id}/evidence`, { facts: { online_teaching_plan_issued: true } }, { 'if-match': '"1"' })
  return { h, a }
}

t.test('the report: one row per school with self, external and missing facts', async (t) => {
  const { h } = await fixture(t)
  const res = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}`)
  t.equal(res.statusCode, 200)
  const r = h.json(res)
  t.match(r.unit, { code: 'LB' })
  t.same(r.groups.map((g: any) => g.code), ['I', 'II'])
  t.same(r.rows.map((x: any) => [x.moetCode, x.state]), [['S1', 'approved'], ['S2', 'draft']], 'S3 is in PX from 2025, S9 in QN: not LB schools in 2024-2025')
  const s1 = r.rows[0]
  // strong-thcs: I 89.03 (Mức 3), II 80 (Mức 3); external II without 2.4.1 (8 points): 72 → Mức 2.
  t.match(s1.self, { I: { total: 89.03, level: 3 }, II: { total: 80, level: 3 } })
  t.match(s1.external, { II: { total: 72, level: 2 } })
  t.match(s1.criteria['2.4.1'], { self: 8, external: 0 })
  t.same(s1.missingFacts, [])
  t.ok(r.rows[1].missingFacts.length > 30, 'the draft lists what is still missing')
  t.equal(r.rows[1].external, null)
  t.ok(r.criteria.every((c: any) => typeof c.code === 'string' && typeof c.depth === 'number'))
})

t.test('CSV and XLSX downloads', async (t) => {
  const { h } = await fixture(t)
  const csv = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=csv`)
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.match(csv.headers['content-disposition'], /attachment; filename="bao-cao-cds-LB-2024-2025\.csv"; filename\*=UTF-8''/)
  t.same([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM')
  const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n')
  t.match(lines[0], /^Mã trường,Tên trường,Đơn vị,Cấp học,Loại hình,Trạng thái,Nhóm I – Điểm tự đánh giá/)
  t.match(lines[1], /^S1,Trường THCS Ngọc Thụy,Phường Ngọc Thụy,THCS,Công lập,Đã duyệt,89\.03,3,/)

  const group = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=csv&group=II`)
  t.equal(group.statusCode, 200)
  t.match(group.body, /2\.4\.1 \(tối đa 8\)/)
  t.match(group.headers['content-disposition'], /nhom-II\.csv/)
  const unknown = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=csv&group=III`)
  t.match(h.json(unknown).error, { code: 'UNKNOWN_GROUP', path: '/group' })
  const json = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&group=I`)
  t.match(h.json(json).error, { code: 'GROUP_NEEDS_CSV', path: '/group' })

  const xlsx = await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=xlsx`)
  t.equal(xlsx.statusCode, 200)
  t.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(xlsx.rawPayload as never)
  t.same(wb.worksheets.map((w) => w.name), ['Tổng hợp', 'Nhóm I', 'Nhóm II', 'Thông tin'])
  const sheet = wb.getWorksheet('Tổng hợp')!
  t.equal(sheet.getCell('A2').value, 'S1')
  t.equal(sheet.getCell('G2').value, 89.03, 'totals are numbers, not text')

  t.equal((await h.req(h.keys.schoolS1, 'GET', `/v1/units/LB/report?period=${h.periodId}&format=csv`)).statusCode, 403, 'not for school keys')
  t.equal((await h.req(h.keys.reviewerQN, 'GET', `/v1/units/LB/report?period=${h.periodId}`)).statusCode, 404)
})

t.test('the printable phiếu', async (t) => {
  const { h, a } = await fixture(t)
  const res = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${a.id}/sheet`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
  const html = res.body
  t.match(html, /PHIẾU TỰ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ/)
  t.match(html, /Trường THCS Ngọc Thụy/)
  t.match(html, /Quyết định số 4725\/QĐ-BGDĐT/, 'the document line uses the set file\'s kind')
  t.match(html, /href="https:\/\/thcs-ngocthuy\.edu\.vn\/ke-hoach\.pdf"/, 'the evidence link of 1.1')
  t.match(html, /89,03/, 'Vietnamese decimal comma')
  t.match(html, /HIỆU TRƯỞNG/)
  t.match(html, /size: A4/)
  t.equal((await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${a.id}/sheet`)).statusCode, 404, 'another school does not see it')
})
