// One assessment as the officer reviews it: the school's result and the external one side by side,
// the actions the workflow allows this person now, the approve confirmation, the external
// assessment form and the audit trail.
import type { Assessment, AuditEntry } from '../../repositories/types.js'
import type { CompiledSet } from '../../scoring/compile-set.js'
import { factValueText } from './score-panel.js'
import type { CriterionResult, GroupResult, ScoreResult } from '../../scoring/types.js'
import type { Action } from '../../services/workflow.js'
import { viDate, viDateTime, viNumber } from '../format.js'
import { html, type Html } from '../html.js'
import { ACTION_LABELS, LEVEL_LABEL, STATE_LABELS, actorText } from '../messages.js'
import { factInputs } from './evidence-fields.js'
import { layout, type FieldError, type SessionView } from './layout.js'

export interface ReviewModel {
  /** The assessment's criteria set: fact labels and an enum's words for information criteria. */
  set: CompiledSet | null
  session: SessionView
  notice: string | null
  errors: FieldError[]
  a: Assessment
  periodTitle: string
  schoolYear: string
  deadline: Date
  actions: Action[]
  externalAllowed: boolean
  reasons: Partial<Record<'return' | 'revoke', string>>
  audit: { items: AuditEntry[]; total: number; page: number; pageSize: number }
}

const AUDIT_LABELS: Record<string, string> = {
  'assessment.create': 'Tạo phiếu tự đánh giá',
  'assessment.evidence': 'Lưu thông tin tự đánh giá',
  'assessment.submit': 'Nộp phiếu tự đánh giá',
  'assessment.return': 'Yêu cầu nhập lại',
  'assessment.approve': 'Duyệt',
  'assessment.revoke': 'Thu hồi phê duyệt',
  'assessment.publish': 'Công bố',
  'assessment.external': 'Ghi đánh giá ngoài',
  'assessment.references-refreshed': 'Cập nhật theo kết quả bộ tiêu chí liên quan',
  'document.add': 'Đính kèm minh chứng',
  'document.create': 'Đính kèm minh chứng',
  'document.delete': 'Xóa minh chứng',
}
export const auditLabel = (action: string): string => AUDIT_LABELS[action] ?? action

const points = (v: number | null | undefined, max: number | null | undefined) => `${viNumber(v ?? null)}${max !== null && max !== undefined ? ` / ${viNumber(max)}` : ''}`

function groupLevels(r: ScoreResult | null): Map<string, GroupResult> {
  return new Map((r?.groups ?? []).map((g) => [g.code, g]))
}

/** Groups: points and level, self and external side by side. */
export function groupsTable(self: ScoreResult, external: ScoreResult | null, id = 'groups'): Html {
  const ext = groupLevels(external)
  return html`<div class="table-wrap"><table id="${id}">
<caption>Kết quả theo nhóm tiêu chí: tự đánh giá và đánh giá ngoài</caption>
<thead><tr><th scope="col">Nhóm</th><th scope="col" class="num">Tự đánh giá: điểm</th><th scope="col">Tự đánh giá: mức</th><th scope="col" class="num">Đánh giá ngoài: điểm</th><th scope="col">Đánh giá ngoài: mức</th></tr></thead>
<tbody>${self.groups.map((g) => {
    const e = ext.get(g.code)
    return html`<tr data-group="${g.code}"><th scope="row">Nhóm ${g.code}: ${g.title}</th>
<td class="num">${points(g.total, g.maxPoints)}</td><td data-self-level="${g.level ?? ''}" class="${g.level ? `level-${g.level}` : ''}">${LEVEL_LABEL(g.level)}${g.levelName ? ` — ${g.levelName}` : ''}</td>
<td class="num">${e ? points(e.total, e.maxPoints) : '—'}</td><td data-external-level="${e?.level ?? ''}" class="${e?.level ? `level-${e.level}` : ''}">${e ? html`${LEVEL_LABEL(e.level)}${e.levelName ? ` — ${e.levelName}` : ''}` : 'Chưa có'}</td></tr>`
  })}</tbody>
</table></div>`
}

