// Scoring as the service uses it: catalog lookup, evidence errors as AppErrors with JSON paths,
// and the group summaries stored beside each result.
import { Catalog, CatalogLookupError } from '../criteria/catalog.js'
import { scoreWithReferences } from '../criteria/score-bundle.js'
import { CriteriaSetError, type CompiledSet } from '../scoring/compile-set.js'
import { EvidenceError } from '../scoring/evidence.js'
import type { ScoreResult } from '../scoring/types.js'
import type { GroupSummary } from '../repositories/types.js'
import { AppError, invalid } from './errors.js'

export class Scoring {
  constructor(readonly catalog: Catalog) {}

  /** `id` or `id@version` → the compiled set (newest published when no version is given). */
  compile(spec: string, path = '/criteriaSet'): CompiledSet {
    try {
      return this.catalog.compile(spec)
    } catch (e) {
      if (e instanceof CatalogLookupError) throw new AppError(404, 'UNKNOWN_CRITERIA_SET', e.message, path)
      if (e instanceof CriteriaSetError) throw new AppError(500, 'CRITERIA_SET_BROKEN', `criteria set ${spec} does not compile: ${e.message}`)
      throw e
    }
  }

  /** Scores a bundle; `evidencePath` prefixes the JSON paths of evidence errors. */
  score(set: CompiledSet, bundle: unknown, opts: { hints?: boolean; evidencePath?: string } = {}): ScoreResult {
    try {
      // Explanations stay lazy (toJSON): they render once, when the result is stored or sent.
      return scoreWithReferences(set, bundle, this.catalog, opts.hints ?? false)
    } catch (e) {
      if (e instanceof EvidenceError) {
        const first = e.issues[0]
        const prefix = opts.evidencePath ?? ''
        throw invalid('INVALID_EVIDENCE', first ? `${first.message} (${e.issues.length} problem(s) in the evidence)` : e.message,
          first ? prefix + first.path : prefix, { issues: e.issues.map((i) => ({ ...i, path: prefix + i.path })) })
      }
      throw e
    }
  }
}

export function groupSummaries(r: ScoreResult): GroupSummary[] {
  return r.groups.map((g) => ({ groupCode: g.code, total: g.total, level: g.level, complete: g.complete }))
}
