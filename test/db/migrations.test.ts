// The embedded SQLite database: migrations on an empty file, the pragmas the service relies on,
// re-opening (nothing applied twice, data kept), the foreign-key check, and closing.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getTableName, is } from 'drizzle-orm'
import { SQLiteTable } from 'drizzle-orm/sqlite-core'
import t, { type Test } from 'tap'
import { closeDatabase, MIGRATIONS_DIR, MigrationError, openDatabase, runMigrations, type Connection } from '../../src/db/connection.js'
import * as schema from '../../src/db/schema.js'

interface JournalEntry { idx: number; tag: string; when: number }
const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] }

/** The tables the drizzle schema declares, by SQL name. */
const SCHEMA_TABLES = Object.values(schema).filter((v) => is(v, SQLiteTable)).map((tbl) => getTableName(tbl as SQLiteTable)).sort()

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'cds-db-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Opens `file` and closes it when the test ends (closing twice is harmless). */
function open(t: Test, file: string, opts?: Parameters<typeof openDatabase>[1]): Connection {
  const conn = openDatabase(file, opts)
  t.teardown(() => closeDatabase(conn))
  return conn
}

const tables = (conn: Connection): string[] =>
  (conn.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name)

const migrationRows = (conn: Connection) =>
  conn.sqlite.prepare('SELECT id, hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY id').all() as { id: number; hash: string; createdAt: number }[]

const addUnit = (conn: Connection, code: string): void => {
  conn.sqlite.prepare("INSERT INTO units (code, name, type, parent_id, from_year) VALUES (?, 'Tỉnh Thử nghiệm', 'province', NULL, 2024)").run(code)
}

t.test('the journal and the migration files agree', async (t) => {
  t.ok(journal.entries.length >= 1, 'at least one migration')
  for (const e of journal.entries) t.ok(existsSync(join(MIGRATIONS_DIR, `${e.tag}.sql`)), `${e.tag}.sql exists`)
  t.same(journal.entries.map((e) => e.idx), journal.entries.map((_, i) => i), 'entries are numbered in order')
})

t.test('migrations apply to an empty database file', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'nested', 'dir', 'cds.sqlite')
  const conn = open(t, file)
  t.ok(existsSync(file), 'the file and its directories are created')
  t.equal(conn.file, file)

  const found = tables(conn)
  t.same(found.filter((n) => n !== '__drizzle_migrations'), SCHEMA_TABLES, 'every table of the drizzle schema exists, and no other')
  t.same(SCHEMA_TABLES, ['api_keys', 'assessment_criteria', 'assessment_groups', 'assessments', 'audit_log', 'change_counters', 'criteria_sets', 'deadline_extensions', 'documents', 'invitations', 'periods', 'school_units', 'schools', 'sessions', 'units', 'users'])
  t.ok(found.includes('__drizzle_migrations'))

  const rows = migrationRows(conn)
  t.equal(rows.length, journal.entries.length, 'one row per migration in the journal')
  t.same(rows.map((r) => Number(r.createdAt)), journal.entries.map((e) => e.when), 'rows carry the journal timestamps, in order')
  const hashes = journal.entries.map((e) => createHash('sha256').update(readFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), 'utf8')).digest('hex'))
  t.same(rows.map((r) => r.hash), hashes, 'rows carry the hash of each migration file')

  t.equal(conn.sqlite.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on after migrating')
  t.equal(conn.sqlite.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(conn.sqlite.pragma('synchronous', { simple: true }), 1, 'synchronous = NORMAL')
  t.equal(conn.sqlite.pragma('busy_timeout', { simple: true }), 5000)
  t.same(conn.sqlite.pragma('foreign_key_check'), [])
})

t.test('indexes from the schema exist', async (t) => {
  const conn = open(t, join(tempDir(t), 'cds.sqlite'))
  const indexes = (conn.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name).sort()
  t.same(indexes, [
    'api_keys_hash', 'api_keys_minted_by', 'assessment_criteria_targets', 'assessments_list_page', 'assessments_period_state', 'assessments_rollup_versions', 'assessments_school_period_set', 'audit_entity', 'documents_assessment',
    'extensions_period', 'invitations_user', 'periods_unit_year', 'school_units_unit', 'schools_moet_code', 'schools_moet_code_nocase',
    'sessions_user', 'units_code', 'units_code_nocase', 'units_parent', 'users_username_nocase',
  ])
})

