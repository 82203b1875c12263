// An education office's own criteria sets (e.g. Long Biên's QĐ 3229): a CSV table → a draft set →
// the verifier's report → fix and import again → publish. Published versions are immutable and
// join the catalog, so periods can pin them; a correction is a new version.
import { criteriaFromCsv, type SetMeta } from '../authoring/criteria-csv.js'
import { DATABASE_ORIGIN, type Catalog } from '../criteria/catalog.js'
import type { AuthoredSet } from '../repositories/types.js'
import type { Finding } from '../scoring/check-set.js'
import { canonicalJson, sha256 } from '../scoring/hash.js'
import type { CriteriaSetDef } from '../scoring/types.js'
import { verifySet } from '../verify/verify.js'
import type { Actor } from './actor.js'
import { actorName } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, conflict, invalid, notFound } from './errors.js'

export interface ImportInput extends SetMeta { unitCode: string; csv: string }
export interface Verification { errors: number; warnings: number; findings: Finding[] }

export class CriteriaAuthoringService {
  constructor(private readonly ctx: ServiceContext, private readonly catalog: Catalog) {}

  /** Puts every published set of the database into the catalog (at start). */
  async loadPublished(): Promise<number> {
    const sets = await this.ctx.store.criteriaSets.list({ status: 'published' })
    for (const s of sets) this.catalog.addSetDef(s.definition as CriteriaSetDef, origin(s))
    return sets.length
  }

  async importCsv(actor: Actor, input: ImportInput): Promise<{ set: AuthoredSet; verification: Verification; created: boolean }> {
    const unit = await this.authorUnit(actor, input.unitCode)
    await this.checkId(input.id, unit.id)
    const { unitCode, csv, ...meta } = input
    const { def, problems } = criteriaFromCsv(csv, meta)
    if (!def) {
      const first = problems[0]
      throw invalid('INVALID_CRITERIA_TABLE', `the criteria table has ${problems.length} problem(s)${first ? `; line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.message}` : ''}`,
        '/csv', { problems })
    }
    const existed = await this.ctx.store.criteriaSets.byKey(def.id, def.version)
    const set = await this.ctx.store.criteriaSets.saveDraft({
      id: def.id, version: def.version, unitId: unit.id, definition: def, contentHash: sha256(canonicalJson(def)), sourceCsv: csv, createdBy: actorName(actor),
    }, auditOf(this.ctx, actor, existed ? 'criteria-set.replace-draft' : 'criteria-set.import'))
    if (!set) throw published(def.id, def.version)
    return { set, verification: this.verify(set), created: !existed }
  }

  async list(actor: Actor): Promise<AuthoredSet[]> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'authoring criteria sets')
    return this.ctx.store.criteriaSets.list(actor.role === 'reviewer' ? { withinUnitId: actor.unitId as number } : {})
  }

  async get(actor: Actor, id: string, version: string): Promise<{ set: AuthoredSet; verification: Verification }> {
    const set = await this.visible(actor, id, version)
    return { set, verification: this.verify(set) }
  }

  /** Publishes a draft that the verifier passes (warnings allowed, errors not). */
  async publish(actor: Actor, id: string, version: string): Promise<{ set: AuthoredSet; verification: Verification }> {
    const draft = await this.visible(actor, id, version)
    if (draft.status === 'published') throw published(id, version)
    const verification = this.verify(draft)
    if (verification.errors > 0) {
      throw new AppError(409, 'VERIFICATION_FAILED', `the verifier found ${verification.errors} error(s); fix the table, import it again, then publish`, undefined, { findings: verification.findings })
    }
    const def: CriteriaSetDef = { ...(draft.definition as CriteriaSetDef), status: 'published' }
    const set = await this.ctx.store.criteriaSets.publish(id, version, def, sha256(canonicalJson(def)), auditOf(this.ctx, actor, 'criteria-set.publish'))
    if (!set) throw published(id, version)
    this.catalog.addSetDef(def, origin(set))
    return { set, verification }
  }

  private verify(s: AuthoredSet): Verification {
    const findings = verifySet({ file: origin(s), def: s.definition as CriteriaSetDef }, this.catalog).flatMap((r) => r.findings)
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
    const sets = await this.ctx.store.criteriaSets.list({ status: 'published' })
    let added = 0
    for (const s of sets) if (!this.catalog.sets.has(`${s.id}@${s.version}`) && this.catalog.addSetDef(s.definition as CriteriaSetDef, origin(s))) added++
    return added
  }
}

const origin = (s: AuthoredSet) => `${DATABASE_ORIGIN}${s.unitCode}/${s.id}@${s.version}`
const published = (id: string, version: string) =>
  conflict('CRITERIA_SET_PUBLISHED', `${id}@${version} is published and cannot change; import the correction as a new version`)
