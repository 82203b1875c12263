// The self-assessment form's fields → typed fact values, per the set's fact definitions (pure, no
// I/O). A blank field is null ("clear this fact"; a draft may be partial). Problems come back as
// field errors naming the fact's Vietnamese label; the service validates again (the authority).
import type { CompiledSet } from '../../scoring/compile-set.js'
import type { DocumentRef, FactDef } from '../../scoring/types.js'
import type { FieldError } from '../views/layout.js'

/** The id (and name) of a fact's input; a document fact's inputs are `${id}-title`, `${id}-url`, `${id}-ref`. */
export function factFieldId(key: string): string {
  return `fact-${key}`
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const URL_RE = /^https?:\/\/[^\s]+$/
/** 12,5 · 12.5 · 1 200 · -3 (a Vietnamese decimal comma; spaces as thousands separators). */
const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/

function text(v: unknown): string {
  if (Array.isArray(v)) v = v[v.length - 1]
  return typeof v === 'string' ? v.trim() : ''
}

function viNum(n: number): string {
  return String(n).replace('.', ',')
}

function parseOne(f: FactDef, body: Record<string, unknown>, id: string): { value: unknown } | { error: FieldError } {
  const err = (field: string, t: string) => ({ error: { field, text: t } })
  if (f.type === 'document') {
    const title = text(body[`${id}-title`])
    const url = text(body[`${id}-url`])
    const ref = text(body[`${id}-ref`])
    if (!title && !url && !ref) return { value: null }
    if (!title) return err(`${id}-title`, `Cần nhập tên văn bản của “${f.label}”.`)
    if (title.length > 500) return err(`${id}-title`, `Tên văn bản của “${f.label}” dài quá 500 ký tự.`)
    if (url && (!URL_RE.test(url) || url.length > 2000)) return err(`${id}-url`, `Đường dẫn của “${f.label}” phải bắt đầu bằng http:// hoặc https:// và không có dấu cách.`)
    if (!url && !ref) return err(`${id}-url`, `Cần nhập đường dẫn (hoặc chọn tệp đã đính kèm) cho “${f.label}”.`)
    const doc: DocumentRef = { title }
    if (url) doc.url = url
    if (ref) doc.ref = ref
    return { value: doc }
  }
  const s = text(body[id])
  if (s === '') return { value: null }
  switch (f.type) {
    case 'boolean':
      if (s === 'true') return { value: true }
      if (s === 'false') return { value: false }
      return err(id, `Hãy chọn Có hoặc Không cho “${f.label}”.`)
    case 'integer':
    case 'number': {
      const compact = s.replace(/[\s\u00a0]/g, '')
      if (!NUMBER.test(compact)) return err(id, `“${f.label}” phải là một số${f.type === 'integer' ? ' nguyên' : ''}.`)
      const n = Number(compact.replace(',', '.'))
      if (!Number.isFinite(n)) return err(id, `“${f.label}” phải là một số.`)
      if (f.type === 'integer' && !Number.isInteger(n)) return err(id, `“${f.label}” phải là một số nguyên.`)
      const unit = f.unit ? ` ${f.unit}` : ''
      if (f.min !== undefined && n < f.min) return err(id, `“${f.label}” không được nhỏ hơn ${viNum(f.min)}${unit}.`)
      if (f.max !== undefined && n > f.max) return err(id, `“${f.label}” không được lớn hơn ${viNum(f.max)}${unit}.`)
      return { value: n }
    }
    case 'enum': {
      const values = f.values ?? []
      if (!values.some((v) => v.value === s)) return err(id, `Hãy chọn một trong các giá trị của “${f.label}”: ${values.map((v) => v.label).join(', ')}.`)
      return { value: s }
    }
    case 'string': {
      const max = f.maxLength ?? 2000
      if (s.length > max) return err(id, `“${f.label}” dài quá ${max} ký tự.`)
      return { value: s }
    }
    case 'date': {
      const m = DATE.exec(s)
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
      if (!m || !d || d.getUTCDate() !== Number(m[3]) || d.getUTCMonth() !== Number(m[2]) - 1) return err(id, `“${f.label}” phải là một ngày hợp lệ (năm-tháng-ngày).`)
      return { value: s }
    }
  }
  return err(id, `“${f.label}” không hợp lệ.`)
}

/** The facts of `keys` (default: all the set's facts) present in the form body, typed; errors per field. */
export function parseEvidenceForm(set: CompiledSet, body: Record<string, unknown>, keys?: string[]): { facts: Record<string, unknown>; errors: FieldError[] } {
  const facts: Record<string, unknown> = {}
  const errors: FieldError[] = []
  for (const key of keys ?? [...set.facts.keys()]) {
    const f = set.facts.get(key)
    if (!f) continue
    const id = factFieldId(key)
    const present = f.type === 'document'
      ? [`${id}-title`, `${id}-url`, `${id}-ref`].some((n) => Object.hasOwn(body, n))
      : Object.hasOwn(body, id)
    // A boolean whose radios were left unchecked sends nothing: blank (null), as a cleared field.
    if (!present && f.type !== 'boolean') continue
    const out = parseOne(f, body, id)
    if ('error' in out) errors.push(out.error)
    else facts[key] = out.value
  }
  return { facts, errors }
}
