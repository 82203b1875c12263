// The review workflow pages: the queue (/review, bulk approve/publish), one assessment
// (/review/:id: return, approve with a confirmation, revoke, publish), the external assessment
// (/review/:id/external) and the audit trail. The services decide every step.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Assessment, AssessmentState, Period, School } from '../../repositories/types.js'
import { STATES } from '../../repositories/types.js'
import type { ScoreResult } from '../../scoring/types.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { formatSchoolYear } from '../../services/school-year.js'
import { actionsFrom, EXTERNAL_ALLOWED, type Action } from '../../services/workflow.js'
import { parseEvidenceForm } from '../forms/evidence-form.js'
import { errorText } from '../messages.js'
import { noticeOf, redirect, sendPage } from '../reply.js'
import { session, sessionView, type ConsoleSession } from '../session.js'
import { factsByCriterion } from '../views/evidence-fields.js'
import type { FieldError, SessionView } from '../views/layout.js'
import { approveConfirmPage, externalFormPage, reviewPage } from '../views/review-assessment.js'
import { bulkResultPage, queuePage, type BulkOutcome, type QueueRow } from '../views/review-queue.js'

type Body = Record<string, string | string[] | undefined>
const PAGE_SIZE = 25
const AUDIT_PAGE = 20
const one = (v: unknown, max = 2000): string => (typeof v === 'string' ? v.slice(0, max) : Array.isArray(v) && typeof v[0] === 'string' ? v[0].slice(0, max) : '')
const NOTICE_OF: Record<string, string> = { return: 'returned', approve: 'approved', revoke: 'revoked', publish: 'published' }

