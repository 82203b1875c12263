// The verifier's report cache (src/verify/cache.ts): bounded, least recently used out first, keyed
// by everything the report depends on; and the verifier's sample budget for large sets.
import t from 'tap'
import { Catalog } from '../../src/criteria/catalog.js'
import { criteriaFromCsv } from '../../src/authoring/criteria-csv.js'
import { compileSet } from '../../src/scoring/compile-set.js'
import { VERIFY_BUDGET_NODES, VERIFY_MIN_SAMPLES } from '../../src/scoring/limits.js'
import { VerifyCache, verifyKey } from '../../src/verify/cache.js'
import { sampleCounts, verifySet } from '../../src/verify/verify.js'
import { WORST_META, manyCsv, wideCsv } from '../hostile/worst-sets.js'

t.test('VerifyCache: hits, misses, bounded, least recently used evicted', async (t) => {
  const cache = new VerifyCache(2)
  let runs = 0
  const run = (name: string) => () => { runs++; return [{ file: name, findings: [] }] }
  t.same(cache.get('a', run('a')), [{ file: 'a', findings: [] }])
  cache.get('a', run('a'))
  t.equal(runs, 1, 'the second get of "a" is a hit')
  cache.get('b', run('b'))
  cache.get('a', run('a')) // a is now the most recent
  cache.get('c', run('c')) // evicts b
  t.equal(cache.size, 2)
  const before = runs
  cache.get('a', run('a'))
  t.equal(runs, before, '"a" kept')
  cache.get('b', run('b'))
  t.equal(runs, before + 1, '"b" was evicted')
  t.same([cache.hits, cache.misses], [3, 4])
  const off = new VerifyCache(0)
  off.get('x', run('x'))
  off.get('x', run('x'))
  t.equal(off.size, 0, 'capacity 0 keeps nothing')
})

t.test('verifyKey: the content, the origin, the vocabulary and what references resolve to', async (t) => {
  const catalog = Catalog.load()
  const moet = catalog.find('moet-4725').def
  const base = verifyKey(moet, 'h1', 'database:LB/x@1', catalog)
  t.equal(verifyKey(moet, 'h1', 'database:LB/x@1', catalog), base, 'stable')
  t.not(verifyKey(moet, 'h2', 'database:LB/x@1', catalog), base, 'other content')
  t.not(verifyKey(moet, 'h1', 'database:QN/x@1', catalog), base, 'other origin')
  const withRef = { ...moet, references: { moet: { set: 'moet-4725', label: 'QĐ 4725', select: { group: 'I' } } } } as unknown as typeof moet
  const k1 = verifyKey(withRef, 'h1', 'o', catalog)
  const other = { ...withRef, references: { moet: { set: 'no-such-set', label: 'QĐ 4725', select: { group: 'I' } } } } as unknown as typeof moet
  t.not(verifyKey(other, 'h1', 'o', catalog), k1, 'a reference resolving elsewhere')
})

t.test('sample budget: shipped sets get every sample, the largest accepted sets fewer, within the budget', async (t) => {
  const catalog = Catalog.load()
  for (const e of catalog.list()) t.same(sampleCounts(catalog.compile(`${e.def.id}@${e.def.version}`)), { combinations: 512, random: 300 }, e.def.id)
  for (const [name, csv] of [['wide', wideCsv()], ['many', manyCsv()]] as const) {
    const { def } = criteriaFromCsv(csv, WORST_META)
    const set = compileSet(def as NonNullable<typeof def>, null)
    let nodes = 0
    for (const c of set.byCode.values()) nodes += c.rule?.size ?? 0
    const { combinations, random } = sampleCounts(set)
    const perRule = combinations + 1 + random
    t.ok(perRule >= VERIFY_MIN_SAMPLES, `${name}: ${perRule} samples per rule`)
    t.ok(2 * perRule * nodes <= VERIFY_BUDGET_NODES, `${name}: 2 × ${perRule} × ${nodes} nodes within the budget`)
    t.ok(perRule < 813, `${name}: fewer than the full 813`)
  }
  // wide: 147 rules × 68 nodes = 9,996; 4,000,000 / (2 × 9,996) = 200 per rule: 125 + 1 + 74.
  const { def } = criteriaFromCsv(wideCsv(), WORST_META)
  t.same(sampleCounts(compileSet(def as NonNullable<typeof def>, null)), { combinations: 125, random: 74 })
})

t.test('the widest accepted set verifies without error in a bounded time', async (t) => {
  const { def } = criteriaFromCsv(wideCsv(), WORST_META)
  const started = performance.now()
  const reports = verifySet({ file: 'database:LB/worst-set@1', def: def as NonNullable<typeof def> }, new Catalog('/nonexistent'))
  const ms = performance.now() - started
  t.same(reports.flatMap((r) => r.findings).filter((f) => f.severity === 'error'), [])
  t.ok(ms < 5000, `${ms.toFixed(0)} ms (about 0.5 s on the dev machine)`)
})
