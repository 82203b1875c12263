// /schools: list and search, the CSV import (dry run, per-row report), one school and its move.
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { decodeSchoolsCsv, parseSchoolsCsv, type CsvRowError } from '../../services/school-csv.js'
import { errorText } from '../messages.js'
import { noticeOf, redirect, sendPage } from '../reply.js'
import { session, sessionView } from '../session.js'
import type { FieldError, SessionView } from '../views/layout.js'
import type { School } from '../../repositories/types.js'
import { rowProblemText, schoolPage, schoolsImportPage, schoolsListPage, type ImportReport } from '../views/admin-schools.js'
import { formErrors, pageOf, readMultipart, str, type Body } from './admin-common.js'

const MAX_CSV_BYTES = 8 * 1024 * 1024

export async function adminSchoolRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  const view = (request: Parameters<typeof session>[0]) => sessionView(session(request)) as SessionView

  app.get('/schools', async (request, reply) => {
    const s = session(request)
    const query = request.query as Body
    const q = str(query.q, 200)
    const unit = str(query.unit, 64)
    const year = str(query.year, 20)
    const { page, window } = pageOf(request)
    let rows: School[] = []
    const errors: FieldError[] = []
    try {
      rows = await services.schools.list(s.actor, { q: q || undefined, unitCode: unit || undefined, year: year || undefined }, { limit: window.limit + 1, offset: window.offset })
    } catch (e) {
      errors.push(...formErrors(e, { unit: 'unit', year: 'year' }, 'q'))
    }
    return sendPage(reply, schoolsListPage({ session: view(request), notice: noticeOf(request.query), q, unit, year, schools: rows.slice(0, window.limit), page, hasNext: rows.length > window.limit, errors }), errors.length ? 400 : 200)
  })

  app.get('/schools/import', async (request, reply) => {
    session(request)
    return sendPage(reply, schoolsImportPage({ session: view(request), csv: '', errors: [], report: null }))
  })

  app.post('/schools/import', async (request, reply) => {
    const s = session(request)
    let csv = ''
    let dryRun = true
    const again = (status: number, errors: { field: string; text: string }[], report: ImportReport | null) =>
      sendPage(reply, schoolsImportPage({ session: view(request), csv: csv.length <= 200_000 ? csv : '', errors, report }), status)
    try {
      const { fields, file } = await readMultipart(request, MAX_CSV_BYTES)
      dryRun = (fields.action ?? [])[0] !== 'import'
      csv = file ? decodeSchoolsCsv(file) : (fields.csv ?? [])[0] ?? ''
    } catch (e) {
      if (e instanceof AppError && e.statusCode < 500) return again(400, [{ field: 'file', text: errorText(e) }], null)
      throw e
    }
    if (csv.trim() === '') return again(400, [{ field: 'csv', text: 'Dán nội dung tệp CSV hoặc chọn một tệp.' }], null)
    try {
      const out = await services.schools.importCsv(s.actor, csv, dryRun)
      if (!dryRun) return redirect(reply, '/schools?notice=imported')
      return again(200, [], { dryRun, valid: out.valid })
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'IMPORT_REJECTED') {
        if (e instanceof AppError && e.statusCode < 500 && e.statusCode !== 403) return again(400, [{ field: 'csv', text: errorText(e) }], null)
        throw e
      }
      const codes = new Map(parseSchoolsCsv(csv).rows.map((r) => [r.line, r.moetCode]))
      const rows = ((e.details?.errors ?? []) as CsvRowError[]).map((x) => ({ line: x.line, code: codes.get(x.line) ?? '', problem: rowProblemText(x) }))
      return again(400, [{ field: 'csv', text: errorText(e) }], { dryRun, rows })
    }
  })

  app.get('/schools/:code', async (request, reply) => {
    const s = session(request)
    const school = await services.schools.get(s.actor, (request.params as { code: string }).code)
    return sendPage(reply, schoolPage({ session: view(request), notice: noticeOf(request.query), school, errors: [], unitCode: '', fromYear: '' }))
  })

  app.post('/schools/:code/move', async (request, reply) => {
    const s = session(request)
    const code = (request.params as { code: string }).code
    const school = await services.schools.get(s.actor, code)
    const b = request.body as Body
    const unitCode = str(b.unitCode, 64)
    const fromYear = str(b.fromYear, 20)
    const errors = []
    if (unitCode === '') errors.push({ field: 'unitCode', text: 'Nhập mã đơn vị mới.' })
    if (!/^\d{4}-\d{4}$/.test(fromYear)) errors.push({ field: 'fromYear', text: 'Nhập năm học dạng 2025-2026.' })
    if (errors.length === 0) {
      try {
        await services.schools.move(s.actor, school.moetCode, { unitCode, fromYear })
        return redirect(reply, `/schools/${encodeURIComponent(school.moetCode)}?notice=updated`)
      } catch (e) {
        if (e instanceof AppError && e.statusCode === 403) errors.push({ field: 'unitCode', text: errorText(e) })
        else errors.push(...formErrors(e, { unitCode: 'unitCode', fromYear: 'fromYear' }, 'unitCode'))
      }
    }
    return sendPage(reply, schoolPage({ session: view(request), notice: null, school, errors, unitCode, fromYear }), 400)
  })
}
