// The inputs of a criteria set's facts (pure): each fact asked once, at the first criterion that
// reads it, with the input its type needs, its Vietnamese label, unit and bounds as a hint, and its
// error at the field. Shared by the school's self-assessment and the officers' external assessment.
import type { CompiledCriterion, CompiledSet } from '../../scoring/compile-set.js'
import type { DocumentRef, FactDef } from '../../scoring/types.js'
import { factFieldId } from '../forms/evidence-form.js'
import { html, join, type Html } from '../html.js'
import { viNumber } from '../format.js'
import type { FieldError } from './layout.js'

/** Criterion code → the facts it reads (its rule's vars, then its evidence facts), each fact listed
 *  at the first criterion (in the set's order, parents before children) that uses it. */
export function factsByCriterion(set: CompiledSet): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const seen = new Set<string>()
  const visit = (c: CompiledCriterion): void => {
    const keys: string[] = []
    for (const k of [...(c.rule?.vars ?? []), ...c.evidenceFacts]) {
      if (k.startsWith('ref.') || seen.has(k) || !set.facts.has(k)) continue
      seen.add(k)
      keys.push(k)
    }
    out.set(c.code, keys)
    c.children.forEach(visit)
  }
  for (const g of set.groups) g.criteria.forEach(visit)
  return out
}

function hintOf(f: FactDef, set: CompiledSet): string {
  const parts: string[] = []
  if (f.help) parts.push(f.help)
  if (f.type === 'integer' || f.type === 'number') {
    const unit = f.unit ? ` ${f.unit}` : ''
    const whole = f.maxFact ? set.facts.get(f.maxFact)?.label : undefined
    if (f.min !== undefined && f.max !== undefined) parts.push(`Từ ${viNumber(f.min)} đến ${viNumber(f.max)}${unit}.`)
    else if (f.min !== undefined) parts.push(`Không nhỏ hơn ${viNumber(f.min)}${unit}.`)
    else if (f.max !== undefined) parts.push(`Không lớn hơn ${viNumber(f.max)}${unit}.`)
    else if (f.unit) parts.push(`Đơn vị: ${f.unit}.`)
    if (whole) parts.push(`Không vượt quá “${whole}”.`)
    if (f.type === 'number') parts.push('Số thập phân dùng dấu phẩy, ví dụ 12,5.')
  }
  if (f.type === 'string' && f.maxLength) parts.push(`Tối đa ${f.maxLength} ký tự.`)
  if (f.type === 'date') parts.push('Ngày theo dạng năm-tháng-ngày.')
  return parts.join(' ')
}

function numberText(v: unknown): string {
  return typeof v === 'number' ? String(v).replace('.', ',') : typeof v === 'string' ? v : ''
}

function errorAt(errors: FieldError[], ...ids: string[]): FieldError | undefined {
  return errors.find((e) => ids.includes(e.field))
}

