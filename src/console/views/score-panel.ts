// The score panel (pure): per group its total, maximum and level (with the reason of a cap), per
// criterion its points, and what it takes to reach the next level, in words a school understands.
// The same markup is the live preview's fragment (POST /assessments/:id/preview).
import type { CompiledSet } from '../../scoring/compile-set.js'
import type { CriterionResult, GroupResult, HintChange, NextLevelHint, ScoreResult } from '../../scoring/types.js'
import { html, type Html } from '../html.js'
import { viNumber } from '../format.js'
import { LEVEL_LABEL } from '../messages.js'

/** A fact's value in Vietnamese: Có/Không, numbers with a comma, an enum's label, a document's title. */
export function factValueText(set: CompiledSet | null, key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return 'Chưa nhập'
  const f = set?.facts.get(key)
  if (typeof v === 'boolean') return v ? 'Có' : 'Không'
  if (typeof v === 'number') return `${viNumber(v, 4)}${f?.unit ? ` ${f.unit}` : ''}`
  if (typeof v === 'string') {
    if (f?.type === 'enum') return f.values?.find((x) => x.value === v)?.label ?? v
    if (f?.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v.split('-').reverse().join('/')
    return v
  }
  if (typeof v === 'object') {
    const d = v as { title?: unknown; url?: unknown; ref?: unknown }
    const where = typeof d.url === 'string' ? d.url : d.ref ? 'tệp đã đính kèm' : ''
    return `${typeof d.title === 'string' ? d.title : 'Văn bản'}${where ? ` (${where})` : ''}`
  }
  return String(v)
}

/** The engine's reason text names facts by key ("chưa đủ minh chứng: subjects_total, …"): a school
 *  reads their Vietnamese labels instead. */
export function readableReason(set: CompiledSet | null, text: string): string {
  if (!set) return text
  return text.replace(/\b[a-z][a-z0-9_]*_[a-z0-9_]+\b/g, (key) => { const f = set.facts.get(key); return f ? `“${f.label}”` : key })
}

function change(set: CompiledSet | null, c: HintChange): string {
  return `${c.label}: ${factValueText(set, c.fact, c.from)} → ${factValueText(set, c.fact, c.to)}`
}

function hintBlock(set: CompiledSet | null, g: GroupResult, h: NextLevelHint): Html {
  const need = h.mustExceed
    ? `tổng điểm phải trên ${viNumber(g.totalExact + h.pointsNeeded)} (thêm hơn ${viNumber(h.pointsNeeded)} điểm)`
    : `cần thêm ${viNumber(h.pointsNeeded)} điểm`
  return html`<div class="next-level">
  <p><strong>Để đạt ${LEVEL_LABEL(h.targetLevel)} (${h.targetLevelName}) nhóm ${g.code} ${h.pointsNeeded > 0 ? need : 'không cần thêm điểm'}${h.mandatory.length > 0 ? ', và phải đạt các điều kiện bắt buộc' : ''}:</strong></p>
  <ul>
    ${h.mandatory.map((m) => html`<li>Điều kiện bắt buộc ${m.criterion} ${m.title}: ${m.changes.map((c) => change(set, c)).join('; ')}</li>`)}
    ${h.criteria.slice(0, 6).map((c) => html`<li>Tiêu chí ${c.criterion} (${c.title}): thêm ${viNumber(c.gain)} điểm nếu ${c.changes.map((x) => change(set, x)).join('; ')}</li>`)}
  </ul>
  ${h.criteria.length > 6 ? html`<p class="hint">… và ${h.criteria.length - 6} tiêu chí khác còn điểm.</p>` : ''}
  ${!h.sufficient ? html`<p class="hint">Các thay đổi trên chưa đủ để đạt ${LEVEL_LABEL(h.targetLevel)}.</p>` : ''}
</div>`
}

function flatten(cs: CriterionResult[], depth = 0): [CriterionResult, number][] {
  return cs.flatMap((c) => [[c, depth] as [CriterionResult, number], ...flatten(c.children ?? [], depth + 1)])
}

function pointsText(c: CriterionResult): string {
  if (c.kind === 'mandatory') return c.met === true ? 'Đạt' : c.met === false ? 'Chưa đạt' : 'Chưa đủ thông tin'
  if (c.kind === 'info') return 'Thông tin'
  if (c.kind === 'target') return c.met === true ? 'Đạt' : c.met === false ? 'Chưa đạt' : '—'
  if (c.status === 'incomplete' && (c.points === null || c.points === undefined)) return `— / ${viNumber(c.maxPoints)}`
  return `${viNumber(c.points ?? 0)} / ${viNumber(c.maxPoints)}`
}

function groupBlock(set: CompiledSet | null, g: GroupResult): Html {
  const capped = g.levelReason && g.levelReason.code !== 'BAND'
  return html`<section class="score-group" aria-labelledby="score-group-${g.code}">
  <h3 id="score-group-${g.code}">Nhóm ${g.code}: ${g.title}</h3>
  <dl>
    <dt>Tổng điểm</dt><dd><span class="points" id="group-total-${g.code}">${viNumber(g.total)}</span> / ${viNumber(g.maxPoints)} điểm${g.complete ? '' : ' (tạm tính)'}</dd>
    <dt>Mức đạt</dt><dd id="group-level-${g.code}">${g.level === null ? LEVEL_LABEL(null) : html`<span class="tag level-${g.level}">${LEVEL_LABEL(g.level)}</span>`}${g.levelName ? ` — ${g.levelName}` : ''}</dd>
  </dl>
  ${g.levelReason ? html`<p class="${capped ? 'warning-box' : 'hint'}">${readableReason(set, g.levelReason.text)}</p>` : ''}
  ${g.nextLevel ? hintBlock(set, g, g.nextLevel) : ''}
  <details>
    <summary>Điểm từng tiêu chí nhóm ${g.code}</summary>
    <div class="table-wrap"><table>
      <caption>Điểm từng tiêu chí, nhóm ${g.code}</caption>
      <thead><tr><th scope="col">Tiêu chí</th><th scope="col" class="num">Điểm / tối đa</th></tr></thead>
      <tbody>${flatten(g.criteria).map(([c, depth]) => html`<tr><th scope="row">${depth > 0 ? '— ' : ''}${c.code} ${c.title}</th><td class="num">${pointsText(c)}</td></tr>`)}</tbody>
    </table></div>
  </details>
</section>`
}

/** The panel's content (what the live preview sends). */
export function scorePanelBody(result: ScoreResult, set: CompiledSet | null = null, opts: { preview?: boolean } = {}): Html {
  return html`<h2 id="score-panel-title">Điểm ${opts.preview ? 'tạm tính theo nội dung đang nhập (chưa lưu)' : 'theo nội dung đã lưu'}</h2>
${result.groups.map((g) => groupBlock(set, g))}
${result.overall ? html`<p><strong>${result.overall.label}:</strong> ${LEVEL_LABEL(result.overall.level)}${result.overall.reason ? html` <span class="hint">${readableReason(set, result.overall.reason.text)}</span>` : ''}</p>` : ''}
${result.complete ? html`<p>Đã đủ thông tin để nộp.</p>` : html`<p>Còn ${result.missingFacts.length} thông tin chưa nhập.</p>`}`
}

/** The panel, a polite live region the preview script refreshes. */
export function scorePanel(result: ScoreResult, set: CompiledSet | null = null): Html {
  return html`<aside class="score-panel" id="score-panel" aria-live="polite" aria-labelledby="score-panel-title">${scorePanelBody(result, set)}</aside>`
}
