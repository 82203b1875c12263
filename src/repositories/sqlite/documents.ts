import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { documents } from '../../db/schema.js'
import type { DocumentRecord, DocumentsRepo } from '../types.js'
import { writeAudit } from './audit.js'

export function documentsRepo(db: Db): DocumentsRepo {
  const byId = db.select().from(documents).where(eq(documents.id, sql.placeholder('id'))).prepare()
  // Every assessment response lists its documents: prepared once.
  const ofAssessment = db.select().from(documents).where(eq(documents.assessmentId, sql.placeholder('assessmentId')))
    .orderBy(asc(documents.createdAt), asc(documents.id)).prepare()
  return {
    async create(d, audit) {
      return db.transaction(() => {
        db.insert(documents).values(d).run()
        writeAudit(db, audit, 'assessment', d.assessmentId, null, { document: d })
        return byId.get({ id: d.id }) as DocumentRecord
      })
    },
    async byId(id) { return (byId.get({ id }) as DocumentRecord | undefined) ?? null },
    async list(assessmentId) {
      return ofAssessment.all({ assessmentId }) as DocumentRecord[]
    },
  }
}
