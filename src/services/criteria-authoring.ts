// An education office's own criteria sets (e.g. Long Biên's QĐ 3229): a CSV table → a draft set →
// the verifier's report → fix and import again → publish. Published versions are immutable and
// join the catalog, so periods can pin them; a correction is a new version.
import { criteriaFromCsv, type SetMeta } from '../authoring/criteria-csv.js'
import { DATABASE_ORIGIN, type Catalog } from '../criteria/catalog.js'
import type { AuthoredSet } from '../repositories/types.js'
import type { Finding } from '../scoring/check-set.js'
import { canonicalJson, sha256 } from '../scoring/hash.js'
import type { CriteriaSetDef } from '../scoring/types.js'
import { VERIFY_CACHE_ENTRIES } from '../scoring/limits.js'
import { VerifyCache, verifyKey } from '../verify/cache.js'
import { verifySet, type FileReport } from '../verify/verify.js'
import type { Actor } from './actor.js'
import { actorName } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, conflict, invalid, notFound } from './errors.js'

export interface ImportInput extends SetMeta { unitCode: string; csv: string }
export interface Verification { errors: number; warnings: number; findings: Finding[] }
export interface AuthoringOptions {
  /** The verifier (a pure function of plain inputs; tests pass a counting one). */
  verify?: typeof verifySet
  /** Verifier reports kept by content (0: none). */
  verifyCacheEntries?: number
}

export class CriteriaAuthoringService {
  private readonly runVerifier: typeof verifySet
  readonly verifyCache: VerifyCache
  /** Times the verifier actually ran (the rest were answered from verifyCache). */
  verifierRuns = 0
  private readonly customVerifier: boolean

  constructor(private readonly ctx: ServiceContext, private readonly catalog: Catalog, opts: AuthoringOptions = {}) {
    const verify = opts.verify ?? verifySet
    // A verifier passed in (the tests' counting one) runs here: a function cannot go to a thread.
    this.customVerifier = opts.verify !== undefined
    this.runVerifier = (entry, catalog) => { this.verifierRuns++; return verify(entry, catalog) }
    this.verifyCache = new VerifyCache(opts.verifyCacheEntries ?? VERIFY_CACHE_ENTRIES)
  }

  /** Puts every published set of the database into the catalog (at start), and the withdrawn ones
   *  as withdrawn: assessments pinned to them still read them by version. */
  async loadPublished(): Promise<number> {
    const sets = await this.ctx.store.criteriaSets.list({ status: ['published', 'withdrawn'] })
    for (const s of sets) {
      this.catalog.addSetDef(s.definition as CriteriaSetDef, origin(s))
      if (s.status === 'withdrawn') this.catalog.markWithdrawn(s.id, s.version)
    }
    return sets.filter((s) => s.status === 'published').length
  }

