// Worker thread of the other heavy jobs (see pool.ts), one named export per kind of job. Each opens
// (once per thread) its own read-only connection to the database file.
import Database from 'better-sqlite3'
import { Piscina } from 'piscina'
import { rollupsRepo } from '../repositories/sqlite/rollups.js'
import type { RollupsRepo } from '../repositories/types.js'
import { renderReport, type ReportFile, type ReportTask } from '../services/report-compute.js'
import { parseSchoolsCsv } from '../services/school-csv.js'
import { criteriaFromCsv, type SetMeta } from '../authoring/criteria-csv.js'
import { Catalog, type CatalogSnapshot, type SetEntry } from '../criteria/catalog.js'
import { verifySet as runVerifier, type FileReport } from '../verify/verify.js'

let open: { file: string; db: Database.Database; rollups: RollupsRepo } | null = null

function readOnly(file: string): NonNullable<typeof open> {
  if (open?.file === file) return open
  open?.db.close()
  const db = new Database(file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  open = { file, db, rollups: rollupsRepo(db) }
  return open
}

/** A unit report's bytes, moved (not copied) to the main thread: a national XLSX is ~250 MB. */
export async function report(task: ReportTask & { dbFile: string }): Promise<ReportFile> {
  const out = await renderReport(readOnly(task.dbFile).rollups, task)
  const exact = out.body.byteOffset === 0 && out.body.byteLength === out.body.buffer.byteLength ? out.body : Buffer.from(out.body)
  // A Transferable (piscina's protocol): the value sent, and the buffers moved with it.
  const movable = { [Piscina.transferableSymbol]: [exact.buffer], [Piscina.valueSymbol]: { ...out, body: exact } }
  return Piscina.move(movable as never) as unknown as ReportFile
}

/** A criteria set verified (up to seconds for the largest accepted set: samples × backends). */
export async function verifySet(task: { entry: SetEntry; catalog: CatalogSnapshot }): Promise<FileReport[]> {
  return runVerifier(task.entry, Catalog.fromSnapshot(task.catalog))
}

/** A district's criteria table read into a draft set (pure). */
export async function criteriaTable(task: { csv: string; meta: SetMeta }): Promise<ReturnType<typeof criteriaFromCsv>> {
  return criteriaFromCsv(task.csv, task.meta)
}

/** A school CSV read and checked row by row (20,000 rows: about a second of CPU). */
export async function parseSchools(task: { text: string }): Promise<ReturnType<typeof parseSchoolsCsv>> {
  return parseSchoolsCsv(task.text)
}
