// The review queue (hàng chờ duyệt): the officer's assessments, submitted ones first, with a
// checkbox per row for the bulk actions; and the page that says what each bulk action did.
import type { Assessment, AssessmentState } from '../../repositories/types.js'
import { STATES } from '../../repositories/types.js'
import { viDate } from '../format.js'
import { html, type Html } from '../html.js'
import { LEVEL_LABEL, STATE_LABELS } from '../messages.js'
import { layout, type FieldError, type SessionView } from './layout.js'

export interface QueueRow { a: Assessment; deadline: Date | null; levels: { code: string; level: number | null }[] }

export interface QueueModel {
  session: SessionView
  notice: string | null
  errors: FieldError[]
  periodId: string
  state: AssessmentState | ''
  periodOptions: { id: string; label: string }[]
  rows: QueueRow[]
  page: number
  hasNext: boolean
  /** More assessments than the queue sorts at once (a narrower filter shows them). */
}

export function queueHref(periodId: string, state: string, page: number): string {
  const q = new URLSearchParams()
  if (periodId) q.set('period', periodId)
  if (state) q.set('state', state)
  if (page > 1) q.set('page', String(page))
  const s = q.toString()
  return s ? `/review?${s}` : '/review'
}

export function queuePage(m: QueueModel): Html {
  const err = m.errors.find((e) => e.field === 'ids')
  return layout({
    title: 'Hàng chờ duyệt', session: m.session, nav: 'review', notice: m.notice, errors: m.errors,
    body: html`<h1>Hàng chờ duyệt</h1>
<form method="get" action="/review" class="panel no-print">
  <div class="field"><label for="period">Đợt đánh giá</label>
    <select id="period" name="period"><option value="">Tất cả các đợt</option>${m.periodOptions.map((p) => html`<option value="${p.id}"${p.id === m.periodId ? html` selected` : ''}>${p.label}</option>`)}</select></div>
  <div class="field"><label for="state">Trạng thái</label>
    <select id="state" name="state"><option value="">Tất cả trạng thái</option>${STATES.map((s) => html`<option value="${s}"${s === m.state ? html` selected` : ''}>${STATE_LABELS[s]}</option>`)}</select></div>
  <div class="actions"><button type="submit" class="secondary">Lọc</button></div>
</form>
${m.rows.length === 0 ? html`<p>Không có phiếu nào.</p>` : html`<form method="post" action="/review/bulk">
  <input type="hidden" name="_csrf" value="${m.session.csrf}">
  <div class="field${err ? ' has-error' : ''}" id="ids" tabindex="-1">
  ${err ? html`<p class="field-error"><span class="visually-hidden">Lỗi:</span> ${err.text}</p>` : ''}
  <div class="table-wrap"><table id="queue">
  <caption>Phiếu đánh giá — phiếu đã nộp (chờ duyệt) trước, rồi theo hạn nộp</caption>
  <thead><tr><th scope="col"><span class="visually-hidden">Chọn</span></th><th scope="col">Trường</th><th scope="col">Trạng thái</th><th scope="col">Ngày nộp</th><th scope="col">Hạn nộp</th><th scope="col">Mức theo nhóm</th></tr></thead>
  <tbody>${m.rows.map((r) => html`<tr data-id="${r.a.id}">
    <td><input type="checkbox" name="ids" value="${r.a.id}" id="pick-${r.a.id}"><label for="pick-${r.a.id}" class="visually-hidden">Chọn phiếu của ${r.a.schoolName}</label>
      <input type="hidden" name="version-${r.a.id}" value="${r.a.version}"></td>
    <th scope="row"><a href="/review/${r.a.id}">${r.a.schoolName}</a> <span class="muted">(${r.a.schoolCode})</span></th>
    <td><span class="tag ${r.a.state}">${STATE_LABELS[r.a.state]}</span></td>
    <td>${viDate(r.a.submittedAt)}</td>
    <td>${viDate(r.deadline)}</td>
    <td>${r.levels.map((g, i) => html`${i > 0 ? ', ' : ''}Nhóm ${g.code}: ${LEVEL_LABEL(g.level)}`)}</td>
  </tr>`)}</tbody>
  </table></div>
  </div>
  <div class="actions">
    <button type="submit" name="action" value="approve">Duyệt các phiếu đã chọn</button>
    <button type="submit" name="action" value="publish" class="secondary">Công bố các phiếu đã chọn</button>
  </div>
</form>`}
${m.page > 1 || m.hasNext ? html`<nav class="actions" aria-label="Phân trang">
  ${m.page > 1 ? html`<a href="${queueHref(m.periodId, m.state, m.page - 1)}" rel="prev">Trang trước</a>` : ''}
  <span>Trang ${m.page}</span>
  ${m.hasNext ? html`<a href="${queueHref(m.periodId, m.state, m.page + 1)}" rel="next">Trang sau</a>` : ''}
</nav>` : ''}`,
  })
}

export interface BulkOutcome { id: string; school: string; ok: boolean; text: string }

export function bulkResultPage(m: { session: SessionView; action: 'approve' | 'publish'; outcomes: BulkOutcome[] }): Html {
  const done = m.outcomes.filter((o) => o.ok).length
  const title = m.action === 'approve' ? 'Kết quả duyệt hàng loạt' : 'Kết quả công bố hàng loạt'
  return layout({
    title, session: m.session, nav: 'review',
    crumbs: [['Hàng chờ duyệt', '/review'], [title, null]],
    body: html`<h1>${title}</h1>
<p>${done} trên ${m.outcomes.length} phiếu đã được ${m.action === 'approve' ? 'duyệt' : 'công bố'}.</p>
<div class="table-wrap"><table id="bulk-result">
<caption>Kết quả từng phiếu</caption>
<thead><tr><th scope="col">Trường</th><th scope="col">Kết quả</th></tr></thead>
<tbody>${m.outcomes.map((o) => html`<tr data-id="${o.id}" data-ok="${o.ok ? 'yes' : 'no'}"><th scope="row">${o.ok || o.school !== '—' ? html`<a href="/review/${o.id}">${o.school}</a>` : o.school}</th><td>${o.ok ? html`<strong>${o.text}</strong>` : html`<span class="field-error">Không thực hiện được: ${o.text}</span>`}</td></tr>`)}</tbody>
</table></div>
<p><a href="/review">Về hàng chờ duyệt</a></p>`,
  })
}
