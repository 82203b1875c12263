// H3 of issue 11: one criterion {"if": [{"or": [{"or": [b0…b98]}, … 19 chunks]}, 10, 0]} (1,901
// nodes, 1,880 facts) passed the verifier; importing it blocked the server 14 s, publishing 14 s,
// and an anonymous POST /v1/score with hints 15.4 s. Now the limits refuse it at every door, fast,
// with the code and path of what is too big; and the largest set they accept scores with hints
// within the budget.
import t from 'tap'
import { Catalog } from '../../src/criteria/catalog.js'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { canonicalJson, sha256 } from '../../src/scoring/hash.js'
import { compileRule, countNodes, runRule } from '../../src/scoring/rules/compile.js'
import { harness } from '../http/app.js'
import { HOSTILE_META, hostileCsv, hostileDef, hostileRule } from './hostile-set.js'
import { WORST_META, wideCsv } from './worst-sets.js'

const timed = async <T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = performance.now()
  const value = await f()
  return { value, ms: performance.now() - started }
}
const audit = { actor: 'test', at: new Date('2025-04-15T03:00:00Z'), action: 'criteria-set.import' }

t.test('the hostile rule is the one the review found', async (t) => {
  const rule = hostileRule() as { if: [{ or: { or: unknown[] }[] }, number, number] }
  t.equal(rule.if[0].or.length, 19)
  t.equal(rule.if[0].or.reduce((n, c) => n + c.or.length, 0), 1880)
  // if + outer or + 19 ors + 1,880 vars = 1,901 operator nodes; + the literals 10 and 0.
  t.equal(countNodes(rule), 1903)
})

t.test('runRule is linear in the facts a rule reads (read was an array searched per fact)', async (t) => {
  // The limits keep accepted rules small; the engine itself must not be quadratic either.
  // 50,000 facts: ~1.25 × 10⁹ comparisons with an array, 50,000 Set look-ups now.
  const n = 50_000
  const rule = compileRule({ or: Array.from({ length: n }, (_, k) => ({ var: `b${k}` })) }, 'compiled')
  const data = Object.fromEntries(Array.from({ length: n }, (_, k) => [`b${k}`, false]))
  const started = performance.now()
  const run = runRule(rule, data)
  const ms = performance.now() - started
  t.equal(run.read.length, n, 'every fact read once')
  t.equal(run.read[n - 1], `b${n - 1}`, 'in the order read')
  t.equal(run.value, false)
  t.ok(ms < 500, `${ms.toFixed(0)} ms`)
})

t.test('importing the hostile table: refused at once, naming the rule', async (t) => {
  const h = await harness(t, { catalog: Catalog.load() })
  const { value: res, ms } = await timed(() => h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...HOSTILE_META, unitCode: 'LB', csv: hostileCsv() }))
  t.ok(ms < 2000, `${ms.toFixed(0)} ms (14 s before)`)
  t.equal(res.statusCode, 400)
  const err = h.json(res).error
  t.equal(err.code, 'INVALID_CRITERIA_TABLE')
  t.match(err.details.problems[0], { line: 3, code: 'BAD_RULE', message: /RULE_TOO_LARGE.*quy tắc có hơn 500 nút/ })
  t.equal((await h.req(h.keys.reviewerLB, 'GET', '/v1/authored-sets/hostile-set/1')).statusCode, 404, 'nothing stored')
})

t.test('a rule within the node limit reading too many facts: refused on import with RULE_TOO_MANY_FACTS', async (t) => {
  const h = await harness(t, { catalog: Catalog.load() })
  const res = await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...HOSTILE_META, unitCode: 'LB', csv: hostileCsv(1, 300) })
  t.equal(res.statusCode, 400)
  t.match(h.json(res).error.details.problems, [{ line: 3, code: 'RULE_TOO_MANY_FACTS', message: /đọc 300 dữ kiện; tối đa 64/ }])
})

