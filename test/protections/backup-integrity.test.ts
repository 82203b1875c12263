// cds backup checks the copy (PRAGMA integrity_check) before giving it the final name: a database
// that is damaged is copied page for page by SQLite's backup API, so only the check can refuse it.
// A damaged source is made here by pointing an index's schema at another column: every row is then
// "missing from index", which integrity_check reports and the backup API copies without noticing.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { backupCommand } from '../../src/cli/backup.js'

function io() {
  const o = { out: '', err: '' }
  return { o, io: { out: (s: string) => { o.out += `${s}\n` }, err: (s: string) => { o.err += `${s}\n` } } }
}

function database(file: string, damaged: boolean): void {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec('CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX t_a ON t (a)')
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)')
  for (let i = 0; i < 200; i++) insert.run(i, 1000 - i)
  if (damaged) {
    db.unsafeMode(true)
    db.pragma('writable_schema = ON')
    db.prepare("UPDATE sqlite_schema SET sql = 'CREATE INDEX t_a ON t (b)' WHERE name = 't_a'").run()
  }
  db.close()
}

t.test('a copy that fails integrity_check is not kept; a sound one is', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-backup-integrity-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  const sound = join(dir, 'sound.sqlite')
  database(sound, false)
  const ok = io()
  t.equal(await backupCommand(sound, [join(dir, 'out', 'sound-copy.sqlite')], ok.io), 0, `a sound database is backed up (${ok.o.err})`)
  t.match(ok.o.out, /integrity ok/)

  const damaged = join(dir, 'damaged.sqlite')
  database(damaged, true)
  const check = new Database(damaged, { readonly: true })
  t.not(check.pragma('integrity_check', { simple: true }), 'ok', 'the source is damaged (the fixture works)')
  check.close()
  const dest = join(dir, 'out', 'damaged-copy.sqlite')
  const bad = io()
  t.equal(await backupCommand(damaged, [dest], bad.io), 1, 'the backup fails')
  t.match(bad.o.err, /failed the integrity check, nothing written to .*damaged-copy\.sqlite: .*missing from index/)
  t.equal(bad.o.out, '')
  t.notOk(existsSync(dest), 'no file under the final name')
  t.same(readdirSync(join(dir, 'out')), ['sound-copy.sqlite'], 'and no .partial, -wal or -shm left')
})
