// The school's pages: its periods and self-assessments, the phiếu tự đánh giá (draft saves, live
// score preview, documents), check answers and submit, the printable sheet. Every read and write is
// a service call with the signed-in person as Actor; the services decide access (404 otherwise).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Services } from '../../services/index.js'
import type { Assessment, School } from '../../repositories/types.js'
import type { ScoreResult } from '../../scoring/types.js'
import type { CompiledSet } from '../../scoring/compile-set.js'
import { AppError } from '../../services/errors.js'
import { contentDisposition } from '../../services/documents.js'
import { SHEET_CSP } from '../../http/plugins/security.js'
import { assessmentSheetHtml } from '../../reports/html-sheet.js'
import { errorText } from '../messages.js'
import { noticeOf, redirect, sendPage } from '../reply.js'
import { session, sessionView, type ConsoleSession } from '../session.js'
import { parseEvidenceForm } from '../forms/evidence-form.js'
import type { FieldError, SessionView } from '../views/layout.js'
import { schoolHomePage } from '../views/school-home.js'
import { assessmentFormPage, fieldOfPath, type AssessmentFormModel } from '../views/assessment-form.js'
import { checkAnswersPage } from '../views/check-answers.js'
import { factValueText, scorePanelBody } from '../views/score-panel.js'

const EDITABLE_STATES = ['draft', 'returned']
const PAGE = { limit: 100, offset: 0 }

type Body = Record<string, unknown>
type IdParams = { id: string }

function str(v: unknown): string {
  if (Array.isArray(v)) v = v[v.length - 1]
  return typeof v === 'string' ? v.trim() : ''
}

function versionOf(body: Body): number {
  const n = Number(str(body.version))
  if (!Number.isInteger(n) || n < 1) throw new AppError(428, 'PRECONDITION_REQUIRED', 'the form has no version')
  return n
}

