// The printable phiếu tự đánh giá, from real scoring results of the QĐ 4725 examples.
import t from 'tap'
import { score } from '../../src/scoring/index.js'
import { assessmentSheetHtml, documentLine, escapeHtml, safeHttpUrl, vnNumber } from '../../src/reports/html-sheet.js'
import { load4725 } from '../helpers.js'
import { example, sampleSheet } from './fixtures/sheet.js'

/** The <tr> of one criterion code in the phiếu. */
function rowOf(html: string, code: string): string {
  const m = new RegExp(`<tr[^>]*><td class="code">${code.replace(/\./g, '\\.')}</td>.*?</tr>`).exec(html)
  if (!m) throw new Error(`no row for ${code}`)
  return m[0]
}

t.test('a complete HTML5 document for A4 printing', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  t.ok(html.startsWith('<!DOCTYPE html>\n<html lang="vi">'))
  t.match(html, '<meta charset="utf-8">')
  t.match(html, '@page { size: A4; margin: 15mm; }')
  t.match(html, 'thead { display: table-header-group; }')
  t.match(html, /tr, td, th \{ break-inside: avoid; page-break-inside: avoid; \}/)
  t.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/)
  t.ok(html.trimEnd().endsWith('</html>'))
})

t.test('header, title, document line, school info', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  t.match(html, '<p class="motto-1">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p class="motto-2">Độc lập - Tự do - Hạnh phúc</p>')
  t.match(html, '<p class="unit">Phòng GD&amp;ĐT Quận 1</p>')
  t.match(html, '<h1>PHIẾU TỰ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ</h1>')
  t.match(html, '<p class="doc">Theo Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ Giáo dục và Đào tạo</p>')
  t.match(html, '<tr><th scope="row">Mã trường</th><td>79000701</td></tr>')
  t.match(html, '<tr><th scope="row">Cấp học</th><td>THCS</td></tr>')
  t.match(html, '<tr><th scope="row">Loại hình</th><td>Công lập</td></tr>')
  t.match(html, '<tr><th scope="row">Năm học</th><td>2025-2026</td></tr>')
  t.match(html, '<tr><th scope="row">Kỳ đánh giá</th><td>Đánh giá chuyển đổi số 2025-2026 (Phòng GD&amp;ĐT Quận 1)</td></tr>')
  t.match(html, '<tr><th scope="row">Trạng thái</th><td>Đã duyệt</td></tr>')
  t.match(html, '<tr><th scope="row">Ngày duyệt</th><td>21/10/2026</td></tr>', 'dates in Vietnam time (17:30 UTC is the next day)')
  t.notMatch(html, 'Ngày công bố')
})

t.test('a hostile school name is escaped everywhere', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  t.notMatch(html, '<script')
  t.notMatch(html, 'alert("x")')
  t.match(html, '<title>Phiếu tự đánh giá mức độ chuyển đổi số — &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; THCS Ví Dụ A</title>')
  t.match(html, '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; THCS Ví Dụ A</td>')
})

t.test('evidence: http(s) links only; anything else is plain text', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  t.match(rowOf(html, '1.1'), '<li><a href="https://thcs-vi-du-a.edu.vn/vb/ke-hoach.pdf?a=1&amp;b=2" rel="noopener noreferrer">Kế hoạch dạy học 2025-2026</a></li>')
  t.match(rowOf(html, '1.1'), '<li>Bấm vào đây</li>', 'the javascript: link is text')
  t.notMatch(html, /javascript:/i)
  t.match(rowOf(html, '1.2'), '<li>Quy chế dạy học trực tuyến (bản giấy, lưu tại văn thư)</li>', 'a title without a url')
  t.match(rowOf(html, '1.3.1'), '<li>Tài liệu &lt;b&gt;đậm&lt;/b&gt;</li>', 'a relative url is not a link; the title is escaped')
  t.equal((html.match(/<a href=/g) ?? []).length, 1)
})

