// Reads a criteria table saved from a spreadsheet as CSV: the delimiter (Vietnamese Excel saves
// ";"), the header (English or Vietnamese names, any accents or case) and each row's cells with the
// file line it starts on, so every problem can point at a line the officer sees in a text editor.
import { parse } from 'csv-parse/sync'
import { LineCounter } from '../csv/line-counter.js'
import type { CsvProblem } from './criteria-csv.js'
import { MAX_NAME_LENGTH, clip, fold } from './text.js'

export type Field =
  | 'code' | 'parent' | 'title' | 'kind' | 'maxPoints' | 'rule' | 'threshold' | 'unit'
  | 'facts' | 'evidence' | 'source' | 'confidence' | 'note'

/** Header names by field, folded (see fold): the first is the English name used in messages. */
const ALIASES: Record<Field, string[]> = {
  code: ['code', 'ma', 'ma tieu chi', 'ma so'],
  parent: ['parent', 'thuoc', 'thuoc nhom', 'ma cha'],
  title: ['title', 'ten', 'tieu chi', 'ten tieu chi', 'noi dung', 'noi dung tieu chi'],
  kind: ['kind', 'loai', 'loai tieu chi'],
  maxPoints: ['max points', 'maxpoints', 'diem toi da', 'diem'],
  rule: ['rule', 'cach tinh', 'cach tinh diem', 'cong thuc'],
  threshold: ['threshold', 'nguong', 'nguong dat'],
  unit: ['unit', 'don vi', 'don vi tinh'],
  facts: ['facts', 'du kien'],
  evidence: ['evidence', 'minh chung', 'minh chung can co'],
  source: ['source', 'nguon', 'can cu'],
  confidence: ['confidence', 'do tin cay'],
  note: ['note', 'ghi chu'],
}

const REQUIRED: Field[] = ['code', 'title', 'source']

/** A generous bound: a district model has tens of rows; this keeps a pasted mistake cheap. */
export const MAX_ROWS = 2000

export interface TableRow { line: number; cells: Record<Field, string> }
export interface Table {
  rows: TableRow[]
  /** Each present field's header as the officer wrote it (for messages). */
  headers: Partial<Record<Field, string>>
}

/** The English name of a field, as documented (max_points, not maxPoints). */
export function fieldName(f: Field): string {
  return f === 'maxPoints' ? 'max_points' : f
}

/** Vietnamese header name shown in fixes next to the English one. */
const VI_NAMES: Record<Field, string> = {
  code: 'Mã', parent: 'Thuộc', title: 'Tên', kind: 'Loại', maxPoints: 'Điểm tối đa', rule: 'Cách tính',
  threshold: 'Ngưỡng', unit: 'Đơn vị', facts: 'Dữ kiện', evidence: 'Minh chứng', source: 'Nguồn',
  confidence: 'Độ tin cậy', note: 'Ghi chú',
}

export function readTable(csvText: string): { table?: Table; problems: CsvProblem[] } {
  const text = csvText.replace(/^\uFEFF/, '')
  if (text.trim() === '') {
    return { problems: [{ line: 1, code: 'EMPTY_FILE', message: 'the file is empty', fix: 'save the criteria table as CSV with a header row first' }] }
  }
  const bad = text.indexOf('\uFFFD')
  if (bad >= 0) {
    // The caller decoded bytes that are not UTF-8 (Excel's plain "CSV" uses the Windows code page).
    const line = text.slice(0, bad).split(/\r\n|\n|\r/).length
    return { problems: [{ line, code: 'NOT_UTF8', message: 'the file is not in UTF-8: Vietnamese letters cannot be read', fix: 'save it again from the spreadsheet as "CSV UTF-8 (Comma delimited)"' }] }
  }
  const parsed = parseRecords(text)
  if ('problem' in parsed) return { problems: [parsed.problem] }
  const [header, ...body] = parsed.records
  const mapped = mapHeader(header as ParsedRecord)
  if (mapped.problems.length > 0) return { problems: mapped.problems }
  if (body.length === 0) {
    return { problems: [{ line: 2, code: 'NO_ROWS', message: 'the file has a header row but no criteria', fix: 'add one row per group and per criterion below the header' }] }
  }
  if (body.length > MAX_ROWS) {
    return { problems: [{ line: MAX_ROWS + 2, code: 'TOO_MANY_ROWS', message: `the table has ${body.length} rows; at most ${MAX_ROWS} are read`, fix: 'check that only the criteria table was saved, not a whole workbook' }] }
  }
  const problems = body.flatMap((r) => strayCells(r, header as ParsedRecord))
  if (problems.length > 0) return { problems }
  const rows = body.map((r): TableRow => ({ line: r.line, cells: cellsOf(r.cells, mapped.index) }))
  return { table: { rows, headers: mapped.headers }, problems: [] }
}

/**
 * Text in a column without a header, or more cells than the header: most often a cell with an
 * unquoted delimiter that split in two and shifted the rest of the row (a spreadsheet writes every
 * row with as many cells as the header).
 */
