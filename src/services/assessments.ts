// Assessments: school × period × criteria set version, the evidence, the stored result, and the
// review workflow. Every write carries the version the client last saw (If-Match) and is refused
// with 412 when another write came first.
import { randomUUID } from 'node:crypto'
import type { CompiledSet } from '../scoring/compile-set.js'
import { referencedSets, referenceValues } from '../scoring/references.js'
import type { ScoreResult } from '../scoring/types.js'
import type { Assessment, AssessmentFilter, AssessmentPatch, AssessmentState, Page, School } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, conflict, invalid, notFound } from './errors.js'
import { resultRows } from './scoring.js'
import { refuseWithdrawn } from './criteria-authoring.js'
import type { PeriodsService } from './periods.js'
import type { SchoolsService } from './schools.js'
import { checkTransition, EDITABLE, EXTERNAL_ALLOWED, TRANSITIONS, type Action } from './workflow.js'
import { parseSchoolYear } from './school-year.js'

export interface EvidencePatch { facts?: Record<string, unknown>; description?: string | null }

export class AssessmentsService {
  constructor(private readonly ctx: ServiceContext, private readonly periods: PeriodsService, private readonly schools: SchoolsService) {}

  /** An assessment visible to the actor: its school in the actor's scope in the period's year. */
  async get(actor: Actor, id: string): Promise<Assessment> {
    const a = await this.ctx.store.assessments.byId(id)
    if (!a) throw notFound('assessment', id, '/id')
    const school = await this.ctx.store.schools.byId(a.schoolId) as School
    if (!(await this.ctx.access.schoolVisible(actor, school, a.schoolYear))) throw notFound('assessment', id, '/id')
    return a
  }

  /** For writes: the assessment, if the client's version (If-Match) is still current. */
  async getAt(actor: Actor, id: string, ifMatch: number): Promise<Assessment> {
    const a = await this.get(actor, id)
    if (a.version !== ifMatch) throw staleVersion(a)
    return a
  }

  async create(actor: Actor, input: { schoolCode: string; periodId: string; criteriaSet?: string }): Promise<Assessment> {
    this.ctx.access.requireRole(actor, ['school', 'admin'], 'starting a self-assessment')
    const school = await this.schools.get(actor, input.schoolCode, '/schoolCode')
    const period = await this.periods.get(actor, input.periodId, '/periodId')
    const unitId = await this.ctx.store.schools.unitAt(school.id, period.schoolYear)
    if (unitId === null || !(await this.ctx.store.units.isWithin(unitId, period.unitId))) {
      throw conflict('OUTSIDE_PERIOD', `school ${school.moetCode} does not belong to unit ${period.unitCode} in ${period.schoolYear}-${period.schoolYear + 1}, so this period does not apply to it`)
    }
    const spec = this.pickSet(period.criteriaSets, input.criteriaSet)
    refuseWithdrawn(this.ctx.scoring.catalog, spec, '/criteriaSet')
    const set = this.ctx.scoring.compile(spec, '/criteriaSet')
    const existing = await this.ctx.store.assessments.find(school.id, period.id, set.id, set.version)
    if (existing) throw conflict('ASSESSMENT_EXISTS', `school ${school.moetCode} already has an assessment for this period and criteria set`, { id: existing.id })
    const result = this.ctx.scoring.score(set, { facts: {} }, { referenceResults: await this.referenceResults(school.id, period.id, set) })
    return this.ctx.store.assessments.create({
      id: randomUUID(), schoolId: school.id, periodId: period.id, criteriaSetId: set.id, criteriaSetVersion: set.version, contentHash: set.contentHash,
      facts: {}, description: null, result, complete: result.complete, rows: resultRows(result),
    }, auditOf(this.ctx, actor, 'assessment.create'))
  }

  private pickSet(sets: string[], wanted: string | undefined): string {
    if (wanted === undefined) return sets[0] as string
    const match = sets.find((s) => s === wanted || s.split('@')[0] === wanted)
    if (!match) throw invalid('CRITERIA_SET_NOT_IN_PERIOD', `the period uses ${sets.join(', ')}, not ${wanted}`, '/criteriaSet')
    return match
  }

