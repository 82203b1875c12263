// Evidence documents (minh chứng) of an assessment: a link, or an uploaded file kept on disk with
// its size, type and sha256. The school adds them while it edits; a reviewer while it reviews.
import { randomUUID } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { STATES, type AssessmentState, type DocumentAddCheck, type DocumentRecord, type Page } from '../repositories/types.js'
import { actorName, type Actor } from './actor.js'
import type { AssessmentsService } from './assessments.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, conflict, invalid, notFound } from './errors.js'
import { controlCharMessage, firstControlChar } from '../csv/plain-text.js'
import { FileRejected, FileTooLarge, type FileStore } from './file-store.js'
import { EDITABLE, EXTERNAL_ALLOWED } from './workflow.js'

interface MediaType { magic: number[][]; ext: string; label: string; /** An Office Open XML file: a ZIP holding this main part folder. */ office?: string }

/** Accepted types and the bytes each file must start with (a renamed .exe is refused). */
export const MEDIA_TYPES: Record<string, MediaType> = {
  'application/pdf': { magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]], ext: 'pdf', label: 'PDF' },
  'image/png': { magic: [[0x89, 0x50, 0x4e, 0x47]], ext: 'png', label: 'PNG' },
  'image/jpeg': { magic: [[0xff, 0xd8, 0xff]], ext: 'jpg', label: 'JPEG' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { magic: [[0x50, 0x4b, 0x03, 0x04]], ext: 'docx', label: 'Word (.docx)', office: 'word/' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { magic: [[0x50, 0x4b, 0x03, 0x04]], ext: 'xlsx', label: 'Excel (.xlsx)', office: 'xl/' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { magic: [[0x50, 0x4b, 0x03, 0x04]], ext: 'pptx', label: 'PowerPoint (.pptx)', office: 'ppt/' },
  'application/msword': { magic: [[0xd0, 0xcf, 0x11, 0xe0]], ext: 'doc', label: 'Word (.doc)' },
  'application/vnd.ms-excel': { magic: [[0xd0, 0xcf, 0x11, 0xe0]], ext: 'xls', label: 'Excel (.xls)' },
}

/** Documents per assessment: the lists, the phiếu and the evidence check read them all. */
export const MAX_DOCUMENTS_PER_ASSESSMENT = 500

// ---- Office Open XML structure ----

/** The file is a ZIP but not the Office document it claims to be. */
export class NotAnOfficeFile extends FileRejected {}

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
/** Bounds on the central directory read (a real .docx has tens of entries). */
const MAX_ZIP_ENTRIES = 10_000
const MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024

/**
 * Checks a stored ZIP's central directory (only that: at most 64 KiB of tail and 4 MiB of
 * directory are read, nothing is inflated) for `[Content_Types].xml` and an entry under `folder`
 * (`word/`, `xl/`, `ppt/`). Throws NotAnOfficeFile with the reason.
 */
export function checkOfficeZip(path: string, size: number, folder: string): void {
  const fd = openSync(path, 'r')
  try {
    const read = (length: number, position: number): Buffer => {
      const b = Buffer.alloc(length)
      const n = readSync(fd, b, 0, length, position)
      return b.subarray(0, n)
    }
    // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
    const tailLength = Math.min(size, 22 + 0xffff)
    const tail = read(tailLength, size - tailLength)
    let eocd = -1
    for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD_SIGNATURE) { eocd = i; break }
    if (eocd < 0) throw new NotAnOfficeFile('it has no ZIP central directory')
    const entries = tail.readUInt16LE(eocd + 10)
    const cdSize = tail.readUInt32LE(eocd + 12)
    const cdOffset = tail.readUInt32LE(eocd + 16)
    if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new NotAnOfficeFile('ZIP64 archives are not accepted')
    if (entries > MAX_ZIP_ENTRIES || cdSize > MAX_CENTRAL_DIRECTORY_BYTES) throw new NotAnOfficeFile(`the ZIP has more than ${MAX_ZIP_ENTRIES} entries`)
    if (cdOffset + cdSize > size - tailLength + eocd) throw new NotAnOfficeFile('its ZIP central directory is damaged')
    const cd = read(cdSize, cdOffset)
    let contentTypes = false
    let mainPart = false
    for (let p = 0, i = 0; i < entries; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new NotAnOfficeFile('its ZIP central directory is damaged')
      const nameLength = cd.readUInt16LE(p + 28)
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength)
      if (name === '[Content_Types].xml') contentTypes = true
      else if (name.startsWith(folder) && name.length > folder.length) mainPart = true
      p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32)
    }
    if (!contentTypes) throw new NotAnOfficeFile('the ZIP has no [Content_Types].xml')
    if (!mainPart) throw new NotAnOfficeFile(`the ZIP has no ${folder} part`)
  } finally {
    closeSync(fd)
  }
}

