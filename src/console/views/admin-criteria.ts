// The criteria pages: the catalog and the office's own sets, one set's groups and criteria with the
// provenance of each, the import of a district model from a CSV table with the verifier's report.
import type { AuthoredSet } from '../../repositories/types.js'
import type { Finding } from '../../scoring/check-set.js'
import type { CsvProblem } from '../../authoring/criteria-csv.js'
import type { Band, CriteriaSetDef, CriterionDef, LevelBands, Provenance } from '../../scoring/types.js'
import type { Verification } from '../../services/criteria-authoring.js'
import { viDate, viNumber } from '../format.js'
import { html, raw, type Html } from '../html.js'
import { layout, type SessionView } from './layout.js'
import { csrfField, errOf, textareaField, textField, type Errors } from './admin-common.js'

const STATUS: Record<string, string> = { draft: 'Bản nháp', published: 'Đã công bố', withdrawn: 'Đã thu hồi' }
const CONFIDENCE: Record<string, string> = { confirmed: 'Đã xác nhận', unconfirmed: 'Chưa xác nhận', convention: 'Quy ước' }
const KIND: Record<string, string> = { scored: 'Tính điểm', mandatory: 'Bắt buộc', target: 'Chỉ tiêu', info: 'Thông tin' }

export interface CatalogRow { id: string; version: string; title: string; issuer: string; number: string; status: string }

export function criteriaListPage(m: { session: SessionView; notice: string | null; catalog: CatalogRow[]; authored: AuthoredSet[] }): Html {
  return layout({
    title: 'Bộ tiêu chí', session: m.session, nav: 'criteria', notice: m.notice,
    body: html`<h1>Bộ tiêu chí</h1>
<div class="table-wrap"><table>
  <caption>Các bộ tiêu chí đang dùng được</caption>
  <thead><tr><th scope="col">Tên</th><th scope="col">Mã, phiên bản</th><th scope="col">Văn bản</th><th scope="col">Trạng thái</th></tr></thead>
  <tbody>${m.catalog.map((c) => html`<tr><td><a href="/criteria/${encodeURIComponent(c.id)}/${encodeURIComponent(c.version)}">${c.title}</a></td><td>${c.id} ${c.version}</td><td>${c.number} — ${c.issuer}</td><td>${STATUS[c.status] ?? c.status}</td></tr>`)}</tbody>
</table></div>
<h2>Bộ tiêu chí của đơn vị</h2>
<p><a class="button secondary" href="/criteria/import">Nhập mô hình của đơn vị từ bảng CSV</a></p>
${m.authored.length === 0 ? html`<p>Đơn vị chưa nhập bộ tiêu chí nào.</p>` : html`<div class="table-wrap"><table>
  <caption>Bộ tiêu chí do các đơn vị trong phạm vi của bạn soạn</caption>
  <thead><tr><th scope="col">Tên</th><th scope="col">Mã, phiên bản</th><th scope="col">Đơn vị</th><th scope="col">Trạng thái</th><th scope="col">Cập nhật</th></tr></thead>
  <tbody>${m.authored.map((a) => html`<tr><td><a href="/criteria/${encodeURIComponent(a.id)}/${encodeURIComponent(a.version)}">${(a.definition as CriteriaSetDef).title}</a></td><td>${a.id} ${a.version}</td><td>${a.unitCode}</td><td>${STATUS[a.status]}</td><td>${viDate(a.updatedAt)}</td></tr>`)}</tbody>
</table></div>`}`,
  })
}

const bandText = (b: Band): string => {
  const c = [b.gte !== undefined ? `≥ ${viNumber(b.gte)}` : '', b.gt !== undefined ? `> ${viNumber(b.gt)}` : '', b.lte !== undefined ? `≤ ${viNumber(b.lte)}` : '', b.lt !== undefined ? `< ${viNumber(b.lt)}` : ''].filter(Boolean).join(', ')
  return `${b.name}${c ? `: ${c} điểm` : ''}`
}
const bands = (lb: LevelBands | undefined): Html => (lb ? html`<p>Mức: ${lb.bands.map(bandText).join('; ')}</p>${provenance(lb.provenance)}` : html``)

