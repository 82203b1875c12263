// Times the worst sets the limits accept (worst-sets.ts) and the H3 set: import, verify, score
// with hints. Run by hand, never in CI: node --import tsx test/hostile/measure-limits.ts
// Figures go in the comment of src/scoring/limits.ts.
import { criteriaFromCsv } from '../../src/authoring/criteria-csv.js'
import { Catalog } from '../../src/criteria/catalog.js'
import { compileSet } from '../../src/scoring/compile-set.js'
import { score } from '../../src/scoring/evaluate.js'
import type { CriteriaSetDef } from '../../src/scoring/types.js'
import { verifySet } from '../../src/verify/verify.js'
import { hostileCsv, HOSTILE_META } from './hostile-set.js'
import { manyCsv, wideCsv, WORST_META } from './worst-sets.js'

const time = <T>(label: string, f: () => T): T => {
  const t = performance.now()
  const r = f()
  console.log(`${label.padEnd(40)} ${(performance.now() - t).toFixed(0).padStart(6)} ms`)
  return r
}

for (const [name, csv] of [['wide', wideCsv()], ['many', manyCsv()], ['wide, fat', wideCsv(true)], ['many, fat', manyCsv(true)]] as const) {
  console.log(`— ${name}: ${csv.length} bytes`)
  const { def, problems } = time(`${name}: import (criteriaFromCsv)`, () => criteriaFromCsv(csv, WORST_META))
  if (!def) { console.log(problems.slice(0, 3)); continue }
  const report = time(`${name}: verify`, () => verifySet({ file: 'database:x', def: def as CriteriaSetDef }, new Catalog('/nonexistent')))
  console.log('  findings', report.flatMap((r) => r.findings).filter((f) => f.severity === 'error').map((f) => f.code))
  const set = time(`${name}: compile`, () => compileSet(def, null))
  const falseFacts: Record<string, unknown> = {}
  for (const f of set.facts.values()) falseFacts[f.key] = f.type === 'boolean' ? false : f.key.startsWith('w') ? 1e9 : 0
  for (const [label, facts] of [['empty', {}], ['all no / 0 of 10⁹', falseFacts]] as const) {
    score(set, { facts }, { hints: true })
    const r = time(`${name}: score+hints ${label}`, () => score(set, { facts }, { hints: true }))
    console.log('  truncated', r.groups.map((g) => g.nextLevel?.truncated ?? false))
  }
}
const hostile = hostileCsv(20)
console.log(`— H3 table of 20 criteria: ${hostile.length} bytes`)
const h = time('H3: import', () => criteriaFromCsv(hostile, HOSTILE_META))
console.log('  ', h.problems.length, h.problems[0]?.code)
