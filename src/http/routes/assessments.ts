import type {} from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { STATES, type Assessment, type DocumentRecord, type Period, type School } from '../../repositories/types.js'
import type { Services } from '../../services/index.js'
import { contentDisposition, downloadName } from '../../services/documents.js'
import { ACTIONS, TRANSITIONS, type Action } from '../../services/workflow.js'
import { AppError } from '../../services/errors.js'
import { ifMatch, setEtag } from '../etag.js'
import { actor } from '../plugins/auth.js'
import { auditPageQuery, code, errors, idParams, pageQuery, pageOf, plainText, schoolYear } from '../schemas/common.js'
import { assessmentSummaryView, assessmentView, documentView } from '../views.js'

const ifMatchHeader = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'the ETag (version) you last read, e.g. "3"' } },
} as const
/** If-Match is optional on document writes: when sent, the document is added only at that version. */
const optionalIfMatch = (request: FastifyRequest): number | undefined => (request.headers['if-match'] === undefined ? undefined : ifMatch(request))
/** A document as shown: its file name cleaned as its download is (rows stored before names were cleaned). */
const docView = (d: DocumentRecord) => documentView(d.kind === 'file' ? { ...d, fileName: downloadName(d.fileName, d.mediaType) } : d)

const facts = { type: 'object', maxProperties: 500, description: 'fact values by key; null clears a fact. Checked against the set\'s evidence schema, without type coercion.' } as const