function flat(list: CriterionResult[], depth = 0, out: { c: CriterionResult; depth: number }[] = []) {
  for (const c of list) { out.push({ c, depth }); if (c.children) flat(c.children, depth + 1, out) }
  return out
}

function cell(c: CriterionResult | undefined, set: CompiledSet | null): string {
  if (!c) return '—'
  if (c.kind === 'mandatory' || c.kind === 'target') return c.met === true ? 'Đạt' : c.met === false ? 'Không đạt' : 'Chưa đủ thông tin'
  if (c.kind === 'info') return infoText(set, c.value)
  return points(c.points ?? null, c.maxPoints)
}

/** An information criterion's value: facts by key (a solution's name, how it was acquired…) are
 *  shown as their values in Vietnamese, one after another. */
function infoText(set: CompiledSet | null, v: unknown): string {
  if (v === undefined || v === null) return '—'
  if (typeof v === 'object' && !Array.isArray(v)) {
    const parts = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => factValueText(set, k, x))
    return parts.length ? parts.join('; ') : '—'
  }
  return factValueText(set, '', v)
}

/** Per criterion: the school's points (or met) beside the external ones. */
function criteriaTables(self: ScoreResult, external: ScoreResult | null, set: CompiledSet | null): Html {
  const ext = new Map(flat((external?.groups ?? []).flatMap((g) => g.criteria)).map(({ c }) => [c.code, c]))
  return html`${self.groups.map((g) => html`<div class="table-wrap"><table id="criteria-${g.code}">
<caption>Nhóm ${g.code}: ${g.title} — từng tiêu chí</caption>
<thead><tr><th scope="col">Tiêu chí</th><th scope="col" class="num">Tự đánh giá</th><th scope="col" class="num">Đánh giá ngoài</th></tr></thead>
<tbody>${flat(g.criteria).map(({ c, depth }) => {
    const e = ext.get(c.code)
    const differs = external !== null && e !== undefined && cell(c, set) !== cell(e, set)
    return html`<tr data-criterion="${c.code}"><th scope="row">${depth > 0 ? html`<span class="muted">${'— '.repeat(depth)}</span>` : ''}${c.code}. ${c.title}</th><td class="num">${cell(c, set)}</td><td class="num">${external ? html`${cell(e, set)}${differs ? html` <strong>(khác)</strong>` : ''}` : '—'}</td></tr>`
  })}</tbody></table></div>`)}`
}

function reasonField(action: 'return' | 'revoke', m: ReviewModel): Html {
  const id = `reason-${action}`
  const err = m.errors.find((e) => e.field === id)
  return html`<div class="field${err ? ' has-error' : ''}">
  <label for="${id}">${action === 'return' ? 'Lý do yêu cầu nhập lại (trường sẽ đọc)' : 'Lý do thu hồi phê duyệt (trường sẽ đọc)'}</label>
  <p class="hint" id="${id}-hint">Ghi rõ cần sửa gì để trường biết.</p>
  ${err ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Lỗi:</span> ${err.text}</p>` : ''}
  <textarea id="${id}" name="reason" rows="4" maxlength="2000" aria-describedby="${id}-hint${err ? ` ${id}-error` : ''}"${err ? html` aria-invalid="true"` : ''} required>${m.reasons[action] ?? ''}</textarea>
</div>`
}

function actionsPanel(m: ReviewModel): Html {
  const { a } = m
  const hidden = html`<input type="hidden" name="_csrf" value="${m.session.csrf}"><input type="hidden" name="version" value="${a.version}">`
  const err = m.errors.find((e) => e.field === 'actions')
  const forms = m.actions.map((action) => {
    switch (action) {
      case 'approve':
        return html`<div class="panel"><h3>Duyệt</h3><p>Xem lại mức của hai nhóm trước khi duyệt.</p><p><a class="button" href="/review/${a.id}/approve">${ACTION_LABELS.approve}</a></p></div>`
      case 'return':
      case 'revoke':
        return html`<form method="post" action="/review/${a.id}/${action}" class="panel" novalidate><h3>${ACTION_LABELS[action]}</h3>${hidden}${reasonField(action, m)}
