import { and, asc, count, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { deadlineExtensions, periods, schools, units } from '../../db/schema.js'
import type { Extension, Period, PeriodScope, PeriodsRepo } from '../types.js'
import { writeAudit } from './audit.js'
import { ancestorIds, subtreeIds } from './units.js'

/** The scope as a condition on `periods`: visibility is decided in SQL, so a page is a page of
 *  visible periods however many others exist (filtering a fixed-size window in code lost them). */
function scopeWhere(scope: PeriodScope): SQL | undefined {
  if (scope.kind === 'all') return undefined
  if (scope.kind === 'reviewer') return or(sql`${periods.unitId} IN ${subtreeIds(scope.unitId)}`, sql`${periods.unitId} IN ${ancestorIds(scope.unitId)}`)
  if (scope.memberships.length === 0) return sql`0`
  return or(...scope.memberships.map((m) => and(
    gte(periods.schoolYear, m.fromYear), m.toYear === null ? undefined : lte(periods.schoolYear, m.toYear),
    sql`${periods.unitId} IN ${ancestorIds(m.unitId)}`,
  )))
}

type Row = typeof periods.$inferSelect & { unitCode: string }

export function periodsRepo(db: Db): PeriodsRepo {
  const cols = { ...periodColumns(), unitCode: units.code }
  const byId = db.select(cols).from(periods).innerJoin(units, eq(units.id, periods.unitId)).where(eq(periods.id, sql.placeholder('id'))).prepare()
  const extensionsOf = db.select({ id: deadlineExtensions.id, unitId: deadlineExtensions.unitId, unitCode: units.code, schoolId: deadlineExtensions.schoolId, schoolCode: schools.moetCode, until: deadlineExtensions.until, reason: deadlineExtensions.reason })
    .from(deadlineExtensions)
    .leftJoin(units, eq(units.id, deadlineExtensions.unitId))
    .leftJoin(schools, eq(schools.id, deadlineExtensions.schoolId))
    .where(eq(deadlineExtensions.periodId, sql.placeholder('id'))).orderBy(asc(deadlineExtensions.id)).prepare()

  const toPeriod = (r: Row): Period => ({
    id: r.id, unitId: r.unitId, unitCode: r.unitCode, schoolYear: r.schoolYear, title: r.title, criteriaSets: r.criteriaSets,
    submissionDeadline: r.submissionDeadline, reviewDeadline: r.reviewDeadline, extensions: extensionsOf.all({ id: r.id }) as Extension[],
  })
  const get = (id: string): Period => toPeriod(byId.get({ id }) as Row)

  return {
    async create(p, audit) {
      return db.transaction(() => {
        db.insert(periods).values({ ...p, createdAt: audit.at }).run()
        const created = get(p.id)
        writeAudit(db, audit, 'period', p.id, null, created)
        return created
      })
    },
    async byId(id) { const r = byId.get({ id }) as Row | undefined; return r ? toPeriod(r) : null },
    async list(f, page) {
      if (f.unitIds && f.unitIds.length === 0) return []
      const rows = db.select(cols).from(periods).innerJoin(units, eq(units.id, periods.unitId))
        .where(and(f.unitIds ? inArray(periods.unitId, f.unitIds) : undefined, f.year !== undefined ? eq(periods.schoolYear, f.year) : undefined))
        .orderBy(desc(periods.schoolYear), asc(periods.createdAt)).limit(page.limit).offset(page.offset).all() as Row[]
      return rows.map(toPeriod)
    },
    async listVisible(scope, f, page) {
      const where = and(scopeWhere(scope), f.year !== undefined ? eq(periods.schoolYear, f.year) : undefined)
      const rows = db.select(cols).from(periods).innerJoin(units, eq(units.id, periods.unitId)).where(where)
        .orderBy(desc(periods.schoolYear), asc(periods.createdAt), sql`periods.rowid`).limit(page.limit).offset(page.offset).all() as Row[]
      const total = db.select({ n: count() }).from(periods).where(where).get()?.n ?? 0
      return { items: rows.map(toPeriod), total }
    },
    async update(id, patch, audit) {
      return db.transaction(() => {
        const before = get(id)
        db.update(periods).set(patch).where(eq(periods.id, id)).run()
        const after = get(id)
        writeAudit(db, audit, 'period', id, before, after)
        return after
      })
    },
    async addExtension(periodId, e, audit) {
      return db.transaction(() => {
        const before = get(periodId)
        db.insert(deadlineExtensions).values({ periodId, ...e, createdAt: audit.at }).run()
        const after = get(periodId)
        writeAudit(db, audit, 'period', periodId, before, after)
        return after
      })
    },
  }
}

function periodColumns() {
  return {
    id: periods.id, unitId: periods.unitId, schoolYear: periods.schoolYear, title: periods.title, criteriaSets: periods.criteriaSets,
    submissionDeadline: periods.submissionDeadline, reviewDeadline: periods.reviewDeadline, createdAt: periods.createdAt,
  }
}
