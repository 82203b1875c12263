// The periods pages: the visible periods with the "open a period" form; one period with its
// deadlines, extensions, the forms to change them, and the report downloads.
import type { Period } from '../../repositories/types.js'
import { isoDay, schoolYearLabel, viDate } from '../format.js'
import { html, type Html } from '../html.js'
import { layout, type SessionView } from './layout.js'
import { csrfField, errOf, pager, textField, type Errors } from './admin-common.js'

export interface SetChoice { spec: string; label: string }
export interface PeriodForm { unitCode: string; schoolYear: string; title: string; criteriaSets: string[]; submissionDeadline: string; reviewDeadline: string }

export function periodsListPage(m: { session: SessionView; notice: string | null; periods: Period[]; page: number; hasNext: boolean; sets: SetChoice[]; form: PeriodForm; errors: Errors }): Html {
  const f = m.form
  const setErr = errOf(m.errors, 'criteriaSets')
  return layout({
    title: 'Đợt đánh giá', session: m.session, nav: 'periods', notice: m.notice, errors: m.errors,
    body: html`<h1>Đợt đánh giá</h1>
${m.periods.length === 0 ? html`<p>Chưa có đợt đánh giá nào trong phạm vi của bạn.</p>` : html`<div class="table-wrap"><table>
  <caption>Các đợt đánh giá trong phạm vi của bạn (trang ${m.page})</caption>
  <thead><tr><th scope="col">Tên đợt</th><th scope="col">Đơn vị mở</th><th scope="col">Năm học</th><th scope="col">Bộ tiêu chí</th><th scope="col">Hạn nộp</th><th scope="col">Hạn duyệt</th></tr></thead>
  <tbody>${m.periods.map((p) => html`<tr><td><a href="/periods/${encodeURIComponent(p.id)}">${p.title}</a></td><td>${p.unitCode}</td><td>${schoolYearLabel(p.schoolYear)}</td><td>${p.criteriaSets.join(', ')}</td><td>${viDate(p.submissionDeadline)}</td><td>${viDate(p.reviewDeadline)}</td></tr>`)}</tbody>
</table></div>`}
${pager(m.page, m.hasNext, (p) => `/periods?page=${p}`)}
${m.session.role === 'school' ? '' : html`<h2 id="mo-dot">Mở đợt đánh giá</h2>
<form method="post" action="/periods" class="panel" novalidate>
  ${csrfField(m.session)}
  ${textField({ id: 'unitCode', label: 'Mã đơn vị mở đợt', value: f.unitCode, errors: m.errors, hint: 'Đợt áp dụng cho các trường thuộc đơn vị này trong năm học. Ví dụ: LB' })}
  ${textField({ id: 'schoolYear', label: 'Năm học', value: f.schoolYear, errors: m.errors, hint: 'Dạng 2025-2026' })}
  ${textField({ id: 'title', label: 'Tên đợt', value: f.title, errors: m.errors })}
  <fieldset class="field${setErr ? ' has-error' : ''}" id="criteriaSets">
    <legend>Bộ tiêu chí</legend>
    ${setErr ? html`<p class="field-error" id="criteriaSets-error"><span class="visually-hidden">Lỗi:</span> ${setErr.text}</p>` : ''}
    ${m.sets.map((s, i) => html`<div class="checkbox"><input type="checkbox" id="set-${i}" name="criteriaSets" value="${s.spec}"${f.criteriaSets.includes(s.spec) ? html` checked` : ''}> <label for="set-${i}">${s.label}</label></div>`)}
  </fieldset>
  ${textField({ id: 'submissionDeadline', label: 'Hạn nộp tự đánh giá', type: 'date', value: f.submissionDeadline, errors: m.errors, hint: 'Hết ngày này (giờ Việt Nam).' })}
  ${textField({ id: 'reviewDeadline', label: 'Hạn duyệt (không bắt buộc)', type: 'date', value: f.reviewDeadline, errors: m.errors })}
  <div class="actions"><button type="submit">Mở đợt đánh giá</button></div>
</form>`}`,
  })
}

