// The school import file: UTF-8 CSV (a BOM from Excel is fine), one header row with
//   moetCode,name,levels,ownership,unitCode,fromYear
// levels separated by "|" or ";" (TH|THCS), ownership "public"/"private" (also "công lập"/"tư thục"),
// fromYear a school year "2025-2026". Every problem is reported with its line and column.
import { parse } from 'csv-parse/sync'
import { LineCounter } from '../csv/line-counter.js'
import { controlCharMessage, firstControlChar } from '../csv/plain-text.js'
import { AppError } from './errors.js'
import { SCHOOL_YEAR_PATTERN } from './school-year.js'

export interface CsvRowError { line: number; column: string; code: string; message: string }
export interface CsvSchoolRow { line: number; moetCode: string; name: string; levels: string[]; ownership: 'public' | 'private'; unitCode: string; fromYear: number }

export const CSV_COLUMNS = ['moetCode', 'name', 'levels', 'ownership', 'unitCode', 'fromYear'] as const
const LEVELS = new Set(['TH', 'THCS', 'THPT', 'GDTX'])
const OWNERSHIP: Record<string, 'public' | 'private'> = { public: 'public', private: 'private', 'công lập': 'public', 'tư thục': 'private' }
export const MAX_CSV_ROWS = 20_000

/**
 * The uploaded bytes as text, refusing anything that is not UTF-8: Excel's plain "CSV" is written
 * in the Windows code page (Vietnamese: 1258), which decoded as UTF-8 stored every name as mojibake.
 * A UTF-8 BOM is fine (the parser drops it).
 */
export function decodeSchoolsCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    // The line of the first undecodable byte, to point the person at it.
    const loose = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    const bad = loose.indexOf('\uFFFD')
    const line = bad < 0 ? 1 : loose.slice(0, bad).split(/\r\n|\n|\r/).length
    throw new AppError(400, 'NOT_UTF8',
      `Tệp không ở dạng mã UTF-8 (dòng ${line} có byte không đọc được), nên tên trường có dấu sẽ bị lỗi phông. ` +
      'Trong Excel, chọn File → Save As (Lưu thành) với kiểu tệp "CSV UTF-8 (Comma delimited) (*.csv)" rồi tải tệp đó lên lại. ' +
      `(The file is not UTF-8: save it as "CSV UTF-8".)`, `/line/${line}`, { line })
  }
}

export function parseSchoolsCsv(text: string): { rows: CsvSchoolRow[]; errors: CsvRowError[] } {
  let parsed: { record: string[]; info: { bytes: number } }[]
  try {
    // info: each record's byte offset, so blank lines and quoted line breaks don't shift reports.
    parsed = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as { record: string[]; info: { bytes: number } }[]
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1
    return { rows: [], errors: [{ line, column: '', code: 'CSV_SYNTAX', message: (e as Error).message }] }
  }
  const counter = new LineCounter(text)
  const lines = parsed.map(({ record, info }) => counter.startLine(info.bytes, record))
  const header = parsed[0]?.record
  const body = parsed.slice(1)
  const errors: CsvRowError[] = []
  const cols = (header ?? []).map((h) => h.normalize('NFC'))
  const missing = CSV_COLUMNS.filter((c) => !cols.includes(c))
  if (!header || missing.length > 0) {
    return { rows: [], errors: [{ line: 1, column: missing.join(','), code: 'CSV_HEADER', message: `the header row must name the columns ${CSV_COLUMNS.join(',')}; missing: ${missing.join(', ')}` }] }
  }
  if (body.length === 0) return { rows: [], errors: [{ line: 2, column: '', code: 'CSV_EMPTY', message: 'the file has a header but no schools' }] }
  if (body.length > MAX_CSV_ROWS) return { rows: [], errors: [{ line: MAX_CSV_ROWS + 2, column: '', code: 'CSV_TOO_LARGE', message: `at most ${MAX_CSV_ROWS} schools per file` }] }
  const idx = Object.fromEntries(CSV_COLUMNS.map((c) => [c, cols.indexOf(c)])) as Record<(typeof CSV_COLUMNS)[number], number>
  const seen = new Map<string, number>()
  const rows: CsvSchoolRow[] = []
  body.forEach(({ record: rec }, i) => {
    const line = lines[i + 1] as number
    const cell = (c: (typeof CSV_COLUMNS)[number]): string => (rec[idx[c]] ?? '').normalize('NFC')
    const err = (column: string, code: string, message: string): void => { errors.push({ line, column, code, message }) }
    const moetCode = cell('moetCode')
    if (!/^[A-Za-z0-9._-]{1,32}$/.test(moetCode)) err('moetCode', 'INVALID_CODE', `"${moetCode}" is not a MOET school code (letters, digits, . _ -; up to 32)`)
    else if (seen.has(moetCode)) err('moetCode', 'DUPLICATE_IN_FILE', `MOET code "${moetCode}" is also on line ${seen.get(moetCode)}`)
    else seen.set(moetCode, line)
    const name = cell('name')
    const control = firstControlChar(name)
    if (name.length < 2 || name.length > 300) err('name', 'INVALID_NAME', 'the school name must be 2–300 characters')
    else if (control) err('name', 'CONTROL_CHARACTERS', controlCharMessage('Tên trường', control))
    const levels = cell('levels').split(/[|;,\s]+/).filter(Boolean).map((l) => l.toUpperCase())
    const badLevel = levels.find((l) => !LEVELS.has(l))
    if (levels.length === 0 || badLevel) err('levels', 'INVALID_LEVELS', `levels must be among ${[...LEVELS].join(', ')} separated by "|"${badLevel ? `; "${badLevel}" is not one` : ''}`)
    const ownership = OWNERSHIP[cell('ownership').toLocaleLowerCase('vi')]
    if (!ownership) err('ownership', 'INVALID_OWNERSHIP', `ownership must be public or private (công lập / tư thục), not "${cell('ownership')}"`)
    const unitCode = cell('unitCode')
    if (unitCode === '') err('unitCode', 'REQUIRED', 'unitCode is empty')
    const fy = cell('fromYear')
    const m = new RegExp(SCHOOL_YEAR_PATTERN).test(fy) ? Number(fy.slice(0, 4)) : NaN
    if (!Number.isInteger(m) || Number(fy.slice(5)) !== m + 1) err('fromYear', 'INVALID_SCHOOL_YEAR', `"${fy}" is not a school year like 2025-2026`)
    rows.push({ line, moetCode, name, levels: [...new Set(levels)], ownership: ownership ?? 'public', unitCode, fromYear: m })
  })
  return { rows, errors }
}
