// cds backup <file> [--force]: a consistent copy of the live database, taken with SQLite's online
// backup API while the server keeps running (WAL: the copy's read snapshot never blocks writers).
// The copy is written to <file>.partial, checked (PRAGMA integrity_check) and only then renamed to
// <file>, so an interrupted backup never leaves a half-written file under the final name.
// Restore (documented in the README, "### Storage"): stop the server, replace DB_FILE with the
// backup, remove DB_FILE-wal and DB_FILE-shm, start the server.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

interface Io { out: (s: string) => void; err: (s: string) => void }

export const BACKUP_USAGE = 'usage: cds backup <file> [--force]   (a consistent copy of DB_FILE, safe while the server runs)'

/** All remaining pages in one step: one read snapshot of the source, so writes from the server
 *  (another connection) cannot restart the copy over and over. */
const ALL_PAGES = 0x7fffffff

export async function backupCommand(dbFile: string, argv: string[], io: Io): Promise<number> {
  let file: string
  let force: boolean
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' } } })
    if (positionals.length !== 1 || !positionals[0]) throw new Error('backup needs exactly one destination file')
    file = positionals[0]
    force = values.force === true
  } catch (e) {
    io.err(`${(e as Error).message}\n${BACKUP_USAGE}`)
    return 2
  }
  const dest = resolve(file)
  if (dbFile === ':memory:' || !existsSync(dbFile)) { io.err(`no database at ${dbFile} (check DATA_DIR / DB_FILE)`); return 1 }
  if (dest === dbFile) { io.err(`${file} is the live database itself; choose another file`); return 1 }
  if (existsSync(dest) && !force) { io.err(`${file} already exists; not overwritten (use --force to replace it)`); return 1 }

  const partial = `${dest}.partial`
  let source: Database.Database | undefined
  try {
    mkdirSync(dirname(dest), { recursive: true })
    removeDatabaseFile(partial) // left over from an interrupted run: ours to discard
    source = new Database(dbFile, { readonly: true, fileMustExist: true })
    source.pragma('busy_timeout = 5000')
    await source.backup(partial, { progress: () => ALL_PAGES })
    source.close()
    const pages = check(partial)
    if (typeof pages === 'string') { removeDatabaseFile(partial); io.err(`backup failed the integrity check, nothing written to ${file}: ${pages}`); return 1 }
    // A stale <file>-wal must not be replayed into the new copy; the rename then replaces <file> atomically.
    for (const f of [`${dest}-wal`, `${dest}-shm`, `${dest}-journal`]) rmSync(f, { force: true })
    renameSync(partial, dest)
    syncDir(dirname(dest))
    io.out(`backup written: ${file} (${pages} pages, integrity ok)`)
    return 0
  } catch (e) {
    if (source?.open) source.close()
    try { removeDatabaseFile(partial) } catch { /* the destination directory itself is unusable */ }
    io.err(`backup failed, nothing written to ${file}: ${(e as Error).message}`)
    return 1
  }
}

/** Opens the copy on its own and checks it: its page count, or the integrity_check findings. */
function check(file: string): number | string {
  const copy = new Database(file, { fileMustExist: true })
  try {
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[]
    const findings = rows.map((r) => r.integrity_check)
    if (findings.length !== 1 || findings[0] !== 'ok') return findings.slice(0, 5).join('; ')
    return copy.pragma('page_count', { simple: true }) as number
  } finally {
    copy.close() // the last connection: SQLite checkpoints and removes the copy's -wal and -shm
  }
}

function removeDatabaseFile(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true })
}

/** Makes the rename durable (best effort: not every platform can fsync a directory). */
function syncDir(dir: string): void {
  try { const fd = openSync(dir, 'r'); try { fsyncSync(fd) } finally { closeSync(fd) } } catch { /* best effort */ }
}
