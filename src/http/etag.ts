// Optimistic concurrency over HTTP: the assessment version is its ETag ("7"); writes send it back
// in If-Match. A missing header is 428, a stale one 412 (from the service, with the current version).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../services/errors.js'

export function ifMatch(request: FastifyRequest): number {
  const raw = request.headers['if-match']
  if (raw === undefined || raw === '') {
    throw new AppError(428, 'PRECONDITION_REQUIRED', 'send the version you last read in an If-Match header (the ETag of GET /v1/assessments/{id}), so a concurrent change is never overwritten')
  }
  // "3", W/"3" or a bare 3; "*" (any version) is refused: it would defeat the check.
  const m = /^(?:W\/)?(?:"(0|[1-9]\d{0,8})"|(0|[1-9]\d{0,8}))$/.exec(String(raw).trim())
  if (!m) throw new AppError(400, 'INVALID_IF_MATCH', `If-Match must be an assessment ETag such as "3", not ${JSON.stringify(raw)}`)
  return Number(m[1] ?? m[2])
}

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`)
}
