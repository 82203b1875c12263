// Errors in the school import name the line a row starts on, also after a cell with a line break
// (csv-parse's own line count gives the line a record ends on and counts a quoted CRLF twice).
import t from 'tap'
import { parseSchoolsCsv } from '../../src/services/school-csv.js'

t.test('line numbers survive quoted line breaks, CRLF and blank lines', async (t) => {
  const text = [
    'moetCode,name,levels,ownership,unitCode,fromYear', //          line 1
    'A1,"Trường Tiểu học\r\nhai dòng",TH,public,U,2024-2025', // lines 2–3
    '', //                                                          line 4 (blank)
    'A2,X,ZZ,public,U,2024-2025', //                               line 5
    'A3,"Trường\nba\ndòng",THCS,tư thục,U,2024', //               lines 6–8
  ].join('\r\n')
  const { rows, errors } = parseSchoolsCsv(text)
  t.same(rows.map((r) => [r.moetCode, r.line]), [['A1', 2], ['A2', 5], ['A3', 6]])
  // A school name is one line (a break inside it is refused, test/http/csv-import.test.ts); the
  // breaks still count for the lines of the rows after it.
  t.same(errors.map((e) => [e.line, e.column, e.code]), [[2, 'name', 'CONTROL_CHARACTERS'], [5, 'name', 'INVALID_NAME'], [5, 'levels', 'INVALID_LEVELS'],
    [6, 'name', 'CONTROL_CHARACTERS'], [6, 'fromYear', 'INVALID_SCHOOL_YEAR']])
})
