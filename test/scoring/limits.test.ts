// The size limits of src/scoring/limits.ts, each at its bound (accepted) and one past it
// (refused by checkSet, so by the verifier, the compiler and the CSV importer, with its code, the
// JSON path of what is too big and a Vietnamese message); and every shipped set well within them.
import t from 'tap'
import { checkSet } from '../../src/scoring/check-set.js'
import {
  MAX_CRITERIA_PER_SET, MAX_ENUM_VALUES, MAX_FACTS_PER_RULE, MAX_FACTS_PER_SET, MAX_RULE_NODES, MAX_SET_NODES,
} from '../../src/scoring/limits.js'
import { analyzeRule } from '../../src/scoring/rules/analyze.js'
import { countNodes } from '../../src/scoring/rules/compile.js'
import type { CriteriaSetDef, CriterionDef, FactDef, GroupDef } from '../../src/scoring/types.js'
import { validateSetSchema } from '../../src/criteria/schema-validation.js'
import { PROV, fixtureSet, loadCatalog } from '../helpers.js'

const bool = (key: string): FactDef => ({ key, type: 'boolean', label: `Có ${key}` })
/** {"if": [{"or": [vars]}, 1, 0]}: vars.length + 4 nodes. */
const anyOf = (vars: string[]) => ({ if: [{ or: vars.map((v) => ({ var: v })) }, 1, 0] })
const scored = (code: string, rule: unknown): CriterionDef => ({ code, title: `Tiêu chí ${code}`, kind: 'scored', maxPoints: 1, rule, provenance: PROV })

/** One group per 200 criteria (the schema's maximum), every fact declared. */
function setOf(criteria: CriterionDef[], facts: FactDef[]): CriteriaSetDef {
  const groups: GroupDef[] = []
  for (let i = 0; i < criteria.length; i += 200) {
    const cs = criteria.slice(i, i + 200)
    groups.push({ code: `G${groups.length + 1}`, title: `Nhóm ${groups.length + 1}`, maxPoints: cs.reduce((n, c) => n + (c.maxPoints ?? 0), 0), criteria: cs })
  }
  const def = fixtureSet({ facts: { define: facts }, groups })
  t.same(validateSetSchema(def), [], 'the fixture is schema-valid')
  return def
}
const errors = (def: CriteriaSetDef) => checkSet(def, null).findings.filter((f) => f.severity === 'error')
const keys = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => `${prefix}${i}`)

t.test('facts per rule: 64 accepted, 65 refused at the rule\'s path', async (t) => {
  const at = setOf([scored('1', anyOf(keys(MAX_FACTS_PER_RULE)))], keys(MAX_FACTS_PER_RULE).map(bool))
  t.same(errors(at), [])
  const over = setOf([scored('1', anyOf(keys(MAX_FACTS_PER_RULE + 1)))], keys(MAX_FACTS_PER_RULE + 1).map(bool))
  const e = errors(over)
  t.same(e.map((f) => [f.code, f.path, f.criterion]), [['RULE_TOO_MANY_FACTS', '/groups/0/criteria/0/rule', '1']])
  t.match(e[0]?.message, /đọc 65 dữ kiện; tối đa 64/)
})

