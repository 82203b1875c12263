// cds backup <file>: a consistent copy of the live database while the real server runs and writes,
// opened afterwards by a fresh app (the restore path) that answers exactly as the live server.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { runServiceCommand } from '../../src/cli/service-commands.js'
import { loadCatalog } from '../helpers.js'
import { exampleFacts } from '../http/app.js'
import { LIMITS_OFF_ENV, startServer } from '../support/server-process.js'
import { currentSchoolYear } from '../support/school-year.js'

const SY = currentSchoolYear()

function io() {
  const o = { out: '', err: '' }
  return { o, io: { out: (s: string) => { o.out += `${s}\n` }, err: (s: string) => { o.err += `${s}\n` } } }
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try { return db.pragma('integrity_check', { simple: true }) as string } finally { db.close() }
}

const IN_FLIGHT = 12

t.test('backup of the running server, with writes in flight; a copy that answers as the server', async (t) => {
  const server = await startServer(t, LIMITS_OFF_ENV)
  const env = { DATA_DIR: server.dataDir }
  const base = `http://127.0.0.1:${server.port}`
  const out = mkdtempSync(join(tmpdir(), 'cds-backup-'))
  t.teardown(() => rmSync(out, { recursive: true, force: true }))

  const k = io()
  t.equal(await runServiceCommand('create-key', ['--role', 'admin', '--label', 'Sao lưu'], k.io, env), 0, 'admin key against the live database')
  const admin = k.o.out.trim()
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return JSON.parse(text)
  }

  // Data through the API of the running server: units, a school, a period, an approved assessment.
  await api('POST', '/v1/units', { code: 'HN', name: 'Thành phố Hà Nội', type: 'province', fromYear: '2020-2021' })
  await api('POST', '/v1/units', { code: 'HN-BD', name: 'Phường Bồ Đề', type: 'ward', parentCode: 'HN', fromYear: '2025-2026' })
  await api('POST', '/v1/units', { code: 'QN', name: 'Tỉnh Quảng Ninh', type: 'province', fromYear: '2020-2021' })
  await api('POST', '/v1/schools', { moetCode: '01234567', name: 'Trường THCS Bồ Đề', levels: ['THCS'], ownership: 'public', unitCode: 'HN-BD', fromYear: '2025-2026' })
  const period = (await api('POST', '/v1/periods', {
    unitCode: 'HN', schoolYear: SY.year, title: `Đánh giá CĐS năm học ${SY.year}`, criteriaSets: ['moet-4725'],
    submissionDeadline: SY.deadline, reviewDeadline: SY.reviewDeadline,
  })).id as string
  const a = await api('POST', '/v1/assessments', { schoolCode: '01234567', periodId: period })
  let v = (await api('PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${a.version}"` })).version
  v = (await api('POST', `/v1/assessments/${a.id}/submit`, {}, { 'if-match': `"${v}"` })).version
  await api('POST', `/v1/assessments/${a.id}/approve`, {}, { 'if-match': `"${v}"` })

  // The backup runs while writes (schools of QN, which no HN rollup sees) are in flight.
  const file = join(out, 'nightly', 'cds-backup.sqlite') // the directory is created
  const writes = Array.from({ length: IN_FLIGHT }, (_, i) => api('POST', '/v1/schools', {
    moetCode: `QN${String(i).padStart(3, '0')}`, name: `Trường Tiểu học số ${i}`, levels: ['TH'], ownership: 'public', unitCode: 'QN', fromYear: '2020-2021',
  }))
  const b = io()
  const [code] = await Promise.all([runServiceCommand('backup', [file], b.io, env), ...writes])
  t.equal(code, 0, `backup exits 0 (${b.o.err})`)
  t.match(b.o.out, new RegExp(`^backup written: ${file.replace(/[.\\]/g, '\\$&')} \\(\\d+ pages, integrity ok\\)\\n$`))
  t.same(readdirSync(join(out, 'nightly')), ['cds-backup.sqlite'], 'only the final file: no .partial, no -wal/-shm left')
  t.equal(integrity(file), 'ok', 'PRAGMA integrity_check of the copy')

  // The live summary, now that every write has settled.
  const summaryUrl = `/v1/units/HN/summary?period=${period}`
  const live = await api('GET', summaryUrl)
  // strong-thcs: Nhóm I 89.03 (mức 3), Nhóm II 80 (mức 3) — the approved assessment is counted.
  t.match(live.schools, { inScope: 1, counted: 1 }, 'the live rollup counts the approved assessment')
  t.match(live.overall.groups, [{ code: 'I', schools: 1, meanTotal: 89.03 }, { code: 'II', schools: 1, meanTotal: 80 }])

  // A fresh app on the copy (the restore path): the data is there and the rollup is the same.
  const uploadsDir = join(out, 'uploads')
  const app = await buildApp({ logger: false, catalog: loadCatalog(), config: { dbFile: file, uploadsDir } })
  let appClosed = false
  t.teardown(async () => { if (!appClosed) await app.close() })
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } })
    return { status: res.statusCode, body: res.statusCode === 200 ? JSON.parse(res.body) : res.body }
  }
  t.equal((await get('/v1/units/HN')).status, 200, 'the unit is in the backup (and the admin key works there)')
  const school = await get('/v1/schools/01234567')
  t.equal(school.status, 200, 'the school is in the backup')
  t.equal(school.body.name, 'Trường THCS Bồ Đề')
  const qn = (await get('/v1/schools?unit=QN&limit=500')).body.items as { moetCode: string; name: string }[]
  t.ok(qn.length <= IN_FLIGHT, `the in-flight writes: ${qn.length} of ${IN_FLIGHT} made it into the snapshot, each whole`)
  for (const s of qn) t.match(s, { moetCode: /^QN\d{3}$/, name: /^Trường Tiểu học số \d+$/ })
  const restored = await get(summaryUrl)
  t.equal(restored.status, 200)
  // asOf says when and at which data version each was counted: the only part that differs.
  const counted = (b: Record<string, unknown>) => ({ ...b, asOf: null })
  t.same(counted(restored.body), counted(live), 'the same rollup from the live server and from the backup')
  t.equal(JSON.stringify(counted(restored.body)), JSON.stringify(counted(live)), 'byte for byte (as JSON), but for asOf')
  await app.close()
  appClosed = true

  // (b) An existing destination is refused without --force, and left as it was.
  const before = readFileSync(file)
  const mtime = statSync(file).mtimeMs
  const refused = io()
  t.equal(await runServiceCommand('backup', [file], refused.io, env), 1, 'refused without --force')
  t.match(refused.o.err, /already exists; not overwritten \(use --force/)
  t.equal(refused.o.out, '')
  t.ok(readFileSync(file).equals(before), 'the existing file is unchanged')
  t.equal(statSync(file).mtimeMs, mtime)
  t.same(readdirSync(join(out, 'nightly')), ['cds-backup.sqlite'], 'and no .partial')

  // With --force the copy is replaced by a new one, which now holds every settled write; a stale
  // -wal next to the destination is removed, not replayed into the new copy.
  writeFileSync(`${file}-wal`, 'stale')
  const forced = io()
  t.equal(await runServiceCommand('backup', [file, '--force'], forced.io, env), 0, `--force replaces it (${forced.o.err})`)
  t.match(forced.o.out, /integrity ok/)
  t.notOk(existsSync(`${file}-wal`), 'the stale -wal is gone')
  t.equal(integrity(file), 'ok')
  const copy = new Database(file, { readonly: true })
  t.equal((copy.prepare("SELECT count(*) AS n FROM schools WHERE moet_code LIKE 'QN%'").get() as { n: number }).n, IN_FLIGHT, 'all the settled writes')
  copy.close()

  // The live database itself is never a destination.
  const self = io()
  t.equal(await runServiceCommand('backup', [join(server.dataDir, 'cds.sqlite'), '--force'], self.io, env), 1)
  t.match(self.o.err, /live database itself/)
  t.equal((await api('GET', '/v1/schools/01234567')).moetCode, '01234567', 'the server still serves')
})

