import { and, asc, eq, sql } from 'drizzle-orm'
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
