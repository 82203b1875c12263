// The schools pages: the list with search, the CSV import with its per-row report, one school with
// its units over the school years and the move form.
import type { School } from '../../repositories/types.js'
import type { CsvRowError } from '../../services/school-csv.js'
import { schoolYearLabel } from '../format.js'
import { html, type Html } from '../html.js'
import { layout, type SessionView } from './layout.js'
import { csrfField, pager, textareaField, textField, type Errors } from './admin-common.js'

const LEVEL_NAMES: Record<string, string> = { TH: 'Tiểu học', THCS: 'THCS', THPT: 'THPT', GDTX: 'GDTX' }
export const levelsText = (levels: string[]): string => levels.map((l) => LEVEL_NAMES[l] ?? l).join(', ')
const currentUnit = (s: School): string => s.memberships[s.memberships.length - 1]?.unitCode ?? '—'

export function schoolsListPage(m: { session: SessionView; notice: string | null; q: string; unit: string; year: string; schools: School[]; page: number; hasNext: boolean; errors: Errors }): Html {
  const href = (p: number) => `/schools?${new URLSearchParams({ ...(m.q ? { q: m.q } : {}), ...(m.unit ? { unit: m.unit } : {}), ...(m.year ? { year: m.year } : {}), page: String(p) })}`
  const filtered = m.q !== '' || m.unit !== '' || m.year !== ''
  return layout({
    title: 'Trường', session: m.session, nav: 'schools', notice: m.notice, errors: m.errors,
    body: html`<h1>Trường</h1>
<form method="get" action="/schools" class="panel" role="search">
  ${textField({ id: 'q', label: 'Tìm theo mã hoặc tên trường', value: m.q, type: 'search', errors: m.errors })}
  ${textField({ id: 'unit', label: 'Thuộc đơn vị (mã, không bắt buộc)', value: m.unit, errors: m.errors })}
  ${textField({ id: 'year', label: 'Trong năm học (không bắt buộc)', value: m.year, errors: m.errors, hint: 'Dạng 2024-2025' })}
  <div class="actions"><button type="submit">Tìm</button>${filtered ? html` <a href="/schools">Bỏ lọc</a>` : ''}</div>
</form>
<p><a class="button secondary" href="/schools/import">Nhập danh sách trường từ tệp CSV</a></p>
${m.schools.length === 0 ? html`<p>Không có trường nào${filtered ? ' khớp với điều kiện tìm' : ''}.</p>` : html`<div class="table-wrap"><table>
  <caption>Danh sách trường${m.q ? html` khớp với “${m.q}”` : ''} (trang ${m.page})</caption>
  <thead><tr><th scope="col">Mã trường (Bộ GDĐT)</th><th scope="col">Tên trường</th><th scope="col">Cấp học</th><th scope="col">Đơn vị quản lý</th></tr></thead>
  <tbody>${m.schools.map((s) => html`<tr><td><a href="/schools/${encodeURIComponent(s.moetCode)}">${s.moetCode}</a></td><td>${s.name}</td><td>${levelsText(s.levels)}</td><td>${currentUnit(s)}</td></tr>`)}</tbody>
</table></div>`}
${pager(m.page, m.hasNext, href)}`,
  })
}

export interface ImportReport { dryRun: boolean; valid?: number; rows?: { line: number; code: string; problem: string }[] }

export function schoolsImportPage(m: { session: SessionView; csv: string; errors: Errors; report: ImportReport | null }): Html {
  const r = m.report
  return layout({
    title: 'Nhập danh sách trường', session: m.session, nav: 'schools', errors: m.errors,
    crumbs: [['Trường', '/schools'], ['Nhập từ CSV', null]],
    body: html`<h1>Nhập danh sách trường từ tệp CSV</h1>
<p>Tệp CSV mã UTF-8, dòng đầu là tên cột: <code>moetCode,name,levels,ownership,unitCode,fromYear</code>. Cấp học cách nhau bằng “|” (ví dụ <code>TH|THCS</code>); loại hình <code>công lập</code> hoặc <code>tư thục</code>; năm học dạng <code>2025-2026</code>. Nếu có dòng lỗi, không dòng nào được ghi.</p>
${r && r.rows && r.rows.length > 0 ? html`<div class="table-wrap"><table>
  <caption>Các dòng lỗi (${r.rows.length}) — chưa có gì được ghi</caption>
  <thead><tr><th scope="col" class="num">Dòng</th><th scope="col">Mã trường</th><th scope="col">Vấn đề</th></tr></thead>
  <tbody>${r.rows.map((x) => html`<tr><td class="num">${x.line}</td><td>${x.code || '—'}</td><td>${x.problem}</td></tr>`)}</tbody>
</table></div>` : ''}
${r && r.valid !== undefined && (!r.rows || r.rows.length === 0) ? html`<div class="notice" role="status">Kiểm tra xong: ${r.valid} dòng hợp lệ, không có lỗi. Chưa có gì được ghi; bấm “Nhập” để ghi.</div>` : ''}
<form method="post" action="/schools/import?_csrf=${m.session.csrf}" enctype="multipart/form-data" novalidate>
  ${textareaField({ id: 'csv', label: 'Dán nội dung tệp CSV', value: m.csv, rows: 10, errors: m.errors, hint: 'Hoặc chọn tệp ở ô bên dưới (nếu chọn tệp, nội dung tệp được dùng).' })}
  ${textField({ id: 'file', label: 'Hoặc chọn tệp CSV', type: 'file', errors: m.errors, attrs: html` accept=".csv,text/csv"` })}
  <div class="actions"><button type="submit" name="action" value="check" class="secondary">Kiểm tra trước</button> <button type="submit" name="action" value="import">Nhập</button></div>
</form>`,
  })
}

