// Shared request/response schemas. Request schemas are inline (the body validator is a separate
// Ajv that does not see app.addSchema); response schemas may $ref the shared ones by $id.
import { MULTILINE_TEXT_PATTERN, PLAIN_TEXT_PATTERN } from '../../csv/plain-text.js'
import { SCHOOL_YEAR_PATTERN } from '../../services/school-year.js'
import { STATES, UNIT_TYPES } from '../../repositories/types.js'

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'stable machine-readable code, e.g. INVALID_EVIDENCE, VERSION_MISMATCH' },
        message: { type: 'string' },
        path: { type: 'string', description: 'JSON pointer of the bad field in the request body or query' },
        details: { type: 'object', additionalProperties: true },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const

const err = { $ref: 'Error#' } as const
/** Error responses a route documents, by status. */
export function errors(...statuses: number[]): Record<number, typeof err> {
  return Object.fromEntries(statuses.map((s) => [s, err]))
}

export const schoolYear = { type: 'string', pattern: SCHOOL_YEAR_PATTERN, description: 'năm học, e.g. "2025-2026"', examples: ['2025-2026'] } as const
export const code = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' } as const
export const dateTime = { type: 'string', format: 'date-time' } as const
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const
/** A stored name or title (one line) or reason (`multiline`: tab and line breaks allowed): no
 *  control or bidi characters (src/csv/plain-text.ts). Refused with 400 CONTROL_CHARACTERS and the
 *  field's path. */
export function plainText<Min extends number, Max extends number>(minLength: Min, maxLength: Max, opts: { multiline?: boolean } = {}) {
  return { type: 'string', minLength, maxLength, pattern: opts.multiline ? MULTILINE_TEXT_PATTERN : PLAIN_TEXT_PATTERN } as const
}
export const title = plainText(1, 300)

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const

/** Pages of the audit log: smaller than other lists, each entry may hold fact values of up to 4 KB. */
export const auditPageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  offset: { type: 'integer', minimum: 0, default: 0 },
} as const

/** A page of a list that knows its size: `total` items in all, `next` the offset of the next page
 *  (null on the last one). */
export function pageOf<T>(items: T[], total: number, page: { limit: number; offset: number }): { items: T[]; total: number; next: number | null } {
  const next = page.offset + items.length
  return { items, total, next: items.length > 0 && next < total ? next : null }
}

export const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['id'] } as const
export const codeParams = { type: 'object', properties: { code }, required: ['code'] } as const

export const unitSchema = {
  $id: 'Unit',
  type: 'object',
  properties: {
    code: { type: 'string' }, name: { type: 'string' }, type: { type: 'string', enum: [...UNIT_TYPES] },
    parentCode: { type: ['string', 'null'] }, fromYear: { type: 'string' }, toYear: { type: ['string', 'null'] },
  },
  required: ['code', 'name', 'type', 'parentCode', 'fromYear', 'toYear'],
} as const

export const schoolSchema = {
  $id: 'School',
  type: 'object',
  properties: {
    moetCode: { type: 'string' }, name: { type: 'string' }, levels: { type: 'array', items: { type: 'string' } },
    ownership: { type: 'string', enum: ['public', 'private'] },
    memberships: {
      type: 'array',
      description: 'the unit the school belongs to, per range of school years',
      items: { type: 'object', properties: { unitCode: { type: 'string' }, fromYear: { type: 'string' }, toYear: { type: ['string', 'null'] } }, required: ['unitCode', 'fromYear', 'toYear'] },
    },
  },
  required: ['moetCode', 'name', 'levels', 'ownership', 'memberships'],
} as const

export const periodSchema = {
  $id: 'Period',
  type: 'object',
  properties: {
    id: { type: 'string' }, unitCode: { type: 'string' }, schoolYear: { type: 'string' }, title: { type: 'string' },
    criteriaSets: { type: 'array', items: { type: 'string' }, description: 'pinned "id@version" of each set' },
    submissionDeadline: dateTime, reviewDeadline: nullableDateTime,
    extensions: {
      type: 'array',
      items: { type: 'object', properties: { unitCode: { type: ['string', 'null'] }, schoolCode: { type: ['string', 'null'] }, until: dateTime, reason: { type: 'string' } } },
    },
  },
  required: ['id', 'unitCode', 'schoolYear', 'title', 'criteriaSets', 'submissionDeadline', 'reviewDeadline', 'extensions'],
} as const

