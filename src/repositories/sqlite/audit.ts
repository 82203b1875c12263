import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { auditLog } from '../../db/schema.js'
import type { AuditContext, AuditEntry, AuditRepo } from '../types.js'

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