t.test('criteria rows: mandatory Đạt, comma decimals, nesting, external by code', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  t.match(rowOf(html, '1.1'), '<td class="num"><span class="sub">Bắt buộc</span></td><td class="num">Đạt</td><td class="num">Đạt</td>')
  t.match(rowOf(html, '1.5.1'), '<td class="num">15</td><td class="num">7,5</td><td class="num">7,5</td>')
  t.match(rowOf(html, '1.4'), '<td class="num">8,57</td>')
  t.match(rowOf(html, '1.3.1'), /^<tr class="child"><td class="code">1\.3\.1<\/td><td class="d1">/, 'a child is indented')
  t.match(rowOf(html, '1.7.3'), '<td class="num">5</td><td class="num">5</td><td class="num">0</td>', 'external points by code')
  t.notMatch(html, /<td class="num">(<strong>)?\d+\.\d/, 'no dot decimals in number cells')
})

t.test('group totals with level names, self and external; the overall level', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  t.match(html, '<tr class="total"><td colspan="2">Tổng điểm Nhóm I</td><td class="num">100</td>' +
    '<td class="num"><strong>89,03</strong><div class="sub">Mức 3 (Mức đáp ứng tốt)</div></td>' +
    '<td class="num"><strong>84,03</strong><div class="sub">Mức 3 (Mức đáp ứng tốt)</div></td><td></td></tr>')
  t.match(html, '<tr class="total"><td colspan="2">Tổng điểm Nhóm II</td><td class="num">100</td>' +
    '<td class="num"><strong>80</strong><div class="sub">Mức 3 (Mức đáp ứng tốt)</div></td>')
  t.match(html, '<h2>Nhóm I. Chuyển đổi số trong dạy, học (tối đa 100 điểm)</h2>')
  t.match(html, /<td>Mức chung \(suy ra: mức thấp hơn của hai nhóm\)[^<]*<\/td><td class="num"><strong>Mức 3 \(Mức đáp ứng tốt\)<\/strong><\/td>/)
  t.match(html, 'Ghi chú: Các tiêu chí đã biết của Nhóm II cộng lại được 90/100 điểm', 'the declared gap of group II')
})

t.test('the signature block', async (t) => {
  const html = assessmentSheetHtml(sampleSheet())
  const m = /<section class="signatures">[\s\S]*?<\/section>/.exec(html)
  t.ok(m)
  const block = m![0]
  t.match(block, '<p class="role">NGƯỜI LẬP PHIẾU</p><p class="hint">(Ký, ghi rõ họ tên)</p>')
  t.match(block, '<p class="place">…, ngày … tháng … năm …</p><p class="role">HIỆU TRƯỞNG</p><p class="hint">(Ký tên, đóng dấu)</p>')
  t.ok(html.indexOf('Tổng điểm Nhóm II') < html.indexOf('<section class="signatures">'), 'at the end')
})

t.test('an incomplete draft without external assessment: "—", tạm tính, failed mandatory', async (t) => {
  const set = load4725()
  const s = sampleSheet()
  s.school.name = 'Trường TH và THCS Hòa Bình'
  s.school.levels = ['TH', 'THCS']
  s.school.ownership = 'private'
  s.state = 'draft'
  s.self = score(set, example('draft-partial'))
  s.external = null
  s.externalBy = null
  s.submittedAt = s.approvedAt = null
  s.publishedAt = new Date('2026-11-01T00:00:00Z')
  const html = assessmentSheetHtml(s)
  t.match(html, '<tr><th scope="row">Cấp học</th><td>TH, THCS</td></tr>')
  t.match(html, '<tr><th scope="row">Loại hình</th><td>Ngoài công lập</td></tr>')
  t.match(html, '<tr><th scope="row">Trạng thái</th><td>Đang soạn</td></tr>')
  t.match(html, '<tr><th scope="row">Ngày công bố</th><td>01/11/2026</td></tr>')
  t.notMatch(html, '<th scope="row">Đánh giá ngoài</th>')
  t.match(rowOf(html, '1.4'), '<td class="num">10</td><td class="num">—</td><td class="num"></td>', 'incomplete: a dash; no external: empty')
  t.match(html, /Tổng điểm Nhóm I<\/td><td class="num">100<\/td><td class="num"><strong>65<\/strong><div class="sub">Mức 2 \(Mức đáp ứng cơ bản\)<\/div><div class="sub">\(tạm tính\)<\/div><\/td><td class="num"><\/td>/)

  const failed = score(set, example('thcs-missing-mandatory'))
  s.self = failed
  const h2 = assessmentSheetHtml(s)
  const g = failed.groups.find((x) => x.mandatory.failed.length > 0)!
  t.ok(g, 'the example fails a mandatory condition')
  t.match(rowOf(h2, g.mandatory.failed[0]!), '<strong>Không đạt</strong>')
  t.match(h2, `Chưa đạt điều kiện bắt buộc: ${g.mandatory.failed.join(', ')}`)
})

