// The school's own page: its assessment periods (with the deadline that applies to it) and its
// self-assessments, each with its state; a returned one shows why, prominently.
import type { Assessment, Period } from '../../repositories/types.js'
import { html, type Html } from '../html.js'
import { schoolYearLabel, viDate, viDateTime } from '../format.js'
import { LEVEL_LABEL, STATE_LABELS } from '../messages.js'
import type { ScoreResult } from '../../scoring/types.js'
import { layout, type FieldError, type SessionView } from './layout.js'

export interface SchoolHomeModel {
  session: SessionView
  schoolName: string
  periods: { period: Period; deadline: Date; assessment: Assessment | null }[]
  /** Assessments of periods not in the list above (older years). */
  others: Assessment[]
  notice: string | null
  errors?: FieldError[]
}

function stateCell(a: Assessment): Html {
  return html`<span class="tag ${a.state}">${STATE_LABELS[a.state]}</span>`
}

function levels(a: Assessment): string {
  const r = a.result as ScoreResult | null
  if (!r?.groups) return '—'
  return r.groups.map((g) => `Nhóm ${g.code}: ${LEVEL_LABEL(g.level)}`).join('; ')
}

function returned(a: Assessment): Html {
  return a.state === 'returned' && a.returnReason
    ? html`<div class="warning-box" role="note"><p><strong>Phòng/Sở yêu cầu nhập lại:</strong> ${a.returnReason}</p><p><a href="/assessments/${a.id}">Sửa phiếu tự đánh giá</a></p></div>`
    : html``
}

export function schoolHomePage(m: SchoolHomeModel): Html {
  const body = html`<h1>${m.schoolName}</h1>
${m.periods.flatMap((p) => (p.assessment ? [returned(p.assessment)] : []))}
${m.others.map(returned)}
<section class="panel" aria-labelledby="periods-title">
<h2 id="periods-title">Các đợt đánh giá</h2>
${m.periods.length === 0 ? html`<p>Chưa có đợt đánh giá nào áp dụng cho trường.</p>` : html`<div class="table-wrap"><table>
<caption>Các đợt đánh giá áp dụng cho trường</caption>
<thead><tr><th scope="col">Đợt đánh giá</th><th scope="col">Năm học</th><th scope="col">Hạn nộp</th><th scope="col">Trạng thái</th><th scope="col">Mức (tạm tính)</th><th scope="col">Thao tác</th></tr></thead>
<tbody>${m.periods.map(({ period: p, deadline, assessment: a }) => html`<tr>
  <th scope="row">${p.title}</th>
  <td>${schoolYearLabel(p.schoolYear)}</td>
  <td>${viDate(deadline)}</td>
  <td>${a ? stateCell(a) : html`<span class="tag">Chưa bắt đầu</span>`}</td>
  <td>${a ? levels(a) : '—'}</td>
  <td>${a
    ? html`<a href="/assessments/${a.id}">${a.state === 'draft' || a.state === 'returned' ? 'Tiếp tục nhập' : 'Xem phiếu'}<span class="visually-hidden"> — ${p.title}</span></a>`
    : html`<form method="post" action="/school/assessments" class="inline"><input type="hidden" name="_csrf" value="${m.session.csrf}"><input type="hidden" name="periodId" value="${p.id}"><button type="submit">Bắt đầu tự đánh giá<span class="visually-hidden"> — ${p.title}</span></button></form>`}</td>
</tr>`)}</tbody></table></div>`}
</section>
${m.others.length > 0 ? html`<section class="panel" aria-labelledby="others-title"><h2 id="others-title">Các phiếu khác</h2>
<ul>${m.others.map((a) => html`<li><a href="/assessments/${a.id}">Phiếu năm học ${schoolYearLabel(a.schoolYear)}</a> — ${stateCell(a)} · cập nhật ${viDateTime(a.updatedAt)}</li>`)}</ul></section>` : ''}`
  return layout({ title: 'Trang của trường', session: m.session, nav: 'home', notice: m.notice, errors: m.errors, body })
}
