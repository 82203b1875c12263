// Number conventions (../shared/reference/qd4725.md §3): full precision internally, points reported
// to 2 decimals, levels from the unrounded total. Binary float noise (0.1 + 0.2) is trimmed at 1e-9
// first so that a sum that is exactly 75 on paper is 75 here too, never 75.00000000000001.

export function trimNoise(x: number): number {
  return Math.round(x * 1e9) / 1e9
}

/** Half-up to 2 decimals on the decimal value (1.005 → 1.01), not on its binary approximation. */
export function round2(x: number): number {
  return roundTo(x, 2)
}

/** Half-up to `d` decimals on the decimal value (33.175 → 33.18 although it is 33.17499… in binary). */
export function roundTo(x: number, d: number): number {
  const scale = 10 ** d
  const h = x * scale
  if (Number.isInteger(h)) return h / scale
  // Only values within float noise of a half need the (slow) decimal correction.
  const frac = h - Math.floor(h)
  if (Math.abs(h) < 1e7 && (frac < 0.4999 || frac > 0.5001)) return Math.round(h) / scale
  return Math.round(Number(h.toPrecision(12))) / scale
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x
}

/** Short display form: 6 → "6", 5.25 → "5.25". */
export function fmtNumber(x: number): string {
  return String(round2(x))
}
