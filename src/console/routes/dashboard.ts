// GET /dashboard?unit=&period=: the officer's overview of a unit for a period (the unit summary of
// services.reports, who has not submitted yet, drill-down to child units and to assessments).
import type { FastifyInstance } from 'fastify'
import type { Assessment, School, Unit } from '../../repositories/types.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { formatSchoolYear } from '../../services/school-year.js'
import type { UnitSummary } from '../../services/summary-compute.js'
import { errorText } from '../messages.js'
import { noticeOf, sendPage } from '../reply.js'
import { session, sessionView } from '../session.js'
import type { SessionView } from '../views/layout.js'
import { dashboardPage, type DashboardModel, type PendingSchool } from '../views/dashboard.js'

type Query = Record<string, string | undefined>
/** Named on the page; the rest are counted (and listed in the review queue, by state). */
const PENDING_SHOWN = 50
const str = (v: unknown, max = 100): string => (typeof v === 'string' ? v.slice(0, max) : '')

export async function dashboardRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  app.get('/dashboard', async (request, reply) => {
    const s = session(request)
    const { actor } = s
    services.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'the dashboard')
    const q = request.query as Query
    const includeSubmitted = q.includeSubmitted === '1'
    const periods = (await services.periods.list(actor, {}, { limit: 100, offset: 0 })).items
    const periodId = str(q.period) || periods[0]?.id || null
    let unitCode = str(q.unit) || null
    let own: Unit | null = null
    if (actor.role === 'reviewer' && actor.unitId !== null) own = await services.ctx.store.units.byId(actor.unitId as number)
    if (!unitCode && own) unitCode = own.code

    // The units to choose from: a reviewer's own subtree; an admin's top-level units, plus the chosen one and its children.
    let unitOptions: Unit[] = []
    let topUnits: { code: string; name: string }[] | null = null
    if (own) unitOptions = await services.units.list({ within: own.code }, { limit: 500, offset: 0 })
    else {
      const tops = (await services.units.list({}, { limit: 1000, offset: 0 })).filter((u) => u.parentId === null)
      unitOptions = [...tops]
      if (unitCode) {
        const chosen = await services.ctx.store.units.byCode(unitCode)
        if (chosen && !unitOptions.some((u) => u.id === chosen.id)) unitOptions.push(chosen)
        if (chosen) unitOptions.push(...(await services.units.list({ parentCode: chosen.code }, { limit: 500, offset: 0 })).filter((u) => !unitOptions.some((x) => x.id === u.id)))
      } else topUnits = tops.map((u) => ({ code: u.code, name: u.name }))
    }

    const model: DashboardModel = {
      session: sessionView(s) as SessionView, notice: noticeOf(q), unitCode, periodId, includeSubmitted,
      unitOptions: unitOptions.map((u) => ({ code: u.code, name: u.name })),
      periodOptions: periods.map((p) => ({ id: p.id, label: `${p.title} (${formatSchoolYear(p.schoolYear)}, ${p.unitCode})` })),
      topUnits, problem: null, summary: null, groups: [], levels: [1, 2, 3], pending: [], pendingMore: 0,
    }
    if (!periodId) model.problem = 'Chưa có đợt đánh giá nào: chưa có dữ liệu.'
    if (!unitCode || !periodId) return sendPage(reply, dashboardPage(model))

    let summary: UnitSummary
    try {
      const answer = await services.reports.summaryEncoded(actor, unitCode, { periodId, includeSubmitted })
      summary = JSON.parse(answer.body.identity.toString('utf8')) as UnitSummary
    } catch (e) {
      // A period that does not apply to the unit (or opened below it): say so on the page.
      if (e instanceof AppError && (e.statusCode === 400 || e.statusCode === 409)) {
        model.problem = errorText(e) + (e.code === 'PERIOD_NOT_FOR_UNIT' ? ' Đợt đánh giá này không áp dụng cho đơn vị đã chọn; hãy chọn đợt khác hoặc đơn vị khác.' : '')
        return sendPage(reply, dashboardPage(model), 400)
      }
      throw e
    }
    const period = await services.periods.get(actor, periodId, '/period')
    const set = services.scoring.compile(period.criteriaSets.find((x) => x.split('@')[0] === summary.criteriaSet.id) ?? (period.criteriaSets[0] as string))
    const levels = [...new Set(set.def.groups.flatMap((g) => g.levelBands?.bands.map((b) => b.level) ?? []))].sort((a, b) => a - b)
    Object.assign(model, {
      summary, groups: set.def.groups.map((g) => ({ code: g.code, title: g.title })), levels: levels.length ? levels : [1, 2, 3],
    })

    // Who has not submitted: no assessment (the summary names them), or one still being written or
    // returned. The summary counts them all; at most PENDING_SHOWN are read and named, so the page
    // costs the same for a district and for the nation.
    const open: Assessment[] = []
    for (const state of ['returned', 'draft'] as const) {
      if (open.length >= PENDING_SHOWN) break
      open.push(...(await services.assessments.list(actor, { periodId, state, unitCode }, { limit: PENDING_SHOWN - open.length, offset: 0 }))
        .filter((a) => a.criteriaSetId === summary.criteriaSet.id))
    }
    const byState = summary.schools.byState as Record<string, number>
    const pendingTotal = summary.schools.notAssessed.length + (byState.draft ?? 0) + (byState.returned ?? 0)
    // A deadline differs from the period's only by an extension: schools are read only then.
    const extended = period.extensions.length > 0
    const deadlineOf = async (school: School | null): Promise<Date> => (extended && school ? services.periods.deadlineFor(period, school) : period.submissionDeadline)
    const unitOf = (school: School | null) => school?.memberships.find((m) => m.fromYear <= period.schoolYear && (m.toYear === null || m.toYear >= period.schoolYear))?.unitCode ?? ''
    const pending: PendingSchool[] = []
    for (const x of summary.schools.notAssessed.slice(0, PENDING_SHOWN)) {
      pending.push({ moetCode: x.moetCode, name: x.name, unitCode: x.unitCode, state: null, assessmentId: null, deadline: await deadlineOf(extended ? await services.ctx.store.schools.byCode(x.moetCode) : null) })
    }
    for (const a of open) {
      if (pending.length >= PENDING_SHOWN) break
      const school = await services.ctx.store.schools.byId(a.schoolId)
      pending.push({ moetCode: a.schoolCode, name: a.schoolName, unitCode: unitOf(school), state: a.state, assessmentId: a.id, deadline: await deadlineOf(school) })
    }
    pending.sort((a, b) => (a.deadline?.getTime() ?? 0) - (b.deadline?.getTime() ?? 0) || a.moetCode.localeCompare(b.moetCode))
    model.pending = pending
    model.pendingMore = Math.max(0, pendingTotal - pending.length)
    return sendPage(reply, dashboardPage(model))
  })
}
