// Migration 0002 on a database made by the earlier migrations: codes differing only in case are
// refused with the codes named and nothing changed (never deleted or renamed); otherwise the
// case-insensitive unique indexes exist, and minted_by is backfilled from created_by.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import t, { type Test } from 'tap'
import { closeDatabase, MIGRATIONS_DIR, openDatabase } from '../../src/db/connection.js'

const TAG = '0002_codes_nocase_minted_by'
interface Journal { entries: { idx: number; tag: string }[] }

/** A database file migrated up to (not including) 0002, as an older release left it. */
function olderDatabase(t: Test): { file: string; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'cds-0002-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const migrations = join(dir, 'migrations')
  mkdirSync(join(migrations, 'meta'), { recursive: true })
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as Journal
  const idx = journal.entries.findIndex((e) => e.tag === TAG)
  t.ok(idx > 0, `${TAG} is in the journal`)
  const before = journal.entries.slice(0, idx)
  for (const e of before) cpSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(migrations, `${e.tag}.sql`))
  writeFileSync(join(migrations, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: before }))
  const file = join(dir, 'cds.sqlite')
  const db = new Database(file)
  migrate(drizzle(db), { migrationsFolder: migrations })
  t.teardown(() => { if (db.open) db.close() })
  return { file, db }
}

const unit = (db: Database.Database, code: string) =>
  db.prepare("INSERT INTO units (code, name, type, parent_id, from_year) VALUES (?, 'Đơn vị', 'province', NULL, 2020)").run(code)
const school = (db: Database.Database, code: string) =>
  db.prepare("INSERT INTO schools (moet_code, name, name_search, levels, ownership) VALUES (?, 'Trường', 'trường', '[\"TH\"]', 'public')").run(code)
const key = (db: Database.Database, id: string, createdBy: string) =>
  db.prepare("INSERT INTO api_keys (id, hash, role, label, created_by) VALUES (?, ?, 'admin', 'k', ?)").run(id, `hash-${id}`, createdBy)
const migrationCount = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n

function openError(file: string): Error | undefined {
  try {
    closeDatabase(openDatabase(file))
  } catch (e) {
    return e as Error
  }
  return undefined
}

t.test('unit codes differing only in case: refused, named, nothing changed', async (t) => {
  const { file, db } = olderDatabase(t)
  unit(db, 'HN-A')
  unit(db, 'hn-a')
  unit(db, 'QN')
  const applied = migrationCount(db)
  db.close()
  const err = openError(file)
  t.ok(err, "opening (which migrates) fails")
  t.match(String(err?.message) + String((err as { cause?: Error })?.cause?.message ?? ''), /unit codes differ only in case.*HN-A \(id 1\) \/ hn-a \(id 2\)/, 'the message names both codes and their ids')

  const after = new Database(file)
  t.teardown(() => after.close())
  t.equal(migrationCount(after), applied, '0002 is not recorded')
  t.same(after.prepare('SELECT code FROM units ORDER BY id').all(), [{ code: 'HN-A' }, { code: 'hn-a' }, { code: 'QN' }], 'no unit deleted or renamed')
  t.notOk((after.prepare('PRAGMA table_info(api_keys)').all() as { name: string }[]).some((c) => c.name === 'minted_by'), 'the column added before the check is rolled back')
})

t.test('school codes differing only in case: refused, named', async (t) => {
  const { file, db } = olderDatabase(t)
  school(db, 'S1')
  school(db, 's1')
  school(db, 'S2')
  db.close()
  const err = openError(file)
  t.match(String(err?.message) + String((err as { cause?: Error })?.cause?.message ?? ''), /school MOET codes differ only in case.*S1 \(id 1\) \/ s1 \(id 2\)/)
  const after = new Database(file)
  t.teardown(() => after.close())
  t.equal((after.prepare('SELECT count(*) AS n FROM schools').get() as { n: number }).n, 3, 'all three schools kept')
})

t.test('a clean older database migrates: case-insensitive unique codes, minted_by backfilled', async (t) => {
  const { file, db } = olderDatabase(t)
  unit(db, 'HN-A')
  school(db, 'S1')
  key(db, 'k-root', 'cli')
  key(db, 'k-child', 'admin:k-root')
  key(db, 'k-orphan', 'reviewer:no-such-key')
  db.close()
  const conn = openDatabase(file)
  t.teardown(() => closeDatabase(conn))
  t.same(conn.sqlite.prepare('SELECT id, minted_by AS mintedBy FROM api_keys ORDER BY id').all(), [
    { id: 'k-child', mintedBy: 'k-root' }, { id: 'k-orphan', mintedBy: null }, { id: 'k-root', mintedBy: null },
  ], 'minted_by from created_by, when that key exists')
  t.throws(() => unit(conn.sqlite, 'hn-a'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'hn-a beside HN-A is refused')
  t.throws(() => school(conn.sqlite, 's1'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 's1 beside S1 is refused')
  t.doesNotThrow(() => unit(conn.sqlite, 'HN-B'), 'another code is fine')
})
