// The SQLite implementation of the Store (the embedded default).
import { closeDatabase, type Connection } from '../../db/connection.js'
import type { Store } from '../types.js'
import { assessmentsRepo } from './assessments.js'
import { auditRepo } from './audit.js'
import { criteriaSetsRepo } from './criteria-sets.js'
import { documentsRepo } from './documents.js'
import { keysRepo } from './keys.js'
import { periodsRepo } from './periods.js'
import { incrementalRollups } from '../../rollups/incremental-repo.js'
import { schoolsRepo } from './schools.js'
import { unitsRepo } from './units.js'
import { usersRepo } from './users.js'
import { sessionsRepo } from './sessions.js'

export interface SqliteStore extends Store { connection: Connection }

export function sqliteStore(conn: Connection): SqliteStore {
  const ping = conn.sqlite.prepare('SELECT 1 AS ok')
  // total_changes(): rows this connection has written; data_version: bumped by other connections'
  // commits. Together they change on every write that can be seen (a rolled-back one may count too).
  const version = conn.sqlite.prepare('SELECT total_changes() AS own, (SELECT data_version FROM pragma_data_version) AS other')
  return {
    connection: conn,
    units: unitsRepo(conn.db, conn.sqlite),
    schools: schoolsRepo(conn.db, conn.sqlite),
    periods: periodsRepo(conn.db),
    assessments: assessmentsRepo(conn.db, conn.sqlite),
    documents: documentsRepo(conn.db),
    keys: keysRepo(conn.db),
    audit: auditRepo(conn.db),
    // The summary's reads from records kept up to date by version (src/rollups); the per-school
    // report reads go to SQL through it.
    rollups: incrementalRollups(conn.sqlite),
    criteriaSets: criteriaSetsRepo(conn.db),
    users: usersRepo(conn.db),
    sessions: sessionsRepo(conn.db),
    async dataVersion() { const v = version.get() as { own: number; other: number }; return `${v.own}.${v.other}` },
    async ping() { return conn.sqlite.open && (ping.get() as { ok: number }).ok === 1 },
    async close() { closeDatabase(conn) },
  }
}
