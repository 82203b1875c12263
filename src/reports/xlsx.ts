// A unit's report as an Excel workbook (pure: UnitReport in, bytes out; no file or network I/O).
//
// Sheets:
//   "Tổng hợp"   — the columns of the CSV summary (./csv.ts summaryColumns), header in row 1,
//                  bold, frozen (with the code and name columns), autofilter over the table;
//   "Nhóm <code>" — per group, the per-criterion self and external points (criteriaColumns),
//                  header cells "1.3 (tối đa 30)" / "1.3 – ngoài" with the criterion title in a note;
//   "Thông tin"  — unit, period, criteria set, time of export and a list of the criteria.
// Numbers are real numbers (rounded to 2 decimals as everywhere in reports); text is stored as
// shared strings, which Excel never evaluates (exceljs writes a formula only from { formula }, never
// from a string that starts with "="), so no formula neutralizing is needed (or done) here. Codes
// ("01234567") are text cells with the Text number format "@", so that editing one in Excel does
// not turn it into the number 1234567.
// A provisional value (a self-assessment still missing facts) is shown in italics.
import { PassThrough } from 'node:stream'
import type ExcelJS from 'exceljs'
import { criteriaColumns, criterionHeader, reportNumber, summaryColumns, type ReportColumn } from './csv.js'
import type { ReportRow, UnitReport } from './types.js'

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } }
const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF8EA9DB' } }

/**
 * A valid, unique worksheet name: at most 31 characters, none of [ ] : * ? / \, not starting or
 * ending with an apostrophe, not "History" (reserved by Excel); unique case-insensitively.
 */
export function sheetName(wanted: string, taken: Iterable<string>): string {
  let base = wanted.replace(/[[\]:*?/\\]/g, '-').replace(/^'+|'+$/g, '').trim()
  if (base === '' || base.toLowerCase() === 'history') base = `${base || 'Sheet'} (1)`
  base = base.slice(0, 31)
  const used = new Set([...taken].map((n) => n.toLowerCase()))
  let name = base
  for (let i = 2; used.has(name.toLowerCase()); i++) {
    const suffix = ` (${i})`
    name = base.slice(0, 31 - suffix.length) + suffix
  }
  return name
}

