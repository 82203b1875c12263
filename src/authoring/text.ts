// Text helpers for reading what a district officer typed into a spreadsheet: accent-insensitive
// matching, Vietnamese decimal commas, and snake_case keys suggested from Vietnamese labels.

/**
 * Accent- and case-insensitive form for matching headers and keywords ("Điểm tối đa" → "diem toi da").
 * Linear in the length: every step is a single pass (no regex that can backtrack; H4 of issue 11
 * was /\([^)]*\)/g, quadratic on a cell of many "(").
 */
export function fold(s: string): string {
  return dropParenthesised(s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()) // "Điểm tối đa (điểm)": a parenthesised hint is not part of the name
    .replace(/[*_\-./:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Each "(" … first ")" after it (nested "(" included) becomes one space, in one pass. */
export function dropParenthesised(s: string): string {
  let out = ''
  let from = 0
  for (;;) {
    const open = s.indexOf('(', from)
    if (open < 0) break
    const close = s.indexOf(')', open + 1)
    // No ")" after this "(": none after any later "(" either, so nothing more is dropped.
    if (close < 0) break
    out += `${s.slice(from, open)} `
    from = close + 1
  }
  return out + s.slice(from)
}

/** The longest header or keyword fold() is ever asked to match; longer cells match nothing and
 *  are not folded at all (fold is linear, but a 2 MB header cell still need not be read). */
export const MAX_NAME_LENGTH = 200

/** Typed comparison signs as ASCII: Word and Excel users write ≥ and ≤. */
export function asciiOps(s: string): string {
  return s.replace(/≥/g, '>=').replace(/≤/g, '<=').replace(/＝/g, '=')
}

const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/

/**
 * A number as typed: "10", "2.5" or the Vietnamese decimal comma "2,5". No thousands separators
 * ("1.000" would be one): points and thresholds are small numbers.
 */
export function parseNumber(s: string): number | null {
  const t = s.trim()
  return NUMBER.test(t) ? Number(t.replace(',', '.')) : null
}

/** Points as typed in the "điểm tối đa" column: also "10 điểm" or "10đ". */
export function parsePoints(s: string): number | null {
  // A unit at the end, then the spaces before it (not /\s*(điểm|đ)$/, which backtracks over spaces).
  const t = s.trim()
  const unit = /(điểm|đ)$/iu.exec(t)
  return parseNumber(unit ? t.slice(0, unit.index).trimEnd() : t)
}

const FACT_KEY = /^(?!(ref|constructor)$)[a-z][a-z0-9_]{0,63}$/

/** criteria/schema/facts-vocabulary.schema.json#/definitions/factKey */
export function isFactKey(s: string): boolean {
  return FACT_KEY.test(s)
}

/** A valid key close to what was typed, to suggest in a fix ("Số GV" → "so_gv"). */
export function suggestKey(s: string): string {
  let k = fold(s).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  if (!/^[a-z]/.test(k)) k = `f_${k}`
  if (k === 'ref' || k === 'constructor') k = `${k}_fact`
  return k.slice(0, 64).replace(/_+$/, '')
}

/** Cuts a label to the schema's length, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}
