// A unit's report as CSV for Excel (pure: UnitReport in, text out).
//
// Format:
//   - UTF-8 with a byte-order mark, so that Excel reads the Vietnamese text as UTF-8;
//   - records end with CRLF (the last one too); fields are quoted per RFC 4180 when they hold a
//     quote, a comma, a semicolon or a line break (the semicolon so that a file opened with ";" as
//     the list separator still keeps each field whole); quotes inside are doubled;
//   - numbers are written with a dot as the decimal separator (89.03), never with a thousands
//     separator, rounded to 2 decimals. Excel set to a locale whose decimal separator is a comma
//     (vi-VN) shows such a number as text when the file is opened by double-click; use
//     Data → From Text/CSV (or the .xlsx export, whose numbers are real numbers) there;
//   - no "sep=," line: with it Excel ignores the BOM and garbles the diacritics;
//   - CSV formula injection: a text cell that starts with a tab or CR, or whose first character
//     after any leading spaces and invisible format characters (Unicode Zs and Cf: NBSP, U+200B…;
//     spreadsheets trim them) is = + - @ or a full-width ＝ ＋ － ＠ (which some spreadsheets take
//     as the ASCII ones), gets a leading apostrophe, so that it shows as text instead of running.
//     Numbers are never text and are written as they are (a negative number keeps its minus sign);
//   - school codes stay as they are ("01234567"): CSV is text, and this project's own school
//     importer and any other program read them exactly. Excel opened by double-click shows such a
//     code as the number 1234567; the .xlsx export stores codes as text cells (format "@").
//
// The column definitions are shared with the XLSX export (./xlsx.ts).
import type { AssessmentState } from '../repositories/types.js'
import { round2 } from '../scoring/numbers.js'
import type { ReportColumnCriterion, ReportRow, UnitReport } from './types.js'

export type CellValue = string | number | null

export interface ReportColumn {
  header: string
  kind: 'text' | 'number'
  value: (row: ReportRow) => CellValue
  /** A longer description of the column (the XLSX puts it in a note on the header cell). */
  note?: string
  /** Whether the row's value is provisional (an incomplete self-assessment): italic in the XLSX. */
  provisional?: (row: ReportRow) => boolean
  /** Criterion depth (0 = top level), for criterion columns. */
  depth?: number
  /** A code that looks like a number ("01234567"): a text cell of format "@" in the XLSX. */
  code?: boolean
}

export const STATE_LABELS: Record<AssessmentState, string> = {
  draft: 'Đang soạn',
  submitted: 'Đã nộp',
  returned: 'Trả lại',
  approved: 'Đã duyệt',
  published: 'Đã công bố',
}
export const NO_ASSESSMENT_LABEL = 'Chưa đánh giá'

export const OWNERSHIP_LABELS: Record<'public' | 'private', string> = { public: 'Công lập', private: 'Ngoài công lập' }

export function stateLabel(state: AssessmentState | null): string {
  return state === null ? NO_ASSESSMENT_LABEL : STATE_LABELS[state]
}

/** A finite number rounded to 2 decimals (points are reported to 2 decimals); anything else is null. */
export function reportNumber(x: number | null | undefined): number | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return null
  const v = round2(x)
  return Object.is(v, -0) ? 0 : v
}

/** The identity columns both CSVs and every XLSX sheet start with. */
function identityColumns(withDetails: boolean): ReportColumn[] {
  const cols: ReportColumn[] = [
    { header: 'Mã trường', kind: 'text', value: (r) => r.moetCode, code: true },
    { header: 'Tên trường', kind: 'text', value: (r) => r.name },
    { header: 'Đơn vị', kind: 'text', value: (r) => r.unitName },
  ]
  if (withDetails) {
    cols.push(
      { header: 'Cấp học', kind: 'text', value: (r) => r.levels.join(', ') },
      { header: 'Loại hình', kind: 'text', value: (r) => OWNERSHIP_LABELS[r.ownership] },
      { header: 'Trạng thái', kind: 'text', value: (r) => stateLabel(r.state) },
    )
  }
  return cols
}

