// The CSV exports: exact text (BOM, CRLF, RFC 4180 quoting, dot decimals, formula neutralizing).
import t from 'tap'
import { criteriaCsv, neutralizeFormula, reportCsv } from '../../src/reports/csv.js'
import { sampleReport } from './fixtures/report.js'

const HEADER = [
  'Mã trường', 'Tên trường', 'Đơn vị', 'Cấp học', 'Loại hình', 'Trạng thái',
  'Nhóm I – Điểm tự đánh giá', 'Nhóm I – Mức tự đánh giá', 'Nhóm I – Điểm đánh giá ngoài', 'Nhóm I – Mức đánh giá ngoài',
  'Nhóm I – Điểm năm trước', 'Nhóm I – Mức năm trước',
  'Nhóm II – Điểm tự đánh giá', 'Nhóm II – Mức tự đánh giá', 'Nhóm II – Điểm đánh giá ngoài', 'Nhóm II – Mức đánh giá ngoài',
  'Nhóm II – Điểm năm trước', 'Nhóm II – Mức năm trước',
  'Còn thiếu',
].join(',')

t.test('reportCsv: BOM, CRLF, header and rows exactly', async (t) => {
  const csv = reportCsv(sampleReport())
  t.ok(csv.startsWith('\uFEFF'), 'starts with a BOM')
  t.ok(csv.endsWith('\r\n'), 'the last record ends with CRLF')
  t.notMatch(csv.replace(/\r\n/g, ''), /[\r\n]/, 'no bare CR or LF')
  const lines = csv.slice(1).split('\r\n')
  t.equal(lines.length, 5, 'header + 3 rows + the empty string after the final CRLF')
  t.equal(lines[0], HEADER)
  t.equal(lines[1], `79000701,"'=Trường ""Sao Mai"", cơ sở 2",Phường Bến Nghé,THCS,Công lập,Đã duyệt,89.03,3,85.5,3,70,2,80,3,72,2,,,`)
  t.equal(lines[2], '79000702,Trường TH và THCS Hòa Bình,Phường Bến Nghé,"TH, THCS",Ngoài công lập,Đang soạn,65,2,,,,,0,1,,,,,"subjects_total; teachers_total"')
  t.equal(lines[3], `79000703,Trường TH Chưa Làm,'@Phường Đa Kao,TH,Công lập,Chưa đánh giá,,,,,,,,,,,,,`)
  t.equal(lines[4], '')
})

t.test('reportCsv: every state has its Vietnamese name; numbers round to 2 decimals and are never neutralized', async (t) => {
  const r = sampleReport()
  const base = r.rows[0]!
  const states = ['draft', 'submitted', 'returned', 'approved', 'published'] as const
  r.rows = states.map((state, i) => ({ ...base, moetCode: `S${i}`, name: 'A', state }))
  r.rows.push({ ...base, moetCode: 'N', name: 'B', state: null, self: { I: { total: -1.234, level: null, complete: true } }, external: null, previous: null })
  const lines = reportCsv(r).slice(1).split('\r\n')
  t.same(lines.slice(1, 6).map((l) => l.split(',')[5]), ['Đang soạn', 'Đã nộp', 'Trả lại', 'Đã duyệt', 'Đã công bố'])
  t.equal(lines[6]!.split(',')[5], 'Chưa đánh giá')
  t.equal(lines[6]!.split(',')[6], '-1.23', 'a negative number keeps its minus sign, no apostrophe')
  t.equal(lines[6]!.split(',')[7], '', 'a null level is an empty cell')
})

t.test('neutralizeFormula', async (t) => {
  for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) t.equal(neutralizeFormula(s), `'${s}`, JSON.stringify(s))
  // Leading spaces and invisible format characters hide the sign from a check of the first
  // character only, but spreadsheets skip them (the review's ' =HYPERLINK…' and '\u200b=…'); the
  // full-width signs are taken as the ASCII ones. (' =1' was left as it was before.)
  for (const s of [' =1', '   =HYPERLINK("http://x","y")', '\u200b=1+1', '\u00a0+1', '\u3000-1', '\ufeff@x', '\u2060\u200e=1', '\n=1', ' \t=1',
    '＝HYPERLINK("http://x")', '＋1', '－1', '＠SUM(A1)', ' ＝1', '\u200b＠x']) t.equal(neutralizeFormula(s), `'${s}`, JSON.stringify(s))
  for (const s of ['', 'Trường', "'x", ' Trường', 'a=1', '\u200bTrường', 'x－1', '１']) t.equal(neutralizeFormula(s), s, JSON.stringify(s))
})

t.test('criteriaCsv: one row per school, self then external points per criterion', async (t) => {
  const csv = criteriaCsv(sampleReport(), 'I')
  t.ok(csv.startsWith('\uFEFF'))
  const lines = csv.slice(1).split('\r\n')
  t.equal(lines[0], 'Mã trường,Tên trường,Đơn vị,1.3 (tối đa 30),1.3.1 (tối đa 6),1.4 (tối đa 10),1.3 – ngoài,1.3.1 – ngoài,1.4 – ngoài')
  t.equal(lines[1], `79000701,"'=Trường ""Sao Mai"", cơ sở 2",Phường Bến Nghé,30,6,8.57,24,0,7.5`)
  t.equal(lines[2], '79000702,Trường TH và THCS Hòa Bình,Phường Bến Nghé,30,6,,,,')
  t.equal(lines[3], `79000703,Trường TH Chưa Làm,'@Phường Đa Kao,,,,,,`)
  t.equal(lines.length, 5)

  const ii = criteriaCsv(sampleReport(), 'II').slice(1).split('\r\n')
  t.equal(ii[0], 'Mã trường,Tên trường,Đơn vị,2.3.1 (tối đa 6),2.3.1 – ngoài')
})

t.test('criteriaCsv: a criterion without a maximum is headed by its code; an unknown group throws', async (t) => {
  const r = sampleReport()
  r.criteria.push({ code: '2.9', title: 'x', groupCode: 'II', maxPoints: null, depth: 0 })
  t.equal(criteriaCsv(r, 'II').slice(1).split('\r\n')[0], 'Mã trường,Tên trường,Đơn vị,2.3.1 (tối đa 6),2.9,2.3.1 – ngoài,2.9 – ngoài')
  t.throws(() => criteriaCsv(r, 'III'), /no group "III"/)
})
