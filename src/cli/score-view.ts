// The readable form of a score result: criteria table with Vietnamese titles, group totals,
// levels with their reason, next-level hints, and what evidence is still missing.
import type { CompiledSet } from '../scoring/compile-set.js'
import type { CriterionResult, GroupResult, HintChange, ScoreResult } from '../scoring/types.js'
import { table, truncate } from './table.js'

const TITLE_WIDTH = 58
const HINTS_SHOWN = 8
const CONFIDENCE = { confirmed: '✓', unconfirmed: '?', convention: 'q' } as const

export function renderScore(set: CompiledSet, result: ScoreResult, source: string): string {
  const d = set.def.document
  const out: string[] = [
    `${d.number} ngày ${d.date.split('-').reverse().join('/')} (${d.issuer}) — ${set.title}`,
    `Bộ tiêu chí ${set.id}@${set.version} (${set.status}); engine ${result.engine.name} ${result.engine.version} (${result.engine.backend}, ${result.engine.semantics})`,
    `Minh chứng: ${source}`,
  ]
  for (const g of result.groups) out.push('', ...renderGroup(g))
  if (result.overall) {
    out.push('', `${result.overall.label}: ${result.overall.level === null ? '—' : `Mức ${result.overall.level} (${result.overall.levelName})`}`)
  }
  if (result.targets) {
    out.push('', `Chỉ tiêu đạt: ${result.targets.met}/${result.targets.total} (${Math.round(result.targets.share * 100)}%)${result.targets.allMet ? ' — đạt tất cả' : ''}`)
  }
  if (!result.complete) out.push('', `Chưa đủ minh chứng (incomplete): ${result.missingFacts.join(', ') || '—'}`)
  if (result.ignoredFacts.length > 0) out.push(`Bỏ qua (không dùng trong bộ tiêu chí này): ${result.ignoredFacts.join(', ')}`)
  for (const e of result.errors) out.push(`LỖI tiêu chí ${e.criterion}: ${e.message}`)
  out.push('', 'Nguồn: ✓ đã xác nhận (confirmed) · ? chưa xác nhận (unconfirmed) · q quy ước của dự án (convention) — chi tiết: --json')
  return out.join('\n')
}

function renderGroup(g: GroupResult): string[] {
  const rows: string[][] = []
  const add = (c: CriterionResult, depth: number) => {
    rows.push([
      `${'  '.repeat(depth)}${c.code}`,
      truncate(c.title, TITLE_WIDTH - depth * 2),
      pointsCell(c),
      c.maxPoints === undefined ? '' : String(c.maxPoints),
      noteCell(c),
      CONFIDENCE[c.provenance.confidence],
    ])
    c.children?.forEach((ch) => add(ch, depth + 1))
  }
  g.criteria.forEach((c) => add(c, 0))
  const lines = [
    `Nhóm ${g.code} — ${g.title}`,
    table(['Mã', 'Tiêu chí', 'Điểm', 'Tối đa', 'Ghi chú', 'Nguồn'], rows, ['l', 'l', 'r', 'r', 'l', 'l']),
  ]
  const max = g.maxPoints === null ? '' : `/${g.maxPoints}`
  const level = g.level === null ? '' : ` → Mức ${g.level} (${g.levelName})`
  // A group of plan targets has no points: its line is the targets met, below.
  const scored = (list: CriterionResult[]): boolean => list.some((c) => c.kind === 'scored' || scored(c.children ?? []))
  if (scored(g.criteria)) lines.push(`Tổng nhóm ${g.code}: ${g.total}${max}${level}`)
  if (g.levelReason) lines.push(`  ${g.levelReason.text}`)
  if (g.declaredGap) lines.push(`  Lưu ý: thiếu ${g.declaredGap.points} điểm đã biết trong bộ tiêu chí (declared gap).`)
  if (g.targets) lines.push(`  Chỉ tiêu đạt: ${g.targets.met}/${g.targets.total}`)
  if (g.nextLevel) {
    const h = g.nextLevel
    lines.push(`  Để đạt Mức ${h.targetLevel} (${h.targetLevelName}): cần ${h.mustExceed ? 'hơn ' : ''}${h.pointsNeeded} điểm nữa${h.pointsNeeded === 0 && h.mandatory.length > 0 ? ' (đủ điểm, nhưng còn điều kiện bắt buộc)' : ''}`)
    for (const m of h.mandatory) lines.push(`    • Điều kiện bắt buộc ${m.criterion}: ${changesText(m.changes)}`)
    for (const i of h.criteria.slice(0, HINTS_SHOWN)) lines.push(`    • ${i.criterion} (+${i.gain} điểm): ${changesText(i.changes)}`)
    if (h.criteria.length > HINTS_SHOWN) lines.push(`    … và ${h.criteria.length - HINTS_SHOWN} tiêu chí khác (--json)`)
    if (!h.sufficient) lines.push('    (các thay đổi trên chưa đủ để đạt mức này)')
  }
  return lines
}

function changesText(changes: HintChange[]): string {
  if (changes.length === 0) return 'không tìm được thay đổi đơn lẻ'
  return changes.map((c) => (c.from === null && typeof c.to === 'string' ? `${c.fact} (${c.to})` : `${c.fact}: ${fmt(c.from)} → ${fmt(c.to)}`)).join('; ')
}

function fmt(v: unknown): string {
  return v === null || v === undefined ? '—' : String(v)
}

function pointsCell(c: CriterionResult): string {
  if (c.status === 'error') return 'lỗi'
  if (c.kind === 'scored') return c.points === null || c.points === undefined ? '?' : String(c.points)
  if (c.kind === 'mandatory' || c.kind === 'target') return c.met === null ? '?' : c.met ? 'đạt' : 'chưa đạt'
  return ''
}

function noteCell(c: CriterionResult): string {
  const notes: string[] = []
  if (c.kind === 'mandatory') notes.push('bắt buộc')
  if (c.kind === 'info') {
    const v = c.value && typeof c.value === 'object' ? Object.values(c.value as object).join(', ') : ''
    notes.push(v ? `thông tin: ${truncate(v, 30)}` : 'thông tin')
  }
  if (c.kind === 'target' && c.value !== undefined) notes.push(`giá trị ${c.value}${c.gap ? `, còn thiếu ${c.gap}` : ''}`)
  if (c.level !== undefined && c.level !== null) notes.push(`Mức ${c.level}`)
  if (c.status === 'incomplete') notes.push(`thiếu: ${truncate((c.missingFacts ?? []).join(', '), 40)}`)
  if (c.error) notes.push(truncate(c.error, 40))
  return notes.join('; ')
}