function provenance(p: Provenance): Html {
  const unconfirmed = p.confidence === 'unconfirmed'
  return html`<p class="provenance${unconfirmed ? ' unconfirmed' : ''}"><strong>Nguồn:</strong> ${p.source} — <strong>${CONFIDENCE[p.confidence] ?? p.confidence}</strong>${unconfirmed ? ' (cần đối chiếu văn bản)' : ''}${p.note ? html`. ${p.note}` : ''}</p>`
}

function criterion(c: CriterionDef, depth: number): Html {
  const h = raw(depth === 0 ? 'h4' : 'h5')
  return html`<li class="criterion"><div class="criterion-head"><${h}>${c.code}. ${c.title}</${h}></div>
  <p>${KIND[c.kind] ?? c.kind}${c.maxPoints !== undefined ? html` — tối đa <span class="points">${viNumber(c.maxPoints)}</span> điểm` : ''}${c.threshold ? ` — ngưỡng ${c.threshold.op} ${String(c.threshold.value)}${c.unit ? ` ${c.unit}` : ''}` : ''}</p>
  ${bands(c.levelBands)}
  ${provenance(c.provenance)}
  ${c.children && c.children.length > 0 ? html`<ul>${c.children.map((x) => criterion(x, depth + 1))}</ul>` : ''}
</li>`
}

export function criteriaSetPage(m: { session: SessionView; notice: string | null; def: CriteriaSetDef; authored: { set: AuthoredSet; verification: Verification } | null; errors: Errors; reason: string }): Html {
  const d = m.def
  const a = m.authored
  const key = `/criteria/${encodeURIComponent(d.id)}/${encodeURIComponent(d.version)}`
  return layout({
    title: d.title, session: m.session, nav: 'criteria', notice: m.notice, errors: m.errors,
    crumbs: [['Bộ tiêu chí', '/criteria'], [`${d.id} ${d.version}`, null]],
    body: html`<h1>${d.title}</h1>
<dl class="summary-list">
  <dt>Mã, phiên bản</dt><dd>${d.id} ${d.version}</dd>
  <dt>Cơ quan ban hành</dt><dd>${d.document.issuer}</dd>
  <dt>Số văn bản</dt><dd>${d.document.number}</dd>
  <dt>Ngày ban hành</dt><dd>${viDate(new Date(`${d.document.date}T12:00:00+07:00`))}</dd>
  <dt>Áp dụng cho cấp học</dt><dd>${d.appliesTo.join(', ')}</dd>
  <dt>Trạng thái</dt><dd>${STATUS[a?.set.status ?? d.status] ?? d.status}</dd>
</dl>
${a ? html`<h2>Báo cáo kiểm tra</h2>${verificationReport(a.verification)}
${a.set.status === 'draft' ? html`<form method="post" action="${key}/publish">${csrfField(m.session)}<div class="actions"><button type="submit"${a.verification.errors > 0 ? html` disabled aria-describedby="publish-hint"` : ''}>Công bố</button></div>${a.verification.errors > 0 ? html`<p class="hint" id="publish-hint">Sửa các lỗi trong bảng, nhập lại, rồi công bố.</p>` : ''}</form>` : ''}
${a.set.status === 'published' ? html`<form method="post" action="${key}/withdraw" class="panel" novalidate>${csrfField(m.session)}
  ${textField({ id: 'reason', label: 'Lý do thu hồi', value: m.reason, errors: m.errors })}
  <div class="actions"><button type="submit" class="warning">Thu hồi bộ tiêu chí</button></div></form>` : ''}` : ''}
<h2>Các nhóm tiêu chí</h2>
${d.groups.map((g) => html`<section class="panel" aria-labelledby="g-${g.code}">
  <h3 id="g-${g.code}">Nhóm ${g.code}. ${g.title}</h3>
  ${g.maxPoints !== undefined ? html`<p>Tối đa <span class="points">${viNumber(g.maxPoints)}</span> điểm</p>` : ''}
  ${bands(g.levelBands)}
  <ul class="task-list">${g.criteria.map((c) => criterion(c, 0))}</ul>
</section>`)}`,
  })
}

