// The README's district walkthrough (docs/district-walkthrough.sh) against a real server: a model
// loaded from CSV, a period with it beside QĐ 4725, the rollup, targets, exports and a phiếu.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ExcelJS from 'exceljs'
import t from 'tap'
import { childEnv, ROOT, startServer } from '../support/server-process.js'

const missing = ['curl', 'jq', 'bash'].filter((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status !== 0)

t.test('docs/district-walkthrough.sh: CSV model → period → rollup → exports', { skip: missing.length > 0 ? `needs ${missing.join(', ')}` : false }, async (t) => {
  const server = await startServer(t)
  const out = mkdtempSync(join(tmpdir(), 'cds-district-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))
  const log = execFileSync('bash', [fileURLToPath(new URL('docs/district-walkthrough.sh', ROOT))], {
    env: childEnv({ DATA_DIR: server.dataDir, BASE: `http://127.0.0.1:${server.port}`, OUT: out }), encoding: 'utf8', timeout: 90_000,
  })
  t.match(log, /district walkthrough complete/)
  t.match(log, /"verification":\{"errors":0,"warnings":0\}/, 'the example table passes the verifier')
  t.match(log, /"status":"published"/)
  // Three schools; 01010001 and 01010002 approved, 01010003 never started.
  t.match(log, /\{"inScope":3,"counted":2,"byState":\{"draft":0,"submitted":0,"returned":0,"approved":2,"published":0,"none":1\},"notAssessed":\["01010003"\]\}/)
  // strong-thcs (its .expected.json): I 89.03 → Mức 3, II 80 → the external one without the family
  // app (2.4.1, 8 points) gives 72 → Mức 2. weak-rural-th: I 15.68 → Mức 1, II 46 → Mức 1.
  // Nhóm II counted: 72 and 46 → levels {1: 1, 2: 1}, mean (72 + 46) / 2 = 59, median 59.
  // Nhóm I: 89.03 and 15.68 → mean 104.71 / 2 = 52.355 → 52.36 (half up), levels {1: 1, 3: 1}.
  t.match(log, /\{"code":"I","levels":\{"1":1,"3":1\},"meanTotal":52\.36,"medianTotal":52\.36\}/)
  t.match(log, /\{"code":"II","levels":\{"1":1,"2":1\},"meanTotal":59,"medianTotal":59\}/, 'the external result is the one that counts')
  t.match(log, /"cut":\[\{"code":"2\.4\.1","cut":1,"pointsCut":8\}\]/, 'the criterion the reviewer cut')
  t.match(log, /"levelLowered":1/)
  // District model 2.1: 100 × 450 / 500 = 90 % against ≥ 90 → met.
  t.match(log, /\{"code":"2\.1","title":"Tỉ lệ học sinh có học bạ số","met":1,"notMet":0,"schools":\[\{"moetCode":"01010001","value":90,"gap":0\}\]\}/)

  const csv = readFileSync(join(out, 'bao-cao.csv'))
  t.same([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM (Excel reads the accents)')
  t.match(csv.toString('utf8'), /Mã trường,Tên trường/)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(readFileSync(join(out, 'bao-cao.xlsx')) as never)
  t.ok(wb.getWorksheet('Tổng hợp'), 'the XLSX opens with its summary sheet')
  t.equal(wb.getWorksheet('Tổng hợp')!.rowCount, 4, 'a header and one row per school')
  t.match(readFileSync(join(out, 'phieu.html'), 'utf8'), /PHIẾU TỰ ĐÁNH GIÁ/)
})
