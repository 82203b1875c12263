// Unit summaries kept for one data version of the store (any write anywhere makes them old), with
// one computation at a time per summary (single flight: a hundred officers refreshing the same
// dashboard cost one count), and, while a newer one is being counted, the last one served if it is
// young enough (the answer says so: asOf and an Age header). Bounded by entries, least recently
// used out first.
export interface Cached<V> { value: V; version: string; at: number; stale: boolean }

interface Entry<V> { value: V; version: string; at: number }

export class SummaryCache<V> {
  private readonly entries = new Map<string, Entry<V>>()
  private readonly inflight = new Map<string, { version: string; promise: Promise<Entry<V>> }>()

  constructor(private readonly maxEntries: number, private readonly staleMs: number, private readonly clock: () => number) {}

  /** The value of `key` at data version `version`: kept, being computed, young enough while a newer
   *  one is computed, or computed now. */
  async get(key: string, version: string, compute: () => Promise<V>): Promise<Cached<V>> {
    const hit = this.entries.get(key)
    if (hit && hit.version === version) { this.touch(key, hit); return { ...hit, stale: false } }
    const flying = this.inflight.get(key)
    if (flying && hit && this.staleMs > 0 && this.clock() - hit.at <= this.staleMs) return { ...hit, stale: true }
    if (flying && flying.version === version) return { ...(await flying.promise), stale: false }
    const at = this.clock()
    const promise = compute().then((value) => {
      const e = { value, version, at }
      if (this.maxEntries > 0) {
        const old = this.entries.get(key)
        // A slower computation of an older version never replaces a newer one.
        if (!old || old.at <= at) this.touch(key, e)
      }
      return e
    }).finally(() => { if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key) })
    this.inflight.set(key, { version, promise })
    return { ...(await promise), stale: false }
  }

  private touch(key: string, e: Entry<V>): void {
    this.entries.delete(key)
    this.entries.set(key, e)
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
  }

  get size(): number { return this.entries.size }
}
