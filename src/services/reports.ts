// District and province reports: the unit summary (rollup), the per-school report behind the
// CSV/XLSX exports, and one assessment's printable phiếu. Everything is read from stored rows.
import type { AssessmentState, Period, RollupScope, Unit } from '../repositories/types.js'
import { flatten } from '../reports/rollup.js'
import type { AssessmentSheet, EvidenceLink } from '../reports/types.js'
import { renderReport, type ReportFile, type ReportFormat, type ReportTask } from './report-compute.js'
import type { CompiledSet } from '../scoring/compile-set.js'
import type { DocumentRef, ScoreResult } from '../scoring/types.js'
import type { Actor } from './actor.js'
import type { AssessmentsService } from './assessments.js'
import type { ServiceContext } from './context.js'
import { invalid, notFound } from './errors.js'
import type { PeriodsService } from './periods.js'
import { SummaryCache } from './summary-cache.js'
import { computeSummary, type AsOf, type SummaryJob, type UnitSummary } from './summary-compute.js'
import { encoded, type Encoded } from '../http/encoding.js'
import { summaryJson } from '../reports/summary-json.js'
import { formatSchoolYear } from './school-year.js'

const FINAL: AssessmentState[] = ['approved', 'published']
const WITH_SUBMITTED: AssessmentState[] = ['submitted', 'approved', 'published']

export interface ReportQuery { periodId: string; set?: string; includeSubmitted?: boolean }

export type { UnitSummary } from './summary-compute.js'

/** A summary ready to send: its JSON bytes (and gzip), when it was counted, and whether it is the
 *  last one served while a newer one is being counted. */
export interface SummaryAnswer { body: Encoded; asOf: AsOf; stale: boolean; ageS: number }

export class ReportsService {
  // A summary is the same for every key that may read it, and it only changes with the data: it is
  // kept until the next write (a district dashboard is read far more often than schools write).
  private readonly summaries: SummaryCache<{ body: Encoded; asOf: AsOf }>

  constructor(private readonly ctx: ServiceContext, private readonly periods: PeriodsService, private readonly assessments: AssessmentsService) {
    this.summaries = new SummaryCache(ctx.config.summaryCacheEntries, ctx.config.summaryStaleMs, () => Date.now())
  }

  /** The rollup of a unit as JSON bytes; access is checked on every call, the counting is shared by
   *  concurrent calls and reused until a write, and runs on the summary worker thread when the
   *  database is a file. */
  async summaryEncoded(actor: Actor, unitCode: string, q: ReportQuery): Promise<SummaryAnswer> {
    const scoped = await this.scope(actor, unitCode, q)
    const { unit, period, set, scope } = scoped
    const key = `${unit.id}|${period.id}|${set.id}@${set.version}|${scope.states.join(',')}`
    const version = await this.ctx.store.dataVersion()
    const job = summaryJob(scoped)
    const got = await this.summaries.get(key, version, async () => {
      const asOf: AsOf = { at: this.ctx.now().toISOString(), dataVersion: version }
      const pools = this.ctx.pools
      if (!pools) return { asOf, body: encoded(summaryJson(await computeSummary(this.ctx.store.rollups, job, asOf))) }
      const bytes = await pools.summary({ job, asOf }, this.ctx.config.summaryTimeLimitMs)
      return { asOf, body: { identity: asBuffer(bytes.identity), gzip: asBuffer(bytes.gzip) } }
    })
    return { ...got.value, stale: got.stale, ageS: Math.max(0, Math.round((Date.now() - got.at) / 1000)) }
  }

  /** The rollup of a unit as an object, counted in-process (the CLI and benchmarks). */
  async summary(actor: Actor, unitCode: string, q: ReportQuery): Promise<UnitSummary> {
    const scoped = await this.scope(actor, unitCode, q)
    return computeSummary(this.ctx.store.rollups, summaryJob(scoped), { at: this.ctx.now().toISOString(), dataVersion: await this.ctx.store.dataVersion() })
  }

  /** One row per school of the unit (every state; the state is a column) as JSON, CSV (the
   *  summary's or one group's per-criterion table) or XLSX, made on a worker thread when the database
   *  is a file: a national XLSX is minutes of CPU and hundreds of MB. */
  async export(actor: Actor, unitCode: string, q: ReportQuery, format: ReportFormat, group?: string): Promise<ReportFile> {
    const scoped = await this.scope(actor, unitCode, q)
    if (group !== undefined && !scoped.set.def.groups.some((g) => g.code === group)) {
      throw invalid('UNKNOWN_GROUP', `criteria set ${scoped.set.id} has no group "${group}"; groups: ${scoped.set.def.groups.map((g) => g.code).join(', ')}`, '/group')
    }
    const task: ReportTask = { job: summaryJob(scoped), format, ...(group !== undefined ? { group } : {}), at: this.ctx.now().toISOString() }
    const pools = this.ctx.pools
    if (!pools) return renderReport(this.ctx.store.rollups, task)
    const out = await pools.job<ReportFile>('report', task, this.ctx.config.jobTimeLimitMs, 'tệp báo cáo (report export)')
    return { ...out, body: asBuffer(out.body) }
  }

