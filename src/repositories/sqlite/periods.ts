import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { deadlineExtensions, periods, schools, units } from '../../db/schema.js'
import type { Extension, Period, PeriodsRepo } from '../types.js'
import { writeAudit } from './audit.js'

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