  /** `unitCode`: only the schools of that unit's subtree (one the actor sees); `order`: see AssessmentFilter. */
  async list(actor: Actor, f: { periodId?: string; state?: AssessmentState; schoolCode?: string; year?: string; unitCode?: string; order?: AssessmentFilter['order'] }, page: Page): Promise<Assessment[]> {
    const filter: AssessmentFilter = { periodId: f.periodId, state: f.state, schoolYear: f.year ? parseSchoolYear(f.year, '/year') : undefined, order: f.order }
    if (actor.role === 'school') filter.schoolId = actor.schoolId as number
    if (actor.role === 'reviewer') filter.withinUnitId = actor.unitId as number
    if (f.unitCode !== undefined) {
      const u = await this.ctx.store.units.byCode(f.unitCode)
      if (!u || !(await this.ctx.access.unitVisible(actor, u.id))) throw notFound('unit', f.unitCode, '/unit')
      if (actor.role !== 'school') filter.withinUnitId = u.id
    }
    if (f.schoolCode) {
      const s = await this.schools.get(actor, f.schoolCode, '/school')
      if (filter.schoolId !== undefined && filter.schoolId !== s.id) return []
      filter.schoolId = s.id
    }
    return this.ctx.store.assessments.list(filter, page)
  }

  /** Partial save: given facts replace stored ones, null clears one. Re-scored at once. */
  async saveEvidence(actor: Actor, id: string, ifMatch: number, patch: EvidencePatch): Promise<Assessment> {
    const a = await this.getAt(actor, id, ifMatch)
    this.ctx.access.requireRole(actor, ['school', 'admin'], 'editing the self-assessment evidence')
    if (!EDITABLE.includes(a.state)) throw conflict('NOT_EDITABLE', `evidence can be changed in states ${EDITABLE.join(', ')}; this assessment is "${a.state}"`, { state: a.state })
    const facts: Record<string, unknown> = { ...a.facts }
    for (const [k, v] of Object.entries(patch.facts ?? {})) {
      if (v === null) delete facts[k]
      else facts[k] = v
    }
    const description = patch.description === undefined ? a.description : patch.description
    const result = await this.scoreStored(a, facts, description, '')
    const saved = await this.write(actor, a, ifMatch, 'assessment.evidence', {
      facts: nfc(facts), description, result, complete: result.complete, selfRows: resultRows(result),
    })
    await this.refreshDependents(actor, a, saved)
    return saved
  }

  async transition(actor: Actor, id: string, ifMatch: number, action: Action, reason?: string): Promise<Assessment> {
    const a = await this.getAt(actor, id, ifMatch)
    const t = TRANSITIONS[action]
    this.ctx.access.requireRole(actor, t.roles, `${action} (${t.label})`)
    checkTransition(action, a.state)
    const trimmed = reason?.trim().normalize('NFC')
    if (t.needsReason && !trimmed) throw invalid('REASON_REQUIRED', `${action} (${t.label}) needs a reason the school can act on`, '/reason')
    const now = this.ctx.now()
    const patch: AssessmentPatch = { state: t.to }
    if (action === 'submit') {
      if (!a.complete) {
        const r = a.result as ScoreResult
        throw new AppError(409, 'EVIDENCE_INCOMPLETE', `the evidence is incomplete: ${r.missingFacts.length} fact(s) missing (${r.missingFacts.slice(0, 8).join(', ')}${r.missingFacts.length > 8 ? ', …' : ''})`, undefined, { missingFacts: r.missingFacts })
      }
      const period = await this.ctx.store.periods.byId(a.periodId)
      const school = await this.ctx.store.schools.byId(a.schoolId)
      const deadline = await this.periods.deadlineFor(period!, school!)
      if (now > deadline) throw new AppError(409, 'DEADLINE_PASSED', `the submission deadline ${deadline.toISOString()} has passed; ask the unit for an extension`, undefined, { deadline: deadline.toISOString() })
      Object.assign(patch, { submittedAt: now, returnReason: null })
    }
    if (action === 'return' || action === 'revoke') Object.assign(patch, { returnReason: trimmed, approvedAt: null })
    if (action === 'approve') patch.approvedAt = now
    if (action === 'publish') patch.publishedAt = now
    return this.write(actor, a, ifMatch, `assessment.${action}`, patch)
  }

