// The self-assessment form (phiếu tự đánh giá), generated from the criteria set: groups → criteria
// (code, title, points, expected evidence, provenance) → the inputs of the facts each criterion
// reads. One form saves a draft; attaching a file or a link is a form of its own (the inputs at a
// criterion belong to it through the form="" attribute, since forms cannot nest).
import type { CompiledCriterion, CompiledSet } from '../../scoring/compile-set.js'
import type { ScoreResult } from '../../scoring/types.js'
import type { Assessment, DocumentRecord } from '../../repositories/types.js'
import { html, type Html } from '../html.js'
import { viDate, viDateTime, viNumber } from '../format.js'
import { STATE_LABELS } from '../messages.js'
import { factFieldId } from '../forms/evidence-form.js'
import { factInputs, factsByCriterion } from './evidence-fields.js'
import { layout, type FieldError, type SessionView } from './layout.js'
import { scorePanel } from './score-panel.js'

export interface AssessmentFormModel {
  session: SessionView
  a: Assessment
  set: CompiledSet
  /** The values shown in the inputs (the saved ones, or the person's after a validation error). */
  facts: Record<string, unknown>
  errors: FieldError[]
  documents: DocumentRecord[]
  /** The saved result with its next-level hints. */
  result: ScoreResult
  editable: boolean
  deadline: Date | null
  notice: string | null
  /** After a stale save: what the person had typed that is not saved ([label, value]). */
  unsaved?: [string, string][]
  /** A message at the top (a refused document, say). */
  problem?: string
}

const CONFIDENCE: Record<string, string> = { unconfirmed: 'Chưa xác nhận', convention: 'Quy ước tạm' }

function provenance(c: CompiledCriterion): Html {
  const p = c.def.provenance
  if (p.confidence === 'confirmed') return html``
  return html`<p class="provenance ${p.confidence}"><strong>${CONFIDENCE[p.confidence] ?? p.confidence}:</strong> ${p.note ?? ''} <span class="muted">(Nguồn: ${p.source})</span></p>`
}

function attachForms(m: AssessmentFormModel, c: CompiledCriterion, docKeys: string[]): Html {
  if (!m.editable || docKeys.length === 0) return html``
  const base = `doc-${c.code.replace(/\./g, '-')}`
  const factChoice = (form: string) => docKeys.length === 1
    ? html`<input type="hidden" name="fact" value="${docKeys[0]}" form="${form}">`
    : html`<div class="field"><label for="${form}-fact">Dùng cho</label><select id="${form}-fact" name="fact" form="${form}">${docKeys.map((k) => html`<option value="${k}">${m.set.facts.get(k)?.label ?? k}</option>`)}</select></div>`
  return html`<details class="attach">
  <summary>Đính kèm tệp hoặc thêm đường dẫn minh chứng cho tiêu chí ${c.code}</summary>
  <p class="hint">Hãy lưu bản nháp trước: đính kèm sẽ tải lại trang.</p>
  <div class="side-by-side">
    <div>
      <h4>Tải tệp lên</h4>
      ${factChoice(`${base}-file`)}
      <div class="field"><label for="${base}-file-title">Tên văn bản (tệp)</label><input type="text" id="${base}-file-title" name="title" maxlength="500" form="${base}-file"></div>
      <div class="field"><label for="${base}-file-file">Tệp (PDF, ảnh, Word, Excel, PowerPoint)</label><input type="file" id="${base}-file-file" name="file" form="${base}-file" accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"></div>
      <button type="submit" class="secondary" form="${base}-file">Tải tệp lên</button>
    </div>
    <div>
      <h4>Thêm đường dẫn</h4>
      ${factChoice(`${base}-link`)}
      <div class="field"><label for="${base}-link-title">Tên văn bản (đường dẫn)</label><input type="text" id="${base}-link-title" name="title" maxlength="500" form="${base}-link"></div>
      <div class="field"><label for="${base}-link-url">Đường dẫn (https://…)</label><input type="url" id="${base}-link-url" name="url" maxlength="2000" form="${base}-link"></div>
      <button type="submit" class="secondary" form="${base}-link">Thêm đường dẫn</button>
    </div>
  </div>
</details>`
}

/** The (empty) forms the attach inputs belong to, outside the draft form. */
function attachFormElements(m: AssessmentFormModel, codes: string[]): Html {
  return html`${codes.map((code) => {
    const base = `doc-${code.replace(/\./g, '-')}`
    return html`<form id="${base}-file" method="post" enctype="multipart/form-data" action="/assessments/${m.a.id}/documents?_csrf=${encodeURIComponent(m.session.csrf)}&amp;criterion=${encodeURIComponent(code)}"></form>
<form id="${base}-link" method="post" action="/assessments/${m.a.id}/links"><input type="hidden" name="_csrf" value="${m.session.csrf}"><input type="hidden" name="criterion" value="${code}"></form>`
  })}`
}

function criterionBlock(m: AssessmentFormModel, by: Map<string, string[]>, c: CompiledCriterion, level: number, withDocs: string[]): Html {
  const keys = by.get(c.code) ?? []
  const docKeys = keys.filter((k) => m.set.facts.get(k)?.type === 'document')
  if (docKeys.length > 0 && m.editable) withDocs.push(c.code)
  const head = html`<span class="code">${c.code}</span> ${c.title}`
  const points = c.maxPoints !== undefined ? html`<span class="points">Tối đa ${viNumber(c.maxPoints)} điểm</span>` : c.kind === 'mandatory' ? html`<span class="tag">Điều kiện bắt buộc</span>` : ''
  const children = c.children.map((ch) => criterionBlock(m, by, ch, 4, withDocs))
  return html`<section class="criterion" id="criterion-${c.code}" aria-labelledby="criterion-${c.code}-title">
  <div class="criterion-head">${level === 3 ? html`<h3 id="criterion-${c.code}-title">${head}</h3>` : html`<h4 id="criterion-${c.code}-title">${head}</h4>`} ${points}</div>
  ${c.def.evidence?.expected ? html`<p><strong>Minh chứng cần có:</strong> ${c.def.evidence.expected}</p>` : ''}
  ${provenance(c)}
  ${factInputs(m.set, m.facts, m.errors, keys, { disabled: !m.editable })}
  ${attachForms(m, c, docKeys)}
  ${children}
</section>`
}