const FINDING_TEXTS: Record<string, string> = {
  RULE_ABOVE_MAX: 'Cách tính có thể cho nhiều điểm hơn điểm tối đa.',
  RULE_BELOW_MAX: 'Cách tính không bao giờ đạt điểm tối đa.',
  MAX_MISMATCH: 'Điểm tối đa không bằng tổng điểm các tiêu chí con.',
  GROUP_MAX_MISMATCH: 'Điểm tối đa của nhóm không bằng tổng điểm các tiêu chí.',
  MISSING_RULE: 'Tiêu chí chưa có cách tính.',
  BANDS_GAP: 'Các mức để hở một khoảng điểm.',
  BANDS_OVERLAP: 'Các mức chồng lên nhau.',
  BANDS_WITHOUT_MAX: 'Có mức nhưng chưa có điểm tối đa.',
  UNUSED_FACT: 'Có dữ kiện khai báo nhưng không dùng.',
  UNKNOWN_FACT: 'Cách tính dùng một dữ kiện chưa khai báo.',
  PROVISIONAL: 'Nội dung chưa được xác nhận với văn bản gốc.',
  NO_OVERALL_LEVEL: 'Bộ tiêu chí chưa có cách xếp mức chung.',
  DUPLICATE_CODE: 'Mã tiêu chí bị trùng.',
  RULE_ERROR: 'Cách tính bị lỗi khi chạy thử.',
  MANDATORY_NOT_BOOLEAN: 'Tiêu chí bắt buộc phải cho kết quả có/không.',
}
const PROBLEM_TEXTS: Record<string, string> = {
  BAD_RULE: 'Cách tính viết sai cú pháp.', UNKNOWN_PARENT: 'Mã ở cột “Thuộc” không có trong bảng.', BAD_PARENT: 'Cột “Thuộc” không hợp lệ.',
  BAD_CODE: 'Mã tiêu chí không hợp lệ.', DUPLICATE_CODE: 'Mã tiêu chí bị trùng.', UNKNOWN_KIND: 'Loại không hợp lệ (nhóm, tính điểm, bắt buộc, chỉ tiêu, thông tin).',
  MISSING_COLUMN: 'Thiếu cột bắt buộc.', UNKNOWN_COLUMN: 'Có cột không nhận ra.', BAD_NUMBER: 'Số không hợp lệ.', MISSING_VALUE: 'Ô bắt buộc đang để trống.',
  CSV_SYNTAX: 'Bảng CSV sai cú pháp.', EMPTY_FILE: 'Bảng trống.', NO_ROWS: 'Bảng chưa có dòng nào.', MAX_MISMATCH: 'Điểm tối đa không bằng tổng điểm các tiêu chí con.',
  BAD_LEVELS: 'Cách xếp mức viết sai.', BAD_THRESHOLD: 'Ngưỡng viết sai.', BAD_FACTS: 'Cột “Dữ kiện” viết sai.', UNKNOWN_CONFIDENCE: 'Độ tin cậy không hợp lệ (đã xác nhận, chưa xác nhận, quy ước).',
  TIER_ABOVE_MAX: 'Một bậc điểm vượt điểm tối đa.', NO_GROUP: 'Tiêu chí không thuộc nhóm nào.', EMPTY_GROUP: 'Nhóm chưa có tiêu chí.',
}

export function verificationReport(v: Verification): Html {
  if (v.findings.length === 0) return html`<div class="notice" role="status">Bộ tiêu chí qua kiểm tra: không có lỗi, không có cảnh báo.</div>`
  return html`<p>Kết quả kiểm tra: <strong>${v.errors} lỗi</strong>, ${v.warnings} cảnh báo.${v.errors === 0 ? ' Có thể công bố.' : ' Cần sửa lỗi trước khi công bố.'}</p>
<ul class="task-list">${v.findings.map((f: Finding) => html`<li><strong>${f.severity === 'error' ? 'Lỗi' : f.severity === 'warning' ? 'Cảnh báo' : 'Ghi chú'}${f.criterion ? ` — tiêu chí ${f.criterion}` : ''}:</strong> ${FINDING_TEXTS[f.code] ?? `Vấn đề ${f.code}.`} <span class="muted">Chi tiết: <span lang="en">${f.message}${f.fix ? ` (${f.fix})` : ''}</span></span></li>`)}</ul>`
}

export interface CriteriaImportForm { unitCode: string; id: string; version: string; title: string; issuer: string; number: string; date: string; appliesTo: string[]; csv: string }

