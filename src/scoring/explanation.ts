// Explanations of criterion results. The structured part (branch, condition) is set during
// evaluation; the facts read and the Vietnamese text are rendered on first access (and by
// JSON.stringify through toJSON), so scoring stays cheap when a caller only needs the numbers.
import { bandText } from './levels.js'
import { fmtNumber } from './numbers.js'
import type { Data, RuleRun } from './rules/compile.js'
import type { Band, CriterionResult, Explanation } from './types.js'

export function display(v: unknown): string {
  if (typeof v === 'number') return fmtNumber(v)
  if (typeof v === 'object' && v !== null) return (v as { title?: string }).title ?? JSON.stringify(v)
  return String(v)
}

abstract class LazyExplanation implements Explanation {
  #text: string | undefined
  abstract get read(): Record<string, unknown>
  protected abstract render(): string
  get text(): string {
    return (this.#text ??= this.render())
  }
  toJSON(): Explanation {
    return { ...('branch' in this && this.branch !== undefined ? { branch: this.branch as number, condition: (this as { condition?: unknown }).condition } : {}), read: this.read, text: this.text }
  }
}

/** A rule's path: which branch applied, the facts it read, the formula, and the outcome. */
export class RuleExplanation extends LazyExplanation {
  readonly branch: number | undefined
  readonly condition: unknown
  clamped = false
  band: Band | null = null
  #read: Record<string, unknown> | undefined
  constructor(private readonly run: RuleRun, private readonly data: Data, private readonly owner: CriterionResult) {
    super()
    this.branch = run.branch === 0 ? undefined : run.branch
    this.condition = run.condition
  }

  get read(): Record<string, unknown> {
    if (this.#read) return this.#read
    const read: Record<string, unknown> = {}
    for (const k of this.run.read) read[k] = k.startsWith('ref.') ? (this.data.ref as Data)[k.slice(4)] : this.data[k]
    return (this.#read = read)
  }

  protected render(): string {
    const r = this.owner
    if (r.status === 'incomplete') return `Chưa đủ minh chứng: thiếu ${(r.missingFacts ?? []).join(', ')}.`
    const values = Object.entries(this.read).map(([k, v]) => `${k} = ${display(v)}`).join('; ')
    const path = values === '' ? this.run.text : `${this.run.text} [${values}]`
    if (r.status === 'error') return `${path} ⇒ lỗi: ${r.error}`
    switch (r.kind) {
      case 'scored': {
        const max = fmtNumber(r.maxPoints as number)
        const clamp = this.clamped ? ` (giới hạn trong [0, ${max}])` : ''
        const band = this.band ? `; Mức ${this.band.level} (${bandText(this.band)})` : ''
        return `${path} ⇒ ${fmtNumber(r.points as number)}/${max} điểm${clamp}${band}`
      }
      case 'mandatory': return `${path} ⇒ ${r.met ? 'đạt' : 'chưa đạt'}`
      case 'target': {
        const t = r.threshold as NonNullable<CriterionResult['threshold']>
        return `${path} ⇒ ${display(r.value)} (chỉ tiêu ${t.op} ${display(t.value)}): ${r.met ? 'đạt' : 'chưa đạt'}`
      }
      case 'info': return path
    }
  }
}

/** A parent criterion: the sum of its children. */
export class ChildrenSumExplanation extends LazyExplanation {
  band: Band | null = null
  constructor(private readonly owner: CriterionResult) { super() }
  get read(): Record<string, unknown> { return {} }
  protected render(): string {
    const r = this.owner
    const parts = (r.children ?? []).filter((ch) => ch.kind === 'scored')
      .map((ch) => `${ch.code}: ${typeof ch.points === 'number' ? fmtNumber(ch.points) : '?'}`)
    const band = this.band ? `; Mức ${this.band.level} (${bandText(this.band)})` : ''
    return `Tổng các tiêu chí con (${parts.join(', ')}) = ${fmtNumber(r.points as number)}/${fmtNumber(r.maxPoints as number)} điểm${r.status === 'incomplete' ? ' (tạm tính)' : ''}${band}`
  }
}
