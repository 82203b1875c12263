// The XLSX export, read back with exceljs: sheets, headers, real numbers, frozen header, filter.
import t from 'tap'
import ExcelJS from 'exceljs'
import { reportXlsx, sheetName, vnDateTime } from '../../src/reports/xlsx.js'
import { sampleReport } from './fixtures/report.js'

async function load(): Promise<ExcelJS.Workbook> {
  const buf = await reportXlsx(sampleReport())
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer)
  return wb
}

const headerOf = (ws: ExcelJS.Worksheet): unknown[] => (ws.getRow(1).values as unknown[]).slice(1)

t.test('a Buffer holding a zip file', async (t) => {
  const buf = await reportXlsx(sampleReport())
  t.ok(Buffer.isBuffer(buf))
  t.equal(buf.subarray(0, 2).toString('latin1'), 'PK')
})

t.test('sheets, workbook properties', async (t) => {
  const wb = await load()
  t.same(wb.worksheets.map((w) => w.name), ['Tổng hợp', 'Nhóm I', 'Nhóm II', 'Thông tin'])
  t.equal(wb.creator, 'cds-assess')
  t.match(wb.title, 'Phòng GD&ĐT Quận 1')
  t.match(wb.subject, 'Đánh giá chuyển đổi số 2025-2026')
  t.match(wb.description, 'moet-4725@2022-12-30')
  t.equal(wb.created.toISOString(), '2026-11-25T07:05:00.000Z')
})

t.test('"Tổng hợp": CSV columns, header row 1 bold and frozen, autofilter, real numbers', async (t) => {
  const ws = (await load()).getWorksheet('Tổng hợp')!
  const header = headerOf(ws)
  t.equal(header.length, 19)
  t.same(header.slice(0, 8), ['Mã trường', 'Tên trường', 'Đơn vị', 'Cấp học', 'Loại hình', 'Trạng thái', 'Nhóm I – Điểm tự đánh giá', 'Nhóm I – Mức tự đánh giá'])
  t.equal(header[12], 'Nhóm II – Điểm tự đánh giá')
  t.equal(header[18], 'Còn thiếu')
  t.equal(ws.getCell('A1').font?.bold, true)
  t.equal(ws.getCell('S1').font?.bold, true)
  t.equal(ws.getCell('G1').alignment?.wrapText, true, 'long headers wrap')

  const view = ws.views[0] as ExcelJS.WorksheetViewFrozen
  t.equal(view.state, 'frozen')
  t.equal(view.ySplit, 1, 'the header row is frozen')
  t.equal(view.xSplit, 2, 'and the code and name columns')
  t.equal(ws.autoFilter, 'A1:S4', 'the filter covers header and rows')

  // Row 2: the school with an external assessment; its hostile name is plain text, unaltered.
  t.equal(ws.getCell('A2').value, '79000701')
  t.equal(ws.getCell('B2').type, ExcelJS.ValueType.String)
  t.equal(ws.getCell('B2').value, '=Trường "Sao Mai", cơ sở 2', 'no apostrophe and no formula in the xlsx')
  t.equal(ws.getCell('F2').value, 'Đã duyệt')
  t.equal(ws.getCell('G2').type, ExcelJS.ValueType.Number)
  t.equal(ws.getCell('G2').value, 89.03)
  t.equal(ws.getCell('H2').value, 3)
  t.equal(ws.getCell('I2').value, 85.5)
  t.equal(ws.getCell('K2').value, 70)
  t.equal(ws.getCell('Q2').type, ExcelJS.ValueType.Null, 'no previous result of group II')
  t.equal(ws.getCell('S2').type, ExcelJS.ValueType.Null, 'nothing missing → empty cell')
  // Row 3: multi-level, incomplete (provisional values in italics).
  t.equal(ws.getCell('D3').value, 'TH, THCS')
  t.equal(ws.getCell('E3').value, 'Ngoài công lập')
  t.equal(ws.getCell('G3').value, 65)
  t.equal(ws.getCell('G3').font?.italic, true)
  t.not(ws.getCell('G2').font?.italic, true)
  t.equal(ws.getCell('S3').value, 'subjects_total; teachers_total')
  // Row 4: no assessment.
  t.equal(ws.getCell('F4').value, 'Chưa đánh giá')
  t.equal(ws.getCell('G4').type, ExcelJS.ValueType.Null)
  t.equal(ws.getCell('C4').value, '@Phường Đa Kao')

  t.ok((ws.getColumn(2).width ?? 0) >= 20, 'the name column is wide enough')
  t.ok((ws.getColumn(7).width ?? 0) >= 10)
})