export interface ExtendForm { unitCode: string; schoolCode: string; until: string; reason: string }

export function periodPage(m: { session: SessionView; notice: string | null; period: Period; errors: Errors; deadlines: { submissionDeadline: string; reviewDeadline: string }; extend: ExtendForm; exportUnit: string }): Html {
  const p = m.period
  const e = m.extend
  return layout({
    title: p.title, session: m.session, nav: 'periods', notice: m.notice, errors: m.errors,
    crumbs: [['Đợt đánh giá', '/periods'], [p.title, null]],
    body: html`<h1>${p.title}</h1>
<dl class="summary-list">
  <dt>Đơn vị mở đợt</dt><dd>${p.unitCode}</dd>
  <dt>Năm học</dt><dd>${schoolYearLabel(p.schoolYear)}</dd>
  <dt>Bộ tiêu chí</dt><dd>${p.criteriaSets.join(', ')}</dd>
  <dt>Hạn nộp</dt><dd>${viDate(p.submissionDeadline)}</dd>
  <dt>Hạn duyệt</dt><dd>${viDate(p.reviewDeadline)}</dd>
</dl>
<h2>Gia hạn</h2>
${p.extensions.length === 0 ? html`<p>Chưa có gia hạn nào.</p>` : html`<div class="table-wrap"><table>
  <caption>Các gia hạn nộp của đợt</caption>
  <thead><tr><th scope="col">Áp dụng cho</th><th scope="col">Gia hạn đến</th><th scope="col">Lý do</th></tr></thead>
  <tbody>${p.extensions.map((x) => html`<tr><td>${x.unitCode ? `Đơn vị ${x.unitCode}` : `Trường ${x.schoolCode ?? ''}`}</td><td>${viDate(x.until)}</td><td>${x.reason}</td></tr>`)}</tbody>
</table></div>`}
<form method="post" action="/periods/${encodeURIComponent(p.id)}/extensions" class="panel" novalidate>
  <h3>Thêm gia hạn</h3>
  ${csrfField(m.session)}
  <p class="hint">Nhập mã đơn vị <strong>hoặc</strong> mã trường (một trong hai).</p>
  ${textField({ id: 'extUnitCode', name: 'unitCode', label: 'Mã đơn vị được gia hạn', value: e.unitCode, errors: m.errors })}
  ${textField({ id: 'extSchoolCode', name: 'schoolCode', label: 'Mã trường được gia hạn', value: e.schoolCode, errors: m.errors })}
  ${textField({ id: 'until', label: 'Gia hạn đến hết ngày', type: 'date', value: e.until, errors: m.errors })}
  ${textField({ id: 'reason', label: 'Lý do', value: e.reason, errors: m.errors })}
  <div class="actions"><button type="submit">Thêm gia hạn</button></div>
</form>
<h2>Đổi hạn chót</h2>
<form method="post" action="/periods/${encodeURIComponent(p.id)}/deadlines" class="panel" novalidate>
  ${csrfField(m.session)}
  ${textField({ id: 'submissionDeadline', label: 'Hạn nộp tự đánh giá', type: 'date', value: m.deadlines.submissionDeadline, errors: m.errors, hint: 'Hết ngày này (giờ Việt Nam).' })}
  ${textField({ id: 'reviewDeadline', label: 'Hạn duyệt (để trống nếu không có)', type: 'date', value: m.deadlines.reviewDeadline, errors: m.errors })}
  <div class="actions"><button type="submit">Lưu hạn chót</button></div>
</form>
<h2>Tải báo cáo</h2>
<form method="get" action="/exports" class="panel">
  <input type="hidden" name="period" value="${p.id}">
  ${textField({ id: 'exportUnit', name: 'unit', label: 'Mã đơn vị của báo cáo', value: m.exportUnit, errors: m.errors })}
  <div class="actions"><button type="submit" name="format" value="csv" class="secondary">Tải CSV</button> <button type="submit" name="format" value="xlsx" class="secondary">Tải XLSX</button></div>
</form>`,
  })
}

export const dayOf = (d: Date | null): string => (d ? isoDay(d) : '')
