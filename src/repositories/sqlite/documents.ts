import { and, asc, count, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { assessments, documents } from '../../db/schema.js'
import type { AssessmentState, DocumentRecord, DocumentsRepo } from '../types.js'
import { writeAudit } from './audit.js'

export function documentsRepo(db: Db): DocumentsRepo {
  const byId = db.select().from(documents).where(eq(documents.id, sql.placeholder('id'))).prepare()
  // Every assessment response lists its documents: prepared once.
  const ofAssessment = db.select().from(documents).where(eq(documents.assessmentId, sql.placeholder('assessmentId')))
    .orderBy(asc(documents.createdAt), asc(documents.id)).prepare()
  const countOf = (assessmentId: string): number => db.select({ n: count() }).from(documents).where(eq(documents.assessmentId, assessmentId)).get()?.n ?? 0
  return {
    async create(d, audit) {
      return db.transaction(() => {
        db.insert(documents).values(d).run()
        writeAudit(db, audit, 'assessment', d.assessmentId, null, { document: d })
        return byId.get({ id: d.id }) as DocumentRecord
      })
    },
    async add(d, audit, check) {
      return db.transaction(() => {
        // Checked here, after the file was received: an upload that started while the assessment
        // was a draft must not land on it once it has been submitted or published meanwhile.
        const a = db.select({ state: assessments.state, version: assessments.version }).from(assessments).where(eq(assessments.id, d.assessmentId)).get()
        const n = countOf(d.assessmentId)
        const refused = (reason: 'missing' | 'state' | 'version' | 'limit') => ({ ok: false as const, reason, state: (a?.state ?? null) as AssessmentState | null, version: a?.version ?? null, count: n })
        if (!a) return refused('missing')
        if (!check.states.includes(a.state as AssessmentState)) return refused('state')
        if (check.expectedVersion !== undefined && a.version !== check.expectedVersion) return refused('version')
        if (n >= check.maxDocuments) return refused('limit')
        db.insert(documents).values(d).run()
        writeAudit(db, audit, 'assessment', d.assessmentId, null, { document: d })
        return { ok: true as const, document: byId.get({ id: d.id }) as DocumentRecord, assessmentVersion: a.version }
      })
    },
    async byId(id) { return (byId.get({ id }) as DocumentRecord | undefined) ?? null },
    async list(assessmentId) {
      return ofAssessment.all({ assessmentId }) as DocumentRecord[]
    },
    async page(assessmentId, page) {
      const items = db.select().from(documents).where(eq(documents.assessmentId, assessmentId))
        .orderBy(asc(documents.createdAt), asc(documents.id)).limit(page.limit).offset(page.offset).all() as DocumentRecord[]
      return { items, total: countOf(assessmentId) }
    },
    async existing(assessmentId, ids) {
      if (ids.length === 0) return new Set()
      const rows = db.select({ id: documents.id }).from(documents).where(and(eq(documents.assessmentId, assessmentId), inArray(documents.id, ids))).all()
      return new Set(rows.map((r) => r.id))
    },
    async fileInUse(sha256) {
      return db.select({ id: documents.id }).from(documents).where(eq(documents.sha256, sha256)).limit(1).get() !== undefined
    },
  }
}
