// The printable phiếu tự đánh giá of one assessment: a complete HTML5 document for A4 printing
// (pure: AssessmentSheet in, text out).
//
// Every interpolated string is HTML-escaped; links are rendered only for absolute http(s) URLs
// (anything else — javascript:, data:, relative paths — shows its title as plain text). A
// Content-Security-Policy meta element forbids scripts and remote loads as a second line of defence.
// Numbers are written the Vietnamese way (7,5; 1.234,5); dates and times are Vietnam time (UTC+7).
import type { CriterionResult, GroupResult, ScoreResult } from '../scoring/types.js'
import { round2 } from '../scoring/numbers.js'
import { OWNERSHIP_LABELS, stateLabel } from './csv.js'
import type { AssessmentSheet, EvidenceLink } from './types.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

/** The URL, normalized, when it is an absolute http: or https: URL; otherwise null. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}

/** 7.5 → "7,5"; 1234.5 → "1.234,5"; rounded to 2 decimals. */
export function vnNumber(x: number): string {
  if (!Number.isFinite(x)) return '—'
  const v = round2(x)
  const [int = '0', frac] = Math.abs(v).toString().split('.')
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return (v < 0 ? '-' : '') + grouped + (frac ? `,${frac}` : '')
}

function vnParts(d: Date) {
  const v = new Date(d.getTime() + 7 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return { date: `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`, time: `${p(v.getUTCHours())}:${p(v.getUTCMinutes())}` }
}
const vnDate = (d: Date) => vnParts(d).date
const vnDateTime = (d: Date) => `${vnParts(d).time} ngày ${vnParts(d).date}`

/** "2022-12-30" → "30/12/2022"; anything else as given. */
function documentDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date
}

// The kind of a Vietnamese legal document from the abbreviation in its number ("4725/QĐ-BGDĐT").
const DOCUMENT_KINDS: [RegExp, string][] = [
  [/\/QĐ(-|$)/u, 'Quyết định'],
  [/\/TT(-|$)/u, 'Thông tư'],
  [/\/NĐ(-|$)/u, 'Nghị định'],
  [/\/NQ(-|$)/u, 'Nghị quyết'],
  [/\/CT(-|$)/u, 'Chỉ thị'],
  [/\/KH(-|$)/u, 'Kế hoạch'],
  [/\/HD(-|$)/u, 'Hướng dẫn'],
  [/\/TB(-|$)/u, 'Thông báo'],
]

/** "Theo Quyết định số 4725/QĐ-BGDĐT ngày 30/12/2022 của Bộ Giáo dục và Đào tạo". */
export function documentLine(doc: { issuer: string; number: string; date: string; kind?: string }): string {
  // The set file's own kind ("Quyết định") wins; the number's abbreviation is the fallback.
  const kind = doc.kind ?? DOCUMENT_KINDS.find(([re]) => re.test(doc.number))?.[1] ?? 'Văn bản'
  let line = `Theo ${kind} số ${doc.number}`
  if (doc.date) line += ` ngày ${documentDate(doc.date)}`
  if (doc.issuer) line += ` của ${doc.issuer}`
  return line
}

function levelText(level: number | null, levelName: string | null): string {
  if (level === null) return 'Chưa xác định mức'
  return levelName ? `Mức ${level} (${levelName})` : `Mức ${level}`
}

/** The rendered value of an info criterion. */
function infoValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v === 'boolean') return v ? 'Có' : 'Không'
  if (typeof v === 'number') return vnNumber(v)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map(infoValue).filter(Boolean).join('; ')
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o.title === 'string') return o.title
    return Object.values(o).map(infoValue).filter(Boolean).join('; ')
  }
  return String(v)
}

/** The self or external cell of a criterion (HTML). */
function resultCell(c: CriterionResult | undefined): string {
  if (!c) return ''
  if (c.status === 'error') return '<span class="err">Lỗi</span>'
  if (c.kind === 'mandatory' || c.kind === 'target') {
    return c.met === true ? 'Đạt' : c.met === false ? '<strong>Không đạt</strong>' : '—'
  }
  if (c.kind === 'info') {
    if (c.status === 'incomplete') return '—'
    const text = infoValue(c.value)
    return text ? `<span class="info">${escapeHtml(text)}</span>` : '—'
  }
  if (c.status === 'incomplete' || typeof c.points !== 'number') return '—'
  let html = vnNumber(c.points)
  if (c.levelName) html += `<div class="sub">${escapeHtml(c.levelName)}</div>`
  return html
}

function maxCell(c: CriterionResult): string {
  if (typeof c.maxPoints === 'number') return vnNumber(c.maxPoints)
  if (c.kind === 'mandatory') return '<span class="sub">Bắt buộc</span>'
  if (c.kind === 'target') return '<span class="sub">Chỉ tiêu</span>'
  return ''
}

function evidenceCell(links: EvidenceLink[] | undefined): string {
  if (!links || links.length === 0) return ''
  const items = links.map((l) => {
    const href = safeHttpUrl(l.url)
    const title = escapeHtml(l.title || l.url || '')
    return href ? `<li><a href="${escapeHtml(href)}" rel="noopener noreferrer">${title}</a></li>` : `<li>${title}</li>`
  })
  return `<ul class="ev">${items.join('')}</ul>`
}

