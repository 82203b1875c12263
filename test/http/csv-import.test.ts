// Importing schools from CSV (POST /v1/schools/import, text/csv): all rows or none, with a per-row
// report of every problem; and the parser (parseSchoolsCsv) on its own.
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { CSV_COLUMNS, MAX_CSV_ROWS, parseSchoolsCsv, type CsvRowError } from '../../src/services/school-csv.js'
import { harness, type Harness } from './app.js'

const HEADER = CSV_COLUMNS.join(',')
const BOM = '\uFEFF'
const SEEDED = ['S1', 'S2', 'S3', 'S9']

const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`

function importCsv(h: Harness, body: string, opts: { key?: string; query?: string; contentType?: string } = {}): Promise<LightMyRequestResponse> {
  return h.req(opts.key ?? h.keys.admin, 'POST', `/v1/schools/import${opts.query ?? ''}`, body, { 'content-type': opts.contentType ?? 'text/csv' })
}

async function schoolCodes(h: Harness): Promise<string[]> {
  const res = await h.req(h.keys.admin, 'GET', '/v1/schools?limit=500')
  if (res.statusCode !== 200) throw new Error(`GET /v1/schools: status ${res.statusCode}`)
  return (h.json(res).items as { moetCode: string }[]).map((s) => s.moetCode)
}

/** Asserts a 400 IMPORT_REJECTED and returns its per-row errors as [line, column, code]. */
function rejected(t: Test, res: LightMyRequestResponse): [number, string, string][] {
  t.equal(res.statusCode, 400, 'status 400')
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['error'])
  t.equal(body.error?.code, 'IMPORT_REJECTED')
  t.match(body.error?.message, /nothing was imported/)
  const errors = (body.error?.details?.errors ?? []) as CsvRowError[]
  t.ok(errors.length > 0, 'at least one row error')
  t.equal(body.error?.path, `/line/${errors[0]?.line}`, 'the path points at the first bad line')
  for (const e of errors) {
    t.type(e.message, 'string')
    t.ok(e.message.length > 0, `line ${e.line} ${e.code}: has a message`)
  }
  return errors.map((e) => [e.line, e.column, e.code])
}

const triples = (errors: CsvRowError[]) => errors.map((e) => [e.line, e.column, e.code])

// ---------------------------------------------------------------------------------------------
// Through the API
// ---------------------------------------------------------------------------------------------

t.test('a good file (BOM, CRLF, Vietnamese names, "TH|THCS", "công lập") imports every row', async (t) => {
  const h = await harness(t)
  const file = BOM + [
    HEADER,
    'C01,Trường Tiểu học và THCS Ngọc Thụy,TH|THCS,công lập,LB-W1,2024-2025',
    'C02,"Trường THCS Gia Thụy, Long Biên",THCS,tư thục,LB,2023-2024',
    `C03,${'Trường THPT Bồ Đề'.normalize('NFD')},THPT;GDTX,public,PX,2025-2026`,
  ].join('\r\n') + '\r\n'
  const res = await importCsv(h, file)
  t.equal(res.statusCode, 200)
  t.same(h.json(res), { created: 3, valid: 3, dryRun: false })
  t.same(await schoolCodes(h), ['C01', 'C02', 'C03', ...SEEDED])

  const c01 = h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/C01'))
  t.same(c01, {
    moetCode: 'C01', name: 'Trường Tiểu học và THCS Ngọc Thụy', levels: ['TH', 'THCS'], ownership: 'public',
    memberships: [{ unitCode: 'LB-W1', fromYear: '2024-2025', toYear: null }],
  })
  const c02 = h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/C02'))
  t.equal(c02.name, 'Trường THCS Gia Thụy, Long Biên', 'a quoted name keeps its comma')
  t.equal(c02.ownership, 'private', '"tư thục" is private')
  const c03 = h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/C03'))
  t.equal(c03.name, 'Trường THPT Bồ Đề'.normalize('NFC'), 'names are stored in NFC')
  t.same(c03.levels, ['THPT', 'GDTX'])

  const found = (h.json(await h.req(h.keys.admin, 'GET', `/v1/schools?q=${encodeURIComponent('ngọc thụy')}`)).items as { moetCode: string }[]).map((s) => s.moetCode)
  t.same(found, ['C01', 'S1'], 'imported names are searchable')
  const inPx = (h.json(await h.req(h.keys.admin, 'GET', '/v1/schools?unit=PX&year=2025-2026')).items as { moetCode: string }[]).map((s) => s.moetCode)
  t.same(inPx, ['C03', 'S3'], 'memberships start in the given year')
})

t.test('a charset parameter on the content type is fine', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, csv('C01,Trường Tiểu học Thạch Bàn,TH,public,LB-W1,2024-2025'), { contentType: 'text/csv; charset=utf-8' })
  t.equal(res.statusCode, 200)
  t.same(h.json(res), { created: 1, valid: 1, dryRun: false })
})

t.test('several bad rows: every problem is reported by line and column, and nothing is imported', async (t) => {
  const h = await harness(t)
  const file = csv(
    'C10,Trường Tiểu học Thạch Bàn,TH,công lập,LB-W1,2024-2025', // 2: good
    'C 11,Trường Tiểu học A,TH,public,LB-W1,2024-2025', //          3: bad code
    'C12,Trường Mầm non B,MN,public,LB-W1,2024-2025', //            4: MN is not a level
    'C13,Trường Tiểu học C,TH,nhà nước,LB-W1,2024-2025', //         5: bad ownership
    'C14,Trường Tiểu học D,TH,public,LB-W1,2024-2026', //           6: not a school year
    'C15,X,TH,public,NOPE,2024-2025', //                            7: short name and unknown unit
    'C16,Trường Tiểu học E,TH,public,LB-W1,2024-2025', //           8: good
  )
  const res = await importCsv(h, file)
  t.same(rejected(t, res), [
    [3, 'moetCode', 'INVALID_CODE'],
    [4, 'levels', 'INVALID_LEVELS'],
    [5, 'ownership', 'INVALID_OWNERSHIP'],
    [6, 'fromYear', 'INVALID_SCHOOL_YEAR'],
    [7, 'name', 'INVALID_NAME'],
    [7, 'unitCode', 'UNKNOWN_UNIT'],
  ])
  t.match(h.json(res).error.message, /^6 problem/)
  t.same(await schoolCodes(h), SEEDED, 'nothing was imported, not even the good rows')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/C10')).statusCode, 404)
})

t.test('an existing MOET code rejects the whole file', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, csv(
    'C20,Trường Tiểu học Phúc Đồng,TH,public,LB-W1,2024-2025',
    'S1,Trường THCS Ngọc Thụy,THCS,public,LB-W1,2024-2025',
    'C21,Trường Tiểu học Phúc Lợi,TH,public,LB-W1,2024-2025',
    'S9,Trường THCS Hạ Long,THCS,public,QN,2024-2025',
  ))
  t.same(rejected(t, res), [[3, 'moetCode', 'SCHOOL_EXISTS'], [5, 'moetCode', 'SCHOOL_EXISTS']])
  t.match(h.json(res).error.details.errors[0].message, /"S1"/)
  t.same(await schoolCodes(h), SEEDED, 'nothing was imported')
  t.equal(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S9')).memberships[0].unitCode, 'QN', 'the existing school is untouched')
})

// The report lists every bad row at once, so a user fixes the file in one pass: an existing code is
// a bad row like any other, whether or not other rows have problems too.
t.test('existing MOET codes are reported together with the other bad rows', async (t) => {
  const h = await harness(t)
  const file = csv(
    'S1,Trường THCS Ngọc Thụy,THCS,public,LB-W1,2024-2025',
    'C22,Trường Mầm non Hoa Mai,MN,public,LB-W1,2024-2025',
  )
  t.same(rejected(t, await importCsv(h, file)), [[2, 'moetCode', 'SCHOOL_EXISTS'], [3, 'levels', 'INVALID_LEVELS']])
  t.same(rejected(t, await importCsv(h, file, { query: '?dryRun=true' })), [[2, 'moetCode', 'SCHOOL_EXISTS'], [3, 'levels', 'INVALID_LEVELS']], 'a dry run too')
  t.same(await schoolCodes(h), SEEDED)
})

t.test('an existing MOET code deep in a large file is found and reported on its line', async (t) => {
  const h = await harness(t)
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => `B${from + i},Trường Tiểu học số ${from + i},TH,public,LB-W1,2024-2025`)
  const first = await importCsv(h, csv(...rows(0, 1200)))
  t.equal(first.statusCode, 200)
  t.same(h.json(first), { created: 1200, valid: 1200, dryRun: false })
  // Row 1101 of the second file (line 1102) repeats a code of the first.
  const second = rows(5000, 1200)
  second[1100] = 'B1100,Trường Tiểu học số 1100,TH,public,LB-W1,2024-2025'
  t.same(rejected(t, await importCsv(h, csv(...second))), [[1102, 'moetCode', 'SCHOOL_EXISTS']])
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/B5000')).statusCode, 404, 'nothing of the second file was imported')
})

t.test('a MOET code twice in the file', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, csv(
    'C30,Trường Tiểu học Long Biên,TH,public,LB-W1,2024-2025',
    'C31,Trường Tiểu học Đức Giang,TH,public,LB-W1,2024-2025',
    'C30,Trường Tiểu học Long Biên B,TH,public,LB-W1,2024-2025',
  ))
  t.same(rejected(t, res), [[4, 'moetCode', 'DUPLICATE_IN_FILE']])
  t.match(h.json(res).error.details.errors[0].message, /line 2/, 'the message points at the first occurrence')
  t.same(await schoolCodes(h), SEEDED)
})

t.test('an unknown unit', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, csv(
    'C40,Trường Tiểu học Sài Đồng,TH,public,LB-W1,2024-2025',
    'C41,Trường Tiểu học Việt Hưng,TH,public,NOPE,2024-2025',
    'C42,Trường Tiểu học Cự Khối,TH,public,NOPE,2024-2025',
  ))
  t.same(rejected(t, res), [[3, 'unitCode', 'UNKNOWN_UNIT'], [4, 'unitCode', 'UNKNOWN_UNIT']])
  t.match(h.json(res).error.details.errors[0].message, /"NOPE"/)
  t.same(await schoolCodes(h), SEEDED)
})

t.test('a reviewer imports only into its own subtree', async (t) => {
  const h = await harness(t)
  const outside = await importCsv(h, csv(
    'C50,Trường Tiểu học Giang Biên,TH,public,LB-W1,2024-2025',
    'C51,Trường THCS Cẩm Phả,THCS,public,QN,2024-2025',
    'C52,Trường THCS Bồ Đề B,THCS,public,PX,2025-2026',
  ), { key: h.keys.reviewerLB })
  t.same(rejected(t, outside), [[3, 'unitCode', 'UNKNOWN_UNIT'], [4, 'unitCode', 'UNKNOWN_UNIT']], 'units outside its subtree are as unknown')
  t.same(await schoolCodes(h), SEEDED, 'nothing was imported')

  const inside = await importCsv(h, csv(
    'C50,Trường Tiểu học Giang Biên,TH,public,LB-W1,2024-2025',
    'C53,Trường THCS Thượng Thanh,THCS,public,LB,2024-2025',
  ), { key: h.keys.reviewerLB })
  t.equal(inside.statusCode, 200)
  t.same(h.json(inside), { created: 2, valid: 2, dryRun: false })
  t.same(await schoolCodes(h), ['C50', 'C53', ...SEEDED])
})

t.test('school keys cannot import; a key is needed', async (t) => {
  const h = await harness(t)
  const file = csv('C60,Trường Tiểu học Ái Mộ,TH,public,LB-W1,2024-2025')
  const forbidden = await importCsv(h, file, { key: h.keys.schoolS1 })
  t.equal(forbidden.statusCode, 403)
  t.equal(h.json(forbidden).error.code, 'FORBIDDEN')
  const anonymous = await h.req(null, 'POST', '/v1/schools/import', file, { 'content-type': 'text/csv' })
  t.equal(anonymous.statusCode, 401)
  t.same(await schoolCodes(h), SEEDED)
})

t.test('?dryRun=true validates without writing', async (t) => {
  const h = await harness(t)
  const good = csv(
    'C70,Trường Tiểu học Ngọc Lâm B,TH,công lập,LB-W1,2024-2025',
    'C71,Trường THCS Ngọc Lâm B,THCS,tư thục,LB-W1,2024-2025',
  )
  const dry = await importCsv(h, good, { query: '?dryRun=true' })
  t.equal(dry.statusCode, 200)
  t.same(h.json(dry), { created: 0, valid: 2, dryRun: true })
  t.same(await schoolCodes(h), SEEDED, 'nothing written')

  t.same(rejected(t, await importCsv(h, csv('C72,Trường A,TH,public,LB-W1,2024-2025', 'S2,Trường B,TH,public,LB-W1,2024-2025'), { query: '?dryRun=true' })),
    [[3, 'moetCode', 'SCHOOL_EXISTS']], 'a dry run reports existing codes too')
  t.same(rejected(t, await importCsv(h, csv('C73,Trường A,TH,public,NOPE,2024-2025'), { query: '?dryRun=true' })), [[2, 'unitCode', 'UNKNOWN_UNIT']])
  t.same(await schoolCodes(h), SEEDED)

  const real = await importCsv(h, good, { query: '?dryRun=false' })
  t.same(h.json(real), { created: 2, valid: 2, dryRun: false }, 'the same file imports for real')
  t.same(await schoolCodes(h), ['C70', 'C71', ...SEEDED])
  const bad = await importCsv(h, good, { query: '?dryRun=maybe' })
  t.equal(bad.statusCode, 400, 'dryRun is a boolean')
})

t.test('a missing header column is CSV_HEADER', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, 'moetCode,name,levels,unitCode,fromYear\nC80,Trường Tiểu học Bồ Đề,TH,LB-W1,2024-2025\n')
  t.same(rejected(t, res), [[1, 'ownership', 'CSV_HEADER']])
  t.match(h.json(res).error.details.errors[0].message, /ownership/)
  t.same(await schoolCodes(h), SEEDED)
  t.same(rejected(t, await importCsv(h, `${HEADER}\n`)), [[2, '', 'CSV_EMPTY']], 'a header and no schools')
  t.same(rejected(t, await importCsv(h, `${HEADER}\nC81,"Trường Tiểu học,TH,public,LB-W1,2024-2025\n`)), [[2, '', 'CSV_SYNTAX']], 'an unclosed quote')
})