const groupLevel = { type: 'object', properties: { group: { type: 'string' }, total: { type: 'number' }, level: { type: ['integer', 'null'] }, complete: { type: 'boolean' } } } as const

const assessmentCore = {
  id: { type: 'string' },
  school: { type: 'object', properties: { moetCode: { type: 'string' }, name: { type: 'string' } } },
  periodId: { type: 'string' },
  schoolYear: { type: 'string' },
  criteriaSet: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' }, contentHash: { type: 'string' } } },
  state: { type: 'string', enum: [...STATES] },
  version: { type: 'integer', description: 'also sent as the ETag; send it back in If-Match to write' },
  complete: { type: 'boolean' },
  levels: { type: 'array', items: groupLevel, description: 'self-assessment per group' },
  externalLevels: { type: ['array', 'null'], items: groupLevel, description: 'external assessment per group, if recorded' },
  returnReason: { type: ['string', 'null'] },
  submittedAt: nullableDateTime,
  approvedAt: nullableDateTime,
  publishedAt: nullableDateTime,
  updatedAt: dateTime,
} as const

export const assessmentSummarySchema = {
  $id: 'AssessmentSummary',
  type: 'object',
  properties: assessmentCore,
  required: ['id', 'school', 'periodId', 'state', 'version', 'complete', 'levels'],
} as const

export const documentSchema = {
  $id: 'Document',
  type: 'object',
  properties: {
    id: { type: 'string' }, assessmentId: { type: 'string' }, kind: { type: 'string', enum: ['link', 'file'] }, title: { type: 'string' }, url: { type: ['string', 'null'] },
    fileName: { type: ['string', 'null'] }, mediaType: { type: ['string', 'null'] }, size: { type: ['integer', 'null'] }, sha256: { type: ['string', 'null'] },
    createdBy: { type: 'string' }, createdAt: dateTime,
  },
  required: ['id', 'kind', 'title', 'createdAt'],
} as const

export const assessmentSchema = {
  $id: 'Assessment',
  type: 'object',
  properties: {
    ...assessmentCore,
    facts: { type: 'object', additionalProperties: true, description: 'the school\'s evidence facts' },
    description: { type: ['string', 'null'] },
    result: { $ref: 'ScoreResult#' },
    external: {
      type: ['object', 'null'],
      description: 'the reviewer\'s own assessment (đánh giá ngoài), beside the school\'s',
      properties: { facts: { type: 'object', additionalProperties: true }, result: { $ref: 'ScoreResult#' }, by: { type: 'string' }, at: dateTime },
    },
    deadline: { ...dateTime, description: 'the submission deadline for this school, extensions included' },
    actions: { type: 'array', items: { type: 'string' }, description: 'workflow actions this key may take now' },
    documents: { type: 'array', items: { $ref: 'Document#' } },
    createdAt: dateTime,
  },
  required: ['id', 'school', 'state', 'version', 'facts', 'result', 'external', 'actions'],
} as const

export const keySchema = {
  $id: 'ApiKey',
  type: 'object',
  properties: {
    id: { type: 'string' }, role: { type: 'string', enum: ['admin', 'reviewer', 'school'] }, label: { type: 'string' },
    unitCode: { type: ['string', 'null'] }, schoolCode: { type: ['string', 'null'] }, createdAt: dateTime, revokedAt: nullableDateTime,
  },
  required: ['id', 'role', 'label'],
} as const

export const auditEntrySchema = {
  $id: 'AuditEntry',
  type: 'object',
  properties: { at: dateTime, actor: { type: 'string' }, action: { type: 'string' }, before: {}, after: {} },
  required: ['at', 'actor', 'action'],
} as const

export const SHARED_SCHEMAS = [errorSchema, unitSchema, schoolSchema, periodSchema, assessmentSummarySchema, documentSchema, assessmentSchema, keySchema, auditEntrySchema]
