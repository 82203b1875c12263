// Opening the embedded SQLite database: pragmas, migrations (foreign keys off while they run,
// checked after), and a clean close.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { packageRoot } from '../paths.js'
import * as schema from './schema.js'

export type Db = BetterSQLite3Database<typeof schema>
export interface Connection { sqlite: Database.Database; db: Db; file: string }

export const MIGRATIONS_DIR = fileURLToPath(new URL('migrations/sqlite', packageRoot()))

export class MigrationError extends Error {}

export function openDatabase(file: string, opts: { migrate?: boolean; busyTimeoutMs?: number } = {}): Connection {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  // NORMAL in WAL mode never corrupts; the last commits may roll back on power loss, not on a crash.
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
  const db = drizzle(sqlite, { schema })
  const conn = { sqlite, db, file }
  try {
    if (opts.migrate !== false) runMigrations(conn)
  } catch (e) {
    sqlite.close()
    throw e
  }
  sqlite.pragma('foreign_keys = ON')
  return conn
}

/** drizzle runs a migration batch in one transaction, where `PRAGMA foreign_keys=OFF` is a no-op:
 *  a table rebuild would then cascade. So foreign keys go off around it and are checked after. */
export function runMigrations(conn: Connection): void {
  conn.sqlite.pragma('foreign_keys = OFF')
  migrate(conn.db, { migrationsFolder: MIGRATIONS_DIR })
  const broken = conn.sqlite.pragma('foreign_key_check') as unknown[]
  if (broken.length > 0) throw new MigrationError(`migration left ${broken.length} broken foreign key(s): ${JSON.stringify(broken.slice(0, 5))}`)
  conn.sqlite.pragma('foreign_keys = ON')
}

export function closeDatabase(conn: Connection): void {
  if (!conn.sqlite.open) return
  // optimize only refreshes planner statistics: on a read-only or full database it fails, and the
  // connection must still close.
  try { conn.sqlite.pragma('optimize') } catch { /* see above */ } finally { conn.sqlite.close() }
}

/**
 * Whether the database takes writes (/ready): a table created in a transaction that is rolled back,
 * so nothing reaches the file. A read-only file or connection fails with SQLITE_READONLY, a database
 * at its page limit with SQLITE_FULL. A real full disk shows only at commit, so /ready also checks
 * the free space. A lock held by another writer is not a failure (writes wait for it); the probe
 * waits for it at most 200 ms, since it blocks the event loop meanwhile.
 */
export function probeWritable(sqlite: Database.Database): { ok: true } | { ok: false; code: string; message: string } {
  if (sqlite.inTransaction) return { ok: true }
  const busy = sqlite.pragma('busy_timeout', { simple: true }) as number
  sqlite.pragma('busy_timeout = 200')
  try {
    sqlite.exec('BEGIN IMMEDIATE; CREATE TABLE cds_ready_probe (x INTEGER)')
    return { ok: true }
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? '')
    if (code.startsWith('SQLITE_BUSY')) return { ok: true }
    return { ok: false, code, message: (e as Error).message }
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK')
    sqlite.pragma(`busy_timeout = ${busy}`)
  }
}