/**
 * The summary columns: identity, then per group (in report order) self, external and previous
 * year's total and level, then the missing facts.
 */
export function summaryColumns(r: UnitReport): ReportColumn[] {
  const cols = identityColumns(true)
  for (const g of r.groups) {
    const prefix = `Nhóm ${g.code} –`
    const sources = [
      ['tự đánh giá', (row: ReportRow) => row.self],
      ['đánh giá ngoài', (row: ReportRow) => row.external],
      ['năm trước', (row: ReportRow) => row.previous],
    ] as const
    for (const [label, pick] of sources) {
      const cell = (row: ReportRow) => pick(row)?.[g.code] ?? null
      const provisional = (row: ReportRow) => cell(row)?.complete === false
      cols.push(
        { header: `${prefix} Điểm ${label}`, kind: 'number', value: (row) => reportNumber(cell(row)?.total), note: g.title, provisional },
        { header: `${prefix} Mức ${label}`, kind: 'number', value: (row) => reportNumber(cell(row)?.level), note: g.title, provisional },
      )
    }
  }
  cols.push({ header: 'Còn thiếu', kind: 'text', value: (row) => row.missingFacts.join('; ') })
  return cols
}

/** The report's criteria of one group (document order); throws on an unknown group code. */
export function groupCriteria(r: UnitReport, groupCode: string): ReportColumnCriterion[] {
  if (!r.groups.some((g) => g.code === groupCode)) {
    throw new RangeError(`the report has no group "${groupCode}" (groups: ${r.groups.map((g) => g.code).join(', ')})`)
  }
  return r.criteria.filter((c) => c.groupCode === groupCode)
}

/** "1.2 (tối đa 10)", or just the code when the criterion has no maximum. */
export function criterionHeader(c: ReportColumnCriterion): string {
  const max = reportNumber(c.maxPoints)
  return max === null ? c.code : `${c.code} (tối đa ${max})`
}

/**
 * The per-criterion columns of one group: identity, then a column of self points per criterion,
 * then a column of external points per criterion ("1.2 – ngoài"), both in document order.
 */
export function criteriaColumns(r: UnitReport, groupCode: string): ReportColumn[] {
  const criteria = groupCriteria(r, groupCode)
  const cols = identityColumns(false)
  for (const c of criteria) {
    cols.push({ header: criterionHeader(c), kind: 'number', value: (row) => reportNumber(row.criteria.self(c.code)), note: c.title, depth: c.depth })
  }
  for (const c of criteria) {
    cols.push({ header: `${c.code} – ngoài`, kind: 'number', value: (row) => reportNumber(row.criteria.external(c.code)), note: c.title, depth: c.depth })
  }
  return cols
}

// Leading characters a spreadsheet may skip before it looks for a formula sign.
const FORMULA_START = /^[\t\r]|^[\p{Zs}\p{Cf}\t\r\n\v\f]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u
const NEEDS_QUOTES = /[",;\r\n]/

/** A text value made safe for spreadsheets: a leading apostrophe when it could start a formula. */
export function neutralizeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s
}

function quote(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A number is written as it is (dot decimal); text is neutralized and quoted. */
function csvCell(v: CellValue): string {
  if (v === null) return ''
  if (typeof v === 'number') {
    const n = reportNumber(v)
    return n === null ? '' : String(n)
  }
  return quote(neutralizeFormula(v))
}

function toCsv(cols: ReportColumn[], rows: ReportRow[]): string {
  const lines = [cols.map((c) => csvCell(c.header)).join(',')]
  for (const row of rows) lines.push(cols.map((c) => csvCell(c.value(row))).join(','))
  return '\uFEFF' + lines.map((l) => l + '\r\n').join('')
}

/** The unit's summary: one row per school (see summaryColumns for the columns). */
export function reportCsv(r: UnitReport): string {
  return toCsv(summaryColumns(r), r.rows)
}

/** One group's per-criterion points: one row per school (see criteriaColumns). */
export function criteriaCsv(r: UnitReport, groupCode: string): string {
  return toCsv(criteriaColumns(r, groupCode), r.rows)
}
