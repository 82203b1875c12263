// The most expensive criteria sets the limits of src/scoring/limits.ts still accept, as criteria
// tables (CSV) an education office could import. Used by the hostile tests and by
// measure-limits.ts, which times them by hand.
import { MAX_CRITERIA_PER_SET, MAX_FACTS_PER_RULE, MAX_FACTS_PER_SET, MAX_SET_NODES } from '../../src/scoring/limits.js'

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`
const HEADER = 'Mã;Thuộc;Tên;Loại;Điểm tối đa;Cách tính;Dữ kiện;Nguồn;Độ tin cậy;Ghi chú'
/** Vietnamese text of n characters, for a table filled to the schema's text maxima. */
const text = (n: number, seed: string) => `${seed} ${'Nội dung tiêu chí chuyển đổi số '.repeat(Math.ceil(n / 32))}`.slice(0, n)
/** The schema allows 200 criteria per group. */
const PER_GROUP = 200
const group = (g: number) => `G${g};;Nhóm ${g};nhóm;;${quote('levels(Mức 1: >=0; Mức 2: >=5)')};;Thử nghiệm;chưa xác nhận;`

interface Row { rule: unknown; facts: string[]; type?: 'có/không' }

/** `fat`: every title, source, note and fact label at its schema maximum (a table near 2 MB). */
function table(rows: Row[], fat = false): string {
  const declared = new Set<string>()
  const lines = [HEADER]
  rows.forEach((r, i) => {
    const g = Math.floor(i / PER_GROUP) + 1
    if (i % PER_GROUP === 0) lines.push(group(g))
    // Each fact's type once, on the first row that reads it.
    const fresh = r.facts.filter((f) => !declared.has(f))
    fresh.forEach((f) => declared.add(f))
    const labels = fresh.map((f) => `${f}${r.type ? `: ${r.type}` : ''} = ${fat ? text(300, `Dữ kiện ${f}`) : `Dữ kiện ${f}`}`).join('; ')
    const rule = typeof r.rule === 'string' ? r.rule : JSON.stringify(r.rule)
    const [title, source, note] = fat ? [text(1000, `Tiêu chí ${i + 1}`), text(1000, 'Nguồn'), text(2000, 'Ghi chú')] : [`Tiêu chí ${i + 1}`, 'Thử nghiệm', '']
    lines.push([`${g}.${i + 1}`, `G${g}`, quote(title), 'tính điểm', '10', quote(rule), quote(labels), quote(source), 'chưa xác nhận', quote(note)].join(';'))
  })
  return `${lines.join('\n')}\n`
}

/**
 * Rules reading MAX_FACTS_PER_RULE yes/no facts each ({"if": [{"or": [64 vars]}, 10, 0]}, 68
 * nodes) until MAX_SET_NODES: with every fact "no", hints try each fact of each rule.
 */
export function wideCsv(fat = false): string {
  const per = MAX_FACTS_PER_RULE
  const nodes = per + 4
  const count = Math.min(MAX_CRITERIA_PER_SET, Math.floor(MAX_SET_NODES / nodes))
  const rows: Row[] = []
  for (let c = 0; c < count; c++) {
    const facts = Array.from({ length: per }, (_, k) => `f${(c * 7 + k) % MAX_FACTS_PER_SET}`)
    rows.push({ rule: { if: [{ or: facts.map((f) => ({ var: f })) }, 10, 0] }, facts, type: 'có/không' })
  }
  return table(rows, fat)
}

/**
 * MAX_CRITERIA_PER_SET criteria ratio(p / w) over MAX_FACTS_PER_SET / 2 pairs of counts: with
 * w = 10⁹ and p = 0, hints bisect every part up to its whole (≈ 30 re-runs per criterion).
 */
export function manyCsv(fat = false): string {
  const pairs = Math.floor(MAX_FACTS_PER_SET / 2)
  const rows: Row[] = []
  for (let c = 0; c < MAX_CRITERIA_PER_SET; c++) {
    const k = c % pairs
    rows.push({ rule: `ratio(p${k} / w${k})`, facts: [`p${k}`, `w${k}`] })
  }
  return table(rows, fat)
}

export const WORST_META = {
  id: 'worst-set', version: '1', title: 'Bộ tiêu chí lớn nhất được nhận',
  document: { issuer: 'Phòng GDĐT (thử)', number: '02/TT', date: '2024-08-05' }, appliesTo: ['THCS'],
}
