// Charts of the dashboard: pure functions from numbers to SVG (no script; they print). Each chart is
// an <svg role="img"> whose <title> and aria-label say the numbers in words, and the same numbers
// stand in a <table> beside it. Levels are told by text (segment labels, legend), not by colour alone.
import { html, type Html } from '../html.js'
import { viNumber, viPercent } from '../format.js'

/** One bar: a label (a group, a school level, a unit) and how many schools are at each level. */
export interface LevelRow {
  label: string
  /** A link for the row's label in the table (a drill-down). */
  href?: string | null
  /** Schools per level, keyed by level ("1", "2", "3"). */
  levels: Record<string, number>
}

export interface LevelChart {
  /** Unique on the page (ids of the SVG title and of the table). */
  id: string
  title: string
  /** The levels shown, in order (e.g. [1, 2, 3]). */
  levels: number[]
  rows: LevelRow[]
  /** The table's first column header. */
  rowHeader: string
}

// Fills with white text at AA contrast (≥ 4.5:1): the console's --l1, --l2, --l3.
const FILLS: Record<number, string> = { 1: '#b3261e', 2: '#8a5300', 3: '#00703c' }
const fillOf = (level: number) => FILLS[level] ?? '#383f43'

export const CHART = { labelWidth: 200, barWidth: 400, rowHeight: 32, barHeight: 22, gap: 10, legendHeight: 30 } as const

const levelName = (l: number) => `Mức ${l}`
const sum = (r: LevelRow, levels: number[]) => levels.reduce((t, l) => t + (r.levels[String(l)] ?? 0), 0)
const r2 = (v: number) => Math.round(v * 100) / 100

/** A segment of a stacked bar: its level, count, x offset and width (px, two decimals). */
export interface Segment { level: number; count: number; x: number; width: number }

/** The segments of one 100 % stacked bar: each level's share of the row's schools times the bar width. */
export function segments(row: LevelRow, levels: number[], barWidth: number = CHART.barWidth): Segment[] {
  const total = sum(row, levels)
  if (total === 0) return []
  let x = 0
  const out: Segment[] = []
  for (const l of levels) {
    const count = row.levels[String(l)] ?? 0
    if (count === 0) continue
    const width = r2((count / total) * barWidth)
    out.push({ level: l, count, x: r2(x), width })
    x += (count / total) * barWidth
  }
  return out
}

/** The chart's text alternative: every row's counts in words. */
export function levelChartText(c: LevelChart): string {
  const parts = c.rows.map((r) => {
    const total = sum(r, c.levels)
    if (total === 0) return `${r.label}: chưa có dữ liệu`
    return `${r.label}: ${c.levels.map((l) => `${levelName(l)} ${viNumber(r.levels[String(l)] ?? 0)}`).join(', ')} (${viNumber(total)} trường)`
  })
  return `${c.title}. ${parts.length ? parts.join('; ') : 'chưa có dữ liệu'}.`
}

/** Truncates a label to fit the label column (the full text is in the table and the title). */
function fit(label: string, max = 26): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label
}

