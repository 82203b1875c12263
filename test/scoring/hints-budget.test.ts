// The hint budget (src/scoring/limits.ts HINT_BUDGET_NODES): hints re-run a criterion's rule
// once per candidate fact value, so a set of large rules could make one request re-run rules
// millions of times (H3). Shipped sets never reach the budget; a set that does gets hints for the
// criteria searched within it and `truncated: true`.
import t from 'tap'
import { criteriaFromCsv } from '../../src/authoring/criteria-csv.js'
import { Catalog } from '../../src/criteria/catalog.js'
import { scoreWithReferences } from '../../src/criteria/score-bundle.js'
import { compileSet } from '../../src/scoring/compile-set.js'
import { score } from '../../src/scoring/evaluate.js'
import { HINT_BUDGET_NODES } from '../../src/scoring/limits.js'
import { load4725, zeroEvidence, fullEvidence } from '../helpers.js'
import { WORST_META, wideCsv } from '../hostile/worst-sets.js'

t.test('moet-4725: the budget changes nothing (same hints as without a bound, never truncated)', async (t) => {
  const set = load4725()
  const bundles = [{ facts: {} }, zeroEvidence(), fullEvidence({ lms_parent_monitoring: false }), zeroEvidence({ teachers_total: 40, informatics_computers: 3 })]
  for (const [i, b] of bundles.entries()) {
    const bounded = score(set, b, { hints: true })
    const unbounded = score(set, b, { hints: true, hintBudget: Number.POSITIVE_INFINITY })
    t.same(JSON.parse(JSON.stringify(bounded)), JSON.parse(JSON.stringify(unbounded)), `bundle ${i}`)
    t.notOk(bounded.groups.some((g) => g.nextLevel?.truncated), `bundle ${i}: not truncated`)
  }
})

t.test('every shipped set with its examples stays within a tenth of the budget', async (t) => {
  const catalog = Catalog.load()
  for (const e of catalog.list()) {
    const set = catalog.compile(`${e.def.id}@${e.def.version}`)
    const full = scoreWithReferences(set, { facts: {} }, catalog, true)
    t.notOk(full.groups.some((g) => g.nextLevel?.truncated), `${e.def.id}`)
    // With a tenth of the budget the hints are the same: shipped sets need far less.
    const r = score(set, { facts: {} }, { hints: true, hintBudget: HINT_BUDGET_NODES / 10 })
    t.notOk(r.groups.some((g) => g.nextLevel?.truncated), `${e.def.id} with a tenth`)
  }
})

t.test('a budget of 0: no rule re-run; facts to provide are still listed; truncated', async (t) => {
  const set = load4725()
  const r = score(set, zeroEvidence(), { hints: true, hintBudget: 0 })
  const g = r.groups.find((x) => x.code === 'I')
  t.equal(g?.nextLevel?.truncated, true)
  t.same(g?.nextLevel?.criteria, [], 'complete evidence: every hint needs a re-run')
  const partial = score(set, { facts: {} }, { hints: true, hintBudget: 0 })
  const gi = partial.groups.find((x) => x.code === 'I')
  // With no evidence every criterion is incomplete: "provide these facts" needs no re-run.
  t.ok((gi?.nextLevel?.criteria.length ?? 0) > 0, 'incomplete criteria still get their facts to provide')
  t.ok(gi?.nextLevel?.criteria.every((c) => c.changes.every((ch) => ch.to === 'cung cấp minh chứng')))
})

t.test('the widest accepted set: exactly the criteria that fit in the budget are searched', async (t) => {
  const { def, problems } = criteriaFromCsv(wideCsv(), WORST_META)
  t.same(problems, [])
  const set = compileSet(def as NonNullable<typeof def>, null)
  const facts = Object.fromEntries([...set.facts.keys()].map((k) => [k, false]))
  const started = performance.now()
  const r = score(set, { facts }, { hints: true })
  const took = performance.now() - started
  const hint = r.groups[0]?.nextLevel
  // Each rule {"if": [{"or": [64 facts]}, 10, 0]} has 68 nodes; with every fact "no" its search is
  // 64 single changes + all 64 together = 65 runs × 68 = 4,420 nodes. 50,000 / 4,420 → 11 criteria
  // (48,620), the 12th does not fit.
  t.equal(set.byCode.size, 147)
  t.equal(hint?.truncated, true)
  t.equal(hint?.criteria.length, 11)
  t.same(hint?.criteria[0]?.changes.length, 1, 'one fact "yes" earns the 10 points')
  t.ok(took < 1000, `scored with hints in ${took.toFixed(0)} ms (about 20 ms on the dev machine)`)
})