t.test('nodes per rule: 500 accepted, 501 refused', async (t) => {
  // {"+": [{"+": [1 × 98]} × 5, {"+": [1 × k]}]} has 1 + 5 × 99 + 1 + k nodes ("+" takes 99 arguments).
  const ruleOf = (n: number) => ({ '+': [...Array.from({ length: 5 }, () => ({ '+': Array.from({ length: 98 }, () => 1) })), { '+': Array.from({ length: n - 497 }, () => 1) }] })
  t.equal(countNodes(ruleOf(MAX_RULE_NODES)), MAX_RULE_NODES, 'the compiler counts as the analyzer does')
  t.same(analyzeRule(ruleOf(MAX_RULE_NODES), () => null).findings, [])
  t.same(analyzeRule(ruleOf(MAX_RULE_NODES + 1), () => null).findings.map((f) => f.code), ['RULE_TOO_LARGE'])
  const e = errors(setOf([{ ...scored('1', ruleOf(MAX_RULE_NODES + 1)), maxPoints: 600 }], []))
  t.same(e.map((f) => f.code), ['RULE_TOO_LARGE'])
  t.match(e[0]?.path, /^\/groups\/0\/criteria\/0\/rule\//)
  t.match(e[0]?.message, /quy tắc có hơn 500 nút/)
})

t.test('nodes per set: 10,000 accepted, one more refused at /groups', async (t) => {
  // 146 rules of 68 nodes (64 facts + 4) = 9,928, and {"+": [1 × 71]} (72 nodes) makes 10,000.
  const rules: CriterionDef[] = []
  let nodes = 0
  for (let i = 0; nodes + 68 <= MAX_SET_NODES - 10; i++) { rules.push(scored(`${i + 1}`, anyOf(keys(64).map((k) => `${k}_${i % 5}`)))); nodes += 68 }
  t.equal(nodes, 9928)
  const facts = [0, 1, 2, 3, 4].flatMap((j) => keys(64).map((k) => bool(`${k}_${j}`)))
  const filler = (n: number) => ({ '+': Array.from({ length: n - 1 }, () => 1) })
  const at = setOf([...rules, scored('z', filler(MAX_SET_NODES - nodes))], facts)
  t.same(errors(at), [], `${MAX_SET_NODES} nodes`)
  const over = setOf([...rules, scored('z', filler(MAX_SET_NODES - nodes + 1))], facts)
  const e = errors(over)
  t.same(e.map((f) => [f.code, f.path]), [['SET_TOO_LARGE', '/groups']])
  t.match(e[0]?.message, /tổng cộng 10001 nút; tối đa 10000/)
})

t.test('criteria per set: 400 accepted, 401 refused (children count)', async (t) => {
  const facts = [bool('a')]
  const flat = (n: number) => Array.from({ length: n }, (_, i) => scored(`${i + 1}`, { if: [{ var: 'a' }, 1, 0] }))
  t.same(errors(setOf(flat(MAX_CRITERIA_PER_SET), facts)), [])
  // 400 leaves and 1 parent above two of them: 401 criteria.
  const list = flat(MAX_CRITERIA_PER_SET)
  const [c1, c2] = [list.shift() as CriterionDef, list.shift() as CriterionDef]
  const parent: CriterionDef = { code: 'P', title: 'Cha', kind: 'scored', maxPoints: 2, children: [c1, c2], provenance: PROV }
  const e = errors(setOf([parent, ...list], facts))
  t.same(e.map((f) => [f.code, f.path]), [['TOO_MANY_CRITERIA', '/groups']])
  t.match(e[0]?.message, /có 401 tiêu chí \(kể cả tiêu chí con\); tối đa 400/)
})

t.test('facts per set: 500 accepted, 501 refused at /facts', async (t) => {
  const ok = keys(MAX_FACTS_PER_SET)
  // Every fact read by some rule (no UNUSED_FACT warning matters here, only errors).
  const rules = (ks: string[]) => Array.from({ length: Math.ceil(ks.length / 50) }, (_, i) => scored(`${i + 1}`, anyOf(ks.slice(i * 50, i * 50 + 50))))
  t.same(errors(setOf(rules(ok), ok.map(bool))), [])
  const over = keys(MAX_FACTS_PER_SET + 1)
  t.same(errors(setOf(rules(over), over.map(bool))).map((f) => [f.code, f.path]), [['TOO_MANY_FACTS', '/facts']])
})

t.test('values of an enum fact: 50 accepted, 51 refused', async (t) => {
  const enumOf = (n: number): FactDef => ({ key: 'e', type: 'enum', label: 'Mức', values: Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `Giá trị ${i}` })) })
  const rule = { if: [{ '==': [{ var: 'e' }, 'v1'] }, 1, 0] }
  t.same(errors(setOf([scored('1', rule)], [enumOf(MAX_ENUM_VALUES)])), [])
  t.same(errors(setOf([scored('1', rule)], [enumOf(MAX_ENUM_VALUES + 1)])).map((f) => [f.code, f.path]), [['TOO_MANY_VALUES', '/facts']])
})

t.test('every shipped set is far within every limit (a quarter of it or less)', async (t) => {
  const catalog = loadCatalog()
  t.ok(catalog.list().length >= 6)
  for (const e of catalog.list()) {
    const { findings, facts } = checkSet(e.def, catalog.vocabularyOf(e.def))
    t.same(findings.filter((f) => f.severity === 'error'), [], `${e.def.id}: no error`)
    let criteria = 0
    let nodes = 0
    let maxNodes = 0
    let maxFacts = 0
    const walk = (cs: CriterionDef[]): void => cs.forEach((c) => {
      criteria++
      if (c.rule !== undefined) {
        const a = analyzeRule(c.rule, () => 'number')
        nodes += a.nodes
        maxNodes = Math.max(maxNodes, a.nodes)
        maxFacts = Math.max(maxFacts, a.vars.length)
      }
      walk(c.children ?? [])
    })
    e.def.groups.forEach((g) => walk(g.criteria))
    t.ok(criteria * 4 <= MAX_CRITERIA_PER_SET, `${e.def.id}: ${criteria} criteria`)
    t.ok(nodes * 4 <= MAX_SET_NODES, `${e.def.id}: ${nodes} nodes`)
    t.ok(maxNodes * 4 <= MAX_RULE_NODES, `${e.def.id}: ${maxNodes} nodes in its largest rule`)
    t.ok(maxFacts * 4 <= MAX_FACTS_PER_RULE, `${e.def.id}: ${maxFacts} facts in one rule`)
    t.ok(facts.size * 4 <= MAX_FACTS_PER_SET, `${e.def.id}: ${facts.size} facts`)
  }
})
