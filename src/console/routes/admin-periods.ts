// /periods: the visible periods, opening one, one period's deadlines and extensions; /exports: the
// unit report of a period as a CSV or XLSX download (the same files as the API's).
import type { FastifyInstance, FastifyReply } from 'fastify'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { noticeOf, redirect, sendPage } from '../reply.js'
import { session, sessionView } from '../session.js'
import type { FieldError, SessionView } from '../views/layout.js'
import { dayOf, periodPage, periodsListPage, type ExtendForm, type PeriodForm, type SetChoice } from '../views/admin-periods.js'
import { endOfDayVn, formErrors, list, pageOf, str, type Body } from './admin-common.js'
import type { Period } from '../../repositories/types.js'

/** An ASCII file name for old clients and the UTF-8 one for the rest (RFC 6266), as the API sends. */
function attachment(reply: FastifyReply, name: string, type: string): FastifyReply {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^A-Za-z0-9._-]+/g, '-')
  return reply.type(type).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
}

export async function adminPeriodRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  const view = (request: Parameters<typeof session>[0]) => sessionView(session(request)) as SessionView
  const sets = (): SetChoice[] => services.scoring.catalog.list().filter((e) => e.def.status === 'published')
    .map((e) => ({ spec: `${e.def.id}@${e.def.version}`, label: `${e.def.title} (${e.def.id}, phiên bản ${e.def.version})` }))
  const emptyForm: PeriodForm = { unitCode: '', schoolYear: '', title: '', criteriaSets: [], submissionDeadline: '', reviewDeadline: '' }

  const listPage = async (request: Parameters<typeof session>[0], reply: FastifyReply, form: PeriodForm, errors: FieldError[], status: number) => {
    const s = session(request)
    const { page, window } = pageOf(request)
    const got = await services.periods.list(s.actor, {}, window)
    return sendPage(reply, periodsListPage({ session: view(request), notice: errors.length ? null : noticeOf(request.query), periods: got.items, page, hasNext: window.offset + got.items.length < got.total, sets: sets(), form, errors }), status)
  }

  app.get('/periods', async (request, reply) => listPage(request, reply, emptyForm, [], 200))

  app.post('/periods', async (request, reply) => {
    const s = session(request)
    const b = request.body as Body
    const form: PeriodForm = { unitCode: str(b.unitCode, 64), schoolYear: str(b.schoolYear, 20), title: str(b.title, 300), criteriaSets: list(b.criteriaSets), submissionDeadline: str(b.submissionDeadline, 20), reviewDeadline: str(b.reviewDeadline, 20) }
    const errors: FieldError[] = []
    if (form.unitCode === '') errors.push({ field: 'unitCode', text: 'Nhập mã đơn vị mở đợt.' })
    if (!/^\d{4}-\d{4}$/.test(form.schoolYear)) errors.push({ field: 'schoolYear', text: 'Nhập năm học dạng 2025-2026.' })
    if (form.title === '') errors.push({ field: 'title', text: 'Đặt tên cho đợt đánh giá.' })
    if (form.criteriaSets.length === 0) errors.push({ field: 'criteriaSets', text: 'Chọn ít nhất một bộ tiêu chí.' })
    const sub = endOfDayVn(form.submissionDeadline)
    if (!sub) errors.push({ field: 'submissionDeadline', text: 'Chọn hạn nộp.' })
    const rev = form.reviewDeadline === '' ? null : endOfDayVn(form.reviewDeadline)
    if (form.reviewDeadline !== '' && !rev) errors.push({ field: 'reviewDeadline', text: 'Ngày không hợp lệ.' })
    if (errors.length === 0) {
      try {
        const p = await services.periods.create(s.actor, { ...form, submissionDeadline: sub as string, reviewDeadline: rev })
        return redirect(reply, `/periods/${encodeURIComponent(p.id)}?notice=created`)
      } catch (e) {
        errors.push(...formErrors(e, { unitCode: 'unitCode', schoolYear: 'schoolYear', title: 'title', criteriaSets: 'criteriaSets', submissionDeadline: 'submissionDeadline', reviewDeadline: 'reviewDeadline' }, 'title'))
      }
    }
    return listPage(request, reply, form, errors, 400)
  })

  const exportUnitOf = async (request: Parameters<typeof session>[0], p: Period): Promise<string> => {
    const u = session(request).user.unitId
    return u === null ? p.unitCode : (await services.ctx.store.units.byId(u))?.code ?? p.unitCode
  }
  const detail = async (request: Parameters<typeof session>[0], reply: FastifyReply, p: Period, o: { errors?: FieldError[]; deadlines?: { submissionDeadline: string; reviewDeadline: string }; extend?: ExtendForm } = {}) => {
    const errors = o.errors ?? []
    return sendPage(reply, periodPage({
      session: view(request), notice: errors.length ? null : noticeOf(request.query), period: p, errors,
      deadlines: o.deadlines ?? { submissionDeadline: dayOf(p.submissionDeadline), reviewDeadline: dayOf(p.reviewDeadline) },
      extend: o.extend ?? { unitCode: '', schoolCode: '', until: '', reason: '' }, exportUnit: await exportUnitOf(request, p),
    }), errors.length ? 400 : 200)
  }

  app.get('/periods/:id', async (request, reply) => {
    const p = await services.periods.get(session(request).actor, (request.params as { id: string }).id)
    return detail(request, reply, p)
  })

  app.post('/periods/:id/deadlines', async (request, reply) => {
    const s = session(request)
    const p = await services.periods.get(s.actor, (request.params as { id: string }).id)
    const b = request.body as Body
    const deadlines = { submissionDeadline: str(b.submissionDeadline, 20), reviewDeadline: str(b.reviewDeadline, 20) }
    const errors: FieldError[] = []
    const sub = endOfDayVn(deadlines.submissionDeadline)
    if (!sub) errors.push({ field: 'submissionDeadline', text: 'Chọn hạn nộp.' })
    const rev = deadlines.reviewDeadline === '' ? null : endOfDayVn(deadlines.reviewDeadline)
    if (deadlines.reviewDeadline !== '' && !rev) errors.push({ field: 'reviewDeadline', text: 'Ngày không hợp lệ.' })
    if (errors.length === 0) {
      try {
        await services.periods.update(s.actor, p.id, { submissionDeadline: sub as string, reviewDeadline: rev })
        return redirect(reply, `/periods/${encodeURIComponent(p.id)}?notice=updated`)
      } catch (e) {
        if (e instanceof AppError && e.statusCode === 403) errors.push({ field: 'submissionDeadline', text: 'Chỉ đơn vị mở đợt (hoặc đơn vị cấp trên) mới đổi được hạn chót.' })
        else errors.push(...formErrors(e, { submissionDeadline: 'submissionDeadline', reviewDeadline: 'reviewDeadline' }, 'submissionDeadline'))
      }
    }
    return detail(request, reply, p, { errors, deadlines })
  })

  app.post('/periods/:id/extensions', async (request, reply) => {
    const s = session(request)
    const p = await services.periods.get(s.actor, (request.params as { id: string }).id)
    const b = request.body as Body
    const extend: ExtendForm = { unitCode: str(b.unitCode, 64), schoolCode: str(b.schoolCode, 64), until: str(b.until, 20), reason: str(b.reason, 1000) }
    const errors: FieldError[] = []
    if ((extend.unitCode === '') === (extend.schoolCode === '')) errors.push({ field: 'extUnitCode', text: 'Nhập mã đơn vị hoặc mã trường (chỉ một trong hai).' })
    const until = endOfDayVn(extend.until)
    if (!until) errors.push({ field: 'until', text: 'Chọn ngày gia hạn đến.' })
    if (extend.reason === '') errors.push({ field: 'reason', text: 'Ghi lý do gia hạn.' })
    if (errors.length === 0) {
      try {
        await services.periods.extend(s.actor, p.id, { ...(extend.unitCode ? { unitCode: extend.unitCode } : { schoolCode: extend.schoolCode }), until: until as string, reason: extend.reason })
        return redirect(reply, `/periods/${encodeURIComponent(p.id)}?notice=updated`)
      } catch (e) {
        errors.push(...formErrors(e, { unitCode: 'extUnitCode', schoolCode: 'extSchoolCode', until: 'until', reason: 'reason' }, 'extUnitCode'))
      }
    }
    return detail(request, reply, p, { errors, extend })
  })

  app.get('/exports', async (request, reply) => {
    const s = session(request)
    const q = request.query as Body
    const format = str(q.format, 10) === 'xlsx' ? 'xlsx' : 'csv'
    const unit = str(q.unit, 64)
    const periodId = str(q.period, 64)
    if (unit === '' || periodId === '') throw new AppError(400, 'REQUIRED', 'unit and period are required')
    const file = await services.reports.export(s.actor, unit, { periodId }, format)
    return attachment(reply, file.fileName ?? `bao-cao.${format}`, file.contentType).send(file.body)
  })
}