  /** Publishes every approved assessment of a period that the reviewer's scope holds (công bố kết
   *  quả): each one is its own transition with its own audit entry; one changed meanwhile is skipped. */
  async publishApproved(actor: Actor, periodId: string): Promise<{ published: string[]; skipped: string[] }> {
    await this.periods.get(actor, periodId, '/id')
    this.ctx.access.requireRole(actor, TRANSITIONS.publish.roles, 'publishing results')
    const approved = await this.list(actor, { periodId, state: 'approved' }, { limit: 100_000, offset: 0 })
    const published: string[] = []
    const skipped: string[] = []
    for (const a of approved) {
      try {
        await this.transition(actor, a.id, a.version, 'publish')
        published.push(a.id)
      } catch (e) {
        if (e instanceof AppError && (e.statusCode === 412 || e.statusCode === 409)) skipped.push(a.id)
        else throw e
      }
    }
    return { published, skipped }
  }

  /** The reviewer's own assessment (đánh giá ngoài): starts from the school's facts unless told
   *  otherwise, the given facts override them; kept beside the school's result, never replacing it. */
  async recordExternal(actor: Actor, id: string, ifMatch: number, input: { facts: Record<string, unknown>; startFrom?: 'self' | 'empty' }): Promise<Assessment> {
    const a = await this.getAt(actor, id, ifMatch)
    this.ctx.access.requireRole(actor, ['reviewer', 'admin'], 'recording an external assessment')
    if (!EXTERNAL_ALLOWED.includes(a.state)) throw conflict('EXTERNAL_NOT_ALLOWED', `an external assessment is recorded in states ${EXTERNAL_ALLOWED.join(', ')}; this assessment is "${a.state}"`, { state: a.state })
    const facts: Record<string, unknown> = input.startFrom === 'empty' ? {} : { ...a.facts }
    for (const [k, v] of Object.entries(input.facts)) {
      if (v === null) delete facts[k]
      else facts[k] = v
    }
    const result = await this.scoreStored(a, facts, null, '')
    const saved = await this.write(actor, a, ifMatch, 'assessment.external', {
      external: { facts: nfc(facts), result, by: `${actor.role}:${actor.keyId} (${actor.label})`, at: this.ctx.now() },
      externalRows: resultRows(result),
    })
    await this.refreshDependents(actor, a, saved)
    return saved
  }

  /** The results a set's references read: the same school's assessments of the referenced sets in
   *  the same period — the recognised result (external where recorded, else the school's own). */
  private async referenceResults(schoolId: number, periodId: string, set: CompiledSet, siblings?: Assessment[]): Promise<Record<string, ScoreResult>> {
    const refs = referencedSets(set)
    if (refs.length === 0) return {}
    const list = siblings ?? await this.ctx.store.assessments.list({ schoolId, periodId }, { limit: 100, offset: 0 })
    const out: Record<string, ScoreResult> = {}
    for (const r of refs) {
      const s = list.find((x) => x.criteriaSetId === r.id && (r.version === undefined || x.criteriaSetVersion === r.version))
      if (s) out[r.id] = recognised(s)
    }
    return out
  }

  /** After a result changes, the same school's assessments that read it (e.g. Long Biên's "mức 3 cả
   *  hai nhóm" target reading 4725) are re-scored when the values they read changed. Published
   *  results are final and stay as published. */
  private async refreshDependents(actor: Actor, before: Assessment, after: Assessment): Promise<void> {
    // Cheap check first (the period's pinned sets): most sets have no dependents.
    const period = await this.ctx.store.periods.byId(after.periodId)
    const reads = (spec: string) => referencedSets(this.ctx.scoring.compile(spec)).some((r) => r.id === after.criteriaSetId)
    if (!period?.criteriaSets.some(reads)) return
    const siblings = await this.ctx.store.assessments.list({ schoolId: after.schoolId, periodId: after.periodId }, { limit: 100, offset: 0 })
    for (const d of siblings) {
      if (d.id === after.id || d.state === 'published') continue
      const set = this.ctx.scoring.compile(`${d.criteriaSetId}@${d.criteriaSetVersion}`)
      if (set.contentHash !== d.contentHash || !referencedSets(set).some((r) => r.id === after.criteriaSetId)) continue
      const was = referenceValues(set, { [before.criteriaSetId]: recognised(before) })
      const now = referenceValues(set, { [after.criteriaSetId]: recognised(after) })
      if (JSON.stringify(was) === JSON.stringify(now)) continue
      const refs = await this.referenceResults(d.schoolId, d.periodId, set, siblings.map((x) => (x.id === after.id ? after : x)))
      const result = this.ctx.scoring.score(set, { facts: d.facts, ...(d.description ? { description: d.description } : {}) }, { referenceResults: refs })
      const patch: AssessmentPatch = { result, complete: result.complete, selfRows: resultRows(result) }
      if (d.external) {
        const ext = this.ctx.scoring.score(set, { facts: d.external.facts }, { referenceResults: refs })
        Object.assign(patch, { external: { ...d.external, result: ext }, externalRows: resultRows(ext) })
      }
      // A concurrent write to the dependent wins; it re-reads the references itself when saved.
      await this.ctx.store.assessments.update(d.id, d.version, patch, auditOf(this.ctx, actor, 'assessment.references-refreshed'))
    }
  }

