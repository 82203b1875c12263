// Evidence samples for the verifier: boundary values of every fact a rule reads (0, 1, the
// whole, the upper bound, yes/no, each enum value), their combinations, then seeded random
// values. Parts never exceed their wholes, as validated evidence never does.
import type { CompiledSet } from '../scoring/compile-set.js'
import type { Data } from '../scoring/rules/compile.js'
import type { FactDef, ReferenceDef } from '../scoring/types.js'

/** Small deterministic PRNG (mulberry32): the same set always gets the same samples. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DEFAULT_UPPER = 1000
const MAX_COMBINATIONS = 512

function upper(f: FactDef): number {
  return f.max ?? DEFAULT_UPPER
}

function boundaryValues(f: FactDef): unknown[] {
  switch (f.type) {
    case 'boolean': return [false, true]
    case 'enum': return (f.values ?? []).map((v) => v.value)
    case 'integer': {
      const lo = f.min ?? 0
      return [...new Set([lo, lo + 1, Math.floor((lo + upper(f)) / 2), upper(f)])]
    }
    case 'number': {
      const lo = f.min ?? 0
      return [...new Set([lo, lo + 0.5, (lo + upper(f)) / 2, upper(f)])]
    }
    case 'string': return ['x', 'Trường THCS Ngọc Thụy']
    case 'date': return ['2024-09-05']
    case 'document': return [{ title: 'Văn bản', url: 'https://example.edu.vn/a.pdf' }]
  }
}

function randomValue(f: FactDef, rand: () => number): unknown {
  const b = boundaryValues(f)
  if (f.type === 'integer') { const lo = f.min ?? 0; return lo + Math.floor(rand() * (upper(f) - lo + 1)) }
  if (f.type === 'number') { const lo = f.min ?? 0; return lo + rand() * (upper(f) - lo) }
  return b[Math.floor(rand() * b.length)]
}

function refValues(ref: ReferenceDef): unknown[] {
  const s = ref.select
  if ('overall' in s) return [1, 2, 3]
  if (s.field === 'level') return [1, 2, 3]
  if (s.field === 'met') return [true, false]
  if (s.field === 'total' || s.field === 'points') return [0, 49.99, 50, 75, 75.01, 100]
  return ['x', 1, true]
}

/** Keeps every part within its whole (maxFact), as evidence validation does. `parts`: the facts
 *  sampled that have a whole (not every fact of the set: that made sampling O(facts) per sample). */
function fitParts(parts: FactDef[], d: Data, rand: () => number): void {
  for (const f of parts) {
    if (!f.maxFact) continue
    const whole = d[f.maxFact]
    const part = d[f.key]
    if (typeof whole === 'number' && typeof part === 'number' && part > whole) {
      d[f.key] = f.type === 'integer' ? Math.floor(rand() * (whole + 1)) : rand() * whole
    }
  }
}

/** Samples of evaluation data for the given var paths (facts and ref.* names): at most
 *  `combinations` of boundary values, the parts-equal-wholes sample, then `random` random ones. */
export function samplesFor(set: CompiledSet, vars: string[], random: number, seed = 4725, combinations = MAX_COMBINATIONS): Data[] {
  const rand = prng(seed)
  const axes: { path: string; values: unknown[]; random: () => unknown }[] = []
  // In the set's order, as before, so the same set keeps getting the same samples.
  const sampled = new Set(vars)
  const parts = [...set.facts.values()].filter((f) => f.maxFact !== undefined && sampled.has(f.key))
  for (const v of vars) {
    if (v.startsWith('ref.')) {
      const ref = Object.hasOwn(set.references, v.slice(4)) ? set.references[v.slice(4)] : undefined
      if (!ref) continue
      const values = refValues(ref)
      axes.push({ path: v, values, random: () => values[Math.floor(rand() * values.length)] })
    } else {
      const f = set.facts.get(v)
      if (!f) continue
      // A bounding whole also takes the part's value range, so ratios of exactly 1 appear.
      axes.push({ path: v, values: boundaryValues(f), random: () => randomValue(f, rand) })
    }
  }
  const out: Data[] = []
  const make = (assign: (path: string, i: number) => unknown): Data => {
    const d: Data = Object.create(null)
    axes.forEach((a, i) => {
      const value = assign(a.path, i)
      if (a.path.startsWith('ref.')) ((d.ref ??= Object.create(null)) as Data)[a.path.slice(4)] = value
      else d[a.path] = value
    })
    fitParts(parts, d, rand)
    return d
  }
  // Cartesian product of boundary values, capped; then random points.
  const total = axes.reduce((n, a) => n * a.values.length, 1)
  if (total <= combinations) {
    for (let k = 0; k < total; k++) {
      let rest = k
      out.push(make((_, i) => {
        const values = (axes[i] as (typeof axes)[number]).values
        const v = values[rest % values.length]
        rest = Math.floor(rest / values.length)
        return v
      }))
    }
  } else {
    for (let k = 0; k < combinations; k++) out.push(make((_, i) => { const vs = (axes[i] as (typeof axes)[number]).values; return vs[Math.floor(rand() * vs.length)] }))
  }
  // Parts equal to their wholes: the exact ratio-1 boundary that random values rarely hit.
  const wholes = new Set([...set.facts.values()].map((f) => f.maxFact).filter((k): k is string => k !== undefined))
  out.push(make((p, i) => (wholes.has(p) || set.facts.get(p)?.maxFact !== undefined ? 37 : (axes[i] as (typeof axes)[number]).values.at(-1))))
  for (let k = 0; k < random; k++) out.push(make((_, i) => (axes[i] as (typeof axes)[number]).random()))
  return out
}
