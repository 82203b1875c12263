// One error shape for every failure: { error: { code, message, path?, details? } }.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import { MULTILINE_TEXT_PATTERN, controlCharMessage, firstControlChar, isPlainTextPattern } from '../../csv/plain-text.js'
import { DuplicateKeyError } from '../../repositories/types.js'
import { AppError } from '../../services/errors.js'
import { errorPage } from '../../console/views/auth.js'

const NOT_FOUND_PAGE_CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
const notFoundPage = () => errorPage({ session: null, status: 404, text: 'Không có trang nào ở địa chỉ này. Hãy kiểm tra lại địa chỉ, hoặc về trang chủ.' })

const KEYWORD_CODES: Record<string, string> = {
  required: 'REQUIRED', additionalProperties: 'UNKNOWN_FIELD', type: 'INVALID_TYPE', format: 'INVALID_FORMAT',
  enum: 'INVALID_VALUE', pattern: 'INVALID_FORMAT', minLength: 'INVALID_LENGTH', maxLength: 'INVALID_LENGTH',
  minimum: 'OUT_OF_RANGE', maximum: 'OUT_OF_RANGE', minItems: 'INVALID_LENGTH', maxItems: 'INVALID_LENGTH', minProperties: 'REQUIRED',
}

interface ValidationIssue { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }

/** The JSON pointer of the field at fault (for required/unknown fields, the field itself). */
function pathOf(v: ValidationIssue): string {
  let path = v.instancePath
  if (v.keyword === 'required') path += `/${String(v.params.missingProperty)}`
  if (v.keyword === 'additionalProperties') path += `/${String(v.params.additionalProperty)}`
  return path
}

/** What a person calls the field, by its last path segment, for the Vietnamese message. */
const FIELD_LABELS: Record<string, string> = { name: 'Tên', title: 'Tiêu đề', reason: 'Lý do' }
const CONTEXT_PARTS: Record<string, 'body' | 'query' | 'params' | 'headers'> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

/** The value a failed keyword looked at: ajv's errors carry the pointer, not the value. */
function valueAt(request: FastifyRequest, where: string, pointer: string): unknown {
  let v: unknown = request[CONTEXT_PARTS[where] ?? 'body']
  for (const seg of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return v
}

export function errorBody(code: string, message: string, path?: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(path !== undefined ? { path } : {}), ...(details ? { details } : {}) } }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, 'server-side failure')
      if (err.code === 'VERSION_MISMATCH') reply.header('etag', `"${String(err.details?.currentVersion)}"`)
      return reply.status(err.statusCode).send(errorBody(err.code, err.message, err.path, err.details))
    }
    if (err instanceof DuplicateKeyError) {
      return reply.status(409).send(errorBody(`${err.entity.toUpperCase()}_EXISTS`, `this ${err.entity} was created by another request at the same moment; reload it`))
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const v = fe.validation[0] as unknown as ValidationIssue
      const where = fe.validationContext ?? 'body'
      const path = pathOf(v)
      // A name with a bidi or control character: name the character and say what to do, rather
      // than ajv's "must match pattern ^[^\u0000-…]*$" (src/csv/plain-text.ts).
      if (v.keyword === 'pattern' && isPlainTextPattern(v.params.pattern)) {
        const value = valueAt(request, where, v.instancePath)
        const found = typeof value === 'string' ? firstControlChar(value, { multiline: v.params.pattern === MULTILINE_TEXT_PATTERN }) : null
        const label = FIELD_LABELS[path.slice(path.lastIndexOf('/') + 1)] ?? `Trường dữ liệu ${path || where}`
        return reply.status(400).send(errorBody('CONTROL_CHARACTERS', controlCharMessage(label, found ?? 'ký tự ẩn'), path, where === 'body' ? undefined : { in: where }))
      }
      const what = v.keyword === 'additionalProperties' ? `unknown field "${String(v.params.additionalProperty)}"` : v.keyword === 'required' ? `missing required field "${String(v.params.missingProperty)}"` : `${path || where} ${v.message ?? 'is invalid'}`
      return reply.status(400).send(errorBody(KEYWORD_CODES[v.keyword] ?? 'INVALID_REQUEST', `${where}: ${what}`, path, where === 'body' ? undefined : { in: where }))
    }
    // A multipart body busboy cannot parse (no or a bad boundary, cut short): the client's fault.
    if (fe.statusCode === undefined && isMultipart(request.headers['content-type']) && MULTIPART_PARSE_ERRORS.some((re) => re.test(fe.message))) {
      return reply.status(400).send(errorBody('MALFORMED_MULTIPART', `the multipart/form-data body cannot be read: ${fe.message}`))
    }
    const storage = storageFailure(err)
    if (storage) {
      request.log.error({ err }, `storage failure: ${storage.code}`)
      return reply.status(503).header('retry-after', String(storage.retryAfterS)).send(errorBody(storage.code, storage.message, undefined, { requestId: request.id }))
    }
    const status = fe.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err }, 'unhandled error')
      return reply.status(500).send(errorBody('INTERNAL', 'internal server error; the request was not applied (see the server log for its id)', undefined, { requestId: request.id }))
    }
    // Fastify's own client errors: body too large, bad JSON, unsupported media type…
    const code = FASTIFY_CODES[fe.code ?? ''] ?? (fe.code ? fe.code.replace(/^FST_ERR_/, '') : 'BAD_REQUEST')
    return reply.status(status).send(errorBody(code, fe.message))
  })

  app.setNotFoundHandler((request, reply) => {
    // A person who typed a wrong console address gets a page, in Vietnamese; API clients get JSON.
    if (!request.url.startsWith('/v1/') && /text\/html/.test(String(request.headers.accept ?? ''))) {
      return reply.status(404).header('content-security-policy', NOT_FOUND_PAGE_CSP).type('text/html; charset=utf-8').send(notFoundPage().value)
    }
    reply.status(404).send(errorBody('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; see /docs`))
  })
}

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
  FST_REQ_FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'NOT_MULTIPART',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_PARTS_LIMIT: 'TOO_MANY_PARTS',
  FST_FIELDS_LIMIT: 'TOO_MANY_FIELDS',
}

