// Vietnamese formats: dates dd/mm/yyyy in Asia/Ho_Chi_Minh, decimals with a comma (as in the phiếu).
const TZ = 'Asia/Ho_Chi_Minh'
const dateFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' })
const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hour12: false })

/** 31/05/2026 */
export function viDate(d: Date | null | undefined): string {
  return d ? dateFmt.format(d) : '—'
}

/** 31/05/2026 14:05 */
export function viDateTime(d: Date | null | undefined): string {
  return d ? `${dateFmt.format(d)} ${timeFmt.format(d)}` : '—'
}

// Intl formatters are costly to make (toLocaleString makes one per call: most of a dashboard's
// time once), cheap to reuse: one per option set.
const formatters = new Map<string, Intl.NumberFormat>()
function numberFormat(key: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = new Intl.NumberFormat('vi-VN', opts)))
  return f
}

/** 12,5 — at most `digits` decimals, trailing zeros dropped; no thousands separator below 10 000. */
export function viNumber(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  const grouping = Math.abs(n) >= 10_000
  return numberFormat(`n${digits}${grouping ? 'g' : ''}`, { maximumFractionDigits: digits, useGrouping: grouping }).format(n)
}

/** 40,0 % */
export function viPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—'
  return `${numberFormat('p', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share * 100)} %`
}

/** A date input's value (yyyy-mm-dd) for a Date, in Vietnam's time zone. */
export function isoDay(d: Date): string {
  const [dd, mm, yyyy] = dateFmt.format(d).split('/')
  return `${yyyy}-${mm}-${dd}`
}

/** 2025 → "2025–2026" */
export function schoolYearLabel(y: number): string { return `${y}–${y + 1}` }
