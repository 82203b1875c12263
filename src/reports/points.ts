// One school's points per criterion, self and external, for the exports. A national report holds
// 30,000 of these with ~60 criteria each: two numbers per criterion in a typed array instead of an
// object per criterion (bench/memory.ts). JSON output is the plain shape {code: {self, external}}.
export type PointsSource = 'self' | 'external'

const SELF = 1
const EXTERNAL = 2

export class SchoolPoints {
  // [self, external] per criterion; `present` marks which of the two rows exist (bit 1 self, bit 2
  // external) so that a stored null ("not evaluated") stays distinct from no row at all.
  private readonly points: Float64Array
  private readonly present: Uint8Array

  constructor(private readonly index: ReadonlyMap<string, number>) {
    this.points = new Float64Array(index.size * 2)
    this.present = new Uint8Array(index.size)
  }

  /** Criterion code → position, in the report's criteria order. */
  static indexOf(codes: readonly string[]): ReadonlyMap<string, number> {
    return new Map(codes.map((c, i) => [c, i]))
  }

  /** From the plain shape (tests, hand-built reports). */
  static from(record: Record<string, { self: number | null; external: number | null }>): SchoolPoints {
    const p = new SchoolPoints(SchoolPoints.indexOf(Object.keys(record)))
    for (const [code, v] of Object.entries(record)) { p.set(code, 'self', v.self); p.set(code, 'external', v.external) }
    return p
  }

  /** Records a stored row; codes outside the index (not scored) are ignored. */
  set(code: string, source: PointsSource, points: number | null): void {
    const i = this.index.get(code)
    if (i === undefined) return
    this.points[i * 2 + (source === 'self' ? 0 : 1)] = points ?? Number.NaN
    this.present[i] = (this.present[i] as number) | (source === 'self' ? SELF : EXTERNAL)
  }

  self(code: string): number | null { return this.get(code, 0, SELF) }
  external(code: string): number | null { return this.get(code, 1, EXTERNAL) }

  private get(code: string, offset: 0 | 1, bit: number): number | null {
    const i = this.index.get(code)
    if (i === undefined || ((this.present[i] as number) & bit) === 0) return null
    const v = this.points[i * 2 + offset] as number
    return Number.isNaN(v) ? null : v
  }

  toJSON(): Record<string, { self: number | null; external: number | null }> {
    const out: Record<string, { self: number | null; external: number | null }> = {}
    for (const [code, i] of this.index) if (this.present[i] !== 0) out[code] = { self: this.self(code), external: this.external(code) }
    return out
  }
}