// ---- download names ----

/** Removed from names: controls (C0, C1), format characters (bidi overrides, zero-width…),
 *  line/paragraph separators, private-use and lone surrogates. */
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/gu
/** Path separators and the characters Windows reserves in file names. */
const RESERVED_CHARS = /[\\/:*?"<>|]/g
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)$/i
export const MAX_STEM_CHARS = 120
const EXT_ALIASES: Record<string, string[]> = { jpg: ['jpg', 'jpeg'] }

/**
 * The name a file downloads under: the uploader's name cleaned (bidi/format/control characters
 * removed, path separators and reserved characters replaced, NFC, at most 120 characters) without
 * its extension, plus the extension of the type the file was accepted as. `"Ke hoach\u202Efdp.hta"`
 * uploaded as a PDF is `"Ke hoachfdp.pdf"`; `minh-chung.pdf.bat` is `minh-chung.pdf`.
 */
export function downloadName(uploaded: string | null, mediaType: string | null): string {
  const ext = (mediaType && MEDIA_TYPES[mediaType]?.ext) || 'bin'
  let stem = (uploaded ?? '').normalize('NFC').replace(UNSAFE_CHARS, '').replace(RESERVED_CHARS, '_').replace(/\s+/gu, ' ').trim()
  stem = stem.replace(/\.[A-Za-z0-9]{1,8}$/, '')
  for (const e of EXT_ALIASES[ext] ?? [ext]) if (stem.toLowerCase().endsWith(`.${e}`)) stem = stem.slice(0, -e.length - 1)
  stem = [...stem].slice(0, MAX_STEM_CHARS).join('').replace(/^[\s.]+|[\s.]+$/gu, '')
  if (stem === '') stem = 'minh-chung'
  if (WINDOWS_DEVICE.test(stem)) stem = `_${stem}`
  return `${stem}.${ext}`
}

