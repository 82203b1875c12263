import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { apiKeys } from '../../db/schema.js'
import type { ApiKey, KeysRepo } from '../types.js'
import { writeAudit } from './audit.js'

const cols = {
  id: apiKeys.id, role: apiKeys.role, unitId: apiKeys.unitId, schoolId: apiKeys.schoolId, label: apiKeys.label,
  createdBy: apiKeys.createdBy, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt,
}

export function keysRepo(db: Db): KeysRepo {
  // Every authenticated request runs this: prepared once.
  const byHash = db.select(cols).from(apiKeys).where(eq(apiKeys.hash, sql.placeholder('hash'))).prepare()
  const byId = db.select(cols).from(apiKeys).where(eq(apiKeys.id, sql.placeholder('id'))).prepare()
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
      return db.transaction(() => {
        const before = byId.get({ id }) as ApiKey | undefined
        if (!before) return null
        if (before.revokedAt === null) db.update(apiKeys).set({ revokedAt: audit.at }).where(eq(apiKeys.id, id)).run()
        const after = byId.get({ id }) as ApiKey
        writeAudit(db, audit, 'api-key', id, before, after)
        return after
      })
    },
  }
}