  /** The stored self-assessment result with next-level hints added (computed, not stored). */
  async resultWithHints(a: Assessment): Promise<ScoreResult> {
    const set = this.ctx.scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`)
    if (set.contentHash !== a.contentHash) return a.result as ScoreResult
    const referenceResults = await this.referenceResults(a.schoolId, a.periodId, set)
    return this.ctx.scoring.score(set, { facts: a.facts, ...(a.description ? { description: a.description } : {}) }, { hints: true, referenceResults })
  }

  /** One page of the assessment's audit log (entries hold only what changed). */
  async audit(actor: Actor, id: string, page: Page) {
    await this.get(actor, id)
    return this.ctx.store.audit.page('assessment', id, page)
  }

  /** Scores facts with the pinned set; refuses if the set's file changed under the same version. */
  private async scoreStored(a: Assessment, facts: Record<string, unknown>, description: string | null, path: string): Promise<ScoreResult> {
    const set = this.ctx.scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`)
    if (set.contentHash !== a.contentHash) {
      throw conflict('CRITERIA_SET_CHANGED', `criteria set ${set.id}@${set.version} on this server differs from the one this assessment was pinned to (content hash ${a.contentHash.slice(0, 12)}…); results would not be reproducible`)
    }
    await this.checkDocumentRefs(a, facts)
    const referenceResults = await this.referenceResults(a.schoolId, a.periodId, set)
    return this.ctx.scoring.score(set, { facts, ...(description ? { description } : {}) }, { evidencePath: path, referenceResults })
  }

  /** A document fact that cites an uploaded file must cite one of this assessment's documents. */
  private async checkDocumentRefs(a: Assessment, facts: Record<string, unknown>): Promise<void> {
    const refs = Object.entries(facts).filter(([, v]) => typeof v === 'object' && v !== null && typeof (v as { ref?: unknown }).ref === 'string')
    if (refs.length === 0) return
    // Only the cited ids are looked up, not the assessment's whole document list.
    const ids = await this.ctx.store.documents.existing(a.id, [...new Set(refs.map(([, v]) => (v as { ref: string }).ref))])
    for (const [k, v] of refs) {
      const ref = (v as { ref: string }).ref
      if (!ids.has(ref)) throw invalid('UNKNOWN_DOCUMENT', `document "${ref}" is not one of this assessment's documents (upload it first)`, `/facts/${k}/ref`)
    }
  }

  private async write(actor: Actor, a: Assessment, ifMatch: number, action: string, patch: AssessmentPatch): Promise<Assessment> {
    const out = await this.ctx.store.assessments.update(a.id, ifMatch, patch, auditOf(this.ctx, actor, action), a)
    if (out.ok) return out.assessment
    throw staleVersion(out.current ?? a)
  }
}

/** The result that counts for a school: the reviewers' external one where recorded. */
export function recognised(a: Assessment): ScoreResult {
  return (a.external?.result ?? a.result) as ScoreResult
}

export function staleVersion(current: Assessment): AppError {
  return new AppError(412, 'VERSION_MISMATCH', `the assessment changed since you read it (it is now version ${current.version}); reload it and apply your change again`,
    undefined, { currentVersion: current.version, state: current.state })
}

/** Stored facts are the normalised (NFC) values the result was computed from. */
function nfc(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(facts)) out[k] = typeof v === 'string' ? v.normalize('NFC') : v
  return out
}
