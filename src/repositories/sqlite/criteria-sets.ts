import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { criteriaSets, units } from '../../db/schema.js'
import type { AuthoredSet, CriteriaSetsRepo } from '../types.js'
import { writeAudit } from './audit.js'
import { subtreeIds } from './units.js'

const columns = {
  id: criteriaSets.id, version: criteriaSets.version, status: criteriaSets.status, unitId: criteriaSets.unitId, unitCode: units.code,
  definition: criteriaSets.definition, contentHash: criteriaSets.contentHash, sourceCsv: criteriaSets.sourceCsv, createdBy: criteriaSets.createdBy,
  createdAt: criteriaSets.createdAt, updatedAt: criteriaSets.updatedAt, publishedAt: criteriaSets.publishedAt,
}

/** What the audit log keeps of a set change (the definition is in the row itself). */
const auditView = (s: AuthoredSet) => ({ status: s.status, contentHash: s.contentHash, unitCode: s.unitCode })

export function criteriaSetsRepo(db: Db): CriteriaSetsRepo {
  const select = () => db.select(columns).from(criteriaSets).innerJoin(units, eq(units.id, criteriaSets.unitId))
  const get = (id: string, version: string) =>
    (select().where(and(eq(criteriaSets.id, id), eq(criteriaSets.version, version))).get() as AuthoredSet | undefined) ?? null
  return {
    async byKey(id, version) { return get(id, version) },
    async list(f) {
      return select().where(and(
        f.withinUnitId !== undefined ? sql`${criteriaSets.unitId} IN ${subtreeIds(f.withinUnitId)}` : undefined,
        f.status === undefined ? undefined : Array.isArray(f.status) ? inArray(criteriaSets.status, f.status) : eq(criteriaSets.status, f.status),
      )).orderBy(asc(criteriaSets.id), asc(criteriaSets.version)).all() as AuthoredSet[]
    },
    async ownerOf(id) {
      const r = db.select({ unitId: criteriaSets.unitId }).from(criteriaSets).where(eq(criteriaSets.id, id)).orderBy(asc(criteriaSets.createdAt)).limit(1).get()
      return r?.unitId ?? null
    },
    async saveDraft(s, audit) {
      return db.transaction(() => {
        const before = get(s.id, s.version)
        if (before && before.status !== 'draft') return null // published or withdrawn: never changes
        if (before) {
          db.update(criteriaSets).set({ definition: s.definition, contentHash: s.contentHash, sourceCsv: s.sourceCsv, updatedAt: audit.at })
            .where(and(eq(criteriaSets.id, s.id), eq(criteriaSets.version, s.version), eq(criteriaSets.status, 'draft'))).run()
        } else {
          db.insert(criteriaSets).values({ ...s, status: 'draft', createdAt: audit.at, updatedAt: audit.at }).run()
        }
        const after = get(s.id, s.version) as AuthoredSet
        writeAudit(db, audit, 'criteria-set', `${s.id}@${s.version}`, before ? auditView(before) : null, auditView(after))
        return after
      })
    },
    async publish(id, version, definition, contentHash, audit) {
      return db.transaction(() => {
        const before = get(id, version)
        const changed = db.update(criteriaSets).set({ status: 'published', definition, contentHash, publishedAt: audit.at, updatedAt: audit.at })
          .where(and(eq(criteriaSets.id, id), eq(criteriaSets.version, version), eq(criteriaSets.status, 'draft'))).run()
        if (changed.changes !== 1 || !before) return null
        const after = get(id, version) as AuthoredSet
        writeAudit(db, audit, 'criteria-set', `${id}@${version}`, auditView(before), auditView(after))
        return after
      })
    },
    async withdraw(id, version, reason, audit) {
      return db.transaction(() => {
        const before = get(id, version)
        // The status column is plain text: 'withdrawn' needs no migration.
        const changed = db.update(criteriaSets).set({ status: 'withdrawn', updatedAt: audit.at })
          .where(and(eq(criteriaSets.id, id), eq(criteriaSets.version, version), eq(criteriaSets.status, 'published'))).run()
        if (changed.changes !== 1 || !before) return null
        const after = get(id, version) as AuthoredSet
        writeAudit(db, audit, 'criteria-set', `${id}@${version}`, auditView(before), { ...auditView(after), reason })
        return after
      })
    },
  }
}