/** Content-Disposition for a download: an ASCII `filename=` for old clients, the UTF-8 name in
 *  `filename*=` (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]|[%"\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

export class DocumentsService {
  constructor(private readonly ctx: ServiceContext, private readonly assessments: AssessmentsService, private readonly files: FileStore) {}

  /** The states in which this actor adds documents. */
  private statesFor(actor: Actor): readonly AssessmentState[] {
    return actor.role === 'admin' ? STATES.filter((s) => s !== 'published') : actor.role === 'school' ? EDITABLE : EXTERNAL_ALLOWED
  }

  /** A first check before anything is received (the insert checks again). */
  private async writable(actor: Actor, id: string): Promise<DocumentAddCheck> {
    const a = await this.assessments.get(actor, id)
    const states = this.statesFor(actor)
    if (!states.includes(a.state)) throw notEditable(actor, a.state)
    return { states, maxDocuments: MAX_DOCUMENTS_PER_ASSESSMENT }
  }

  /** Inserts the document if the assessment still takes it; `ifMatch`: the version the client saw. */
  private async insert(actor: Actor, d: DocumentRecord, check: DocumentAddCheck, action: string): Promise<{ document: DocumentRecord; assessmentVersion: number }> {
    const out = await this.ctx.store.documents.add(d, auditOf(this.ctx, actor, action), check)
    if (out.ok) return out
    if (out.reason === 'missing') throw notFound('assessment', d.assessmentId, '/id')
    if (out.reason === 'state') throw notEditable(actor, out.state as AssessmentState)
    if (out.reason === 'version') {
      throw new AppError(412, 'VERSION_MISMATCH', `the assessment changed since you read it (it is now version ${out.version}); reload it and add the document again`,
        undefined, { currentVersion: out.version, state: out.state })
    }
    throw conflict('TOO_MANY_DOCUMENTS', `an assessment holds at most ${MAX_DOCUMENTS_PER_ASSESSMENT} documents; this one has ${out.count}`, { max: MAX_DOCUMENTS_PER_ASSESSMENT })
  }

  async addLink(actor: Actor, id: string, input: { title: string; url: string }, ifMatch?: number): Promise<{ document: DocumentRecord; assessmentVersion: number }> {
    const check = await this.writable(actor, id)
    return this.insert(actor, {
      id: randomUUID(), assessmentId: id, kind: 'link', title: input.title.normalize('NFC'), url: input.url,
      fileName: null, mediaType: null, size: null, sha256: null, createdBy: actorName(actor), createdAt: this.ctx.now(),
    }, { ...check, ...(ifMatch === undefined ? {} : { expectedVersion: ifMatch }) }, 'document.link')
  }

  async addFile(actor: Actor, id: string, input: { title: string; fileName: string; mediaType: string; stream: Readable }, ifMatch?: number): Promise<{ document: DocumentRecord; assessmentVersion: number }> {
    let check: DocumentAddCheck
    try {
      // The multipart title field has no JSON schema: the same rule as the link's title, here.
      const control = firstControlChar(input.title)
      if (control) throw invalid('CONTROL_CHARACTERS', controlCharMessage('Tiêu đề minh chứng', control), '/title')
      check = await this.writable(actor, id)
    } catch (e) {
      input.stream.resume()
      throw e
    }
    const type = MEDIA_TYPES[input.mediaType]
    if (!type) {
      input.stream.resume()
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `files of type ${input.mediaType} are not accepted; accepted: PDF, PNG, JPEG, Word, Excel, PowerPoint`, '/file')
    }
    let stored
    try {
      stored = await this.files.put(input.stream, this.ctx.config.maxUploadBytes, (head) => type.magic.some((m) => m.every((b, i) => head[i] === b)),
        type.office ? (path, size) => checkOfficeZip(path, size, type.office as string) : undefined)
    } catch (e) {
      if (e instanceof FileTooLarge) throw new AppError(413, 'FILE_TOO_LARGE', `${e.message} (MAX_UPLOAD_MB)`, '/file')
      if (e instanceof NotAnOfficeFile) throw new AppError(415, 'NOT_AN_OFFICE_FILE', `the file is not a ${type.label} document: ${e.message} (a plain ZIP or another format renamed is refused)`, '/file')
      if (e instanceof FileRejected) throw invalid('CONTENT_MISMATCH', `the file's content is not ${input.mediaType} (its first bytes do not match)`, '/file')
      throw e
    }
    const title = (input.title || input.fileName).normalize('NFC')
    try {
      return await this.insert(actor, {
        id: randomUUID(), assessmentId: id, kind: 'file', title, url: null, fileName: downloadName(input.fileName, input.mediaType),
        mediaType: input.mediaType, size: stored.size, sha256: stored.sha256, createdBy: actorName(actor), createdAt: this.ctx.now(),
      }, { ...check, ...(ifMatch === undefined ? {} : { expectedVersion: ifMatch }) }, 'document.upload')
    } catch (e) {
      // Refused at the insert: the file this upload stored goes too (unless a document holds the same content).
      if (stored.created && !(await this.ctx.store.documents.fileInUse(stored.sha256))) this.files.remove(stored.sha256)
      throw e
    }
  }

  async list(actor: Actor, id: string, page: Page): Promise<{ items: DocumentRecord[]; total: number }> {
    await this.assessments.get(actor, id)
    return this.ctx.store.documents.page(id, page)
  }

  async content(actor: Actor, id: string, docId: string): Promise<{ doc: DocumentRecord; stream: Readable; name: string }> {
    await this.assessments.get(actor, id)
    const doc = await this.ctx.store.documents.byId(docId)
    if (!doc || doc.assessmentId !== id) throw notFound('document', docId, '/docId')
    if (doc.kind !== 'file' || !doc.sha256) throw conflict('NOT_A_FILE', 'this document is a link; follow its url')
    // Rebuilt on every download: names stored before names were cleaned get the same treatment.
    return { doc, stream: this.files.open(doc.sha256), name: downloadName(doc.fileName, doc.mediaType) }
  }
}

function notEditable(actor: Actor, state: AssessmentState): AppError {
  return conflict('NOT_EDITABLE', `a ${actor.role} key cannot add documents to an assessment in state "${state}"`, { state })
}
