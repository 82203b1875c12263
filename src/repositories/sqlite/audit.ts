import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { auditLog } from '../../db/schema.js'
import type { AuditContext, AuditEntry, AuditRepo } from '../types.js'

function prepareInsert(db: Db) {
  const p = (name: string) => sql.placeholder(name)
  return db.insert(auditLog).values({ at: p('at'), actor: p('actor'), action: p('action'), entityType: p('entityType'), entityId: p('entityId'), before: p('before'), after: p('after') }).prepare()
}
// Every change writes one: prepared once per connection.
const inserts = new WeakMap<Db, ReturnType<typeof prepareInsert>>()

/** Called inside the transaction of the change it records. */
export function writeAudit(db: Db, ctx: AuditContext, entityType: string, entityId: string, before: unknown, after: unknown): void {
  let insert = inserts.get(db)
  if (!insert) inserts.set(db, (insert = prepareInsert(db)))
  insert.run({ at: ctx.at, actor: ctx.actor, action: ctx.action, entityType, entityId, before: before ?? null, after: after ?? null })
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