t.test('a hostile draft stored before the limits: GET reports it, publish refuses it, both fast', async (t) => {
  const db = openDatabase(':memory:')
  const store = sqliteStore(db)
  const h = await harness(t, { catalog: Catalog.load(), store })
  const lb = await store.units.byCode('LB')
  const def = hostileDef()
  await store.criteriaSets.saveDraft({ id: 'hostile-set', version: '1', unitId: lb?.id as number, definition: def, contentHash: sha256(canonicalJson(def)), sourceCsv: null, createdBy: 'test' }, audit)
  const got = await timed(() => h.req(h.keys.reviewerLB, 'GET', '/v1/authored-sets/hostile-set/1'))
  t.ok(got.ms < 2000, `GET: ${got.ms.toFixed(0)} ms`)
  t.equal(got.value.statusCode, 200)
  const codes = h.json(got.value).verification.findings.map((f: { code: string; path: string }) => `${f.code} ${f.path}`)
  t.ok(codes.some((c: string) => /^RULE_TOO_LARGE \/groups\/0\/criteria\/0\/rule/.test(c)), 'RULE_TOO_LARGE at the rule')
  t.ok(codes.includes('RULE_TOO_MANY_FACTS /groups/0/criteria/0/rule'))
  t.ok(codes.includes('TOO_MANY_FACTS /facts'))
  const pub = await timed(() => h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/hostile-set/1/publish', {}))
  t.ok(pub.ms < 2000, `publish: ${pub.ms.toFixed(0)} ms (14 s before)`)
  t.equal(pub.value.statusCode, 409)
  t.equal(h.json(pub.value).error.code, 'VERIFICATION_FAILED')
})

t.test('a hostile set published before the limits: anonymous scoring with hints refused fast; it can be withdrawn', async (t) => {
  const db = openDatabase(':memory:')
  const store = sqliteStore(db)
  const h = await harness(t, { catalog: Catalog.load(), store })
  const lb = await store.units.byCode('LB')
  const def = hostileDef()
  await store.criteriaSets.saveDraft({ id: 'hostile-set', version: '1', unitId: lb?.id as number, definition: def, contentHash: sha256(canonicalJson(def)), sourceCsv: null, createdBy: 'test' }, audit)
  const published = hostileDef('published')
  await store.criteriaSets.publish('hostile-set', '1', published, sha256(canonicalJson(published)), { ...audit, action: 'criteria-set.publish' })
  await h.app.services.authoring.loadPublished()
  const facts = Object.fromEntries(Array.from({ length: 1880 }, (_, k) => [`b${k}`, false]))
  const res = await timed(() => h.req(null, 'POST', '/v1/score', { criteriaSet: 'hostile-set@1', evidence: { facts }, hints: true }))
  t.ok(res.ms < 2000, `${res.ms.toFixed(0)} ms (15.4 s before)`)
  t.equal(res.value.statusCode, 500, 'the set no longer compiles: it is broken, not scored')
  t.equal(h.json(res.value).error.code, 'CRITERIA_SET_BROKEN')
  const w = await h.req(h.keys.admin, 'POST', '/v1/authored-sets/hostile-set/1/withdraw', { reason: 'Bộ tiêu chí làm treo máy chủ' })
  t.equal(w.statusCode, 200)
  const after = await h.req(null, 'POST', '/v1/score', { criteriaSet: 'hostile-set@1', evidence: { facts }, hints: true })
  t.equal(after.statusCode, 409)
  t.equal(h.json(after).error.code, 'CRITERIA_SET_WITHDRAWN')
})

t.test('the widest set the limits accept: imported, published, scored anonymously with hints within the budget', async (t) => {
  const h = await harness(t, { catalog: Catalog.load() })
  const csv = wideCsv()
  const imp = await timed(() => h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/import', { ...WORST_META, unitCode: 'LB', csv }))
  t.equal(imp.value.statusCode, 201, imp.value.body.slice(0, 300))
  t.equal(h.json(imp.value).verification.errors, 0)
  t.ok(imp.ms < 5000, `import and verify: ${imp.ms.toFixed(0)} ms`)
  const pub = await timed(() => h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/worst-set/1/publish', {}))
  t.equal(pub.value.statusCode, 200)
  t.ok(pub.ms < 5000, `publish: ${pub.ms.toFixed(0)} ms`)
  const facts = Object.fromEntries(Array.from({ length: 500 }, (_, k) => [`f${k}`, false]))
  const body = { criteriaSet: 'worst-set@1', evidence: { facts }, hints: true }
  await h.req(null, 'POST', '/v1/score', body) // first use compiles the set
  const res = await timed(() => h.req(null, 'POST', '/v1/score', body))
  t.equal(res.value.statusCode, 200)
  t.ok(res.ms < 1000, `score with hints: ${res.ms.toFixed(0)} ms (about 20 ms on the dev machine)`)
  const hint = h.json(res.value).groups[0].nextLevel
  t.equal(hint.truncated, true, 'the response says the hints were cut short')
  t.equal(hint.criteria.length, 11, '50,000 / (65 runs × 68 nodes) = 11 criteria searched')
})