export async function schoolRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  const setOf = (a: Assessment): CompiledSet => services.scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`)
  const view = (s: ConsoleSession): SessionView => sessionView(s) as SessionView

  async function deadlineOf(s: ConsoleSession, a: Assessment): Promise<Date | null> {
    try {
      const period = await services.periods.get(s.actor, a.periodId)
      const school = await services.ctx.store.schools.byId(a.schoolId) as School
      return await services.periods.deadlineFor(period, school)
    } catch { return null }
  }

  async function formPage(request: FastifyRequest, a: Assessment, extra: Partial<AssessmentFormModel> = {}) {
    const s = session(request)
    const set = setOf(a)
    const editable = EDITABLE_STATES.includes(a.state) && (s.user.role === 'school' || s.user.role === 'admin')
    const [documents, result, deadline] = await Promise.all([
      services.documents.list(s.actor, a.id, { limit: 500, offset: 0 }),
      services.assessments.resultWithHints(a),
      deadlineOf(s, a),
    ])
    return assessmentFormPage({
      session: view(s), a, set, facts: a.facts, errors: [], documents: documents.items, result, editable, deadline,
      notice: noticeOf(request.query), ...extra,
    })
  }

  async function checkPage(request: FastifyRequest, a: Assessment, problem?: string) {
    const s = session(request)
    return checkAnswersPage({ session: view(s), a, set: setOf(a), deadline: await deadlineOf(s, a), notice: noticeOf(request.query), ...(problem ? { problem } : {}) })
  }

  // ---- the school's page ----
  app.get('/school', async (request, reply) => {
    const s = session(request)
    const [periods, assessments] = await Promise.all([
      services.periods.list(s.actor, {}, PAGE),
      services.assessments.list(s.actor, {}, PAGE),
    ])
    const school = s.user.schoolId !== null ? await services.ctx.store.schools.byId(s.user.schoolId) : null
    const rows = []
    for (const p of periods.items) {
      const deadline = school ? await services.periods.deadlineFor(p, school) : p.submissionDeadline
      rows.push({ period: p, deadline, assessment: assessments.find((a) => a.periodId === p.id) ?? null })
    }
    const shown = new Set(rows.map((r) => r.assessment?.id))
    return sendPage(reply, schoolHomePage({
      session: view(s), schoolName: school?.name ?? s.scopeLabel ?? 'Trường', periods: rows,
      others: assessments.filter((a) => !shown.has(a.id)), notice: noticeOf(request.query),
    }))
  })

  app.post('/school/assessments', async (request, reply) => {
    const s = session(request)
    const body = request.body as Body
    const school = s.user.schoolId !== null ? await services.ctx.store.schools.byId(s.user.schoolId) : null
    if (!school) throw new AppError(403, 'FORBIDDEN', 'only a school account starts its self-assessment here')
    try {
      const a = await services.assessments.create(s.actor, { schoolCode: school.moetCode, periodId: str(body.periodId) })
      return redirect(reply, `/assessments/${a.id}?notice=started`)
    } catch (e) {
      if (e instanceof AppError && e.code === 'ASSESSMENT_EXISTS' && typeof e.details?.id === 'string') return redirect(reply, `/assessments/${e.details.id}`)
      if (e instanceof AppError && e.statusCode === 409) {
        return sendPage(reply, schoolHomePage({ session: view(s), schoolName: school.name, periods: [], others: [], notice: null, errors: [{ field: 'periods-title', text: errorText(e) }] }), 409)
      }
      throw e
    }
  })

  // ---- the phiếu ----
  app.get('/assessments/:id', async (request, reply) => {
    const s = session(request)
    const a = await services.assessments.get(s.actor, (request.params as IdParams).id)
    return sendPage(reply, await formPage(request, a))
  })

  app.post('/assessments/:id', async (request, reply) => {
    const s = session(request)
    const id = (request.params as IdParams).id
    const body = request.body as Body
    const a = await services.assessments.get(s.actor, id)
    const set = setOf(a)
    const { facts, errors } = parseEvidenceForm(set, body)
    const typed = { ...a.facts }
    for (const [k, v] of Object.entries(facts)) { if (v === null) delete typed[k]; else typed[k] = v }
    if (errors.length > 0) {
      // Re-shown as typed: the raw text of a refused field stays in its input.
      const shown: Record<string, unknown> = { ...typed }
      for (const e of errors) {
        const key = e.field.replace(/^fact-/, '').replace(/-(title|url|ref)$/, '')
        const f = set.facts.get(key)
        if (f?.type === 'document') shown[key] = { title: str(body[`fact-${key}-title`]), url: str(body[`fact-${key}-url`]) }
        else shown[key] = str(body[e.field])
      }
      return sendPage(reply, await formPage(request, a, { facts: shown, errors }), 400)
    }
    try {
      await services.assessments.saveEvidence(s.actor, id, versionOf(body), { facts })
      return redirect(reply, `/assessments/${id}?notice=saved`)
    } catch (e) {
      if (!(e instanceof AppError)) throw e
      if (e.code === 'VERSION_MISMATCH') {
        const current = await services.assessments.get(s.actor, id)
        const unsaved: [string, string][] = []
        for (const [k, v] of Object.entries(facts)) {
          const now = current.facts[k] ?? null
          if (JSON.stringify(now) === JSON.stringify(v)) continue
          unsaved.push([set.facts.get(k)?.label ?? k, factValueText(set, k, v)])
        }
        return sendPage(reply, await formPage(request, current, { unsaved }), 409)
      }
      if (e.code === 'INVALID_EVIDENCE' || e.code === 'UNKNOWN_DOCUMENT') {
        const issues = (e.details?.issues as { code?: string; path: string; message: string }[] | undefined) ?? [{ code: e.code, path: e.path ?? '', message: e.message }]
        const errs: FieldError[] = []
        for (const i of issues) {
          const field = fieldOfPath(i.path)
          const key = field.replace(/^fact-/, '').replace(/-(title|url|ref)$/, '')
          const f = set.facts.get(key)
          const whole = f?.maxFact ? set.facts.get(f.maxFact)?.label : undefined
          const text = !f ? errorText(e)
            : i.code === 'EXCEEDS_WHOLE' && whole ? `“${f.label}” không được lớn hơn “${whole}”.`
            : i.code === 'UNKNOWN_DOCUMENT' || e.code === 'UNKNOWN_DOCUMENT' ? `“${f.label}”: tệp được chọn không còn trong minh chứng của phiếu.`
            : `“${f.label}”: giá trị chưa hợp lệ.`
          if (!errs.some((x) => x.field === field)) errs.push({ field, text })
        }
        return sendPage(reply, await formPage(request, a, { facts: typed, errors: errs }), 400)
      }
      if (e.statusCode === 409) return sendPage(reply, await formPage(request, a, { facts: typed, problem: errorText(e) }), 409)
      throw e
    }
  })

  // Live score: the panel for the form's facts as typed, scored without saving.
  app.post('/assessments/:id/preview', async (request, reply) => {
    const s = session(request)
    const a = await services.assessments.get(s.actor, (request.params as IdParams).id)
    const set = setOf(a)
    const { facts } = parseEvidenceForm(set, request.body as Body)
    const merged: Record<string, unknown> = { ...a.facts }
    for (const [k, v] of Object.entries(facts)) { if (v === null) delete merged[k]; else merged[k] = v }
    // A document cited by an uploaded file is scored as given (the save checks the reference).
    let result: ScoreResult
    try {
      result = services.scoring.score(set, { facts: merged }, { hints: true })
    } catch (e) {
      if (e instanceof AppError && e.statusCode === 400) return reply.status(422).type('text/html; charset=utf-8').header('cache-control', 'no-store').send('')
      throw e
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(scorePanelBody(result, set, { preview: true }).value)
  })

  // ---- documents ----
  async function citeDocument(s: ConsoleSession, id: string, version: number, factKey: string, doc: { title: string; url?: string; ref?: string }) {
    const a = await services.assessments.get(s.actor, id)
    const set = setOf(a)
    if (set.facts.get(factKey)?.type !== 'document' || a.version !== version) return
    await services.assessments.saveEvidence(s.actor, id, version, { facts: { [factKey]: doc } })
  }

  app.post('/assessments/:id/documents', async (request, reply) => {
    const s = session(request)
    const id = (request.params as IdParams).id
    const a = await services.assessments.get(s.actor, id)
    try {
      if (!request.isMultipart()) throw new AppError(415, 'NOT_MULTIPART', 'send the file as multipart/form-data')
      const part = await request.file({ limits: { fileSize: services.ctx.config.maxUploadBytes, files: 1, fields: 5 } })
      if (!part || !part.filename) {
        return sendPage(reply, await formPage(request, a, { problem: 'Chưa chọn tệp để tải lên.' }), 400)
      }
      const field = (name: string) => { const f = part.fields[name] as { value?: unknown } | undefined; return typeof f?.value === 'string' ? f.value.trim() : '' }
      const title = (field('title') || part.filename).slice(0, 500)
      const out = await services.documents.addFile(s.actor, id, { title, fileName: part.filename, mediaType: part.mimetype, stream: part.file })
      const fact = field('fact')
      if (fact) await citeDocument(s, id, out.assessmentVersion, fact, { title, ref: out.document.id })
      return redirect(reply, `/assessments/${id}?notice=document-added`)
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode === 404 || e.statusCode >= 500) throw e
      const current = await services.assessments.get(s.actor, id)
      return sendPage(reply, await formPage(request, current, { problem: errorText(e) }), e.statusCode)
    }
  })

  app.post('/assessments/:id/links', async (request, reply) => {
    const s = session(request)
    const id = (request.params as IdParams).id
    const body = request.body as Body
    const a = await services.assessments.get(s.actor, id)
    const title = str(body.title)
    const url = str(body.url)
    if (!title || !/^https?:\/\/[^\s]+$/.test(url)) {
      return sendPage(reply, await formPage(request, a, { problem: 'Cần tên văn bản và một đường dẫn bắt đầu bằng http:// hoặc https://.' }), 400)
    }
    try {
      const out = await services.documents.addLink(s.actor, id, { title: title.slice(0, 500), url })
      const fact = str(body.fact)
      if (fact) await citeDocument(s, id, out.assessmentVersion, fact, { title: title.slice(0, 500), url })
      return redirect(reply, `/assessments/${id}?notice=document-added`)
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode === 404 || e.statusCode >= 500) throw e
      const current = await services.assessments.get(s.actor, id)
      return sendPage(reply, await formPage(request, current, { problem: errorText(e) }), e.statusCode)
    }
  })

  app.get('/assessments/:id/documents/:docId', async (request, reply) => {
    const s = session(request)
    const { id, docId } = request.params as { id: string; docId: string }
    const { doc, stream, name } = await services.documents.content(s.actor, id, docId)
    return reply
      .header('content-type', doc.mediaType as string)
      .header('content-length', String(doc.size))
      .header('content-disposition', contentDisposition(name))
      .header('cache-control', 'private, no-store')
      .send(stream)
  })

  // ---- check answers, submit ----
  app.get('/assessments/:id/check', async (request, reply) => {
    const s = session(request)
    const a = await services.assessments.get(s.actor, (request.params as IdParams).id)
    return sendPage(reply, await checkPage(request, a))
  })

  app.post('/assessments/:id/submit', async (request, reply) => {
    const s = session(request)
    const id = (request.params as IdParams).id
    const body = request.body as Body
    await services.assessments.get(s.actor, id)
    try {
      await services.assessments.transition(s.actor, id, versionOf(body), 'submit')
      return redirect(reply, '/school?notice=submitted')
    } catch (e) {
      if (!(e instanceof AppError) || e.statusCode === 404 || e.statusCode === 403 || e.statusCode >= 500) throw e
      const current = await services.assessments.get(s.actor, id)
      return sendPage(reply, await checkPage(request, current, errorText(e)), e.statusCode === 412 ? 409 : e.statusCode)
    }
  })

  // ---- the printable phiếu ----
  app.get('/assessments/:id/sheet', { config: { helmet: { contentSecurityPolicy: SHEET_CSP } } as never }, async (request, reply) => {
    const s = session(request)
    const sheet = await services.reports.sheet(s.actor, (request.params as IdParams).id)
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(assessmentSheetHtml(sheet))
  })
}
