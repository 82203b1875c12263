// Verifier reports by content: GET /v1/authored-sets/{id}/{version} and publish read the report
// of content already verified instead of verifying it again (H3 of issue 11: every GET re-ran
// ~800 samples × 2 backends per rule). Bounded LRU; a Map keeps insertion order.
import type { Catalog } from '../criteria/catalog.js'
import { canonicalJson, sha256 } from '../scoring/hash.js'
import type { CriteriaSetDef } from '../scoring/types.js'
import type { FileReport } from './verify.js'

export class VerifyCache {
  private readonly entries = new Map<string, FileReport[]>()
  hits = 0
  misses = 0

  constructor(private readonly capacity: number) {}

  /** The cached report of this content, or `run()`'s (then kept). */
  get(key: string, run: () => FileReport[]): FileReport[] {
    const cached = this.entries.get(key)
    if (cached) {
      this.hits++
      // Most recently used last.
      this.entries.delete(key)
      this.entries.set(key, cached)
      return cached
    }
    this.misses++
    const report = run()
    if (this.capacity <= 0) return report
    this.entries.set(key, report)
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string)
    return report
  }

  /** As get(), with a report made elsewhere (a worker thread). */
  async getAsync(key: string, run: () => Promise<FileReport[]>): Promise<FileReport[]> {
    const cached = this.entries.get(key)
    if (cached) return this.get(key, () => cached)
    const report = await run()
    return this.get(key, () => report)
  }

  get size(): number { return this.entries.size }
}

/**
 * What a set's report depends on: its definition (by `contentHash`, sha256 of its canonical JSON),
 * its vocabulary, and which catalog entry each of its references resolves to now (a referenced
 * set published or withdrawn later changes the report). The entry's origin names the file in the
 * report, so it is part of the key too.
 */
export function verifyKey(def: CriteriaSetDef, contentHash: string, origin: string, catalog: Catalog): string {
  const vocabulary = catalog.vocabularyOf(def)
  const refs = Object.entries(def.references ?? {}).map(([name, r]) => {
    try {
      const e = catalog.find(r.version ? `${r.set}@${r.version}` : r.set)
      return `${name}=${e.def.id}@${e.def.version}`
    } catch {
      return `${name}=?`
    }
  })
  return sha256(canonicalJson({ contentHash, origin, vocabulary: vocabulary ? sha256(canonicalJson(vocabulary)) : null, refs }))
}