function factInput(set: CompiledSet, f: FactDef, value: unknown, errors: FieldError[], disabled: boolean): Html {
  const id = factFieldId(f.key)
  const hint = hintOf(f, set)
  const hintId = `${id}-hint`
  const dis = disabled ? html` disabled` : ''
  if (f.type === 'boolean') {
    const e = errorAt(errors, id)
    const errId = `${id}-error`
    const described = [hint ? hintId : '', e ? errId : ''].filter(Boolean).join(' ')
    return html`<div class="field${e ? ' has-error' : ''}" id="${id}-field">
  <fieldset id="${id}" tabindex="-1"${described ? html` aria-describedby="${described}"` : ''}>
    <legend>${f.label}</legend>
    ${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}
    ${e ? html`<p class="field-error" id="${errId}">${e.text}</p>` : ''}
    <div class="radios">
      <label><input type="radio" name="${id}" id="${id}-yes" value="true"${value === true ? html` checked` : ''}${dis}> Có</label>
      <label><input type="radio" name="${id}" id="${id}-no" value="false"${value === false ? html` checked` : ''}${dis}> Không</label>
    </div>
  </fieldset>
</div>`
  }
  if (f.type === 'document') {
    const doc = (typeof value === 'object' && value !== null ? value : {}) as Partial<DocumentRef>
    const eTitle = errorAt(errors, `${id}-title`, id)
    const eUrl = errorAt(errors, `${id}-url`, `${id}-ref`)
    return html`<div class="field${eTitle || eUrl ? ' has-error' : ''}" id="${id}-field">
  <fieldset id="${id}" tabindex="-1">
    <legend>${f.label}</legend>
    ${f.help ? html`<p class="hint">${f.help}</p>` : ''}
    <div class="field${eTitle ? ' has-error' : ''}">
      <label for="${id}-title">Tên văn bản — ${f.label}</label>
      ${eTitle ? html`<p class="field-error" id="${id}-title-error">${eTitle.text}</p>` : ''}
      <input type="text" id="${id}-title" name="${id}-title" maxlength="500" value="${doc.title ?? ''}"${eTitle ? html` aria-invalid="true" aria-describedby="${id}-title-error"` : ''}${dis}>
    </div>
    <div class="field${eUrl ? ' has-error' : ''}">
      <label for="${id}-url">Đường dẫn (link) — ${f.label}</label>
      <p class="hint" id="${id}-url-hint">Bắt đầu bằng https://${doc.ref ? ' (hoặc để trống: đang dùng tệp đã đính kèm)' : ''}</p>
      ${eUrl ? html`<p class="field-error" id="${id}-url-error">${eUrl.text}</p>` : ''}
      <input type="url" inputmode="url" id="${id}-url" name="${id}-url" maxlength="2000" value="${doc.url ?? ''}" aria-describedby="${id}-url-hint${eUrl ? ` ${id}-url-error` : ''}"${eUrl ? html` aria-invalid="true"` : ''}${dis}>
    </div>
    ${doc.ref ? html`<input type="hidden" name="${id}-ref" value="${doc.ref}">` : ''}
  </fieldset>
</div>`
  }
  const e = errorAt(errors, id)
  const errId = `${id}-error`
  const described = [hint ? hintId : '', e ? errId : ''].filter(Boolean).join(' ')
  const aria = html`${described ? html` aria-describedby="${described}"` : ''}${e ? html` aria-invalid="true"` : ''}`
  let input: Html
  switch (f.type) {
    case 'integer':
    case 'number':
      input = html`<input type="text" class="num-input" id="${id}" name="${id}" inputmode="${f.type === 'integer' ? 'numeric' : 'decimal'}" autocomplete="off" value="${numberText(value)}"${aria}${dis}>`
      break
    case 'enum':
      input = html`<select id="${id}" name="${id}"${aria}${dis}>
  <option value=""${value === undefined || value === null ? html` selected` : ''}>— Chưa chọn —</option>
  ${(f.values ?? []).map((v) => html`<option value="${v.value}"${value === v.value ? html` selected` : ''}>${v.label}</option>`)}
</select>`
      break
    case 'date':
      input = html`<input type="date" id="${id}" name="${id}" value="${typeof value === 'string' ? value : ''}"${aria}${dis}>`
      break
    default:
      input = (f.maxLength ?? 2000) > 200
        ? html`<textarea id="${id}" name="${id}" rows="3" maxlength="${f.maxLength ?? 2000}"${aria}${dis}>${typeof value === 'string' ? value : ''}</textarea>`
        : html`<input type="text" id="${id}" name="${id}" maxlength="${f.maxLength ?? 200}" value="${typeof value === 'string' ? value : ''}"${aria}${dis}>`
  }
  return html`<div class="field${e ? ' has-error' : ''}" id="${id}-field">
  <label for="${id}">${f.label}${f.unit && (f.type === 'integer' || f.type === 'number') ? html` <span class="muted">(${f.unit})</span>` : ''}</label>
  ${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}
  ${e ? html`<p class="field-error" id="${errId}">${e.text}</p>` : ''}
  ${input}
</div>`
}

/** The inputs of the facts `keys`, showing `facts`' values and `errors` at their fields. */
export function factInputs(set: CompiledSet, facts: Record<string, unknown>, errors: FieldError[], keys: string[], opts: { disabled?: boolean } = {}): Html {
  return join(keys.map((k) => {
    const f = set.facts.get(k)
    return f ? factInput(set, f, facts[k], errors, opts.disabled === true) : ''
  }))
}
