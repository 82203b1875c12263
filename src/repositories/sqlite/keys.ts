import { and, asc, count, eq, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { apiKeys } from '../../db/schema.js'
import type { ApiKey, KeyScope, KeysRepo } from '../types.js'
import { writeAudit } from './audit.js'
import { subtreeIds } from './units.js'

const cols = {
  id: apiKeys.id, role: apiKeys.role, unitId: apiKeys.unitId, schoolId: apiKeys.schoolId, label: apiKeys.label,
  createdBy: apiKeys.createdBy, mintedBy: apiKeys.mintedBy, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt,
}

/** The schools whose latest membership is in the subtree of `unitId` (the ones its reviewers manage). */
function managedSchools(unitId: number): SQL {
  return sql`(SELECT su.school_id FROM school_units su WHERE su.unit_id IN ${subtreeIds(unitId)}
    AND su.from_year = (SELECT max(s2.from_year) FROM school_units s2 WHERE s2.school_id = su.school_id))`
}

function scopeWhere(scope: KeyScope): SQL | undefined {
  if (scope.kind === 'all') return undefined
  return or(
    eq(apiKeys.id, scope.keyId),
    eq(apiKeys.mintedBy, scope.keyId),
    and(eq(apiKeys.role, 'reviewer'), ne(apiKeys.unitId, scope.unitId), sql`${apiKeys.unitId} IN ${subtreeIds(scope.unitId)}`),
    and(eq(apiKeys.role, 'school'), sql`${apiKeys.schoolId} IN ${managedSchools(scope.unitId)}`),
  )
}

export function keysRepo(db: Db): KeysRepo {
  // Every authenticated request runs this: prepared once.
  const byHash = db.select(cols).from(apiKeys).where(eq(apiKeys.hash, sql.placeholder('hash'))).prepare()
  const byId = db.select(cols).from(apiKeys).where(eq(apiKeys.id, sql.placeholder('id'))).prepare()
  /** Keys minted from `id`, transitively (not `id` itself), still active. */
  const activeMinted = (id: string): string[] => (db.all(sql`WITH RECURSIVE minted(id) AS (
      SELECT k.id FROM api_keys k WHERE k.minted_by = ${id}
      UNION SELECT k.id FROM api_keys k JOIN minted m ON k.minted_by = m.id)
    SELECT m.id FROM minted m JOIN api_keys k ON k.id = m.id WHERE k.revoked_at IS NULL ORDER BY k.created_at, k.rowid`) as { id: string }[]).map((r) => r.id)
  const revokeOne = (id: string, audit: { actor: string; at: Date; action: string }): ApiKey => {
    const before = byId.get({ id }) as ApiKey
    if (before.revokedAt === null) db.update(apiKeys).set({ revokedAt: audit.at }).where(eq(apiKeys.id, id)).run()
    const after = byId.get({ id }) as ApiKey
    writeAudit(db, audit, 'api-key', id, before, after)
    return after
  }
  return {
    async create(k, audit) {
      return db.transaction(() => {
        db.insert(apiKeys).values(k).run()
        const created = byId.get({ id: k.id }) as ApiKey
        writeAudit(db, audit, 'api-key', k.id, null, created)
        return created
      })
    },
    async byHash(hash) { return (byHash.get({ hash }) as ApiKey | undefined) ?? null },
    async byId(id) { return (byId.get({ id }) as ApiKey | undefined) ?? null },
    async revoke(id, audit) {
      return db.transaction(() => (byId.get({ id }) ? revokeOne(id, audit) : null))
    },
    async revokeWithMinted(id, audit) {
      return db.transaction(() => {
        if (!byId.get({ id })) return null
        const key = revokeOne(id, audit)
        // Their audit entries say why: the key that minted them (or one above it) was revoked.
        const cascade = { ...audit, action: `${audit.action}.minted-by:${id}` }
        const alsoRevoked = activeMinted(id).map((m) => revokeOne(m, cascade))
        return { key, alsoRevoked }
      })
    },
    async list(scope, page) {
      // rowid breaks ties in created_at: the order of insertion (ids are random).
      const where = scopeWhere(scope)
      const items = db.select(cols).from(apiKeys).where(where).orderBy(asc(apiKeys.createdAt), sql`api_keys.rowid`).limit(page.limit).offset(page.offset).all() as ApiKey[]
      const total = db.select({ n: count() }).from(apiKeys).where(where).get()?.n ?? 0
      return { items, total }
    },
  }
}
