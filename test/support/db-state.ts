// The database as test data: a content hash of every table (to prove a refused request changed
// nothing), and in-memory snapshots of the whole database to go back to between requests.
import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'

interface HasSqlite { sqlite: Database }

/** Per table of the main database: "<rows>:<sha256 of its rows in rowid order>". */
export function dbHash(h: HasSqlite): Record<string, string> {
  const tables = h.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  const out: Record<string, string> = {}
  for (const { name } of tables) {
    let rows: unknown[]
    try { rows = h.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() } catch { rows = h.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all() }
    const text = JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v))
    out[name] = `${rows.length}:${createHash('sha256').update(text).digest('hex')}`
  }
  return out
}

/** The tables a snapshot copies: all of main's, sqlite_sequence included (AUTOINCREMENT counters). */
function tablesOf(h: HasSqlite): string[] {
  return (h.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name").all() as { name: string }[]).map((r) => r.name)
}

/** Copies every table into an attached in-memory database named `name` (a SQL identifier). */
export function snapshotDb(h: HasSqlite, name: string): void {
  h.sqlite.exec(`ATTACH DATABASE ':memory:' AS "${name}"`)
  for (const t of tablesOf(h)) h.sqlite.exec(`CREATE TABLE "${name}"."t_${t}" AS SELECT * FROM main."${t}" ORDER BY rowid`)
}

/** Puts every table back as it was at snapshotDb(h, name), in one transaction, on the same
 *  connection (so the app and its prepared statements carry on). */
export function restoreDb(h: HasSqlite, name: string): void {
  // change_counters last: triggers bump it while the hierarchy tables are re-inserted.
  const tables = tablesOf(h).sort((a, b) => Number(a === 'change_counters') - Number(b === 'change_counters'))
  h.sqlite.pragma('foreign_keys = OFF')
  try {
    h.sqlite.transaction(() => {
      for (const t of tables) {
        h.sqlite.exec(`DELETE FROM main."${t}"`)
        h.sqlite.exec(`INSERT INTO main."${t}" SELECT * FROM "${name}"."t_${t}" ORDER BY rowid`)
      }
    })()
  } finally {
    h.sqlite.pragma('foreign_keys = ON')
  }
}