<div class="actions"><button type="submit" class="warning">${ACTION_LABELS[action]}</button></div></form>`
      case 'publish':
        return html`<form method="post" action="/review/${a.id}/publish" class="panel"><h3>Công bố</h3>${hidden}<p>Kết quả đã duyệt sẽ được công bố.</p>
<div class="actions"><button type="submit">${ACTION_LABELS.publish}</button></div></form>`
      default:
        return html``
    }
  })
  return html`<h2 id="actions" tabindex="-1">Thao tác</h2>
${err ? html`<p class="field-error"><span class="visually-hidden">Lỗi:</span> ${err.text}</p>` : ''}
${m.actions.length === 0 ? html`<p>Không có thao tác nào bạn có thể thực hiện với phiếu ở trạng thái này.</p>` : forms}
${m.externalAllowed ? html`<p><a href="/review/${a.id}/external">${a.external ? 'Sửa đánh giá ngoài' : 'Ghi đánh giá ngoài'}</a></p>` : ''}`
}

function auditTable(m: ReviewModel): Html {
  const { items, total, page, pageSize } = m.audit
  const pages = Math.max(1, Math.ceil(total / pageSize))
  return html`<h2>Lịch sử thay đổi</h2>
${items.length === 0 ? html`<p>Chưa có thay đổi nào.</p>` : html`<div class="table-wrap"><table id="audit">
<caption>Lịch sử thay đổi của phiếu (trang ${page}/${pages})</caption>
<thead><tr><th scope="col">Thời gian</th><th scope="col">Người thực hiện</th><th scope="col">Thao tác</th></tr></thead>
<tbody>${items.map((e) => html`<tr><td>${viDateTime(e.at)}</td><td>${actorText(e.actor)}</td><td>${auditLabel(e.action)}</td></tr>`)}</tbody>
</table></div>`}
${pages > 1 ? html`<nav class="actions" aria-label="Phân trang lịch sử">
${page > 1 ? html`<a href="/review/${m.a.id}?audit=${page - 1}#audit" rel="prev">Trang trước</a>` : ''}<span>Trang ${page}</span>
${page < pages ? html`<a href="/review/${m.a.id}?audit=${page + 1}#audit" rel="next">Trang sau</a>` : ''}</nav>` : ''}`
}

export function reviewPage(m: ReviewModel): Html {
  const { a } = m
  const self = a.result as ScoreResult
  const external = (a.external?.result as ScoreResult | undefined) ?? null
  return layout({
    title: `Phiếu của ${a.schoolName}`, session: m.session, nav: 'review', notice: m.notice, errors: m.errors,
    crumbs: [['Hàng chờ duyệt', '/review'], [a.schoolName, null]],
    body: html`<h1>Phiếu đánh giá của ${a.schoolName}</h1>
<dl class="summary-list">
  <dt>Mã trường</dt><dd>${a.schoolCode}</dd>
  <dt>Đợt đánh giá</dt><dd>${m.periodTitle} (năm học ${m.schoolYear})</dd>
  <dt>Trạng thái</dt><dd><span class="tag ${a.state}" id="state">${STATE_LABELS[a.state]}</span></dd>
  <dt>Hạn nộp</dt><dd>${viDate(m.deadline)}</dd>
  <dt>Ngày nộp</dt><dd>${viDate(a.submittedAt)}</dd>
  ${a.approvedAt ? html`<dt>Ngày duyệt</dt><dd>${viDate(a.approvedAt)}</dd>` : ''}
  ${a.publishedAt ? html`<dt>Ngày công bố</dt><dd>${viDate(a.publishedAt)}</dd>` : ''}
  ${a.returnReason ? html`<dt>Lý do trả lại</dt><dd id="return-reason">${a.returnReason}</dd>` : ''}
  ${a.external ? html`<dt>Đánh giá ngoài</dt><dd>Ghi lúc ${viDateTime(a.external.at)} bởi ${actorText(a.external.by)}</dd>` : ''}