export async function reviewRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  const view = (s: ConsoleSession) => sessionView(s) as SessionView
  const reviewerOnly = (s: ConsoleSession) => services.ctx.access.requireRole(s.actor, ['admin', 'reviewer'], 'reviewing assessments')

  /** Deadlines per school of a period, looked up once per request. */
  const deadlines = () => {
    const periods = new Map<string, Period | null>()
    const schools = new Map<number, School | null>()
    return async (a: Assessment): Promise<Date | null> => {
      if (!periods.has(a.periodId)) periods.set(a.periodId, await services.ctx.store.periods.byId(a.periodId))
      if (!schools.has(a.schoolId)) schools.set(a.schoolId, await services.ctx.store.schools.byId(a.schoolId))
      const p = periods.get(a.periodId); const sc = schools.get(a.schoolId)
      return p && sc ? services.periods.deadlineFor(p, sc) : null
    }
  }

  async function queue(request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = []) {
    const s = session(request)
    reviewerOnly(s)
    const q = request.query as Record<string, string | undefined>
    const periodId = one(q.period, 100)
    const state = (STATES as readonly string[]).includes(one(q.state)) ? one(q.state) as AssessmentState : ''
    const page = Math.max(1, Math.min(10_000, Number.parseInt(one(q.page, 6), 10) || 1))
    const periods = (await services.periods.list(s.actor, {}, { limit: 100, offset: 0 })).items
    // One page from the store, in the queue's order (submitted first, then by the deadline): the
    // cost of the page does not grow with the province.
    const got = await services.assessments.list(s.actor, { ...(periodId ? { periodId } : {}), ...(state ? { state } : {}), order: 'review' }, { limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE })
    const deadlineOf = deadlines()
    const rows: QueueRow[] = await Promise.all(got.slice(0, PAGE_SIZE).map(async (a) => ({
      a, deadline: await deadlineOf(a), levels: ((a.external?.result ?? a.result) as ScoreResult).groups.map((g) => ({ code: g.code, level: g.level })),
    })))
    return sendPage(reply, queuePage({
      session: view(s), notice: noticeOf(q), errors, periodId, state,
      periodOptions: periods.map((p) => ({ id: p.id, label: `${p.title} (${formatSchoolYear(p.schoolYear)}, ${p.unitCode})` })),
      rows, page, hasNext: got.length > PAGE_SIZE,
    }), errors.length ? 400 : 200)
  }

  app.get('/review', async (request, reply) => queue(request, reply))

  app.post('/review/bulk', async (request, reply) => {
    const s = session(request)
    reviewerOnly(s)
    const b = request.body as Body
    const action = one(b.action) === 'publish' ? 'publish' : one(b.action) === 'approve' ? 'approve' : null
    const ids = [...new Set((Array.isArray(b.ids) ? b.ids : typeof b.ids === 'string' ? [b.ids] : []).filter((x): x is string => typeof x === 'string').map((x) => x.slice(0, 100)))].slice(0, 500)
    if (!action || ids.length === 0) return queue(request, reply, [{ field: 'ids', text: action ? 'Chọn ít nhất một phiếu.' : 'Chọn thao tác: duyệt hoặc công bố.' }])
    const outcomes: BulkOutcome[] = []
    for (const id of ids) {
      let school = '—'
      try {
        school = (await services.assessments.get(s.actor, id)).schoolName
        const version = Number.parseInt(one(b[`version-${id}`], 12), 10)
        await services.assessments.transition(s.actor, id, Number.isFinite(version) ? version : -1, action)
        outcomes.push({ id, school, ok: true, text: action === 'approve' ? 'Đã duyệt' : 'Đã công bố' })
      } catch (e) {
        if (!(e instanceof AppError) || e.statusCode >= 500) throw e
        outcomes.push({ id, school, ok: false, text: errorText(e) })
      }
    }
    return sendPage(reply, bulkResultPage({ session: view(s), action, outcomes }))
  })

  async function detail(request: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldError[]; reasons?: ReviewReasons; status?: number } = {}) {
    const s = session(request)
    reviewerOnly(s)
    const a = await services.assessments.get(s.actor, id)
    const period = await services.periods.get(s.actor, a.periodId, '/period')
    const school = await services.ctx.store.schools.byId(a.schoolId) as School
    const q = request.query as Record<string, string | undefined>
    const auditPage = Math.max(1, Math.min(100_000, Number.parseInt(one(q.audit, 6), 10) || 1))
    const audit = await services.assessments.audit(s.actor, id, { limit: AUDIT_PAGE, offset: (auditPage - 1) * AUDIT_PAGE })
    return sendPage(reply, reviewPage({
      set: services.scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`),
      session: view(s), notice: extra.errors?.length ? null : noticeOf(q), errors: extra.errors ?? [], a,
      periodTitle: period.title, schoolYear: formatSchoolYear(period.schoolYear).replace('-', '–'), deadline: await services.periods.deadlineFor(period, school),
      actions: actionsFrom(a.state, s.actor.role), externalAllowed: EXTERNAL_ALLOWED.includes(a.state) && s.actor.role !== 'school',
      reasons: extra.reasons ?? {}, audit: { ...audit, page: auditPage, pageSize: AUDIT_PAGE },
    }), extra.status ?? 200)
  }
  type ReviewReasons = Partial<Record<'return' | 'revoke', string>>

  app.get('/review/:id', async (request, reply) => detail(request, reply, (request.params as { id: string }).id))

  app.get('/review/:id/approve', async (request, reply) => {
    const s = session(request)
    reviewerOnly(s)
    const a = await services.assessments.get(s.actor, (request.params as { id: string }).id)
    return sendPage(reply, approveConfirmPage({ session: view(s), a, errors: [] }))
  })

  for (const action of ['return', 'approve', 'revoke', 'publish'] as Action[]) {
    app.post(`/review/:id/${action}`, async (request, reply) => {
      const s = session(request)
      reviewerOnly(s)
      const id = (request.params as { id: string }).id
      const b = request.body as Body
      const version = Number.parseInt(one(b.version, 12), 10)
      const reason = one(b.reason, 2000)
      const needsReason = action === 'return' || action === 'revoke'
      try {
        // An empty reason is refused here too, so the page can say so in Vietnamese (the service decides as well).
        if (needsReason && reason.trim() === '') throw new AppError(400, 'REASON_REQUIRED', 'a reason is required', '/reason')
        await services.assessments.transition(s.actor, id, Number.isFinite(version) ? version : -1, action, needsReason ? reason : undefined)
        return redirect(reply, `/review/${id}?notice=${NOTICE_OF[action]}`)
      } catch (e) {
        if (!(e instanceof AppError) || e.statusCode >= 500 || e.statusCode === 404 || e.statusCode === 403 || e.statusCode === 401) throw e
        const field = e.code === 'REASON_REQUIRED' ? `reason-${action}` : 'actions'
        const reasons: ReviewReasons = action === 'return' || action === 'revoke' ? { [action]: reason } : {}
        // (errorText keeps a service message that happens to hold a Vietnamese word: use the code's text.)
        const text = e.code === 'REASON_REQUIRED' ? errorText(new AppError(400, e.code, 'reason required')) : errorText(e)
        return detail(request, reply, id, { errors: [{ field, text }], reasons, status: e.statusCode })
      }
    })
  }

  async function externalForm(request: FastifyRequest, reply: FastifyReply, id: string, posted?: { facts: Record<string, unknown>; errors: FieldError[]; status: number }) {
    const s = session(request)
    reviewerOnly(s)
    const a = await services.assessments.get(s.actor, id)
    const set = services.scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`)
    const fromSelf = one((request.query as Record<string, string | undefined>).from) === 'self' || !a.external
    const facts = posted?.facts ?? (fromSelf ? a.facts : (a.external as { facts: Record<string, unknown> }).facts)
    return sendPage(reply, externalFormPage({
      session: view(s), a, set, facts, errors: posted?.errors ?? [], byCriterion: factsByCriterion(set), source: posted || !fromSelf ? 'external' : 'self',
    }), posted?.status ?? 200)
  }

  app.get('/review/:id/external', async (request, reply) => externalForm(request, reply, (request.params as { id: string }).id))

  app.post('/review/:id/external', async (request, reply) => {
    const s = session(request)
    reviewerOnly(s)
    const id = (request.params as { id: string }).id
    const b = request.body as Body
    const a = await services.assessments.get(s.actor, id)
    const set = services.scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`)
    const { facts, errors } = parseEvidenceForm(set, b as Record<string, unknown>)
    // The form's values (blank fields included) as the page would show them again.
    const shown = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== null))
    if (errors.length) return externalForm(request, reply, id, { facts: shown, errors, status: 400 })
    const version = Number.parseInt(one(b.version, 12), 10)
    try {
      // The form holds every fact: it is the whole external assessment, not changes on the school's.
      await services.assessments.recordExternal(s.actor, id, Number.isFinite(version) ? version : -1, { facts, startFrom: 'empty' })
      return redirect(reply, `/review/${id}?notice=external-saved`)
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode >= 500 || e.statusCode === 404 || e.statusCode === 403 || e.statusCode === 401) throw e
      const path = e.path?.match(/^\/facts\/([^/]+)/)?.[1]
      return externalForm(request, reply, id, { facts: shown, errors: [{ field: path ? `fact-${path}` : 'main', text: errorText(e) }], status: e.statusCode })
    }
  })
}
