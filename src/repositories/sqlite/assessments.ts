import type Database from 'better-sqlite3'
import { and, inArray, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { assessmentCriteria, assessmentGroups, assessments, periods, schools } from '../../db/schema.js'
import type { Assessment, AssessmentPatch, AssessmentsRepo, AssessmentState, ResultRows } from '../types.js'
import { auditDiff, writeAudit } from './audit.js'
import { uniqueOr } from './unique.js'
import { subtreeIds } from './units.js'

const cols = {
  a: assessments,
  schoolCode: schools.moetCode,
  schoolName: schools.name,
  schoolYear: periods.schoolYear,
}
type Row = { a: typeof assessments.$inferSelect; schoolCode: string; schoolName: string; schoolYear: number }

function toAssessment(r: Row): Assessment {
  const a = r.a
  return {
    id: a.id, schoolId: a.schoolId, schoolCode: r.schoolCode, schoolName: r.schoolName, periodId: a.periodId, schoolYear: r.schoolYear,
    criteriaSetId: a.criteriaSetId, criteriaSetVersion: a.criteriaSetVersion, contentHash: a.contentHash,
    state: a.state as AssessmentState, version: a.version, facts: a.facts, description: a.description, result: a.result, complete: a.complete,
    external: a.externalResult === null || a.externalFacts === null ? null
      : { facts: a.externalFacts, result: a.externalResult, by: a.externalBy as string, at: a.externalAt as Date },
    returnReason: a.returnReason, submittedAt: a.submittedAt, approvedAt: a.approvedAt, publishedAt: a.publishedAt,
    createdAt: a.createdAt, updatedAt: a.updatedAt,
  }
}

/** The audit record of an assessment change: the workflow fields and the facts, not whole results. */
const auditColumns = {
  state: assessments.state, version: assessments.version, facts: assessments.facts, description: assessments.description,
  complete: assessments.complete, returnReason: assessments.returnReason, externalFacts: assessments.externalFacts,
}
type AuditRow = { [K in keyof typeof auditColumns]: (typeof assessments.$inferSelect)[K] }

function auditView(a: AuditRow): Record<string, unknown> {
  const { externalFacts, ...rest } = a
  return { ...rest, ...(externalFacts ? { externalFacts } : {}) }
}

function auditRowOf(a: Assessment): AuditRow {
  return { state: a.state, version: a.version, facts: a.facts, description: a.description, complete: a.complete, returnReason: a.returnReason, externalFacts: a.external?.facts ?? null }
}

/** The stored assessment after `patch`, as the UPDATE below writes it. */
function applied(a: Assessment, patch: AssessmentPatch, version: number, at: Date): Assessment {
  const { selfRows: _s, externalRows: _e, external, ...fields } = patch
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))
  return { ...a, ...defined, ...(external ? { external } : {}), version, updatedAt: at }
}

