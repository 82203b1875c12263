import type { FastifyInstance, FastifyReply } from 'fastify'
import { assessmentSheetHtml } from '../../reports/html-sheet.js'
import { invalid } from '../../services/errors.js'
import { acceptsGzip, gzipOf } from '../encoding.js'
import type { Services } from '../../services/index.js'
import { actor } from '../plugins/auth.js'
import { codeParams, errors, idParams } from '../schemas/common.js'

const reportQuery = {
  period: { type: 'string', minLength: 1, maxLength: 64, description: 'the period (đợt đánh giá) id' },
  set: { type: 'string', minLength: 1, maxLength: 200, description: 'criteria set id of the period (default: its first)' },
  includeSubmitted: { type: 'boolean', default: false, description: 'also count submitted (not yet approved) assessments' },
} as const

interface ReportQs { period: string; set?: string; includeSubmitted: boolean; format?: 'json' | 'csv' | 'xlsx'; group?: string }

/** An ASCII file name for old clients and the UTF-8 one for the rest (RFC 6266). */
function attachment(reply: FastifyReply, name: string, type: string): FastifyReply {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^A-Za-z0-9._-]+/g, '-')
  return reply.type(type).header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
}

export async function reportRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { reports } = services
  app.get('/units/:code/summary', {
    schema: {
      tags: ['reports'],
      summary: 'Rollup of a unit\'s schools for a period: status counts, levels per group and their breakdowns, criteria attainment, self vs external, change on the previous year, plan targets',
      params: codeParams,
      querystring: { type: 'object', additionalProperties: false, required: ['period'], properties: reportQuery },
      response: { 200: { $ref: 'UnitSummary#' }, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const q = request.query as ReportQs
    const answer = await reports.summaryEncoded(actor(request), (request.params as { code: string }).code, { periodId: q.period, set: q.set, includeSubmitted: q.includeSubmitted })
    reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding').header('x-data-version', answer.asOf.dataVersion)
    // Served while a newer one is being counted: how old it is (RFC 9111 Age).
    if (answer.stale) reply.header('age', String(answer.ageS))
    if (acceptsGzip(request.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(gzipOf(answer.body))
    return reply.send(answer.body.identity)
  })

  app.get('/units/:code/report', {
    schema: {
      tags: ['reports'],
      summary: 'One row per school of the unit (every state): group totals and levels, external ones, last year\'s, missing items. JSON, CSV (UTF-8 with BOM) or XLSX; `group` gives the per-criterion CSV of one group',
      params: codeParams,
      querystring: {
        type: 'object', additionalProperties: false, required: ['period'],
        properties: { ...reportQuery, format: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' }, group: { type: 'string', minLength: 1, maxLength: 16 } },
      },
      response: { 200: { description: 'the report', type: 'object', additionalProperties: true }, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const q = request.query as ReportQs
    const code = (request.params as { code: string }).code
    if (q.group !== undefined && q.format !== 'csv') throw invalid('GROUP_NEEDS_CSV', 'group selects the per-criterion CSV of one group; use format=csv (the XLSX has a sheet per group)', '/group')
    const file = await reports.export(actor(request), code, { periodId: q.period, set: q.set, includeSubmitted: q.includeSubmitted }, q.format ?? 'json', q.group)
    if (file.fileName === null) return reply.type(file.contentType).send(file.body)
    return attachment(reply, file.fileName, file.contentType).send(file.body)
  })

  app.get('/assessments/:id/sheet', {
    schema: {
      tags: ['reports'], summary: 'Printable phiếu tự đánh giá (HTML, A4): every criterion with max, self and external points, evidence, totals, levels, signatures',
      params: idParams,
      response: { 200: { description: 'text/html', type: 'string' }, ...errors(401, 404) },
    },
  }, async (request, reply) => {
    const sheet = await reports.sheet(actor(request), (request.params as { id: string }).id)
    return reply.type('text/html; charset=utf-8').send(assessmentSheetHtml(sheet))
  })
}