/** Stacked horizontal bars (100 %) of levels per row, with labelled segments and a legend. */
export function levelBarsSvg(c: LevelChart): Html {
  const { labelWidth, barWidth, rowHeight, barHeight, legendHeight } = CHART
  const width = labelWidth + barWidth + 60
  const height = legendHeight + Math.max(1, c.rows.length) * rowHeight + 4
  const text = levelChartText(c)
  const legend = c.levels.map((l, i) => html`<g transform="translate(${labelWidth + i * 110},4)"><rect width="16" height="16" fill="${fillOf(l)}"></rect><text x="22" y="13" font-size="13" fill="#1b1b1b">${levelName(l)}</text></g>`)
  const rows = c.rows.map((r, i) => {
    const y = legendHeight + i * rowHeight
    const total = sum(r, c.levels)
    const segs = segments(r, c.levels, barWidth)
    return html`<g class="bar" transform="translate(0,${y})">
<text x="${labelWidth - 8}" y="${barHeight / 2 + 5}" text-anchor="end" font-size="13" fill="#1b1b1b">${fit(r.label)}</text>
<rect x="${labelWidth}" y="0" width="${barWidth}" height="${barHeight}" fill="#ffffff" stroke="#505a5f"></rect>
${total === 0 ? html`<text x="${labelWidth + 8}" y="${barHeight / 2 + 5}" font-size="13" fill="#505a5f">chưa có dữ liệu</text>` : ''}
${segs.map((s) => html`<rect x="${r2(labelWidth + s.x)}" y="0" width="${s.width}" height="${barHeight}" fill="${fillOf(s.level)}" stroke="#ffffff" data-level="${s.level}" data-count="${s.count}"></rect>${s.width >= 44
      ? html`<text x="${r2(labelWidth + s.x + s.width / 2)}" y="${barHeight / 2 + 5}" text-anchor="middle" font-size="12" fill="#ffffff">M${s.level}: ${viNumber(s.count)}</text>`
      : s.width >= 14 ? html`<text x="${r2(labelWidth + s.x + s.width / 2)}" y="${barHeight / 2 + 5}" text-anchor="middle" font-size="12" fill="#ffffff">${viNumber(s.count)}</text>` : ''}`)}
<text x="${labelWidth + barWidth + 6}" y="${barHeight / 2 + 5}" font-size="13" fill="#1b1b1b">${viNumber(total)}</text>
</g>`
  })
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="${c.id}-title" aria-label="${text}" focusable="false"><title id="${c.id}-title">${text}</title>${legend}${rows}</svg>`
}

/** The same numbers as a table: a row per bar, a column per level, the total and the shares. */
export function levelTable(c: LevelChart): Html {
  return html`<div class="table-wrap"><table id="${c.id}-table">
<caption>${c.title} (số trường theo mức)</caption>
<thead><tr><th scope="col">${c.rowHeader}</th>${c.levels.map((l) => html`<th scope="col" class="num">${levelName(l)}</th>`)}<th scope="col" class="num">Tổng</th><th scope="col" class="num">Tỉ lệ ${levelName(Math.max(...c.levels))}</th></tr></thead>
<tbody>${c.rows.length === 0 ? html`<tr><td colspan="${c.levels.length + 3}">Chưa có dữ liệu.</td></tr>` : c.rows.map((r) => {
    const total = sum(r, c.levels)
    const top = r.levels[String(Math.max(...c.levels))] ?? 0
    return html`<tr><th scope="row">${r.href ? html`<a href="${r.href}">${r.label}</a>` : r.label}</th>${c.levels.map((l) => html`<td class="num" data-level="${l}">${viNumber(r.levels[String(l)] ?? 0)}</td>`)}<td class="num" data-total>${viNumber(total)}</td><td class="num">${total === 0 ? '—' : viPercent(top / total)}</td></tr>`
  })}</tbody>
</table></div>`
}

/** Chart and table side by side, as one figure. */
export function levelFigure(c: LevelChart): Html {
  return html`<figure class="chart" id="${c.id}"><figcaption>${c.title}</figcaption>
<div class="side-by-side"><div>${levelBarsSvg(c)}</div><div>${levelTable(c)}</div></div>
</figure>`
}

/** A single share as a horizontal bar (e.g. schools at mức 3 in both groups), with its table row. */
export function shareBarSvg(m: { id: string; label: string; count: number; of: number }): Html {
  const { barWidth } = CHART
  const w = m.of === 0 ? 0 : r2((m.count / m.of) * barWidth)
  const text = m.of === 0 ? `${m.label}: chưa có dữ liệu.` : `${m.label}: ${viNumber(m.count)} trên ${viNumber(m.of)} trường (${viPercent(m.count / m.of)}).`
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${barWidth + 120} 30" width="${barWidth + 120}" height="30" aria-labelledby="${m.id}-title" aria-label="${text}" focusable="false"><title id="${m.id}-title">${text}</title>
<rect x="0" y="4" width="${barWidth}" height="22" fill="#ffffff" stroke="#505a5f"></rect>
<rect x="0" y="4" width="${w}" height="22" fill="#00703c" data-count="${m.count}"></rect>
<text x="${barWidth + 6}" y="20" font-size="13" fill="#1b1b1b">${m.of === 0 ? 'chưa có dữ liệu' : viPercent(m.count / m.of)}</text></svg>`
}