export function assessmentsRepo(db: Db, raw: Database.Database): AssessmentsRepo {
  const base = () => db.select(cols).from(assessments)
    .innerJoin(schools, eq(schools.id, assessments.schoolId))
    .innerJoin(periods, eq(periods.id, assessments.periodId))
  const byId = base().where(eq(assessments.id, sql.placeholder('id'))).prepare()
  const get = (id: string): Assessment | null => { const r = byId.get({ id }) as Row | undefined; return r ? toAssessment(r) : null }
  // The hot path is the evidence save: its statements are prepared once.
  const auditRow = db.select(auditColumns).from(assessments).where(eq(assessments.id, sql.placeholder('id'))).prepare()
  // The mirrored rows (about 60 a result) go through better-sqlite3 directly: drizzle's per-run
  // parameter mapping cost more than the inserts themselves.
  const deleteGroups = raw.prepare('DELETE FROM assessment_groups WHERE assessment_id = ? AND source = ?')
  const insertGroup = raw.prepare('INSERT INTO assessment_groups (assessment_id, source, group_code, total, level, complete) VALUES (?, ?, ?, ?, ?, ?)')
  const deleteCriteria = raw.prepare('DELETE FROM assessment_criteria WHERE assessment_id = ? AND source = ?')
  const insertCriterion = raw.prepare(`INSERT INTO assessment_criteria (assessment_id, source, code, group_code, kind, max_points, points, met, value, gap, status)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const putRows = (id: string, source: 'self' | 'external', rows: ResultRows): void => {
    deleteGroups.run(id, source)
    for (const g of rows.groups) insertGroup.run(id, source, g.groupCode, g.total, g.level, g.complete ? 1 : 0)
    deleteCriteria.run(id, source)
    for (const c of rows.criteria) {
      insertCriterion.run(id, source, c.code, c.groupCode, c.kind, c.maxPoints, c.points, c.met === null ? null : c.met ? 1 : 0, c.value, c.gap, c.status)
    }
  }

  return {
    async create(a, audit) {
      return uniqueOr('assessment', () => db.transaction(() => {
        const { rows, ...row } = a
        db.insert(assessments).values({ ...row, state: 'draft', version: 1, createdAt: audit.at, updatedAt: audit.at }).run()
        putRows(a.id, 'self', rows)
        const created = get(a.id) as Assessment
        writeAudit(db, audit, 'assessment', a.id, ...auditDiff(null, auditView(auditRowOf(created))))
        return created
      }))
    },
    async byId(id) { return get(id) },
    async find(schoolId, periodId, setId, setVersion) {
      const r = base().where(and(eq(assessments.schoolId, schoolId), eq(assessments.periodId, periodId),
        eq(assessments.criteriaSetId, setId), eq(assessments.criteriaSetVersion, setVersion))).get() as Row | undefined
      return r ? toAssessment(r) : null
    },
    async list(f, page) {
      const within = f.withinUnitId === undefined ? undefined
        : sql`EXISTS (SELECT 1 FROM school_units su WHERE su.school_id = ${assessments.schoolId} AND su.from_year <= ${periods.schoolYear}
            AND (su.to_year IS NULL OR su.to_year >= ${periods.schoolYear}) AND su.unit_id IN ${subtreeIds(f.withinUnitId)})`
      // The page's ids first, ordered on narrow columns; then their rows (a sort that carried
      // every row's facts and results would cost as much as the whole list).
      const ids = (db.select({ id: assessments.id }).from(assessments)
        .innerJoin(schools, eq(schools.id, assessments.schoolId))
        .innerJoin(periods, eq(periods.id, assessments.periodId))
        .where(and(
          within,
          f.schoolId !== undefined ? eq(assessments.schoolId, f.schoolId) : undefined,
          f.periodId !== undefined ? eq(assessments.periodId, f.periodId) : undefined,
          f.state !== undefined ? eq(assessments.state, f.state) : undefined,
          f.schoolYear !== undefined ? eq(periods.schoolYear, f.schoolYear) : undefined,
        )).orderBy(...(f.order === 'review'
          ? [sql`${assessments.state} <> 'submitted'`, asc(periods.submissionDeadline), asc(schools.moetCode), asc(assessments.createdAt)]
          : [asc(schools.moetCode), asc(assessments.createdAt)])).limit(page.limit).offset(page.offset).all() as { id: string }[]).map((r) => r.id)
      if (ids.length === 0) return []
      const byIdRow = new Map((base().where(inArray(assessments.id, ids)).all() as Row[]).map((r) => [r.a.id, r]))
      const rows = ids.map((id) => byIdRow.get(id) as Row)
      return rows.map(toAssessment)
    },
    async update(id, expectedVersion, patch, audit, base) {
      return db.transaction(() => {
        // Every change bumps the version, so the caller's copy at the expected version is the row as
        // stored: nothing needs reading back. Without one, only the audited fields are read.
        const known = base !== undefined && base.id === id && base.version === expectedVersion ? base : undefined
        const before = known ? auditRowOf(known) : auditRow.get({ id }) as AuditRow | undefined
        if (!before || before.version !== expectedVersion) return { ok: false as const, current: get(id) }
        const { selfRows, externalRows, external, ...fields } = patch
        const changed = db.update(assessments).set({
          ...fields,
          ...(external ? { externalFacts: external.facts, externalResult: external.result, externalBy: external.by, externalAt: external.at } : {}),
          version: expectedVersion + 1,
          updatedAt: audit.at,
        }).where(and(eq(assessments.id, id), eq(assessments.version, expectedVersion))).run()
        // The version check is in the WHERE clause as well: a second writer can never slip between.
        if (changed.changes !== 1) return { ok: false as const, current: get(id) }
        if (selfRows) putRows(id, 'self', selfRows)
        if (externalRows) putRows(id, 'external', externalRows)
        const after = known ? applied(known, patch, expectedVersion + 1, audit.at) : get(id) as Assessment
        // Only what changed is logged (see auditDiff): a whole copy of the facts per save filled the log.
        writeAudit(db, audit, 'assessment', id, ...auditDiff(auditView(before), auditView(auditRowOf(after))))
        return { ok: true as const, assessment: after }
      })
    },
  }
}