t.test('usage errors and a missing database', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-backup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: dir }
  for (const argv of [[], ['a.sqlite', 'b.sqlite'], ['--frobnicate', 'a.sqlite']]) {
    const u = io()
    t.equal(await runServiceCommand('backup', argv, u.io, env), 2, `usage error: backup ${argv.join(' ')}`)
    t.match(u.o.err, /usage: cds backup <file> \[--force\]/)
  }
  const none = io()
  t.equal(await runServiceCommand('backup', [join(dir, 'copy.sqlite')], none.io, env), 1, 'no database to back up')
  t.match(none.o.err, /no database at .*cds\.sqlite/)
  t.same(readdirSync(dir), [], 'and nothing created: not even an empty database')

  t.equal(await runServiceCommand('migrate', [], io().io, env), 0)
  writeFileSync(join(dir, 'not-a-dir'), '')
  const failed = io()
  t.equal(await runServiceCommand('backup', [join(dir, 'not-a-dir', 'copy.sqlite')], failed.io, env), 1, 'a destination that cannot be written')
  t.match(failed.o.err, /backup failed, nothing written to/)
  const offline = io()
  t.equal(await runServiceCommand('backup', [join(dir, 'copy.sqlite')], offline.io, env), 0, 'with the server stopped too')
  t.equal(integrity(join(dir, 'copy.sqlite')), 'ok')
})