export async function assessmentRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { assessments, documents, periods, ctx } = services

  const detail = async (request: FastifyRequest, a: Assessment) => {
    const [period, school] = await Promise.all([ctx.store.periods.byId(a.periodId), ctx.store.schools.byId(a.schoolId)])
    const deadline = await periods.deadlineFor(period as Period, school as School)
    const view = assessmentView(a, actor(request), { deadline, documents: [] })
    // At most MAX_DOCUMENTS_PER_ASSESSMENT: the list is bounded by what an assessment may hold.
    view.documents = (await ctx.store.documents.list(a.id)).map(docView)
    return view
  }

  app.post('/assessments', {
    schema: {
      tags: ['assessments'], summary: 'Start a self-assessment (school key): school × period × criteria set version',
      body: {
        type: 'object', additionalProperties: false, required: ['schoolCode', 'periodId'],
        properties: { schoolCode: code, periodId: { type: 'string', minLength: 1, maxLength: 64 }, criteriaSet: { type: 'string', minLength: 1, maxLength: 200, description: 'one of the period\'s sets (default: its first)' } },
      },
      response: { 201: { $ref: 'Assessment#' }, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const a = await assessments.create(actor(request), request.body as never)
    setEtag(reply, a.version)
    return reply.status(201).header('location', `/v1/assessments/${a.id}`).send(await detail(request, a))
  })

  app.get('/assessments', {
    schema: {
      tags: ['assessments'], summary: 'Assessments visible to this key (a school\'s own; a reviewer\'s subtree), filtered by period, state, school or year',
      querystring: { type: 'object', additionalProperties: false, properties: { period: { type: 'string', maxLength: 64 }, state: { type: 'string', enum: [...STATES] }, school: code, year: schoolYear, ...pageQuery } },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'AssessmentSummary#' } } } }, ...errors(400, 401, 404) },
    },
  }, async (request) => {
    const q = request.query as { period?: string; state?: (typeof STATES)[number]; school?: string; year?: string; limit: number; offset: number }
    const items = await assessments.list(actor(request), { periodId: q.period, state: q.state, schoolCode: q.school, year: q.year }, { limit: q.limit, offset: q.offset })
    return { items: items.map(assessmentSummaryView) }
  })

  app.get('/assessments/:id', {
    schema: {
      tags: ['assessments'], summary: 'An assessment with its evidence, result, external assessment and documents; the ETag is its version', params: idParams,
      querystring: { type: 'object', additionalProperties: false, properties: { hints: { type: 'boolean', default: false, description: 'add, per group, what it takes to reach the next level (result.groups[].nextLevel)' } } },
      response: { 200: { $ref: 'Assessment#' }, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    const a = await assessments.get(actor(request), (request.params as { id: string }).id)
    setEtag(reply, a.version)
    const view = await detail(request, a)
    if ((request.query as { hints: boolean }).hints) view.result = await assessments.resultWithHints(a)
    return view
  })

  app.patch('/assessments/:id/evidence', {
    schema: {
      tags: ['assessments'], summary: 'Save evidence (partial saves welcome): merges facts, re-scores, stores the result. Needs If-Match.',
      params: idParams, headers: ifMatchHeader,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { facts, description: { type: ['string', 'null'], maxLength: 5000 } } },
      response: { 200: { $ref: 'Assessment#' }, ...errors(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request, reply) => {
    const a = await assessments.saveEvidence(actor(request), (request.params as { id: string }).id, ifMatch(request), request.body as never)
    setEtag(reply, a.version)
    return detail(request, a)
  })

  for (const action of ACTIONS) {
    const t = TRANSITIONS[action]
    app.post(`/assessments/:id/${action}`, {
      schema: {
        tags: ['assessments'],
        summary: `${action} (${t.label}): ${t.from.join('/')} → ${t.to}; ${t.roles.join(' or ')} key${t.needsReason ? '; needs a reason' : ''}. Needs If-Match.`,
        params: idParams, headers: ifMatchHeader,
        body: {
          type: ['object', 'null'], additionalProperties: false, ...(t.needsReason ? { required: ['reason'] } : {}),
          properties: { reason: plainText(1, 2000, { multiline: true }) },
        },
        response: { 200: { $ref: 'Assessment#' }, ...errors(400, 401, 403, 404, 409, 412, 428) },
      },
    }, async (request, reply) => {
      const body = (request.body ?? {}) as { reason?: string }
      const a = await assessments.transition(actor(request), (request.params as { id: string }).id, ifMatch(request), action as Action, body.reason)
      setEtag(reply, a.version)
      return detail(request, a)
    })
  }

  app.put('/assessments/:id/external', {
    schema: {
      tags: ['assessments'], summary: 'Record the external assessment (đánh giá ngoài, reviewer key) beside the school\'s own. Needs If-Match.',
      description: 'The reviewer\'s facts override the school\'s (startFrom "self", the default) or stand alone (startFrom "empty"). Both results are kept and shown side by side.',
      params: idParams, headers: ifMatchHeader,
      body: { type: 'object', additionalProperties: false, required: ['facts'], properties: { facts, startFrom: { type: 'string', enum: ['self', 'empty'], default: 'self' } } },
      response: { 200: { $ref: 'Assessment#' }, ...errors(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (request, reply) => {
    const a = await assessments.recordExternal(actor(request), (request.params as { id: string }).id, ifMatch(request), request.body as never)
    setEtag(reply, a.version)
    return detail(request, a)
  })

  app.get('/assessments/:id/audit', {
    schema: {
      tags: ['assessments'], summary: 'Changes to the assessment, oldest first, a page at a time: who, when, what changed (before and after)',
      description: 'Each entry holds the workflow fields (state, version, complete), the description and return reason when they changed, and only the facts that changed: `before.facts` the old value of each changed or removed fact, `after.facts` the new value of each changed or added one (a fact only in `after.facts` was added, only in `before.facts` removed). A fact value over 4 KB of JSON shows as `{"$omitted", "chars", "sha256"}`. Page with `limit` (at most 100) and `offset`; `total` counts every entry, `next` is the offset of the next page (null on the last).',
      params: idParams, querystring: { type: 'object', additionalProperties: false, properties: auditPageQuery },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'AuditEntry#' } }, total: { type: 'integer' }, next: { type: ['integer', 'null'] } } }, ...errors(400, 401, 404) },
    },
  }, async (request) => {
    const page = request.query as { limit: number; offset: number }
    const { items, total } = await assessments.audit(actor(request), (request.params as { id: string }).id, page)
    return pageOf(items.map((e) => ({ at: e.at.toISOString(), actor: e.actor, action: e.action, before: e.before, after: e.after })), total, page)
  })

  app.get('/assessments/:id/documents', {
    schema: {
      tags: ['assessments'], summary: 'Evidence documents (minh chứng), oldest first, a page at a time (`total`, `next` as for every paged list)',
      params: idParams, querystring: { type: 'object', additionalProperties: false, properties: pageQuery },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Document#' } }, total: { type: 'integer' }, next: { type: ['integer', 'null'] } } }, ...errors(400, 401, 404) },
    },
  }, async (request) => {
    const page = request.query as { limit: number; offset: number }
    const { items, total } = await documents.list(actor(request), (request.params as { id: string }).id, page)
    return pageOf(items.map(docView), total, page)
  })

  app.post('/assessments/:id/documents/link', {
    schema: {
      tags: ['assessments'], summary: 'Add a link as an evidence document. If-Match optional: when sent, added only at that version (the ETag sent back is the assessment\'s version)', params: idParams, headers: ifMatchHeader,
      body: { type: 'object', additionalProperties: false, required: ['title', 'url'], properties: { title: plainText(1, 500), url: { type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2000 } } },
      response: { 201: { $ref: 'Document#' }, ...errors(400, 401, 403, 404, 409, 412) },
    },
  }, async (request, reply) => {
    const out = await documents.addLink(actor(request), (request.params as { id: string }).id, request.body as never, optionalIfMatch(request))
    setEtag(reply, out.assessmentVersion)
    return reply.status(201).send(docView(out.document))
  })

  app.post('/assessments/:id/documents/file', {
    schema: {
      tags: ['assessments'], summary: 'Upload a file as an evidence document (multipart/form-data: a "title" field, then a "file" part). If-Match optional, as for links',
      description: 'PDF, PNG, JPEG, Word, Excel or PowerPoint up to MAX_UPLOAD_MB; the content must match the declared type (a .docx/.xlsx/.pptx must be an Office ZIP with [Content_Types].xml and its word/, xl/ or ppt/ part). The assessment\'s state (and version, with If-Match) is checked again once the file has been received: an assessment submitted or published meanwhile refuses it (409, nothing kept). The file downloads as its cleaned name with the extension of its accepted type. Cite it in a document fact as {"title": …, "ref": "<document id>"}.',
      consumes: ['multipart/form-data'], params: idParams, headers: ifMatchHeader,
      response: { 201: { $ref: 'Document#' }, ...errors(400, 401, 403, 404, 406, 409, 412, 413, 415) },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw new AppError(415, 'NOT_MULTIPART', 'send the file as multipart/form-data with a "file" part', '/file')
    const expected = optionalIfMatch(request)
    const part = await request.file({ limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 5 } })
    if (!part) throw new AppError(400, 'REQUIRED', 'the form has no "file" part', '/file')
    const field = part.fields.title as { value?: unknown } | undefined
    const title = typeof field?.value === 'string' ? field.value.slice(0, 500) : ''
    const out = await documents.addFile(actor(request), (request.params as { id: string }).id, { title, fileName: part.filename || 'file', mediaType: part.mimetype, stream: part.file }, expected)
    setEtag(reply, out.assessmentVersion)
    return reply.status(201).send(docView(out.document))
  })

  app.get('/assessments/:id/documents/:docId/content', {
    schema: {
      tags: ['assessments'], summary: 'Download an uploaded document',
      params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 }, docId: { type: 'string', maxLength: 64 } }, required: ['id', 'docId'] },
      response: { 200: { description: 'the file, with its content-type and an x-content-sha256 header', type: 'string', format: 'binary' }, ...errors(401, 404, 409) },
    },
  }, async (request, reply) => {
    const { id, docId } = request.params as { id: string; docId: string }
    const { doc, stream, name } = await documents.content(actor(request), id, docId)
    return reply
      .header('content-type', doc.mediaType as string)
      .header('content-length', String(doc.size))
      .header('content-disposition', contentDisposition(name))
      .header('x-content-sha256', doc.sha256 as string)
      .send(stream)
  })
}