t.test('foreign keys are enforced after opening', async (t) => {
  const conn = open(t, join(tempDir(t), 'cds.sqlite'))
  t.throws(() => conn.sqlite.prepare("INSERT INTO units (code, name, type, parent_id, from_year) VALUES ('X', 'X', 'ward', 999, 2024)").run(),
    { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
  addUnit(conn, 'HN')
  t.throws(() => addUnit(conn, 'HN'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'unit codes are unique')
})

t.test('re-opening the same file applies nothing new and keeps the data', async (t) => {
  const file = join(tempDir(t), 'cds.sqlite')
  const first = openDatabase(file)
  addUnit(first, 'HN')
  const before = migrationRows(first)
  closeDatabase(first)

  const again = open(t, file)
  t.same(migrationRows(again), before, 'no migration row added or changed')
  t.same(again.sqlite.prepare('SELECT code, name FROM units').all(), [{ code: 'HN', name: 'Tỉnh Thử nghiệm' }], 'data kept')
  t.equal(again.sqlite.pragma('foreign_keys', { simple: true }), 1)
  t.equal(again.sqlite.pragma('journal_mode', { simple: true }), 'wal')

  runMigrations(again)
  t.same(migrationRows(again), before, 'running the migrations again by hand is a no-op too')
  t.equal(again.sqlite.pragma('foreign_keys', { simple: true }), 1)
})

t.test('opening without migrating leaves an empty file empty', async (t) => {
  const conn = open(t, join(tempDir(t), 'cds.sqlite'), { migrate: false, busyTimeoutMs: 250 })
  t.same(tables(conn), [])
  t.equal(conn.sqlite.pragma('foreign_keys', { simple: true }), 1)
  t.equal(conn.sqlite.pragma('busy_timeout', { simple: true }), 250)
  runMigrations(conn)
  t.same(tables(conn).filter((n) => n !== '__drizzle_migrations'), SCHEMA_TABLES, 'runMigrations brings it up to date')
})

t.test('a database with broken foreign keys is refused when migrations run', async (t) => {
  const file = join(tempDir(t), 'cds.sqlite')
  const conn = openDatabase(file)
  conn.sqlite.pragma('foreign_keys = OFF')
  conn.sqlite.prepare('INSERT INTO school_units (school_id, from_year, to_year, unit_id) VALUES (41, 2024, NULL, 42)').run()
  closeDatabase(conn)
  let error: unknown
  try {
    closeDatabase(openDatabase(file))
  } catch (e) {
    error = e
  }
  t.ok(error instanceof MigrationError, 'opening throws a MigrationError')
  t.match((error as Error).message, /2 broken foreign key\(s\)/, 'the message counts the broken keys')
  t.match((error as Error).message, /school_units/, 'and names the table')
})

t.test('an in-memory database migrates too', async (t) => {
  const conn = open(t, ':memory:')
  t.same(tables(conn).filter((n) => n !== '__drizzle_migrations'), SCHEMA_TABLES)
  t.equal(migrationRows(conn).length, journal.entries.length)
})

t.test('closeDatabase closes it, and closing twice is harmless', async (t) => {
  const file = join(tempDir(t), 'cds.sqlite')
  const conn = openDatabase(file)
  addUnit(conn, 'HN')
  t.equal(conn.sqlite.open, true)
  closeDatabase(conn)
  t.equal(conn.sqlite.open, false)
  t.throws(() => conn.sqlite.prepare('SELECT 1').get(), 'a closed connection refuses queries')
  t.doesNotThrow(() => closeDatabase(conn))
  // Closed cleanly: the data is there when the file is opened again.
  const reopened = open(t, file)
  t.equal((reopened.sqlite.prepare('SELECT count(*) AS n FROM units').get() as { n: number }).n, 1)
})
