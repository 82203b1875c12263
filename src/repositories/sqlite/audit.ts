import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { auditLog } from '../../db/schema.js'
import { DuplicateKeyError, type AuditContext, type AuditEntry, type AuditRepo } from '../types.js'

/** Runs `fn`, turning a unique-constraint failure into a DuplicateKeyError: services check for
 *  duplicates first, but two concurrent requests can both pass that check. */
export function uniqueOr<T>(entity: DuplicateKeyError['entity'], fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' || (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new DuplicateKeyError(entity, (e as Error).message)
    }
    throw e
  }
}

/** Called inside the transaction of the change it records. */
export function writeAudit(db: Db, ctx: AuditContext, entityType: string, entityId: string, before: unknown, after: unknown): void {
  db.insert(auditLog).values({ at: ctx.at, actor: ctx.actor, action: ctx.action, entityType, entityId, before: before ?? null, after: after ?? null }).run()
}

export function auditRepo(db: Db): AuditRepo {
  return {
    async list(entityType, entityId) {
      const rows = db.select().from(auditLog)
        .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
        .orderBy(asc(auditLog.id)).all()
      return rows as AuditEntry[]
    },
  }
}