t.test('group sheets: a column per criterion (self, then external), code and max in the header', async (t) => {
  const wb = await load()
  const i = wb.getWorksheet('Nhóm I')!
  t.same(headerOf(i), ['Mã trường', 'Tên trường', 'Đơn vị', '1.3 (tối đa 30)', '1.3.1 (tối đa 6)', '1.4 (tối đa 10)', '1.3 – ngoài', '1.3.1 – ngoài', '1.4 – ngoài'])
  t.equal(i.getCell('D1').note, 'Triển khai phần mềm dạy học trực tuyến', 'the criterion title is in a note')
  t.same((i.getRow(2).values as unknown[]).slice(4), [30, 6, 8.57, 24, 0, 7.5])
  t.equal(i.getCell('F3').type, ExcelJS.ValueType.Null, 'a criterion without points is empty')
  t.equal((i.views[0] as ExcelJS.WorksheetViewFrozen).ySplit, 1)
  t.equal(i.autoFilter, 'A1:I4')
  const ii = wb.getWorksheet('Nhóm II')!
  t.same(headerOf(ii), ['Mã trường', 'Tên trường', 'Đơn vị', '2.3.1 (tối đa 6)', '2.3.1 – ngoài'])
})

t.test('"Thông tin": unit, period, set, export time; the criteria legend', async (t) => {
  const ws = (await load()).getWorksheet('Thông tin')!
  const pairs = new Map<unknown, unknown>()
  ws.eachRow((r) => pairs.set(r.getCell(1).value, r.getCell(2).value))
  t.equal(pairs.get('Đơn vị'), 'Phòng GD&ĐT Quận 1')
  t.equal(pairs.get('Năm học'), '2025-2026')
  t.equal(pairs.get('Mã bộ tiêu chí'), 'moet-4725')
  t.equal(pairs.get('Thời điểm xuất (giờ Việt Nam)'), '25/11/2026 14:05')
  t.equal(pairs.get('Số trường'), 3)
  t.equal(pairs.get('1.3.1'), 'Phần mềm dạy học trực tuyến trực tiếp')
})

t.test('an empty report still makes a valid workbook', async (t) => {
  const r = sampleReport()
  r.rows = []
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load((await reportXlsx(r)) as unknown as ExcelJS.Buffer)
  t.equal(wb.getWorksheet('Tổng hợp')!.autoFilter, 'A1:S1')
})

t.test('sheetName: Excel rules', async (t) => {
  t.equal(sheetName('Nhóm I', []), 'Nhóm I')
  t.equal(sheetName('Nhóm [A]/B:C*D?E\\F', []), 'Nhóm -A--B-C-D-E-F')
  t.equal(sheetName("'quoted'", []), 'quoted')
  t.equal(sheetName('x'.repeat(40), []).length, 31)
  t.equal(sheetName('Nhóm I', ['nhóm i']), 'Nhóm I (2)')
  t.equal(sheetName('Nhóm I', ['Nhóm I', 'Nhóm I (2)']), 'Nhóm I (3)')
  t.equal(sheetName('y'.repeat(40), ['y'.repeat(31)]), 'y'.repeat(27) + ' (2)')
  t.equal(sheetName('History', []), 'History (1)')
  t.equal(sheetName('', []), 'Sheet (1)')
})

t.test('vnDateTime is Vietnam time', async (t) => {
  t.equal(vnDateTime(new Date('2026-12-31T18:30:00Z')), '01/01/2027 01:30')
})

// A school code is a text cell in Text format ("@"): typed over in Excel it stays "01234567" rather
// than becoming the number 1234567; a text that looks like a formula is a string, never a formula.
t.test('codes are text cells of format "@"; formula-like text is never a formula', async (t) => {
  const r = sampleReport()
  ;(r.rows[0] as { moetCode: string }).moetCode = '01234567'
  ;(r.rows[1] as { name: string }).name = '=HYPERLINK("http://x.example","bấm vào đây")'
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(await reportXlsx(r) as unknown as ExcelJS.Buffer)
  for (const name of ['Tổng hợp', 'Nhóm I']) {
    const ws = wb.getWorksheet(name)!
    t.equal(ws.getCell('A2').value, '01234567', `${name}: the code with its leading zero`)
    t.equal(ws.getCell('A2').type, ExcelJS.ValueType.String, `${name}: a string cell`)
    t.equal(ws.getCell('A2').numFmt, '@', `${name}: Text format`)
    t.equal(ws.getCell('A3').numFmt, '@', `${name}: every row's code`)
    t.equal(ws.getCell('B3').type, ExcelJS.ValueType.String, `${name}: the formula-like name is a string`)
    t.equal(ws.getCell('B3').value, '=HYPERLINK("http://x.example","bấm vào đây")')
  }
  const info = wb.getWorksheet('Thông tin')!
  const unitCodeRow = info.getColumn(1).values.indexOf('Mã đơn vị')
  t.equal(info.getCell(unitCodeRow, 2).numFmt, '@', 'the unit code too')
})
