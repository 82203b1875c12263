// GET /dashboard?unit=&period=: the officer's overview of a unit for a period (the unit summary of
// services.reports, who has not submitted yet, drill-down to child units and to assessments).
import type { FastifyInstance } from 'fastify'
import type { Assessment, Page, School, Unit } from '../../repositories/types.js'
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
const PENDING_SHOWN = 200
const str = (v: unknown, max = 100): string => (typeof v === 'string' ? v.slice(0, max) : '')

/** Every item of a paged list, up to `cap`. */
export async function collect<T>(fetch: (page: Page) => Promise<T[]>, cap: number, size = 500): Promise<T[]> {
  const out: T[] = []
  for (let offset = 0; out.length < cap; offset += size) {
    const items = await fetch({ limit: Math.min(size, cap - out.length), offset })
    out.push(...items)
    if (items.length < size) break
  }
  return out
}

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

    // Who has not submitted: no assessment (the summary names them), or one still being written or returned.
    const year = formatSchoolYear(period.schoolYear)
    const schools = await collect((page) => services.schools.list(actor, { unitCode, year }, page), 20_000)
    const byId = new Map(schools.map((x) => [x.id, x]))
    const byCode = new Map(schools.map((x) => [x.moetCode, x]))
    const open: Assessment[] = []
    for (const state of ['draft', 'returned'] as const) {
      open.push(...(await collect((page) => services.assessments.list(actor, { periodId, state }, page), 20_000, 200))
        .filter((a) => byId.has(a.schoolId) && a.criteriaSetId === summary.criteriaSet.id))
    }
    const unitOf = (school: School | undefined) => school?.memberships.find((m) => m.fromYear <= period.schoolYear && (m.toYear === null || m.toYear >= period.schoolYear))?.unitCode ?? ''
    const pending: PendingSchool[] = [
      ...summary.schools.notAssessed.map((x) => ({ moetCode: x.moetCode, name: x.name, unitCode: x.unitCode, state: null, assessmentId: null, school: byCode.get(x.moetCode) })),
      ...open.map((a) => { const school = byId.get(a.schoolId); return { moetCode: a.schoolCode, name: a.schoolName, unitCode: unitOf(school), state: a.state, assessmentId: a.id, school } }),
    ].map((p) => ({ ...p, deadline: null as Date | null }))
    for (const p of pending as (PendingSchool & { school?: School })[]) {
      p.deadline = p.school ? await services.periods.deadlineFor(period, p.school) : period.submissionDeadline
      delete p.school
    }
    pending.sort((a, b) => (a.deadline?.getTime() ?? 0) - (b.deadline?.getTime() ?? 0) || a.moetCode.localeCompare(b.moetCode))
    model.pending = pending.slice(0, PENDING_SHOWN)
    model.pendingMore = Math.max(0, pending.length - PENDING_SHOWN)
    return sendPage(reply, dashboardPage(model))
  })
}
