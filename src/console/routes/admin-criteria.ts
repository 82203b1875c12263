// /criteria: the catalog and the office's own sets, browsing one set, importing a district model
// from its CSV table (the verifier's report), publishing and withdrawing it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CsvProblem } from '../../authoring/criteria-csv.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import type { CriteriaSetDef } from '../../scoring/types.js'
import { errorText } from '../messages.js'
import { noticeOf, redirect, sendPage } from '../reply.js'
import { session, sessionView } from '../session.js'
import type { FieldError, SessionView } from '../views/layout.js'
import { criteriaImportPage, criteriaListPage, criteriaSetPage, type CriteriaImportForm } from '../views/admin-criteria.js'
import { readMultipart, str, type Body } from './admin-common.js'

const MAX_CSV_BYTES = 4 * 1024 * 1024

export async function adminCriteriaRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  const view = (request: FastifyRequest) => sessionView(session(request)) as SessionView
  const catalog = services.scoring.catalog

  app.get('/criteria', async (request, reply) => {
    const s = session(request)
    const rows = catalog.list().map((e) => ({ id: e.def.id, version: e.def.version, title: e.def.title, issuer: e.def.document.issuer, number: e.def.document.number, status: e.def.status }))
    const authored = s.user.role === 'school' ? [] : await services.authoring.list(s.actor)
    return sendPage(reply, criteriaListPage({ session: view(request), notice: noticeOf(request.query), catalog: rows, authored }))
  })

  const ownUnitCode = async (request: FastifyRequest): Promise<string> => {
    const u = session(request).user.unitId
    return u === null ? '' : (await services.ctx.store.units.byId(u))?.code ?? ''
  }
  const emptyForm = async (request: FastifyRequest): Promise<CriteriaImportForm> => ({ unitCode: await ownUnitCode(request), id: '', version: '', title: '', issuer: '', number: '', date: '', appliesTo: [], csv: '' })

  app.get('/criteria/import', async (request, reply) => {
    session(request)
    return sendPage(reply, criteriaImportPage({ session: view(request), form: await emptyForm(request), errors: [], problems: null, result: null }))
  })

  app.post('/criteria/import', async (request, reply) => {
    const s = session(request)
    const form = await emptyForm(request)
    const again = (status: number, errors: FieldError[], problems: CsvProblem[] | null = null) =>
      sendPage(reply, criteriaImportPage({ session: view(request), form: { ...form, csv: form.csv.length <= 200_000 ? form.csv : '' }, errors, problems, result: null }), status)
    try {
      const { fields, file } = await readMultipart(request, MAX_CSV_BYTES)
      const one = (k: string, max = 300) => str((fields[k] ?? [])[0], max)
      Object.assign(form, { unitCode: one('unitCode', 64), id: one('id', 100), version: one('version', 64), title: one('title'), issuer: one('issuer'), number: one('number'), date: one('date', 20), appliesTo: fields.appliesTo ?? [] })
      form.csv = file ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file) : (fields.csv ?? [])[0] ?? ''
    } catch (e) {
      if (e instanceof TypeError) return again(400, [{ field: 'file', text: 'Tệp không ở dạng mã UTF-8. Trong Excel, hãy lưu thành “CSV UTF-8” rồi tải lên lại.' }])
      if (e instanceof AppError && e.statusCode < 500) return again(400, [{ field: 'file', text: errorText(e) }])
      throw e
    }
    const errors: FieldError[] = []
    const need: [keyof CriteriaImportForm, string][] = [['unitCode', 'Nhập mã đơn vị soạn.'], ['id', 'Nhập mã bộ tiêu chí.'], ['version', 'Nhập phiên bản.'], ['title', 'Nhập tên bộ tiêu chí.'], ['issuer', 'Nhập cơ quan ban hành.'], ['number', 'Nhập số văn bản.']]
    for (const [k, text] of need) if (form[k] === '') errors.push({ field: k, text })
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) errors.push({ field: 'date', text: 'Chọn ngày ban hành.' })
    if (form.appliesTo.length === 0) errors.push({ field: 'appliesTo', text: 'Chọn ít nhất một cấp học.' })
    if (form.csv.trim() === '') errors.push({ field: 'csv', text: 'Dán bảng CSV hoặc chọn một tệp.' })
    if (errors.length > 0) return again(400, errors)
    try {
      const result = await services.authoring.importCsv(s.actor, {
        unitCode: form.unitCode, id: form.id, version: form.version, title: form.title, appliesTo: form.appliesTo, csv: form.csv,
        document: { issuer: form.issuer, number: form.number, date: form.date },
      })
      return sendPage(reply, criteriaImportPage({ session: view(request), form: { ...form, csv: form.csv.length <= 200_000 ? form.csv : '' }, errors: [], problems: null, result }), result.created ? 201 : 200)
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode >= 500 || e.statusCode === 403) throw e
      if (e.code === 'INVALID_CRITERIA_TABLE') return again(400, [{ field: 'csv', text: errorText(e) }], (e.details?.problems ?? []) as CsvProblem[])
      const field = ({ unitCode: 'unitCode', id: 'id', version: 'version', title: 'title', document: 'issuer', appliesTo: 'appliesTo' } as Record<string, string>)[(e.path ?? '').split('/')[1] ?? ''] ?? (e.code.startsWith('CRITERIA_SET') ? 'id' : 'csv')
      return again(400, [{ field, text: errorText(e) }])
    }
  })

  const setPage = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], reason = '') => {
    const s = session(request)
    const { id, version } = request.params as { id: string; version: string }
    let authored = null
    if (s.user.role !== 'school') {
      try { authored = await services.authoring.get(s.actor, id, version) } catch (e) { if (!(e instanceof AppError) || e.statusCode !== 404) throw e }
    }
    const def = (authored?.set.definition as CriteriaSetDef | undefined) ?? catalog.sets.get(`${id}@${version}`)?.def
    if (!def) throw new AppError(404, 'NOT_FOUND', `criteria set ${id}@${version} not found`)
    return sendPage(reply, criteriaSetPage({ session: view(request), notice: errors.length ? null : noticeOf(request.query), def, authored, errors, reason }), errors.length ? 400 : 200)
  }

  app.get('/criteria/:id/:version', async (request, reply) => setPage(request, reply))

  app.post('/criteria/:id/:version/publish', async (request, reply) => {
    const { id, version } = request.params as { id: string; version: string }
    try {
      await services.authoring.publish(session(request).actor, id, version)
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode >= 500 || e.statusCode === 404 || e.statusCode === 403) throw e
      return setPage(request, reply, [{ field: 'main', text: errorText(e) }])
    }
    return redirect(reply, `/criteria/${encodeURIComponent(id)}/${encodeURIComponent(version)}?notice=published`)
  })

  app.post('/criteria/:id/:version/withdraw', async (request, reply) => {
    const { id, version } = request.params as { id: string; version: string }
    const reason = str((request.body as Body).reason, 1000)
    if (reason === '') return setPage(request, reply, [{ field: 'reason', text: 'Ghi lý do thu hồi.' }], reason)
    try {
      await services.authoring.withdraw(session(request).actor, id, version, reason)
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode >= 500 || e.statusCode === 404 || e.statusCode === 403) throw e
      return setPage(request, reply, [{ field: 'reason', text: errorText(e) }], reason)
    }
    return redirect(reply, `/criteria/${encodeURIComponent(id)}/${encodeURIComponent(version)}?notice=updated`)
  })
}
