import { and, asc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../db/connection.js'
import { schoolUnits, schools, units } from '../../db/schema.js'
import type { Membership, NewSchool, School, SchoolsRepo } from '../types.js'
import { auditWriter, writeAudit } from './audit.js'
import { uniqueOr } from './unique.js'
import { subtreeIds } from './units.js'

/** Vietnamese-aware search key: SQLite's lower() and LIKE fold ASCII only. */
export function searchKey(s: string): string {
  return s.normalize('NFC').toLocaleLowerCase('vi')
}

type Row = typeof schools.$inferSelect

export function schoolsRepo(db: Db, raw: Database.Database): SchoolsRepo {
  const byCode = db.select().from(schools).where(eq(schools.moetCode, sql.placeholder('code'))).prepare()
  const byId = db.select().from(schools).where(eq(schools.id, sql.placeholder('id'))).prepare()
  // Served by the unique index on lower(moet_code); codes are ASCII, so lower() folds them fully.
  const byFoldedCode = db.select().from(schools).where(sql`lower(${schools.moetCode}) = lower(${sql.placeholder('code')})`).prepare()
  const membershipsOf = db.select({ schoolId: schoolUnits.schoolId, unitId: schoolUnits.unitId, unitCode: units.code, fromYear: schoolUnits.fromYear, toYear: schoolUnits.toYear })
    .from(schoolUnits).innerJoin(units, eq(units.id, schoolUnits.unitId))
    .where(eq(schoolUnits.schoolId, sql.placeholder('id'))).orderBy(asc(schoolUnits.fromYear)).prepare()
  const unitAt = db.select({ unitId: schoolUnits.unitId }).from(schoolUnits)
    .where(and(eq(schoolUnits.schoolId, sql.placeholder('id')), lte(schoolUnits.fromYear, sql.placeholder('year')),
      or(isNull(schoolUnits.toYear), gte(schoolUnits.toYear, sql.placeholder('year'))))).prepare()

  const takenQ = raw.prepare('SELECT moet_code AS moetCode FROM schools WHERE lower(moet_code) IN (SELECT value FROM json_each(?))')
  // The import's inserts go through better-sqlite3 directly: 20,000 rows through drizzle's query
  // builder cost seconds of the event loop.
  const insertSchool = raw.prepare('INSERT INTO schools (moet_code, name, name_search, levels, ownership, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  const insertMembership = raw.prepare('INSERT INTO school_units (school_id, unit_id, from_year, to_year) VALUES (?, ?, ?, NULL)')
  const bulkAudit = auditWriter(raw)
  const toSchool = (r: Row): School => ({
    id: r.id, moetCode: r.moetCode, name: r.name, levels: r.levels, ownership: r.ownership as School['ownership'],
    memberships: (membershipsOf.all({ id: r.id }) as (Membership & { schoolId: number })[]).map(({ schoolId: _, ...m }) => m),
  })
  const get = (id: number): School => toSchool(byId.get({ id }) as Row)
  const insert = (s: NewSchool, at: Date): number => {
    const { id } = db.insert(schools).values({ moetCode: s.moetCode, name: s.name, nameSearch: searchKey(s.name), levels: s.levels, ownership: s.ownership, createdAt: at })
      .returning({ id: schools.id }).get()
    db.insert(schoolUnits).values({ schoolId: id, unitId: s.unitId, fromYear: s.fromYear, toYear: null }).run()
    return id
  }

  return {
    async create(s, audit) {
      return uniqueOr('school', () => db.transaction(() => {
        const created = get(insert(s, audit.at))
        writeAudit(db, audit, 'school', created.moetCode, null, created)
        return created
      }))
    },
    async createMany(rows, audit) {
      return db.transaction((tx) => {
        // Compared case-folded: the unique index on lower(moet_code) would refuse them anyway.
        const existing = new Set<string>()
        for (let i = 0; i < rows.length; i += 500) {
          for (const r of takenQ.all(JSON.stringify(rows.slice(i, i + 500).map((x) => x.moetCode.toLowerCase()))) as { moetCode: string }[]) existing.add(r.moetCode.toLowerCase())
        }
        const conflicts = rows.flatMap((r, index) => (existing.has(r.moetCode.toLowerCase()) ? [{ index, moetCode: r.moetCode }] : []))
        if (conflicts.length > 0) return { ok: false as const, conflicts }
        const at = audit.at.getTime()
        for (const r of rows) {
          const id = Number(insertSchool.run(r.moetCode, r.name, searchKey(r.name), JSON.stringify(r.levels), r.ownership, at).lastInsertRowid)
          insertMembership.run(id, r.unitId, r.fromYear)
          bulkAudit(audit, 'school', r.moetCode, null, { id, ...r })
        }
        return { ok: true as const, created: rows.length }
      })
    },
    async byCode(code) { const r = byCode.get({ code }) as Row | undefined; return r ? toSchool(r) : null },
    async takenCodes(codes) {
      const out = new Map<string, string>()
      // One indexed lookup per code inside SQLite (the unique index on lower(moet_code)), 500 a query.
      for (let i = 0; i < codes.length; i += 500) {
        for (const r of takenQ.all(JSON.stringify(codes.slice(i, i + 500).map((c) => c.toLowerCase()))) as { moetCode: string }[]) out.set(r.moetCode.toLowerCase(), r.moetCode)
      }
      return out
    },
    async byCodeIgnoringCase(code) { const r = byFoldedCode.get({ code }) as Row | undefined; return r ? toSchool(r) : null },
    async byId(id) { const r = byId.get({ id }) as Row | undefined; return r ? toSchool(r) : null },
    async list(f, page) {
      const inUnit = f.withinUnitId === undefined ? undefined
        : sql`${schools.id} IN (SELECT su.school_id FROM school_units su WHERE su.unit_id IN ${subtreeIds(f.withinUnitId)}${
          f.year === undefined ? sql`` : sql` AND su.from_year <= ${f.year} AND (su.to_year IS NULL OR su.to_year >= ${f.year})`})`
      const inYear = f.year === undefined || f.withinUnitId !== undefined ? undefined
        : sql`${schools.id} IN (SELECT su.school_id FROM school_units su WHERE su.from_year <= ${f.year} AND (su.to_year IS NULL OR su.to_year >= ${f.year}))`
      const q = f.q ? or(sql`instr(${schools.nameSearch}, ${searchKey(f.q)}) > 0`, eq(schools.moetCode, f.q)) : undefined
      const rows = db.select().from(schools).where(and(inUnit, inYear, q)).orderBy(asc(schools.moetCode)).limit(page.limit).offset(page.offset).all()
      return rows.map(toSchool)
    },
    async update(id, patch, audit) {
      return db.transaction(() => {
        const before = get(id)
        db.update(schools).set({ ...patch, ...(patch.name !== undefined ? { nameSearch: searchKey(patch.name) } : {}) }).where(eq(schools.id, id)).run()
        const after = get(id)
        writeAudit(db, audit, 'school', after.moetCode, before, after)
        return after
      })
    },
    async setMembership(id, unitId, fromYear, audit) {
      return db.transaction(() => {
        const before = get(id)
        // The membership running into `fromYear` ends the year before; later ones are replaced.
        db.update(schoolUnits).set({ toYear: fromYear - 1 })
          .where(and(eq(schoolUnits.schoolId, id), lt(schoolUnits.fromYear, fromYear), or(isNull(schoolUnits.toYear), gte(schoolUnits.toYear, fromYear)))).run()
        db.delete(schoolUnits).where(and(eq(schoolUnits.schoolId, id), gte(schoolUnits.fromYear, fromYear))).run()
        db.insert(schoolUnits).values({ schoolId: id, unitId, fromYear, toYear: null }).run()
        const after = get(id)
        writeAudit(db, audit, 'school', after.moetCode, before, after)
        return after
      })
    },
    async unitAt(schoolId, year) {
      const r = unitAt.get({ id: schoolId, year }) as { unitId: number } | undefined
      return r?.unitId ?? null
    },
  }
}