  /** The printable phiếu of one assessment (any key that may read the assessment). */
  async sheet(actor: Actor, assessmentId: string): Promise<AssessmentSheet> {
    const a = await this.assessments.get(actor, assessmentId)
    const { store, scoring } = this.ctx
    const [school, period, documents] = await Promise.all([store.schools.byId(a.schoolId), store.periods.byId(a.periodId), store.documents.list(a.id)])
    const unitId = await store.schools.unitAt(a.schoolId, a.schoolYear)
    const [unit, periodUnit] = await Promise.all([unitId === null ? null : store.units.byId(unitId), store.units.byId(period!.unitId)])
    const set = scoring.compile(`${a.criteriaSetId}@${a.criteriaSetVersion}`)
    const files = new Map(documents.map((d) => [d.id, d]))
    const link = (v: unknown): EvidenceLink | null => {
      if (typeof v !== 'object' || v === null || typeof (v as DocumentRef).title !== 'string') return null
      const d = v as DocumentRef
      if (d.url) return { title: d.title, url: d.url }
      // An uploaded file needs a key to download: the sheet names it rather than linking it.
      const file = d.ref ? files.get(d.ref) : undefined
      return { title: file?.fileName ? `${d.title} (tệp ${file.fileName})` : d.title, url: file?.url ?? null }
    }
    const evidence: Record<string, EvidenceLink[]> = {}
    for (const f of flatten(set.def)) {
      const links = (f.def.evidence?.facts ?? []).map((k) => link(a.facts[k])).filter((x): x is EvidenceLink => x !== null)
      if (links.length) evidence[f.def.code] = links
    }
    return {
      school: { moetCode: school!.moetCode, name: school!.name, levels: school!.levels, ownership: school!.ownership, unitName: unit?.name ?? '' },
      period: { title: period!.title, schoolYear: formatSchoolYear(a.schoolYear), unitName: periodUnit?.name ?? period!.unitCode },
      set: { id: set.id, version: set.version, title: set.def.title, document: set.def.document },
      state: a.state, submittedAt: a.submittedAt, approvedAt: a.approvedAt, publishedAt: a.publishedAt,
      self: a.result as ScoreResult, external: (a.external?.result as ScoreResult | undefined) ?? null, externalBy: a.external?.by ?? null,
      evidence,
      generatedAt: this.ctx.now(),
    }
  }

  /** The unit (visible to the reviewer), the period it reports on, and the pinned set. */
  private async scope(actor: Actor, unitCode: string, q: ReportQuery): Promise<{ unit: Unit; period: Period; set: CompiledSet; scope: RollupScope }> {
    const { access, store, scoring } = this.ctx
    access.requireRole(actor, ['admin', 'reviewer'], 'unit reports')
    const unit = await store.units.byCode(unitCode)
    if (!unit || !(await access.unitVisible(actor, unit.id))) throw notFound('unit', unitCode, '/code')
    const period = await this.periods.get(actor, q.periodId, '/period')
    if (!(await store.units.isWithin(unit.id, period.unitId))) {
      const below = await store.units.isWithin(period.unitId, unit.id)
      throw invalid('PERIOD_NOT_FOR_UNIT', below
        ? `period ${period.id} was opened by unit ${period.unitCode}, below ${unit.code}: ask for the summary of ${period.unitCode}`
        : `period ${period.id} (opened by unit ${period.unitCode}) does not apply to unit ${unit.code}`, '/period')
    }
    const spec = q.set === undefined ? period.criteriaSets[0] as string
      : period.criteriaSets.find((s) => s === q.set || s.split('@')[0] === q.set)
    if (!spec) throw invalid('CRITERIA_SET_NOT_IN_PERIOD', `the period uses ${period.criteriaSets.join(', ')}, not ${q.set}`, '/set')
    const set = scoring.compile(spec, '/set')
    return {
      unit, period, set,
      scope: { rootUnitId: unit.id, year: period.schoolYear, periodId: period.id, setId: set.id, setVersion: set.version, states: q.includeSubmitted ? WITH_SUBMITTED : FINAL },
    }
  }
}

type Scoped = { unit: Unit; period: Period; set: CompiledSet; scope: RollupScope }

function summaryJob({ unit, period, set, scope }: Scoped): SummaryJob {
  return {
    unit: { id: unit.id, code: unit.code, name: unit.name, type: unit.type },
    period: { id: period.id, title: period.title, schoolYear: period.schoolYear, unitCode: period.unitCode },
    set: { id: set.id, version: set.version, def: set.def },
    scope,
  }
}

/** Bytes from a worker arrive as a Uint8Array view: the same memory, as a Buffer. */
const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength)