t.test('helpers', async (t) => {
  t.equal(vnNumber(7.5), '7,5')
  t.equal(vnNumber(89.032967), '89,03')
  t.equal(vnNumber(1234.5), '1.234,5')
  t.equal(vnNumber(1234567), '1.234.567')
  t.equal(vnNumber(-0.25), '-0,25')
  t.equal(vnNumber(0), '0')
  t.equal(vnNumber(Number.NaN), '—')
  t.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  t.equal(safeHttpUrl('https://a.vn/x y'), 'https://a.vn/x%20y')
  t.equal(safeHttpUrl('HTTP://A.vn'), 'http://a.vn/')
  for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'JAVASCRIPT:x', 'data:text/html,x', '/documents/1', 'ftp://a.vn', '', null]) {
    t.equal(safeHttpUrl(bad), null, JSON.stringify(bad))
  }
  t.equal(documentLine({ issuer: 'Bộ Giáo dục và Đào tạo', number: '4725/QĐ-BGDĐT', date: '2022-12-30' }), 'Theo Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ Giáo dục và Đào tạo')
  t.equal(documentLine({ issuer: 'Bộ Giáo dục và Đào tạo', number: '02/2025/TT-BGDĐT', date: '2025-01-24' }), 'Theo Thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025 của Bộ Giáo dục và Đào tạo')
  t.equal(documentLine({ issuer: 'UBND Quận 1', number: '123/KH-UBND', date: '' }), 'Theo Kế hoạch số 123/KH-UBND của UBND Quận 1')
  t.equal(documentLine({ issuer: '', number: '55/PGDĐT', date: 'tháng 9/2025' }), 'Theo Văn bản số 55/PGDĐT ngày tháng 9/2025')
})

t.test('other result shapes: info values, targets, errors, no level', async (t) => {
  const s = sampleSheet()
  const g = s.self.groups[0]!
  const info = g.criteria.find((c) => c.code === '1.3')!.children!.find((c) => c.kind === 'info')!
  const base = { ...info }
  const cases: [unknown, string][] = [
    [{ a: true, b: false, n: 7.5, list: ['x', 'y'], doc: { title: 'Văn bản <1>' }, empty: '' }, 'Có; Không; 7,5; x; y; Văn bản &lt;1&gt;'],
    [null, '—'],
  ]
  for (const [value, text] of cases) {
    g.criteria = [{ ...base, code: '9.1', value }]
    t.match(rowOf(assessmentSheetHtml(s), '9.1'), `<td class="num">${text === '—' ? '—' : `<span class="info">${text}</span>`}</td>`)
  }
  g.criteria = [
    { ...base, code: '9.2', kind: 'target', met: false, status: 'evaluated' },
    { ...base, code: '9.3', kind: 'target', met: null, status: 'incomplete' },
    { ...base, code: '9.4', kind: 'scored', maxPoints: 5, status: 'error', error: 'boom' },
    { ...base, code: '9.5', kind: 'info', status: 'incomplete' },
  ]
  g.level = null
  g.levelName = null
  g.maxPoints = null
  s.self.overall = { ...s.self.overall!, level: 2, levelName: null, reason: { code: 'PROVISIONAL', text: '' } }
  const html = assessmentSheetHtml(s)
  t.match(rowOf(html, '9.2'), '<td class="num"><span class="sub">Chỉ tiêu</span></td><td class="num"><strong>Không đạt</strong></td>')
  t.match(rowOf(html, '9.3'), '<td class="num">—</td>')
  t.match(rowOf(html, '9.4'), '<td class="num">5</td><td class="num"><span class="err">Lỗi</span></td>')
  t.match(rowOf(html, '9.5'), '<td class="num"></td><td class="num">—</td>')
  t.match(html, '<h2>Nhóm I. Chuyển đổi số trong dạy, học</h2>')
  t.match(html, /Tổng điểm Nhóm I<\/td><td class="num"><\/td><td class="num"><strong>89,03<\/strong><div class="sub">Chưa xác định mức<\/div>/)
  t.match(html, '<td class="num"><strong>Mức 2</strong><div class="sub">(tạm tính)</div></td>')
})
