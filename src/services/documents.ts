// Evidence documents (minh chứng) of an assessment: a link, or an uploaded file kept on disk with
// its size, type and sha256. The school adds them while it edits; a reviewer while it reviews.
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Assessment, DocumentRecord } from '../repositories/types.js'
import { actorName, type Actor } from './actor.js'
import type { AssessmentsService } from './assessments.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, conflict, invalid, notFound } from './errors.js'
import { FileRejected, FileTooLarge, type FileStore } from './file-store.js'
import { EDITABLE, EXTERNAL_ALLOWED } from './workflow.js'

/** Accepted types and the bytes each file must start with (a renamed .exe is refused). */
export const MEDIA_TYPES: Record<string, { magic: number[][]; ext: string }> = {
  'application/pdf': { magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]], ext: 'pdf' },
  'image/png': { magic: [[0x89, 0x50, 0x4e, 0x47]], ext: 'png' },
  'image/jpeg': { magic: [[0xff, 0xd8, 0xff]], ext: 'jpg' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { magic: [[0x50, 0x4b, 0x03, 0x04]], ext: 'docx' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { magic: [[0x50, 0x4b, 0x03, 0x04]], ext: 'xlsx' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { magic: [[0x50, 0x4b, 0x03, 0x04]], ext: 'pptx' },
  'application/msword': { magic: [[0xd0, 0xcf, 0x11, 0xe0]], ext: 'doc' },
  'application/vnd.ms-excel': { magic: [[0xd0, 0xcf, 0x11, 0xe0]], ext: 'xls' },
}

export class DocumentsService {
  constructor(private readonly ctx: ServiceContext, private readonly assessments: AssessmentsService, private readonly files: FileStore) {}

  private async writable(actor: Actor, id: string): Promise<Assessment> {
    const a = await this.assessments.get(actor, id)
    const ok = actor.role === 'admin' ? a.state !== 'published'
      : actor.role === 'school' ? EDITABLE.includes(a.state) : EXTERNAL_ALLOWED.includes(a.state)
    if (!ok) throw conflict('NOT_EDITABLE', `a ${actor.role} key cannot add documents to an assessment in state "${a.state}"`, { state: a.state })
    return a
  }

  async addLink(actor: Actor, id: string, input: { title: string; url: string }): Promise<DocumentRecord> {
    const a = await this.writable(actor, id)
    return this.ctx.store.documents.create({
      id: randomUUID(), assessmentId: a.id, kind: 'link', title: input.title.normalize('NFC'), url: input.url,
      fileName: null, mediaType: null, size: null, sha256: null, createdBy: actorName(actor), createdAt: this.ctx.now(),
    }, auditOf(this.ctx, actor, 'document.link'))
  }

  async addFile(actor: Actor, id: string, input: { title: string; fileName: string; mediaType: string; stream: Readable }): Promise<DocumentRecord> {
    const a = await this.writable(actor, id)
    const type = MEDIA_TYPES[input.mediaType]
    if (!type) {
      input.stream.resume()
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `files of type ${input.mediaType} are not accepted; accepted: PDF, PNG, JPEG, Word, Excel, PowerPoint`, '/file')
    }
    let stored
    try {
      stored = await this.files.put(input.stream, this.ctx.config.maxUploadBytes, (head) => type.magic.some((m) => m.every((b, i) => head[i] === b)))
    } catch (e) {
      if (e instanceof FileTooLarge) throw new AppError(413, 'FILE_TOO_LARGE', `${e.message} (MAX_UPLOAD_MB)`, '/file')
      if (e instanceof FileRejected) throw invalid('CONTENT_MISMATCH', `the file's content is not ${input.mediaType} (its first bytes do not match)`, '/file')
      throw e
    }
    const title = (input.title || input.fileName).normalize('NFC')
    return this.ctx.store.documents.create({
      id: randomUUID(), assessmentId: a.id, kind: 'file', title, url: null, fileName: input.fileName.normalize('NFC').slice(0, 255),
      mediaType: input.mediaType, size: stored.size, sha256: stored.sha256, createdBy: actorName(actor), createdAt: this.ctx.now(),
    }, auditOf(this.ctx, actor, 'document.upload'))
  }

  async list(actor: Actor, id: string): Promise<DocumentRecord[]> {
    await this.assessments.get(actor, id)
    return this.ctx.store.documents.list(id)
  }

  async content(actor: Actor, id: string, docId: string): Promise<{ doc: DocumentRecord; stream: Readable }> {
    await this.assessments.get(actor, id)
    const doc = await this.ctx.store.documents.byId(docId)
    if (!doc || doc.assessmentId !== id) throw notFound('document', docId, '/docId')
    if (doc.kind !== 'file' || !doc.sha256) throw conflict('NOT_A_FILE', 'this document is a link; follow its url')
    return { doc, stream: this.files.open(doc.sha256) }
  }
}