t.test('other content types are refused', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, '<schools/>', { contentType: 'application/xml' })
  t.equal(res.statusCode, 415)
  t.equal(h.json(res).error.code, 'UNSUPPORTED_MEDIA_TYPE')
  t.same(await schoolCodes(h), SEEDED)
})

// ---------------------------------------------------------------------------------------------
// parseSchoolsCsv
// ---------------------------------------------------------------------------------------------

// A school file saved from Excel as plain "CSV" is in the Windows code page (1258 for Vietnamese):
// it was stored as mojibake with 200. Now it is refused with the line and how to save it as UTF-8.
t.test('a file that is not UTF-8 is refused with a Vietnamese fix, and nothing is imported', async (t) => {
  const h = await harness(t)
  // "Trường TH Bàn" in Windows-1258: ư = 0xFD, ơ = 0xF5, the grave accent = 0xCC, à = 0xE0.
  const cp1258 = Buffer.concat([
    Buffer.from(`${HEADER}\r\nC01,Tr`, 'latin1'), Buffer.from([0xfd, 0xf5, 0xcc]), Buffer.from('ng TH B', 'latin1'), Buffer.from([0xe0]),
    Buffer.from('n,TH,public,LB-W1,2024-2025\r\n', 'latin1'),
  ])
  for (const query of ['', '?dryRun=true']) {
    const res = await h.req(h.keys.admin, 'POST', `/v1/schools/import${query}`, cp1258, { 'content-type': 'text/csv' })
    t.equal(res.statusCode, 400, `status 400 ${query}`)
    const e = JSON.parse(res.body).error
    t.equal(e.code, 'NOT_UTF8')
    t.equal(e.path, '/line/2', 'the line of the first unreadable byte')
    t.match(e.message, /UTF-8/)
    t.match(e.message, /CSV UTF-8 \(Comma delimited\)/, 'says how to save it from Excel')
    t.match(e.message, /Tệp không ở dạng mã UTF-8/, 'in Vietnamese')
  }
  t.same(await schoolCodes(h), SEEDED, 'nothing imported')
  // The same rows in UTF-8, with Excel's BOM, import.
  const utf8 = Buffer.from(`${BOM}${HEADER}\r\nC01,Trường TH Bàn,TH,public,LB-W1,2024-2025\r\n`, 'utf8')
  const ok = await h.req(h.keys.admin, 'POST', '/v1/schools/import', utf8, { 'content-type': 'text/csv' })
  t.equal(ok.statusCode, 200)
  t.equal(h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/C01')).name, 'Trường TH Bàn')
})

// Bidi overrides and control characters in a name made the stored name read differently on screen
// and in every export.
t.test('a school name with a bidi override or a control character is refused on its line', async (t) => {
  const h = await harness(t)
  const res = await importCsv(h, csv(
    'C01,Trường TH Sao Mai,TH,public,LB-W1,2024-2025',
    'C02,Trường TH \u202Eiam oaS,TH,public,LB-W1,2024-2025',
    'C03,"Trường TH\u0007 Hòa Bình",TH,public,LB-W1,2024-2025',
    'C04,Trường TH \u2066Ngọc\u2069 Lâm,TH,public,LB-W1,2024-2025',
  ))
  t.same(rejected(t, res), [[3, 'name', 'CONTROL_CHARACTERS'], [4, 'name', 'CONTROL_CHARACTERS'], [5, 'name', 'CONTROL_CHARACTERS']])
  const errors = JSON.parse(res.body).error.details.errors as CsvRowError[]
  t.match(errors[0]?.message, /U\+202E/)
  t.match(errors[0]?.message, /Tên trường chứa ký tự điều khiển/)
  t.same(await schoolCodes(h), SEEDED, 'nothing imported')
})

t.test('parseSchoolsCsv: a good file', async (t) => {
  const text = BOM + [
    'name,moetCode,unitCode,levels,fromYear,ownership,note', // any column order; extra columns ignored
    '  Trường Tiểu học Ngọc Thụy  , C01 ,LB-W1,th|THCS|TH,2024-2025,Công lập,ghi chú',
    `"Trường THCS Gia Thụy, Long Biên",C02,LB,"thcs, thpt",2023-2024,TƯ THỤC,`,
    `${'Trường THPT Bồ Đề'.normalize('NFD')},C03,PX,THPT;GDTX GDTX,2025-2026,private,`,
    '',
  ].join('\r\n')
  const { rows, errors } = parseSchoolsCsv(text)
  t.same(errors, [])
  t.same(rows, [
    { line: 2, moetCode: 'C01', name: 'Trường Tiểu học Ngọc Thụy', levels: ['TH', 'THCS'], ownership: 'public', unitCode: 'LB-W1', fromYear: 2024 },
    { line: 3, moetCode: 'C02', name: 'Trường THCS Gia Thụy, Long Biên', levels: ['THCS', 'THPT'], ownership: 'private', unitCode: 'LB', fromYear: 2023 },
    { line: 4, moetCode: 'C03', name: 'Trường THPT Bồ Đề'.normalize('NFC'), levels: ['THPT', 'GDTX'], ownership: 'private', unitCode: 'PX', fromYear: 2025 },
  ])
  t.equal(rows[2]?.name, 'Trường THPT Bồ Đề'.normalize('NFC'), 'cells are NFC')
})

t.test('parseSchoolsCsv: Vietnamese ownership in NFD is understood', async (t) => {
  const { rows, errors } = parseSchoolsCsv(csv(`C01,Trường A,TH,${'công lập'.normalize('NFD')},LB,2024-2025`, `C02,Trường B,TH,${'Tư thục'.normalize('NFD')},LB,2024-2025`))
  t.same(errors, [])
  t.same(rows.map((r) => r.ownership), ['public', 'private'])
})

t.test('parseSchoolsCsv: every kind of row error, with its line and column', async (t) => {
  const { rows, errors } = parseSchoolsCsv(csv(
    ',Trường A,TH,public,LB,2024-2025', //                          2: empty code
    `${'X'.repeat(33)},Trường A,TH,public,LB,2024-2025`, //          3: code too long
    'C/4,Trường A,TH,public,LB,2024-2025', //                       4: bad character
    'C05,A,TH,public,LB,2024-2025', //                              5: name too short
    `C06,${'Trường '.repeat(50)},TH,public,LB,2024-2025`, //        6: name too long (trimmed 349 > 300)
    'C07,Trường A,,public,LB,2024-2025', //                         7: no levels
    'C08,Trường A,TH|MN,public,LB,2024-2025', //                    8: unknown level
    'C09,Trường A,TH,nhà nước,LB,2024-2025', //                     9: unknown ownership
    'C10,Trường A,TH,,LB,2024-2025', //                            10: empty ownership
    'C11,Trường A,TH,public,,2024-2025', //                        11: empty unit
    'C12,Trường A,TH,public,LB,2024', //                           12: not a school year
    'C13,Trường A,TH,public,LB,2024-2026', //                      13: years not consecutive
    'C14,Trường A,TH,public,LB,năm 2024', //                       14: not a school year
    'C02,Trường A,TH,public,LB,2024-2025', //                      15: fine
    'C02,Trường B,TH,public,LB,2024-2025', //                      16: duplicate of line 15
    'C17,Trường A,TH', //                                          17: short row: the missing cells are empty
  ))
  t.same(triples(errors), [
    [2, 'moetCode', 'INVALID_CODE'],
    [3, 'moetCode', 'INVALID_CODE'],
    [4, 'moetCode', 'INVALID_CODE'],
    [5, 'name', 'INVALID_NAME'],
    [6, 'name', 'INVALID_NAME'],
    [7, 'levels', 'INVALID_LEVELS'],
    [8, 'levels', 'INVALID_LEVELS'],
    [9, 'ownership', 'INVALID_OWNERSHIP'],
    [10, 'ownership', 'INVALID_OWNERSHIP'],
    [11, 'unitCode', 'REQUIRED'],
    [12, 'fromYear', 'INVALID_SCHOOL_YEAR'],
    [13, 'fromYear', 'INVALID_SCHOOL_YEAR'],
    [14, 'fromYear', 'INVALID_SCHOOL_YEAR'],
    [16, 'moetCode', 'DUPLICATE_IN_FILE'],
    [17, 'ownership', 'INVALID_OWNERSHIP'],
    [17, 'unitCode', 'REQUIRED'],
    [17, 'fromYear', 'INVALID_SCHOOL_YEAR'],
  ])
  t.match(errors.find((e) => e.line === 8)?.message, /"MN"/, 'the bad level is named')
  t.match(errors.find((e) => e.line === 16)?.message, /line 15/, 'the duplicate names the first line')
  t.equal(rows.length, 16, 'a row is returned for every record (the service rejects the file on any error)')
})

t.test('parseSchoolsCsv: header, empty and oversized files', async (t) => {
  t.same(triples(parseSchoolsCsv('moetCode,name,levels,ownership,unitCode\nC01,Trường A,TH,public,LB\n').errors), [[1, 'fromYear', 'CSV_HEADER']])
  t.same(triples(parseSchoolsCsv('MoetCode,name,levels,ownership,unit,fromYear\n').errors), [[1, 'moetCode,unitCode', 'CSV_HEADER']], 'column names are exact; every missing one is listed')
  t.same(triples(parseSchoolsCsv('').errors), [[1, CSV_COLUMNS.join(','), 'CSV_HEADER']], 'an empty file')
  t.same(triples(parseSchoolsCsv(`${BOM}${HEADER}\r\n`).errors), [[2, '', 'CSV_EMPTY']])
  t.same(triples(parseSchoolsCsv(`${HEADER}\n\n\n`).errors), [[2, '', 'CSV_EMPTY']], 'blank lines are not schools')
  const syntax = parseSchoolsCsv(`${HEADER}\nC01,"Trường A,TH,public,LB,2024-2025\n`)
  t.same(triples(syntax.errors), [[2, '', 'CSV_SYNTAX']])
  t.same(syntax.rows, [])

  const many = Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => `B${i},Trường số ${i},TH,public,LB,2024-2025`)
  const big = parseSchoolsCsv(csv(...many))
  t.same(triples(big.errors), [[MAX_CSV_ROWS + 2, '', 'CSV_TOO_LARGE']])
  t.same(big.rows, [])
  const limit = parseSchoolsCsv(csv(...many.slice(0, MAX_CSV_ROWS)))
  t.same(limit.errors, [], `${MAX_CSV_ROWS} rows are fine`)
  t.equal(limit.rows.length, MAX_CSV_ROWS)
})

// A blank line (an Excel export, a hand edit) must not shift the reported line numbers: the
// file's own line numbers are what a user looks up in an editor.
t.test('parseSchoolsCsv: line numbers are the file\'s lines, even after a blank line', async (t) => {
  const { rows, errors } = parseSchoolsCsv(`${HEADER}\nC01,Trường A,TH,public,LB,2024-2025\n\nC02,Trường B,MN,public,LB,2024-2025\n`)
  t.same(triples(errors), [[4, 'levels', 'INVALID_LEVELS']], 'the bad row is on line 4 of the file')
  t.same(rows.map((r) => r.line), [2, 4])
})