function documentsList(m: AssessmentFormModel): Html {
  if (m.documents.length === 0) return html`<p class="muted">Chưa có minh chứng đính kèm.</p>`
  return html`<div class="table-wrap"><table>
  <caption>Minh chứng đã đính kèm</caption>
  <thead><tr><th scope="col">Tên văn bản</th><th scope="col">Loại</th><th scope="col">Ngày thêm</th></tr></thead>
  <tbody>${m.documents.map((d) => html`<tr>
    <th scope="row">${d.kind === 'file' ? html`<a href="/assessments/${m.a.id}/documents/${d.id}">${d.title}</a>` : html`<a href="${d.url ?? '#'}" rel="noopener noreferrer">${d.title}</a>`}</th>
    <td>${d.kind === 'file' ? `Tệp${d.size !== null ? ` (${viNumber((d.size ?? 0) / 1024, 0)} KB)` : ''}` : 'Đường dẫn'}</td>
    <td>${viDateTime(d.createdAt)}</td></tr>`)}</tbody>
</table></div>`
}

export function assessmentFormPage(m: AssessmentFormModel): Html {
  const by = factsByCriterion(m.set)
  const withDocs: string[] = []
  const groups = m.set.groups.map((g) => html`<section class="panel" aria-labelledby="group-${g.code}-title">
  <h2 id="group-${g.code}-title">Nhóm ${g.code}: ${g.title}${g.maxPoints !== null ? html` <span class="points">(tối đa ${viNumber(g.maxPoints)} điểm)</span>` : ''}</h2>
  ${g.criteria.map((c) => criterionBlock(m, by, c, 3, withDocs))}
</section>`)
  const a = m.a
  const body = html`<h1>Phiếu tự đánh giá — ${a.schoolName}</h1>
<p><span class="tag ${a.state}">${STATE_LABELS[a.state]}</span> ${m.set.title} (${m.set.id}@${m.set.version})${m.deadline ? html` · Hạn nộp: <strong>${viDate(m.deadline)}</strong>` : ''} · Lưu lần cuối: ${viDateTime(a.updatedAt)}</p>
${a.state === 'returned' && a.returnReason ? html`<div class="warning-box" role="note"><h2>Phòng/Sở yêu cầu nhập lại</h2><p>Phòng/Sở yêu cầu nhập lại: ${a.returnReason}</p></div>` : ''}
${m.problem ? html`<div class="warning-box" role="alert"><p>${m.problem}</p></div>` : ''}
${m.unsaved ? html`<div class="warning-box" role="alert" id="stale">
  <h2>Người khác vừa thay đổi phiếu này</h2>
  <p>Người khác vừa lưu phiếu này sau khi bạn mở nó, nên thay đổi của bạn chưa được lưu. Biểu mẫu dưới đây đang hiện nội dung đã lưu hiện tại.</p>
  ${m.unsaved.length > 0 ? html`<p>Những gì bạn đã nhập (chưa lưu) — hãy nhập lại rồi lưu:</p><ul>${m.unsaved.map(([l, v]) => html`<li>${l}: <strong>${v}</strong></li>`)}</ul>` : ''}
</div>` : ''}
${!m.editable ? html`<div class="notice" role="note"><p>Phiếu đang ở trạng thái “${STATE_LABELS[a.state]}” nên không sửa được. <a href="/assessments/${a.id}/check">Xem lại câu trả lời</a> · <a href="/assessments/${a.id}/sheet">Xem và in phiếu</a></p></div>` : ''}
<p class="actions no-print"><a href="/assessments/${a.id}/check">Kiểm tra trước khi nộp</a> <a href="/assessments/${a.id}/sheet">Xem và in phiếu</a></p>
<section class="panel" aria-labelledby="documents-title"><h2 id="documents-title">Minh chứng đính kèm</h2>${documentsList(m)}</section>
<div class="side-by-side assessment-layout">
<form method="post" action="/assessments/${a.id}" id="assessment-form" novalidate data-preview="/assessments/${a.id}/preview">
  <input type="hidden" name="_csrf" value="${m.session.csrf}">
  <input type="hidden" name="version" value="${a.version}">
  ${groups}
  ${m.editable ? html`<div class="actions"><button type="submit">Lưu bản nháp</button> <a href="/assessments/${a.id}/check">Kiểm tra trước khi nộp</a></div>` : ''}
</form>
${scorePanel(m.result, m.set)}
</div>
${attachFormElements(m, withDocs)}`
  return layout({
    title: `Phiếu tự đánh giá — ${a.schoolName}`, session: m.session, nav: 'home', notice: m.notice, errors: m.errors, body,
    crumbs: [['Trang của trường', '/school'], ['Phiếu tự đánh giá', null]], scripts: m.editable ? ['live-score.js'] : [],
  })
}

/** An error's field id for an AppError path like /facts/<key>/url. */
export function fieldOfPath(path: string | undefined): string {
  const m = /^\/facts\/([^/]+)(?:\/(title|url|ref))?/.exec(path ?? '')
  if (!m) return 'assessment-form'
  return m[2] ? `${factFieldId(m[1] as string)}-${m[2] === 'ref' ? 'url' : m[2]}` : factFieldId(m[1] as string)
}
