// The SQLite implementation of the Store (the embedded default).
import { closeDatabase, type Connection } from '../../db/connection.js'
import type { Store } from '../types.js'
import { assessmentsRepo } from './assessments.js'
import { auditRepo } from './audit.js'
import { criteriaSetsRepo } from './criteria-sets.js'
import { documentsRepo } from './documents.js'
import { keysRepo } from './keys.js'
import { periodsRepo } from './periods.js'
import { rollupsRepo } from './rollups.js'
import { schoolsRepo } from './schools.js'
import { unitsRepo } from './units.js'

export interface SqliteStore extends Store { connection: Connection }

export function sqliteStore(conn: Connection): SqliteStore {
  const ping = conn.sqlite.prepare('SELECT 1 AS ok')
  return {
    connection: conn,
    units: unitsRepo(conn.db, conn.sqlite),
    schools: schoolsRepo(conn.db),
    periods: periodsRepo(conn.db),
    assessments: assessmentsRepo(conn.db),
    documents: documentsRepo(conn.db),
    keys: keysRepo(conn.db),
    audit: auditRepo(conn.db),
    rollups: rollupsRepo(conn.sqlite),
    criteriaSets: criteriaSetsRepo(conn.db),
    async ping() { return conn.sqlite.open && (ping.get() as { ok: number }).ok === 1 },
    async close() { closeDatabase(conn) },
  }
}
