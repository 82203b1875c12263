import { and, asc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../db/connection.js'
import { units } from '../../db/schema.js'
import type { Unit, UnitsRepo } from '../types.js'
import { writeAudit } from './audit.js'
import { uniqueOr } from './unique.js'

const parent = sql`(SELECT p.code FROM units p WHERE p.id = ${units.parentId})`
const columns = {
  id: units.id, code: units.code, name: units.name, type: units.type, parentId: units.parentId,
  parentCode: sql<string | null>`${parent}`, fromYear: units.fromYear, toYear: units.toYear,
}

/** Units below `unitId` (itself included), as a subquery of ids. */
export function subtreeIds(unitId: number) {
  return sql`(WITH RECURSIVE sub(id) AS (SELECT ${unitId} UNION SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub)`
}

/** `unitId` and the units above it, as a subquery of ids. */
export function ancestorIds(unitId: number) {
  return sql`(WITH RECURSIVE up(id, parent) AS (SELECT u.id, u.parent_id FROM units u WHERE u.id = ${unitId} UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent) SELECT id FROM up)`
}

/** Existing in school year `year`. */
export function activeIn(year: number) {
  return and(lte(units.fromYear, year), or(isNull(units.toYear), gte(units.toYear, year)))
}

export function unitsRepo(db: Db, client: Database.Database): UnitsRepo {
  const byCode = db.select(columns).from(units).where(eq(units.code, sql.placeholder('code'))).prepare()
  const byId = db.select(columns).from(units).where(eq(units.id, sql.placeholder('id'))).prepare()
  // Served by the unique index on lower(code); codes are ASCII, so lower() folds them fully.
  const byFoldedCode = db.select(columns).from(units).where(sql`lower(${units.code}) = lower(${sql.placeholder('code')})`).prepare()
  // Walks up from the unit: cheap, units are shallow.
  const within = client.prepare(
    'WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM units WHERE id = ? UNION SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent) SELECT 1 FROM up WHERE id = ? LIMIT 1',
  )
  const get = (id: number): Unit => byId.get({ id }) as Unit
  return {
    async create(u, audit) {
      return uniqueOr('unit', () => db.transaction(() => {
        const { id } = db.insert(units).values({ ...u, createdAt: audit.at }).returning({ id: units.id }).get()
        const created = get(id)
        writeAudit(db, audit, 'unit', created.code, null, created)
        return created
      }))
    },
    async byCode(code) { return (byCode.get({ code }) as Unit | undefined) ?? null },
    async byCodeIgnoringCase(code) { return (byFoldedCode.get({ code }) as Unit | undefined) ?? null },
    async byId(id) { return (byId.get({ id }) as Unit | undefined) ?? null },
    async list(f, page) {
      const where = and(
        f.parentId === null ? isNull(units.parentId) : f.parentId !== undefined ? eq(units.parentId, f.parentId) : undefined,
        f.withinUnitId !== undefined ? sql`${units.id} IN ${subtreeIds(f.withinUnitId)}` : undefined,
        f.year !== undefined ? activeIn(f.year) : undefined,
      )
      return db.select(columns).from(units).where(where).orderBy(asc(units.code)).limit(page.limit).offset(page.offset).all() as Unit[]
    },
    async update(id, patch, audit) {
      return db.transaction(() => {
        const before = get(id)
        db.update(units).set(patch).where(eq(units.id, id)).run()
        const after = get(id)
        writeAudit(db, audit, 'unit', after.code, before, after)
        return after
      })
    },
    async isWithin(unitId, ancestorId) { return within.get(unitId, ancestorId) !== undefined },
  }
}