</dl>
<p><a href="/assessments/${a.id}/sheet">Xem và in phiếu</a></p>
${actionsPanel(m)}
<h2>Kết quả</h2>
${groupsTable(self, external)}
${self.overall ? html`<p>${self.overall.label}: tự đánh giá ${LEVEL_LABEL(self.overall.level)}${external?.overall ? html`; đánh giá ngoài ${LEVEL_LABEL(external.overall.level)}` : ''}.</p>` : ''}
<h2>Từng tiêu chí</h2>
${criteriaTables(self, external, m.set)}
${auditTable(m)}`,
  })
}

export function approveConfirmPage(m: { session: SessionView; a: Assessment; errors: FieldError[] }): Html {
  const { a } = m
  const self = a.result as ScoreResult
  const external = (a.external?.result as ScoreResult | undefined) ?? null
  return layout({
    title: `Duyệt phiếu của ${a.schoolName}`, session: m.session, nav: 'review', errors: m.errors,
    crumbs: [['Hàng chờ duyệt', '/review'], [a.schoolName, `/review/${a.id}`], ['Duyệt', null]],
    body: html`<h1>Duyệt phiếu của ${a.schoolName}?</h1>
<p>Trạng thái hiện tại: <span class="tag ${a.state}">${STATE_LABELS[a.state]}</span>. Sau khi duyệt, trường không sửa phiếu được nữa (trừ khi thu hồi phê duyệt).</p>
${groupsTable(self, external, 'confirm-groups')}
${external ? '' : html`<p>Chưa có đánh giá ngoài: kết quả được công nhận là kết quả tự đánh giá.</p>`}
<form method="post" action="/review/${a.id}/approve" id="main-form">
  <input type="hidden" name="_csrf" value="${m.session.csrf}"><input type="hidden" name="version" value="${a.version}">
  <div class="actions"><button type="submit">Xác nhận duyệt</button><a href="/review/${a.id}">Quay lại, chưa duyệt</a></div>
</form>`,
  })
}

export function externalFormPage(m: {
  session: SessionView; a: Assessment; set: CompiledSet; facts: Record<string, unknown>; errors: FieldError[]
  byCriterion: Map<string, string[]>; source: 'external' | 'self'
}): Html {
  const { a, set } = m
  const titles = new Map<string, string>()
  const walk = (list: { code: string; title: string; children?: unknown[] }[]) => { for (const c of list) { titles.set(c.code, c.title); if (c.children) walk(c.children as never) } }
  for (const g of set.def.groups) walk(g.criteria as never)
  const groupOf = new Map<string, string>()
  for (const g of set.def.groups) { const mark = (list: { code: string; children?: unknown[] }[]) => { for (const c of list) { groupOf.set(c.code, g.code); if (c.children) mark(c.children as never) } }; mark(g.criteria as never) }
  return layout({
    title: `Đánh giá ngoài — ${a.schoolName}`, session: m.session, nav: 'review', errors: m.errors,
    crumbs: [['Hàng chờ duyệt', '/review'], [a.schoolName, `/review/${a.id}`], ['Đánh giá ngoài', null]],
    body: html`<h1>Đánh giá ngoài: ${a.schoolName}</h1>
<p>${m.source === 'external' ? 'Biểu mẫu đang hiện đánh giá ngoài đã ghi.' : 'Biểu mẫu đang hiện thông tin trường tự đánh giá; sửa những điểm đoàn đánh giá thấy khác.'} Kết quả tự đánh giá của trường được giữ nguyên bên cạnh.</p>
<p class="no-print"><a href="/review/${a.id}/external?from=self">Sao chép từ tự đánh giá</a></p>
<form method="post" action="/review/${a.id}/external" novalidate>
  <input type="hidden" name="_csrf" value="${m.session.csrf}"><input type="hidden" name="version" value="${a.version}">
  ${set.def.groups.map((g) => html`<h2>Nhóm ${g.code}: ${g.title}</h2>
  ${[...m.byCriterion].filter(([code, keys]) => groupOf.get(code) === g.code && keys.length > 0).map(([code, keys]) => html`<div class="criterion"><h3>${code}. ${titles.get(code) ?? ''}</h3>
  ${factInputs(set, m.facts, m.errors, keys)}</div>`)}`)}
  <div class="actions"><button type="submit">Lưu đánh giá ngoài</button><a href="/review/${a.id}">Hủy</a></div>
</form>`,
  })
}
