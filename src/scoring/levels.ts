// Level bands: which band a total falls in, and whether bands cover 0…max exactly once.
import type { Band } from './types.js'

export function inBand(b: Band, v: number): boolean {
  return (b.gt === undefined || v > b.gt) && (b.gte === undefined || v >= b.gte)
    && (b.lt === undefined || v < b.lt) && (b.lte === undefined || v <= b.lte)
}

export function bandOf(bands: Band[], v: number): Band | null {
  for (const b of bands) if (inBand(b, v)) return b
  return null
}

/** The smallest total that reaches a band, and whether it must be exceeded ("trên 75"). */
export function lowerBound(b: Band): { value: number; exclusive: boolean } {
  if (b.gt !== undefined) return { value: b.gt, exclusive: true }
  return { value: b.gte ?? 0, exclusive: false }
}

export function bandsCoverage(bands: Band[], max: number): { code: string; message: string }[] {
  const problems: { code: string; message: string }[] = []
  const levels = new Set<number>()
  for (const b of bands) {
    if (levels.has(b.level)) problems.push({ code: 'BANDS_DUPLICATE_LEVEL', message: `level ${b.level} appears twice` })
    levels.add(b.level)
    if ((b.gt !== undefined && b.gte !== undefined) || (b.lt !== undefined && b.lte !== undefined)) {
      problems.push({ code: 'BANDS_AMBIGUOUS', message: `level ${b.level} has two lower or two upper bounds` })
    }
  }
  const sorted = [...bands].sort((a, b) => a.level - b.level)
  const first = sorted[0]
  const last = sorted[sorted.length - 1]
  if (first && !inBand(first, 0)) problems.push({ code: 'BANDS_GAP', message: `0 points falls in no band (level ${first.level} starts above 0)` })
  if (last && !inBand(last, max)) problems.push({ code: 'BANDS_GAP', message: `the maximum ${max} falls in no band` })
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i] as Band
    const b = sorted[i + 1] as Band
    const hi = a.lt ?? a.lte
    const lo = b.gt ?? b.gte
    if (hi === undefined || lo === undefined) {
      problems.push({ code: 'BANDS_OVERLAP', message: `levels ${a.level} and ${b.level} are not separated by a bound` })
      continue
    }
    const hiIncl = a.lte !== undefined
    const loIncl = b.gte !== undefined
    if (hi < lo || (hi === lo && !hiIncl && !loIncl)) {
      problems.push({ code: 'BANDS_GAP', message: `totals between level ${a.level} (up to ${hi}) and level ${b.level} (from ${lo}) fall in no band` })
    } else if (hi > lo || (hi === lo && hiIncl && loIncl)) {
      problems.push({ code: 'BANDS_OVERLAP', message: `levels ${a.level} and ${b.level} overlap at ${lo}…${hi}` })
    }
  }
  return problems
}

/** "≥ 50 và ≤ 75" */
export function bandText(b: Band): string {
  const parts: string[] = []
  if (b.gt !== undefined) parts.push(`> ${b.gt}`)
  if (b.gte !== undefined) parts.push(`≥ ${b.gte}`)
  if (b.lt !== undefined) parts.push(`< ${b.lt}`)
  if (b.lte !== undefined) parts.push(`≤ ${b.lte}`)
  return parts.join(' và ')
}