const isMultipart = (contentType: string | undefined): boolean => /^\s*multipart\//i.test(contentType ?? '')

/** What @fastify/busboy throws (plain errors, no code) for a multipart body it cannot parse. */
const MULTIPART_PARSE_ERRORS: RegExp[] = [
  /^Multipart: Boundary not found$/,
  /^Boundary required$/,
  /unexpected end of multipart data$/i,
  /^The needle cannot (be an empty|have a length bigger)/,
]

/**
 * A write the storage refused: a read-only database or file system, a full disk, an I/O error, a
 * lock held too long by another process. Not the request's fault and nothing was applied (SQLite
 * rolls the statement back), so 503 with a stable code, and Retry-After: the operator has to act
 * for the first three, a lock clears by itself. SQLite's codes come from better-sqlite3 (drizzle
 * wraps them in `cause`); ENOSPC/EROFS/EDQUOT from writing an uploaded file.
 */
export function storageFailure(err: unknown): { code: string; message: string; retryAfterS: number } | null {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : ''
    if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
      return { code: 'STORAGE_READONLY', retryAfterS: 60, message: 'Cơ sở dữ liệu của máy chủ đang ở chế độ chỉ đọc nên thay đổi chưa được lưu; hãy báo quản trị viên hệ thống và thử lại sau (the database is read-only; nothing was saved)' }
    }
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
      return { code: 'STORAGE_FULL', retryAfterS: 60, message: 'Ổ đĩa của máy chủ đã đầy nên thay đổi chưa được lưu; hãy báo quản trị viên hệ thống và thử lại sau (the server\'s disk is full; nothing was saved)' }
    }
    if (code.startsWith('SQLITE_IOERR')) {
      return { code: 'STORAGE_IO_ERROR', retryAfterS: 60, message: 'Máy chủ không ghi được dữ liệu xuống ổ đĩa nên thay đổi chưa được lưu; hãy báo quản trị viên hệ thống và thử lại sau (a disk I/O error; nothing was saved)' }
    }
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) {
      return { code: 'STORAGE_BUSY', retryAfterS: 1, message: 'Cơ sở dữ liệu đang bận với một tiến trình khác; vui lòng thử lại sau ít giây (the database is locked by another process; retry shortly)' }
    }
  }
  return null
}
