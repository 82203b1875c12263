// The in-memory form of what a rollup reads: one record per assessment with its group rows and its
// criterion rows packed per source (self, external). Kept per (period, set, version) and per
// (previous school year, set id), refreshed from the database by version (src/rollups/sync.ts).
import type { AssessmentState, RollupGroupRow } from '../repositories/types.js'

/** A criterion row's met column: 1/0, NULL (-1), or no row for that code (-2). */
export const MET_NULL = -1
export const NO_ROW = -2

export interface TargetCell { code: string; met: boolean | null; value: number | null; gap: number | null; status: string }

/** One source's criterion rows, indexed by the code table of the snapshot. `points` is NaN where
 *  the column is NULL or the row is absent (`met[i] === NO_ROW` tells which). Typed arrays: a
 *  national snapshot holds 3 million of these cells, which the garbage collector then never scans. */
export interface CriterionRows { points: Float64Array; met: Int8Array; targets: TargetCell[] }

export interface AssessmentRecord {
  id: string
  schoolId: number
  state: AssessmentState
  version: number
  /** rowid: "the latest created" among a school's assessments of a year. */
  rowid: number
  groups: RollupGroupRow[]
  hasExternal: boolean
  self: CriterionRows | null
  external: CriterionRows | null
}

/** Per code of a set version: kind and max points (the same in every stored row of that version). */
export class CodeTable {
  readonly index = new Map<string, number>()
  readonly codes: string[] = []
  readonly kinds: string[] = []
  readonly maxPoints: (number | null)[] = []
  /** A row disagreed with the table (a kind or max of one code differing between rows): the
   *  packed form cannot represent it, and readers fall back to SQL. */
  irregular = false

  slot(code: string, kind: string, max: number | null): number {
    let i = this.index.get(code)
    if (i === undefined) {
      i = this.codes.length
      this.index.set(code, i)
      this.codes.push(code); this.kinds.push(kind); this.maxPoints.push(max)
    } else if (this.kinds[i] !== kind || this.maxPoints[i] !== max) {
      this.irregular = true
    }
    return i
  }
}

export function emptyRows(size: number): CriterionRows {
  return { points: new Float64Array(size).fill(Number.NaN), met: new Int8Array(size).fill(NO_ROW), targets: [] }
}

/** The same rows with room for at least `size` codes (a code first seen after they were made). */
export function grown(rows: CriterionRows, size: number): CriterionRows {
  const out = emptyRows(size)
  out.points.set(rows.points)
  out.met.set(rows.met)
  out.targets = rows.targets
  return out
}

/** Neumaier's compensated sum, as SQLite's SUM/AVG/TOTAL compute it (3.43+): the in-memory and
 *  the SQL rollups then agree to the last bit on any order of rows. */
export class Kbn {
  private s = 0
  private c = 0
  n = 0
  add(v: number): void {
    const t = this.s + v
    if (Math.abs(this.s) >= Math.abs(v)) this.c += (this.s - t) + v
    else this.c += (v - t) + this.s
    this.s = t
    this.n++
  }
  get total(): number { return this.s + this.c }
}