export function criteriaImportPage(m: { session: SessionView; form: CriteriaImportForm; errors: Errors; problems: CsvProblem[] | null; result: { set: AuthoredSet; verification: Verification } | null }): Html {
  const f = m.form
  const levelsErr = errOf(m.errors, 'appliesTo')
  const r = m.result
  return layout({
    title: 'Nhập bộ tiêu chí từ bảng CSV', session: m.session, nav: 'criteria', errors: m.errors,
    crumbs: [['Bộ tiêu chí', '/criteria'], ['Nhập từ CSV', null]],
    body: html`<h1>Nhập bộ tiêu chí của đơn vị từ bảng CSV</h1>
<p>Bảng gồm các cột: Mã; Thuộc; Tên; Loại; Điểm tối đa; Cách tính; Ngưỡng; Đơn vị; Dữ kiện; Minh chứng; Nguồn; Độ tin cậy (xem hướng dẫn docs/criteria-csv.md). Bảng được lưu thành bản nháp, kiểm tra, rồi mới công bố.</p>
${m.problems && m.problems.length > 0 ? html`<h2>Các vấn đề trong bảng (${m.problems.length})</h2>
<ul class="task-list">${m.problems.map((p) => html`<li><strong>Dòng ${p.line}${p.column ? `, cột ${p.column}` : ''}:</strong> ${PROBLEM_TEXTS[p.code] ?? `Vấn đề ${p.code}.`} <span class="muted">Chi tiết: <span lang="en">${p.message}</span>${p.fix ? html` — Cách sửa: ${p.fix}` : ''}</span></li>`)}</ul>` : ''}
${r ? html`<h2>Đã lưu bản nháp ${r.set.id} ${r.set.version}</h2>${verificationReport(r.verification)}
<p><a href="/criteria/${encodeURIComponent(r.set.id)}/${encodeURIComponent(r.set.version)}">Xem bộ tiêu chí và công bố</a></p>` : ''}
<form method="post" action="/criteria/import?_csrf=${m.session.csrf}" enctype="multipart/form-data" novalidate>
  ${textField({ id: 'unitCode', label: 'Mã đơn vị soạn', value: f.unitCode, errors: m.errors, hint: 'Ví dụ: LB' })}
  ${textField({ id: 'id', label: 'Mã bộ tiêu chí', value: f.id, errors: m.errors, hint: 'Chữ thường không dấu, số, gạch ngang. Ví dụ: lb-mo-hinh-2025' })}
  ${textField({ id: 'version', label: 'Phiên bản', value: f.version, errors: m.errors, hint: 'Ví dụ: 2025-2026' })}
  ${textField({ id: 'title', label: 'Tên bộ tiêu chí', value: f.title, errors: m.errors })}
  ${textField({ id: 'issuer', label: 'Cơ quan ban hành', value: f.issuer, errors: m.errors })}
  ${textField({ id: 'number', label: 'Số văn bản', value: f.number, errors: m.errors })}
  ${textField({ id: 'date', label: 'Ngày ban hành', type: 'date', value: f.date, errors: m.errors })}
  <fieldset class="field${levelsErr ? ' has-error' : ''}" id="appliesTo"><legend>Áp dụng cho cấp học</legend>
    ${levelsErr ? html`<p class="field-error"><span class="visually-hidden">Lỗi:</span> ${levelsErr.text}</p>` : ''}
    ${['TH', 'THCS', 'THPT', 'GDTX'].map((l) => html`<div class="checkbox"><input type="checkbox" id="level-${l}" name="appliesTo" value="${l}"${f.appliesTo.includes(l) ? html` checked` : ''}> <label for="level-${l}">${l}</label></div>`)}
  </fieldset>
  ${textareaField({ id: 'csv', label: 'Dán bảng CSV', value: f.csv, rows: 12, errors: m.errors, hint: 'Hoặc chọn tệp ở ô bên dưới (nếu chọn tệp, nội dung tệp được dùng).' })}
  ${textField({ id: 'file', label: 'Hoặc chọn tệp CSV', type: 'file', errors: m.errors, attrs: html` accept=".csv,text/csv"` })}
  <div class="actions"><button type="submit">Nhập và kiểm tra</button></div>
</form>`,
  })
}