function flatten(list: CriterionResult[] | undefined, depth = 0, out: { c: CriterionResult; depth: number }[] = []) {
  for (const c of list ?? []) {
    out.push({ c, depth })
    flatten(c.children, depth + 1, out)
  }
  return out
}

function byCode(result: ScoreResult | null): Map<string, CriterionResult> {
  const m = new Map<string, CriterionResult>()
  for (const g of result?.groups ?? []) for (const { c } of flatten(g.criteria)) m.set(c.code, c)
  return m
}

function groupTotalCell(g: GroupResult | undefined): string {
  if (!g) return ''
  let html = `<strong>${vnNumber(g.total)}</strong><div class="sub">${escapeHtml(levelText(g.level, g.levelName))}</div>`
  if (!g.complete) html += '<div class="sub">(tạm tính)</div>'
  if (g.mandatory.failed.length > 0) html += `<div class="sub">Chưa đạt điều kiện bắt buộc: ${escapeHtml(g.mandatory.failed.join(', '))}</div>`
  return html
}

function groupTable(s: AssessmentSheet, g: GroupResult, ext: Map<string, CriterionResult>): string {
  const extGroup = s.external?.groups.find((x) => x.code === g.code)
  const rows = flatten(g.criteria).map(({ c, depth }) => {
    const cls = depth > 0 ? ` class="d${Math.min(depth, 4)}"` : ''
    return `<tr${depth > 0 ? ' class="child"' : ''}>` +
      `<td class="code">${escapeHtml(c.code)}</td>` +
      `<td${cls}>${escapeHtml(c.title)}</td>` +
      `<td class="num">${maxCell(c)}</td>` +
      `<td class="num">${resultCell(c)}</td>` +
      `<td class="num">${s.external ? resultCell(ext.get(c.code)) : ''}</td>` +
      `<td>${evidenceCell(s.evidence[c.code])}</td>` +
      '</tr>'
  })
  const max = g.maxPoints === null ? '' : vnNumber(g.maxPoints)
  rows.push(
    '<tr class="total">' +
      `<td colspan="2">Tổng điểm Nhóm ${escapeHtml(g.code)}</td>` +
      `<td class="num">${max}</td>` +
      `<td class="num">${groupTotalCell(g)}</td>` +
      `<td class="num">${groupTotalCell(extGroup)}</td>` +
      '<td></td></tr>',
  )
  const heading = `Nhóm ${escapeHtml(g.code)}. ${escapeHtml(g.title)}` + (g.maxPoints === null ? '' : ` (tối đa ${vnNumber(g.maxPoints)} điểm)`)
  const gap = g.declaredGap ? `<p class="note">Ghi chú: ${escapeHtml(g.declaredGap.reason)}</p>` : ''
  return `<section class="group">
<h2>${heading}</h2>
<table class="criteria">
<colgroup><col class="c-code"><col><col class="c-num"><col class="c-res"><col class="c-res"><col class="c-ev"></colgroup>
<thead><tr><th>Mã</th><th>Tiêu chí</th><th>Điểm tối đa</th><th>Tự đánh giá</th><th>Đánh giá ngoài</th><th>Minh chứng</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
${gap}</section>`
}

function summaryTable(s: AssessmentSheet): string {
  const rows = s.self.groups.map((g) => {
    const e = s.external?.groups.find((x) => x.code === g.code)
    return `<tr><td>Nhóm ${escapeHtml(g.code)}. ${escapeHtml(g.title)}</td><td class="num">${groupTotalCell(g)}</td><td class="num">${groupTotalCell(e)}</td></tr>`
  })
  const o = s.self.overall
  if (o) {
    const overall = (x: NonNullable<ScoreResult['overall']> | null | undefined): string => {
      if (!x) return ''
      const provisional = x.reason?.code === 'PROVISIONAL' ? '<div class="sub">(tạm tính)</div>' : ''
      return `<strong>${escapeHtml(levelText(x.level, x.levelName))}</strong>${provisional}`
    }
    rows.push(
      `<tr class="total"><td>${escapeHtml(o.label)}</td>` +
        `<td class="num">${overall(o)}</td>` +
        `<td class="num">${overall(s.external?.overall)}</td></tr>`,
    )
  }
  return `<section class="summary">
<h2>Kết quả</h2>
<table class="results">
<thead><tr><th>Nhóm</th><th>Tự đánh giá</th><th>Đánh giá ngoài</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`
}

