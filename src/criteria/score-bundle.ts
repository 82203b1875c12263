// Scoring a school's evidence bundle with a catalog set, resolving cross-set references by
// scoring the referenced sets with the same bundle (one vocabulary, one bundle, several sets).
import { score } from '../scoring/evaluate.js'
import type { CompiledSet } from '../scoring/compile-set.js'
import { referenceValues } from '../scoring/references.js'
import type { ScoreResult } from '../scoring/types.js'
import type { Catalog } from './catalog.js'

export function scoreWithReferences(set: CompiledSet, bundle: unknown, catalog: Catalog, hints = false, seen: string[] = []): ScoreResult {
  const results: Record<string, ScoreResult> = {}
  const self = `${set.id}@${set.version}`
  for (const ref of Object.values(set.references)) {
    const spec = ref.version ? `${ref.set}@${ref.version}` : ref.set
    // The verifier rejects reference cycles; this guard keeps a hand-loaded file from looping.
    if (results[ref.set] || seen.includes(spec) || seen.includes(ref.set)) continue
    results[ref.set] = scoreWithReferences(catalog.compile(spec), bundle, catalog, false, [...seen, self, set.id])
  }
  return score(set, bundle, { hints, references: referenceValues(set, results) })
}
