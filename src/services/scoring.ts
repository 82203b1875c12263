// Scoring as the service uses it: catalog lookup, evidence errors as AppErrors with JSON paths,
// and the group summaries stored beside each result.
import { Catalog, CatalogLookupError } from '../criteria/catalog.js'
import { scoreWithReferences } from '../criteria/score-bundle.js'
import { CriteriaSetError, type CompiledSet } from '../scoring/compile-set.js'
import { EvidenceError } from '../scoring/evidence.js'
import { score } from '../scoring/evaluate.js'
import { referenceValues } from '../scoring/references.js'
import type { CriterionResult, ScoreResult } from '../scoring/types.js'
import type { CriterionSummary, ResultRows } from '../repositories/types.js'
import { AppError, invalid } from './errors.js'

/** Where published sets come from when another process may add them (the shared database). */
export interface PublishedSource {
  /** Adds the published sets the catalog does not have; returns how many were added. */
  load(): Promise<number>
  /** A token that changes whenever the database may have changed (Store.dataVersion). */
  version(): Promise<string>
}

/** The least time between two reloads of the published sets after lookup misses. */
export const RELOAD_INTERVAL_MS = 1000

export class Scoring {
  private source?: PublishedSource & { lastVersion: string; lastAt: number; pending?: Promise<boolean> }

  constructor(readonly catalog: Catalog) {}

  /** Reload published sets from `source` after a lookup miss (see reloadAfterMiss). */
  async watchPublished(source: PublishedSource): Promise<void> {
    this.source = { ...source, lastVersion: await source.version(), lastAt: -Infinity }
  }

  /**
   * After a lookup miss: a set published by another server process on the same database is not in
   * this catalog yet. Reloads the published sets and answers whether any were added (the caller then
   * looks up again). Bounded, so a client asking for sets that do not exist cannot make the server
   * read the database on every request: nothing is read when no write happened since the last
   * reload; misses meanwhile share one reload; reloads are RELOAD_INTERVAL_MS apart at least (a miss
   * sooner waits for the next one, so a set published a moment ago is still found).
   */
  reloadAfterMiss(): Promise<boolean> {
    const src = this.source
    if (!src) return Promise.resolve(false)
    src.pending ??= (async () => {
      try {
        if (await src.version() === src.lastVersion) return false
        const wait = src.lastAt + RELOAD_INTERVAL_MS - Date.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        // Read before loading: a write during the load shows as a change at the next miss.
        const version = await src.version()
        src.lastAt = Date.now()
        const added = await src.load()
        src.lastVersion = version
        return added > 0
      } finally {
        src.pending = undefined
      }
    })()
    return src.pending
  }

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

  /** Scores a bundle; `evidencePath` prefixes the JSON paths of evidence errors. Referenced sets'
   *  results come from `referenceResults` (a school's stored assessments) when given, else they are
   *  scored from the same bundle (the stateless endpoint). */
  score(set: CompiledSet, bundle: unknown, opts: { hints?: boolean; evidencePath?: string; referenceResults?: Record<string, ScoreResult> } = {}): ScoreResult {
    try {
      // Explanations stay lazy (toJSON): they render once, when the result is stored or sent.
      if (opts.referenceResults) return score(set, bundle, { hints: opts.hints ?? false, references: referenceValues(set, opts.referenceResults) })
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

/** The group and criterion rows a result is mirrored into, so that rollups read rows, not JSON. */
export function resultRows(r: ScoreResult): ResultRows {
  const criteria: CriterionSummary[] = []
  const walk = (groupCode: string, list: CriterionResult[]): void => {
    for (const c of list) {
      criteria.push({
        code: c.code, groupCode, kind: c.kind, maxPoints: c.maxPoints ?? null, points: c.points ?? null, met: c.met ?? null,
        value: typeof c.value === 'number' ? c.value : null, gap: c.gap ?? null, status: c.status,
      })
      if (c.children) walk(groupCode, c.children)
    }
  }
  for (const g of r.groups) walk(g.code, g.criteria)
  return { groups: r.groups.map((g) => ({ groupCode: g.code, total: g.total, level: g.level, complete: g.complete })), criteria }
}
