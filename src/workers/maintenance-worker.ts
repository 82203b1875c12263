// Worker thread of database upkeep: WAL checkpoints on a connection of its own. SQLite otherwise
// checkpoints inside whichever commit crosses the WAL threshold: on the main thread, a save that
// copies megabytes into a large database file (hundreds of ms at national scale). A PASSIVE
// checkpoint here never waits for the writer or blocks it.
import Database from 'better-sqlite3'

let open: { file: string; db: Database.Database } | null = null

export interface CheckpointResult { busy: number; log: number; checkpointed: number }

export async function checkpoint(task: { dbFile: string }): Promise<CheckpointResult> {
  if (open?.file !== task.dbFile) {
    open?.db.close()
    const db = new Database(task.dbFile, { fileMustExist: true })
    db.pragma('busy_timeout = 1000')
    // This connection never writes, so it never checkpoints on its own either.
    db.pragma('wal_autocheckpoint = 0')
    open = { file: task.dbFile, db }
  }
  const [r] = open.db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[]
  return r as CheckpointResult
}