  async importCsv(actor: Actor, input: ImportInput): Promise<{ set: AuthoredSet; verification: Verification; created: boolean }> {
    const unit = await this.authorUnit(actor, input.unitCode)
    await this.checkId(input.id, unit.id)
    const { unitCode, csv, ...meta } = input
    const pools = this.ctx.pools
    const { def, problems } = pools
      ? await pools.job<ReturnType<typeof criteriaFromCsv>>('criteriaTable', { csv, meta }, this.ctx.config.jobTimeLimitMs, 'bảng tiêu chí (criteria table)')
      : criteriaFromCsv(csv, meta)
    if (!def) {
      const first = problems[0]
      throw invalid('INVALID_CRITERIA_TABLE', `the criteria table has ${problems.length} problem(s)${first ? `; line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.message}` : ''}`,
        '/csv', { problems })
    }
    const existed = await this.ctx.store.criteriaSets.byKey(def.id, def.version)
    const set = await this.ctx.store.criteriaSets.saveDraft({
      id: def.id, version: def.version, unitId: unit.id, definition: def, contentHash: sha256(canonicalJson(def)), sourceCsv: csv, createdBy: actorName(actor),
    }, auditOf(this.ctx, actor, existed ? 'criteria-set.replace-draft' : 'criteria-set.import'))
    if (!set) throw notDraft(def.id, def.version, existed?.status)
    return { set, verification: await this.verify(set), created: !existed }
  }

  async list(actor: Actor): Promise<AuthoredSet[]> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'authoring criteria sets')
    return this.ctx.store.criteriaSets.list(actor.role === 'reviewer' ? { withinUnitId: actor.unitId as number } : {})
  }

  async get(actor: Actor, id: string, version: string): Promise<{ set: AuthoredSet; verification: Verification }> {
    const set = await this.visible(actor, id, version)
    return { set, verification: await this.verify(set) }
  }

  /** Publishes a draft that the verifier passes (warnings allowed, errors not). */
  async publish(actor: Actor, id: string, version: string): Promise<{ set: AuthoredSet; verification: Verification }> {
    const draft = await this.visible(actor, id, version)
    if (draft.status !== 'draft') throw notDraft(id, version, draft.status)
    const verification = await this.verify(draft)
    if (verification.errors > 0) {
      throw new AppError(409, 'VERIFICATION_FAILED', `the verifier found ${verification.errors} error(s); fix the table, import it again, then publish`, undefined, { findings: verification.findings })
    }
    const def: CriteriaSetDef = { ...(draft.definition as CriteriaSetDef), status: 'published' }
    const set = await this.ctx.store.criteriaSets.publish(id, version, def, sha256(canonicalJson(def)), auditOf(this.ctx, actor, 'criteria-set.publish'))
    if (!set) throw notDraft(id, version)
    this.catalog.addSetDef(def, origin(set))
    return { set, verification }
  }

  /**
   * Published → withdrawn, by whoever may publish it (an admin, the owning unit or a unit above
   * it). It leaves the catalog for new use (periods, new assessments, POST /v1/score, the list);
   * assessments already pinned to it keep their results and stay readable.
   */
  async withdraw(actor: Actor, id: string, version: string, reason: string): Promise<{ set: AuthoredSet; verification: Verification }> {
    const set = await this.visible(actor, id, version)
    if (set.status !== 'published') {
      throw conflict(set.status === 'withdrawn' ? 'CRITERIA_SET_WITHDRAWN' : 'CRITERIA_SET_NOT_PUBLISHED',
        set.status === 'withdrawn' ? `${id}@${version} đã được thu hồi (is already withdrawn)` : `${id}@${version} là bản nháp, chưa công bố: không có gì để thu hồi (a draft is not published; import a new table instead)`)
    }
    const text = reason.trim()
    if (text === '') throw invalid('MISSING_REASON', 'cần ghi lý do thu hồi (a reason is required)', '/reason')
    const after = await this.ctx.store.criteriaSets.withdraw(id, version, text, auditOf(this.ctx, actor, 'criteria-set.withdraw'))
    if (!after) throw conflict('CRITERIA_SET_WITHDRAWN', `${id}@${version} đã được thu hồi (is already withdrawn)`)
    this.catalog.markWithdrawn(id, version)
    return { set: after, verification: await this.verify(after) }
  }

  /** The verifier's report of a stored set: from the cache, else made on a worker thread (seconds
   *  of CPU for the largest accepted set) or in-process without one. */
  private async verify(s: AuthoredSet): Promise<Verification> {
    const def = s.definition as CriteriaSetDef
    const file = origin(s)
    const pools = this.ctx.pools
    const key = verifyKey(def, s.contentHash, file, this.catalog)
    const reports = pools && !this.customVerifier
      ? await this.verifyCache.getAsync(key, async () => {
        this.verifierRuns++
        return pools.job<FileReport[]>('verifySet', { entry: { file, def }, catalog: this.catalog.snapshot() }, this.ctx.config.jobTimeLimitMs, 'kiểm tra bộ tiêu chí (criteria verification)')
      })
      : this.verifyCache.get(key, () => this.runVerifier({ file, def }, this.catalog))
    const findings = reports.flatMap((r) => r.findings)
    return {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      findings,
    }
  }

  private async authorUnit(actor: Actor, unitCode: string) {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'authoring criteria sets')
    const unit = await this.ctx.store.units.byCode(unitCode)
    if (!unit || !(await this.ctx.access.unitVisible(actor, unit.id))) throw notFound('unit', unitCode, '/unitCode')
    return unit
  }

  /** A set id belongs to the project's files or to the unit that first authored it. */
  private async checkId(id: string, unitId: number): Promise<void> {
    if (this.catalog.isFileSet(id)) throw conflict('CRITERIA_SET_ID_TAKEN', `"${id}" is a criteria set shipped with the service; choose another id for your own set`)
    const owner = await this.ctx.store.criteriaSets.ownerOf(id)
    if (owner !== null && owner !== unitId) throw conflict('CRITERIA_SET_ID_TAKEN', `criteria set "${id}" belongs to another unit; choose another id`)
  }

  private async visible(actor: Actor, id: string, version: string): Promise<AuthoredSet> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'authoring criteria sets')
    const s = await this.ctx.store.criteriaSets.byKey(id, version)
    if (!s || !(await this.ctx.access.unitVisible(actor, s.unitId))) throw notFound('criteria set', `${id}@${version}`, '/id')
    return s
  }

  /** Adds the published sets the catalog lacks (published by another process on the same database);
   *  the known ones keep their compiled forms. Returns how many were added. */
  async loadNewPublished(): Promise<number> {
    const sets = await this.ctx.store.criteriaSets.list({ status: ['published', 'withdrawn'] })
    let added = 0
    for (const s of sets) {
      if (s.status === 'withdrawn') this.catalog.markWithdrawn(s.id, s.version)
      // A withdrawn set counts too: a pinned assessment still looks it up by version.
      if (!this.catalog.sets.has(`${s.id}@${s.version}`) && this.catalog.addSetDef(s.definition as CriteriaSetDef, origin(s))) added++
    }
    return added
  }
}

/** For the routes that start something new with a set (a period, an assessment, stateless
 *  scoring), before compiling it: a withdrawn set is refused with 409. `spec` is "id@version"
 *  (an id alone never finds a withdrawn version). */
export function refuseWithdrawn(catalog: Catalog, spec: string, path: string): void {
  const [id, version] = spec.split('@') as [string, string | undefined]
  if (version !== undefined && catalog.isWithdrawn(id, version)) {
    const set = { id, version }
    throw new AppError(409, 'CRITERIA_SET_WITHDRAWN', `bộ tiêu chí ${set.id}@${set.version} đã được thu hồi, không dùng cho đánh giá mới (the criteria set was withdrawn; choose another version)`, path)
  }
}

const origin = (s: AuthoredSet) => `${DATABASE_ORIGIN}${s.unitCode}/${s.id}@${s.version}`
const notDraft = (id: string, version: string, status?: string) => status === 'withdrawn'
  ? conflict('CRITERIA_SET_WITHDRAWN', `${id}@${version} đã được thu hồi và không thay đổi được; nhập bản sửa thành một phiên bản mới (withdrawn; import the correction as a new version)`)
  : conflict('CRITERIA_SET_PUBLISHED', `${id}@${version} is published and cannot change; import the correction as a new version`)