export function schoolPage(m: { session: SessionView; notice: string | null; school: School; errors: Errors; unitCode: string; fromYear: string }): Html {
  const s = m.school
  return layout({
    title: s.name, session: m.session, nav: 'schools', notice: m.notice, errors: m.errors,
    crumbs: [['Trường', '/schools'], [s.moetCode, null]],
    body: html`<h1>${s.name}</h1>
<dl class="summary-list"><dt>Mã trường (Bộ GDĐT)</dt><dd>${s.moetCode}</dd><dt>Cấp học</dt><dd>${levelsText(s.levels)}</dd><dt>Loại hình</dt><dd>${s.ownership === 'public' ? 'Công lập' : 'Tư thục'}</dd></dl>
<h2>Đơn vị quản lý theo năm học</h2>
<div class="table-wrap"><table>
  <caption>Đơn vị quản lý của trường qua các năm học</caption>
  <thead><tr><th scope="col">Đơn vị</th><th scope="col">Từ năm học</th><th scope="col">Đến năm học</th></tr></thead>
  <tbody>${s.memberships.map((x) => html`<tr><td>${x.unitCode}</td><td>${schoolYearLabel(x.fromYear)}</td><td>${x.toYear === null ? 'nay' : schoolYearLabel(x.toYear)}</td></tr>`)}</tbody>
</table></div>
<h2>Chuyển đơn vị</h2>
<form method="post" action="/schools/${encodeURIComponent(s.moetCode)}/move" class="panel" novalidate>
  ${csrfField(m.session)}
  ${textField({ id: 'unitCode', label: 'Mã đơn vị mới', value: m.unitCode, errors: m.errors, hint: 'Ví dụ: LB-W1' })}
  ${textField({ id: 'fromYear', label: 'Từ năm học', value: m.fromYear, errors: m.errors, hint: 'Dạng 2025-2026' })}
  <div class="actions"><button type="submit">Chuyển đơn vị</button></div>
</form>`,
  })
}

const COLUMN_NAMES: Record<string, string> = { moetCode: 'mã trường', name: 'tên trường', levels: 'cấp học', ownership: 'loại hình', unitCode: 'mã đơn vị', fromYear: 'năm học bắt đầu' }
const ROW_TEXTS: Record<string, string> = {
  INVALID_CODE: 'Mã trường không hợp lệ (chỉ gồm chữ, số, dấu . _ -; tối đa 32 ký tự).',
  DUPLICATE_IN_FILE: 'Mã trường bị lặp lại trong tệp.',
  INVALID_NAME: 'Tên trường cần từ 2 đến 300 ký tự.',
  INVALID_LEVELS: 'Cấp học phải là TH, THCS, THPT hoặc GDTX, cách nhau bằng “|”.',
  INVALID_OWNERSHIP: 'Loại hình phải là “công lập” hoặc “tư thục”.',
  REQUIRED: 'Thiếu mã đơn vị.',
  INVALID_SCHOOL_YEAR: 'Năm học không đúng dạng 2025-2026.',
  UNKNOWN_UNIT: 'Không tìm thấy đơn vị này (hoặc đơn vị nằm ngoài phạm vi của bạn).',
  SCHOOL_EXISTS: 'Đã có trường với mã này.',
  CSV_SYNTAX: 'Tệp CSV sai cú pháp (kiểm tra dấu ngoặc kép, dấu phẩy).',
  CSV_HEADER: 'Dòng tiêu đề phải có đủ các cột moetCode, name, levels, ownership, unitCode, fromYear.',
  CSV_EMPTY: 'Tệp chỉ có dòng tiêu đề, chưa có trường nào.',
  CSV_TOO_LARGE: 'Tệp có quá nhiều dòng (tối đa 20 000 trường mỗi tệp).',
}
const VIETNAMESE = /[ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ]/i

/** A row problem in Vietnamese: the service's own wording when it is Vietnamese, else ours. */
export function rowProblemText(e: CsvRowError): string {
  if (VIETNAMESE.test(e.message)) return e.message.replace(/\s*\([^()]*\)$/, '')
  const col = COLUMN_NAMES[e.column]
  return `${ROW_TEXTS[e.code] ?? `Dòng có lỗi (mã lỗi ${e.code}).`}${col && !ROW_TEXTS[e.code] ? ` Cột: ${col}.` : ''}`
}
