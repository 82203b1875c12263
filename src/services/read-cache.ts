// A small cache of computed reads (the unit summaries), valid for one data version of the store:
// any write anywhere empties it, so a cached answer is always the answer the database gives now.
// Bounded by entries, least recently used out first.
export class ReadCache<V> {
  private version: string | null = null
  private readonly entries = new Map<string, V>()

  constructor(private readonly maxEntries: number) {}

  /** The value for `key` at data version `version`, computed when missing. `versionNow` is asked
   *  again after computing: a write that landed meanwhile means the value is not stored. */
  async get(version: string, key: string, compute: () => Promise<V>, versionNow: () => Promise<string>): Promise<V> {
    if (this.maxEntries <= 0) return compute()
    if (this.version !== version) { this.entries.clear(); this.version = version }
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit
    }
    const value = await compute()
    if (await versionNow() !== version || this.version !== version) return value
    this.entries.set(key, value)
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
    return value
  }

  get size(): number { return this.entries.size }
}
