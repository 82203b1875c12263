// Check answers before submitting: per group the answers in Vietnamese, what is still missing (each
// with a link to its field), the levels that would be submitted, and the submit button.
import type { CompiledSet } from '../../scoring/compile-set.js'
import type { ScoreResult } from '../../scoring/types.js'
import type { Assessment } from '../../repositories/types.js'
import { html, type Html } from '../html.js'
import { viDate, viNumber } from '../format.js'
import { LEVEL_LABEL, STATE_LABELS } from '../messages.js'
import { factFieldId } from '../forms/evidence-form.js'
import { factsByCriterion } from './evidence-fields.js'
import { layout, type FieldError, type SessionView } from './layout.js'
import { factValueText, readableReason } from './score-panel.js'
import type { CompiledCriterion } from '../../scoring/compile-set.js'

export interface CheckModel {
  session: SessionView
  a: Assessment
  set: CompiledSet
  deadline: Date | null
  notice: string | null
  problem?: string
  errors?: FieldError[]
}

export function checkAnswersPage(m: CheckModel): Html {
  const { a, set } = m
  const r = a.result as ScoreResult
  const by = factsByCriterion(set)
  const missing = new Set(r.missingFacts)
  const editable = a.state === 'draft' || a.state === 'returned'
  const groupKeys = (codes: CompiledCriterion[]): string[] => codes.flatMap((c) => [...(by.get(c.code) ?? []), ...groupKeys(c.children)])
  const label = (k: string) => set.facts.get(k)?.label ?? k
  const groups = set.groups.map((g) => {
    const keys = groupKeys(g.criteria)
    const gr = r.groups.find((x) => x.code === g.code)
    const gMissing = keys.filter((k) => missing.has(k))
    return html`<section class="panel" aria-labelledby="check-${g.code}">
  <h2 id="check-${g.code}">Nhóm ${g.code}: ${g.title}</h2>
  <p>Tổng điểm: <strong>${viNumber(gr?.total)}</strong> / ${viNumber(g.maxPoints)} · Mức sẽ nộp: <strong>${LEVEL_LABEL(gr?.level)}</strong>${gr?.levelReason ? html` <span class="hint">(${readableReason(m.set, gr.levelReason.text)})</span>` : ''}</p>
  ${gMissing.length > 0 ? html`<div class="warning-box"><h3>Còn thiếu ${gMissing.length} thông tin</h3><ul class="missing">${gMissing.map((k) => html`<li>${label(k)} ${editable ? html`<a href="/assessments/${a.id}#${factFieldId(k)}">Sửa<span class="visually-hidden"> — ${label(k)}</span></a>` : ''}</li>`)}</ul></div>` : ''}
  <dl class="summary-list">${keys.filter((k) => !missing.has(k) || a.facts[k] !== undefined).map((k) => html`<dt>${label(k)}</dt><dd>${factValueText(set, k, a.facts[k])}${editable ? html` <a href="/assessments/${a.id}#${factFieldId(k)}">Sửa<span class="visually-hidden"> — ${label(k)}</span></a>` : ''}</dd>`)}</dl>
</section>`
  })
  const body = html`<h1>Kiểm tra trước khi nộp — ${a.schoolName}</h1>
<p><span class="tag ${a.state}">${STATE_LABELS[a.state]}</span>${m.deadline ? html` · Hạn nộp: <strong>${viDate(m.deadline)}</strong>` : ''}</p>
${m.problem ? html`<div class="warning-box" role="alert"><p>${m.problem}</p></div>` : ''}
${r.missingFacts.length > 0
    ? html`<div class="warning-box" id="missing-summary"><h2>Còn thiếu ${r.missingFacts.length} thông tin</h2><p>Phiếu cần đủ thông tin mới nộp được. Xem danh sách ở từng nhóm bên dưới.</p></div>`
    : html`<div class="notice" id="missing-summary"><p>Đã nhập đủ thông tin.</p></div>`}
<p class="no-print"><a href="/assessments/${a.id}">Quay lại phiếu tự đánh giá</a> · <a href="/assessments/${a.id}/sheet">Xem và in phiếu</a></p>
${groups}
${r.overall ? html`<p><strong>${r.overall.label}:</strong> ${LEVEL_LABEL(r.overall.level)}</p>` : ''}
${editable ? html`<form method="post" action="/assessments/${a.id}/submit" class="actions">
  <input type="hidden" name="_csrf" value="${m.session.csrf}">
  <input type="hidden" name="version" value="${a.version}">
  <button type="submit">Nộp tự đánh giá</button>
</form>` : ''}`
  return layout({ title: `Kiểm tra trước khi nộp — ${a.schoolName}`, session: m.session, nav: 'home', notice: m.notice, errors: m.errors, body, crumbs: [['Trang của trường', '/school'], ['Phiếu tự đánh giá', `/assessments/${a.id}`], ['Kiểm tra trước khi nộp', null]] })
}