function strayCells(r: ParsedRecord, header: ParsedRecord): CsvProblem[] {
  const unnamed = r.cells.findIndex((c, j) => c !== '' && (header.cells[j] ?? '') === '')
  if (unnamed < 0 && r.cells.length <= header.cells.length) return []
  const i = unnamed >= 0 ? unnamed : header.cells.length
  return [{
    line: r.line, column: `#${i + 1}`, code: 'EXTRA_CELLS',
    message: unnamed >= 0
      ? `the row has text ("${r.cells[i]}") in column ${i + 1}, which has no header`
      : `the row has ${r.cells.length} cells but the header has ${header.cells.length}`,
    fix: 'a cell containing the delimiter (, or ;) must be in double quotes; save the file again from the spreadsheet, or give the column a header',
  }]
}

interface ParsedRecord { line: number; cells: string[] }

function parseRecords(text: string): { records: ParsedRecord[] } | { problem: CsvProblem } {
  let out: { record: string[]; info: { bytes: number } }[]
  try {
    out = parse(text, {
      delimiter: detectDelimiter(text),
      skip_empty_lines: true,
      // Excel saves a blank row as ";;;;": not a row of the table.
      skip_records_with_empty_values: true,
      trim: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[]
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1
    return {
      problem: {
        line, code: 'CSV_SYNTAX', message: `the file is not valid CSV: ${(e as Error).message}`,
        fix: 'a cell containing the delimiter, quotes or line breaks must be in double quotes ("…"), with quotes inside doubled (""); saving again from the spreadsheet as CSV does this',
      },
    }
  }
  const lines = new LineCounter(text)
  return {
    records: out.map(({ record, info }) => {
      const cells = record.map((c) => c.normalize('NFC'))
      return { line: lines.startLine(info.bytes, cells), cells }
    }),
  }
}

/** "," or ";" (or a tab), whichever the header line uses most; quoted text does not count. */
export function detectDelimiter(text: string): string {
  const firstLine = (text.split(/\r\n|\n|\r/)[0] ?? '').replace(/"[^"]*"/g, '')
  const count = (d: string) => firstLine.split(d).length - 1
  const candidates = [',', ';', '\t']
  return candidates.reduce((best, d) => (count(d) > count(best) ? d : best), ',')
}

function mapHeader(header: ParsedRecord): { index: Map<Field, number>; headers: Partial<Record<Field, string>>; problems: CsvProblem[] } {
  const index = new Map<Field, number>()
  const headers: Partial<Record<Field, string>> = {}
  const problems: CsvProblem[] = []
  header.cells.forEach((raw, i) => {
    if (raw === '') return // a trailing delimiter; cells under it are checked in cellsOf
    // The length first: no known header is long, and a huge cell is not worth reading (H4).
    const field = raw.length > MAX_NAME_LENGTH ? null : fieldOf(raw)
    if (!field) {
      const shown = clip(raw, 80)
      problems.push({
        line: 1, column: shown, code: 'UNKNOWN_COLUMN', message: `the column "${shown}" is not a known column${raw.length > MAX_NAME_LENGTH ? ` (its header has ${raw.length} characters)` : ''}`,
        fix: `rename it to one of: ${knownColumns()}; or delete the column`,
      })
    } else if (index.has(field)) {
      problems.push({
        line: 1, column: raw, code: 'DUPLICATE_COLUMN', message: `"${raw}" and "${headers[field]}" are the same column (${fieldName(field)})`,
        fix: 'keep one of the two columns',
      })
    } else {
      index.set(field, i)
      headers[field] = raw
    }
  })
  for (const f of REQUIRED) {
    if (!index.has(f)) {
      problems.push({
        line: 1, column: fieldName(f), code: 'MISSING_COLUMN', message: `the header row has no "${fieldName(f)}" column (Vietnamese: "${VI_NAMES[f]}")`,
        fix: `add a column headed "${VI_NAMES[f]}" (or "${fieldName(f)}")${f === 'source' ? ' giving, for each criterion, the document and section it comes from' : ''}`,
      })
    }
  }
  return { index, headers, problems }
}

function fieldOf(header: string): Field | null {
  const h = fold(header)
  for (const [field, names] of Object.entries(ALIASES) as [Field, string[]][]) if (names.includes(h)) return field
  return null
}

function knownColumns(): string {
  return (Object.keys(ALIASES) as Field[]).map((f) => `${VI_NAMES[f]} (${fieldName(f)})`).join(', ')
}

function cellsOf(cells: string[], index: Map<Field, number>): Record<Field, string> {
  const out = {} as Record<Field, string>
  for (const f of Object.keys(ALIASES) as Field[]) {
    const i = index.get(f)
    out[f] = i === undefined ? '' : cells[i] ?? ''
  }
  return out
}

/** How a problem names a column: the header as the officer wrote it. */
export function columnOf(table: Table, f: Field): string {
  return table.headers[f] ?? fieldName(f)
}