/** Date and time in Vietnam (UTC+7, no daylight saving): "25/11/2026 14:05". */
export function vnDateTime(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`
}

function displayLength(v: unknown): number {
  if (v === null || v === undefined) return 0
  return String(v).length
}

// The workbook is written as a stream, row by row (exceljs's WorkbookWriter): the in-memory model
// of a national report (30,000 schools × every criterion) took 1.9 GB (bench/memory.ts).
type Writer = ExcelJS.stream.xlsx.WorkbookWriter
type Sheet = ExcelJS.Worksheet

function addTable(wb: Writer, names: string[], name: string, cols: ReportColumn[], rows: ReportRow[], frozenColumns: number): void {
  const ws = addSheet(wb, names, name, {
    views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1, topLeftCell: cellRef(frozenColumns + 1, 2), activeCell: 'A2' }],
  })
  // Widths and the filter go first: a streamed sheet writes them before its first row.
  cols.forEach((c, i) => {
    const column = ws.getColumn(i + 1)
    // (Numbers align right by themselves; a column style would also overwrite the header's.)
    if (c.kind === 'number') {
      column.width = 13
    } else {
      let longest = displayLength(c.header)
      for (const r of rows) longest = Math.max(longest, displayLength(c.value(r)))
      column.width = Math.min(60, Math.max(10, longest + 2))
    }
  })
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: cols.length } }
  const header = ws.addRow(cols.map((c) => c.header))
  header.height = 45
  header.eachCell((cell, i) => {
    const col = cols[i - 1]
    cell.font = { bold: true }
    cell.fill = HEADER_FILL
    cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN }
    cell.alignment = { vertical: 'middle', horizontal: col?.kind === 'number' ? 'center' : 'left', wrapText: true }
    if (col?.note) cell.note = col.note
  })
  header.commit()
  for (const r of rows) {
    // An empty text is an empty cell, not a cell holding "".
    const row = ws.addRow(cols.map((c) => { const v = c.value(r); return v === '' ? null : v }))
    cols.forEach((c, i) => {
      if (c.provisional?.(r) && c.value(r) !== null) row.getCell(i + 1).font = { italic: true, color: { argb: 'FF7F7F7F' } }
      if (c.code) row.getCell(i + 1).numFmt = '@'
    })
    row.commit()
  }
  ws.commit()
}

function addSheet(wb: Writer, names: string[], wanted: string, options?: Partial<ExcelJS.AddWorksheetOptions>): Sheet {
  const name = sheetName(wanted, names)
  names.push(name)
  return wb.addWorksheet(name, options)
}

/** "C2" from a 1-based column and row. */
function cellRef(column: number, row: number): string {
  let s = ''
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return `${s}${row}`
}

function addInfoSheet(wb: Writer, names: string[], r: UnitReport): void {
  const ws = addSheet(wb, names, 'Thông tin')
  ws.getColumn(1).width = 32
  ws.getColumn(2).width = 80
  ws.getColumn(3).width = 8
  ws.getColumn(4).width = 12
  ws.getColumn(5).width = 18
  const info: [string, string | number][] = [
    ['Đơn vị', r.unit.name],
    ['Mã đơn vị', r.unit.code],
    ['Kỳ đánh giá', r.period.title],
    ['Mã kỳ đánh giá', r.period.id],
    ['Năm học', r.period.schoolYear],
    ['Bộ tiêu chí', r.criteriaSet.title],
    ['Mã bộ tiêu chí', r.criteriaSet.id],
    ['Phiên bản', r.criteriaSet.version],
    ['Thời điểm xuất (giờ Việt Nam)', vnDateTime(r.generatedAt)],
    ['Thời điểm xuất (UTC, ISO 8601)', r.generatedAt.toISOString()],
    ['Số trường', r.rows.length],
    ['Ghi chú', 'Điểm, mức in nghiêng: kết quả tạm tính (tự đánh giá còn thiếu minh chứng, xem cột "Còn thiếu").'],
  ]
  for (const [k, v] of info) {
    const row = ws.addRow([k, v])
    row.getCell(1).font = { bold: true }
    row.getCell(2).alignment = { horizontal: 'left', wrapText: true }
    if (k === 'Mã đơn vị') row.getCell(2).numFmt = '@'
  }
  ws.addRow([])
  const head = ws.addRow(['Mã', 'Tiêu chí', 'Nhóm', 'Điểm tối đa', 'Cột'])
  head.eachCell((c) => { c.font = { bold: true }; c.fill = HEADER_FILL })
  for (const c of r.criteria) {
    const row = ws.addRow([c.code, c.title, c.groupCode, reportNumber(c.maxPoints), criterionHeader(c)])
    row.getCell(2).alignment = { indent: Math.min(c.depth, 10), wrapText: true }
  }
  ws.commit()
}

/** The unit's report as an .xlsx file. */
export async function reportXlsx(r: UnitReport): Promise<Buffer> {
  // Loaded on first use: exceljs is ~20 MB of a server's resident memory.
  const { default: Excel } = await import('exceljs')
  const chunks: Buffer[] = []
  const stream = new PassThrough()
  stream.on('data', (b: Buffer) => chunks.push(b))
  const done = new Promise((resolve, reject) => { stream.on('end', resolve); stream.on('error', reject) })
  const wb = new Excel.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true })
  const names: string[] = []
  wb.creator = 'cds-assess'
  wb.lastModifiedBy = 'cds-assess'
  wb.created = r.generatedAt
  wb.modified = r.generatedAt
  wb.title = `Tổng hợp mức độ chuyển đổi số — ${r.unit.name}`
  wb.subject = `${r.period.title} (năm học ${r.period.schoolYear})`
  wb.keywords = ['chuyển đổi số', r.unit.code, r.period.id, `${r.criteriaSet.id}@${r.criteriaSet.version}`].join('; ')
  wb.category = r.criteriaSet.id
  wb.description =
    `Đơn vị: ${r.unit.name} (${r.unit.code}). Kỳ đánh giá: ${r.period.title}, năm học ${r.period.schoolYear}. ` +
    `Bộ tiêu chí: ${r.criteriaSet.title} (${r.criteriaSet.id}@${r.criteriaSet.version}). Xuất lúc ${r.generatedAt.toISOString()}.`

  addTable(wb, names, 'Tổng hợp', summaryColumns(r), r.rows, 2)
  for (const g of r.groups) addTable(wb, names, `Nhóm ${g.code}`, criteriaColumns(r, g.code), r.rows, 2)
  addInfoSheet(wb, names, r)
  await wb.commit()
  await done
  return Buffer.concat(chunks)
}
