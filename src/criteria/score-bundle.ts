// Scoring a school's evidence bundle with a catalog set, resolving cross-set references by
// scoring the referenced sets with the same bundle (one vocabulary, one bundle, several sets). A
// referenced set sees only the facts it knows: the referencing set's own facts are not its business.
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
    const target = catalog.compile(spec)
    results[ref.set] = scoreWithReferences(target, factsKnownTo(target, bundle, catalog), catalog, false, [...seen, self, set.id])
  }
  return score(set, bundle, { hints, references: referenceValues(set, results) })
}

/** The bundle with only the facts `set` declares or its vocabulary holds (the rest would be UNKNOWN_FACT there). */
function factsKnownTo(set: CompiledSet, bundle: unknown, catalog: Catalog): unknown {
  const facts = (bundle as { facts?: unknown } | null)?.facts
  if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) return bundle
  const known = new Set([...set.facts.keys(), ...(catalog.vocabularyOf(set.def)?.facts.map((f) => f.key) ?? [])])
  return { ...(bundle as object), facts: Object.fromEntries(Object.entries(facts).filter(([k]) => known.has(k))) }
}
