// Worker thread of the unit summaries: its own read-only connection to the database file (WAL lets
// it read while the main thread writes) and the in-memory rollup records, kept between tasks, so a
// summary after a write reloads only what changed. It returns the JSON and its gzip, ready to send:
// the main thread only copies bytes.
import { gzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { summaryJson } from '../reports/summary-json.js'
import { incrementalRollups, type IncrementalRollups } from '../rollups/incremental-repo.js'
import { computeSummary, type AsOf, type SummaryJob } from '../services/summary-compute.js'

export interface SummaryTask { dbFile: string; job: SummaryJob; asOf: AsOf }
export interface SummaryBytes { identity: Uint8Array; gzip: Uint8Array; reloaded: number }

let open: { file: string; db: Database.Database; rollups: IncrementalRollups } | null = null

function rollupsFor(file: string): IncrementalRollups {
  if (open?.file === file) return open.rollups
  open?.db.close()
  const db = new Database(file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  open = { file, db, rollups: incrementalRollups(db) }
  return open.rollups
}

export async function summary(task: SummaryTask): Promise<SummaryBytes> {
  const rollups = rollupsFor(task.dbFile)
  const json = summaryJson(await computeSummary(rollups, task.job, task.asOf))
  const identity = Buffer.from(json)
  return { identity, gzip: gzipSync(identity, { level: 6 }), reloaded: rollups.lastReloaded }
}