function infoTable(s: AssessmentSheet): string {
  const rows: [string, string][] = [
    ['Tên trường', s.school.name],
    ['Mã trường', s.school.moetCode],
    ['Cấp học', s.school.levels.join(', ')],
    ['Loại hình', OWNERSHIP_LABELS[s.school.ownership]],
    ['Đơn vị quản lý', s.school.unitName],
    ['Năm học', s.period.schoolYear],
    ['Kỳ đánh giá', s.period.unitName ? `${s.period.title} (${s.period.unitName})` : s.period.title],
    ['Trạng thái', stateLabel(s.state)],
  ]
  if (s.submittedAt) rows.push(['Ngày nộp', vnDate(s.submittedAt)])
  if (s.approvedAt) rows.push(['Ngày duyệt', vnDate(s.approvedAt)])
  if (s.publishedAt) rows.push(['Ngày công bố', vnDate(s.publishedAt)])
  if (s.external && s.externalBy) rows.push(['Đánh giá ngoài', s.externalBy])
  return `<table class="info">
<tbody>
${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</tbody>
</table>`
}

const CSS = `
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.35; color: #000; margin: 0 auto; max-width: 180mm; }
.header { display: grid; grid-template-columns: 1fr 1.3fr; gap: 8mm; text-align: center; margin-bottom: 6mm; }
.header p { margin: 0; }
.header .unit { text-transform: uppercase; }
.header .school { font-weight: bold; text-transform: uppercase; }
.header .motto-1 { font-weight: bold; }
.header .motto-2 { font-weight: bold; text-decoration: underline; }
h1 { font-size: 15pt; text-align: center; margin: 4mm 0 1mm; }
.doc { text-align: center; font-style: italic; margin: 0; }
.set-title { text-align: center; margin: 0 0 5mm; }
h2 { font-size: 12.5pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr, td, th { break-inside: avoid; page-break-inside: avoid; }
.criteria th, .criteria td, .results th, .results td { border: 1px solid #000; padding: 1.2mm 1.5mm; vertical-align: top; }
.criteria th, .results th { background: #eee; text-align: center; vertical-align: middle; }
.criteria col.c-code { width: 11mm; }
.criteria col.c-num { width: 16mm; }
.criteria col.c-res { width: 20mm; }
.criteria col.c-ev { width: 40mm; }
.num { text-align: center; white-space: nowrap; }
.code { white-space: nowrap; }
.child td { font-size: 11pt; }
.d1 { padding-left: 6mm !important; }
.d2 { padding-left: 11mm !important; }
.d3 { padding-left: 16mm !important; }
.d4 { padding-left: 21mm !important; }
.total td { font-weight: bold; background: #f5f5f5; }
.sub { font-size: 10pt; font-weight: normal; white-space: normal; }
.note { font-size: 10pt; font-style: italic; }
.err { color: #a00; }
.info { white-space: normal; }
.info th { text-align: left; font-weight: normal; width: 45mm; padding: 0.6mm 0; vertical-align: top; }
.info td { font-weight: bold; padding: 0.6mm 0; }
ul.ev { margin: 0; padding-left: 4mm; font-size: 10pt; overflow-wrap: anywhere; }
a { color: inherit; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; margin-top: 8mm; text-align: center; break-inside: avoid; page-break-inside: avoid; }
.signatures p { margin: 0; }
.signatures .role { font-weight: bold; }
.signatures .hint, .signatures .place { font-style: italic; }
.signatures .space { height: 25mm; }
footer { margin-top: 6mm; font-size: 9pt; color: #444; }
@media print { a[href]::after { content: " (" attr(href) ")"; font-size: 8.5pt; } }
`

/** The printable phiếu tự đánh giá of one assessment. */
export function assessmentSheetHtml(s: AssessmentSheet): string {
  const ext = byCode(s.external)
  const title = `Phiếu tự đánh giá mức độ chuyển đổi số — ${s.school.name}`
  const footer = [
    `Phiếu tạo lúc ${vnDateTime(s.generatedAt)} (giờ Việt Nam).`,
    `Bộ tiêu chí ${s.set.id}, phiên bản ${s.set.version}; mã băm nội dung ${s.self.set.contentHash}.`,
    `Cách tính: ${s.self.engine.name} ${s.self.engine.version}.`,
  ].map(escapeHtml).join(' ')
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="header">
<div><p class="unit">${escapeHtml(s.school.unitName)}</p><p class="school">${escapeHtml(s.school.name)}</p></div>
<div><p class="motto-1">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p class="motto-2">Độc lập - Tự do - Hạnh phúc</p></div>
</header>
<h1>PHIẾU TỰ ĐÁNH GIÁ MỨC ĐỘ CHUYỂN ĐỔI SỐ</h1>
<p class="doc">${escapeHtml(documentLine(s.set.document))}</p>
<p class="set-title">${escapeHtml(s.set.title)}</p>
${infoTable(s)}
${s.self.groups.map((g) => groupTable(s, g, ext)).join('\n')}
${summaryTable(s)}
<section class="signatures">
<div><p class="place">&nbsp;</p><p class="role">NGƯỜI LẬP PHIẾU</p><p class="hint">(Ký, ghi rõ họ tên)</p><div class="space"></div></div>
<div><p class="place">…, ngày … tháng … năm …</p><p class="role">HIỆU TRƯỞNG</p><p class="hint">(Ký tên, đóng dấu)</p><div class="space"></div></div>
</section>
<footer>${footer}</footer>
</body>
</html>
`
}
