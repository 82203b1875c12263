// src/scoring/rules/: the static rule analyzer, and the closure compiler's parity with
// json-logic-js 2.0.5 (the reference semantics) on cases where JavaScript is surprising.
import t from 'tap'
import jsonLogic from 'json-logic-js'
import { analyzeRule, type VarType } from '../../src/scoring/rules/analyze.js'
import { compileExpr, compileRule, runRule } from '../../src/scoring/rules/compile.js'
import { formatLogic } from '../../src/scoring/rules/format.js'

// the facts a rule may name in these tests, with their types
const TYPES: Record<string, VarType> = { n: 'number', total: 'number', flag: 'boolean', name: 'string', doc: 'other', 'ref.level': 'number' }
const resolve = (p: string): VarType | null => (Object.hasOwn(TYPES, p) ? TYPES[p] as VarType : null)
const codes = (rule: unknown) => analyzeRule(rule, resolve).findings.map((f) => f.code)

t.test('analyzeRule accepts well-formed rules and lists their vars', async (t) => {
  const ratio = { if: [{ '>': [{ var: ['total', 0] }, 0] }, { '*': [7, { min: [1, { '/': [{ var: ['n', 0] }, { var: ['total', 0] }] }] }] }, 0] }
  const a = analyzeRule(ratio, resolve)
  t.same(a.findings, [])
  t.same(a.vars.sort(), ['n', 'total'])
  t.same(codes({ if: [{ var: 'flag' }, 6, 0] }), [])
  t.same(codes({ '!!': [{ var: 'flag' }] }), [])
  t.same(codes({ and: [{ var: 'flag' }, { '==': [{ var: 'name' }, 'x'] }] }), [])
  t.same(codes({ '==': [{ var: 'ref.level' }, 3] }), [])
  t.same(codes(5), [], 'a constant rule')
})

t.test('analyzeRule rejects unknown operators', async (t) => {
  for (const rule of [{ log: 1 }, { method: [{ var: 'name' }, 'toString'] }, { map: [[1, 2], { var: '' }] }, { missing: ['n'] }, { substr: ['abc', 1] }, { merge: [[1], [2]] }, { reduce: [[1], 0, 0] }]) {
    const op = Object.keys(rule)[0]
    const f = analyzeRule(rule, resolve).findings
    t.same(f.map((x) => x.code), ['UNKNOWN_OPERATOR'], `"${op}" is rejected`)
    t.equal(f[0]?.path, `/${op}`, `the path points at "${op}"`)
  }
  // also when nested deep inside an allowed rule
  t.same(codes({ if: [{ var: 'flag' }, { log: 6 }, 0] }), ['UNKNOWN_OPERATOR'])
})

t.test('analyzeRule: var must name a declared fact with a literal path', async (t) => {
  t.same(codes({ var: 'teachers_count' }), ['UNKNOWN_VAR'], 'undeclared fact')
  t.same(codes({ var: 'ref.other' }), ['UNKNOWN_VAR'], 'undeclared reference')
  t.same(codes({ var: '__proto__' }), ['UNKNOWN_VAR'], 'prototype access is not a fact')
  t.same(codes({ var: { cat: ['n', ''] } }), ['DYNAMIC_VAR'], 'computed path')
  t.same(codes({ var: [{ var: 'name' }] }), ['DYNAMIC_VAR'], 'path read from another var')
  t.same(codes({ var: '' }), ['DYNAMIC_VAR'], 'empty path (the whole data object)')
  t.ok(codes({ var: [] }).includes('DYNAMIC_VAR'), 'no path')
  t.ok(codes({ '+': [{ var: ['n', { var: 'total' }] }, 1] }).includes('DYNAMIC_VAR'), 'computed default')
  t.same(codes({ '==': [{ var: ['n', { var: 'total' }] }, 1] }), ['DYNAMIC_VAR'], 'computed default outside arithmetic')
  const f = analyzeRule({ var: 'teachers_count' }, resolve).findings[0]
  t.match(f?.message, /teachers_count/)
  t.type(f?.fix, 'string')
})

t.test('analyzeRule: arithmetic only on numbers, each var with a numeric default', async (t) => {
  t.same(codes({ '+': [{ var: ['flag', 0] }, 1] }), ['NON_NUMERIC_OPERAND'], 'a boolean fact in +')
  t.same(codes({ '*': [6, { var: 'flag' }] }), ['NON_NUMERIC_OPERAND'], 'a boolean fact in *')
  t.same(codes({ '+': [{ var: ['name', 0] }, 1] }), ['NON_NUMERIC_OPERAND'], 'a string fact')
  t.same(codes({ '+': [{ '>': [{ var: ['n', 0] }, 1] }, 1] }), ['NON_NUMERIC_OPERAND'], 'the true/false result of a comparison')
  t.same(codes({ '+': ['3', 1] }), ['NON_NUMERIC_OPERAND'], 'a string literal')
  t.same(codes({ '+': [null, 1] }), ['NON_NUMERIC_OPERAND'], 'a null literal')
  t.same(codes({ '+': [{ var: 'n' }, 1] }), ['MISSING_NUMERIC_DEFAULT'], 'a numeric fact without default')
  t.same(codes({ '/': [{ var: ['n', 'x'] }, 2] }), ['MISSING_NUMERIC_DEFAULT'], 'a non-numeric default')
  t.same(codes({ '+': [{ var: ['n', 0] }, 1] }), [], 'with a numeric default it is fine')
  t.same(codes({ '>': [{ var: 'n' }, 1] }), [], 'comparisons need no default')
  t.same(codes({ min: [1, { var: ['n', 0] }] }), [])
})

t.test('analyzeRule: if needs an else; arity is checked', async (t) => {
  t.ok(codes({ if: [{ var: 'flag' }, 1] }).includes('IF_WITHOUT_ELSE'), 'if [c, a]')
  t.ok(codes({ if: [{ var: 'flag' }, 1, { var: 'flag' }, 2] }).includes('IF_WITHOUT_ELSE'), 'if [c1, a, c2, b]')
  t.notOk(codes({ if: [{ var: 'flag' }, 1, { var: 'flag' }, 2, 0] }).includes('IF_WITHOUT_ELSE'), 'if [c1, a, c2, b, else]')
  t.same(codes({ '/': [{ var: ['n', 0] }] }), ['BAD_ARITY'], '/ with one argument')
  t.same(codes({ '!': [true, false] }), ['BAD_ARITY'], '! with two arguments')
})

t.test('analyzeRule rejects object literals', async (t) => {
  t.same(codes({ '==': [{ a: 1, b: 2 }, 1] }), ['OBJECT_LITERAL'], 'two keys')
  t.same(codes({ '==': [{}, 1] }), ['OBJECT_LITERAL'], 'no key')
  t.same(codes({ a: 1, b: 2 }), ['OBJECT_LITERAL'], 'at the top')
})

t.test('analyzeRule rejects non-finite literals', async (t) => {
  t.same(codes({ '+': [Infinity, 1] }), ['NON_FINITE_LITERAL'])
  t.same(codes({ '*': [NaN, 1] }), ['NON_FINITE_LITERAL'])
})

t.test('analyzeRule limits depth to 32 and size to 500 nodes (src/scoring/limits.ts)', async (t) => {
  const nest = (levels: number): unknown => {
    let rule: unknown = true
    for (let i = 0; i < levels; i++) rule = { '!': [rule] }
    return rule
  }
  t.same(codes(nest(10)), [], '10 levels')
  t.same(codes(nest(40)), ['RULE_TOO_DEEP'], '40 levels: reported once')
  t.same(codes(nest(1000)), ['RULE_TOO_DEEP'], '1000 levels: still one finding, no stack overflow')

  // {"+": [ {"+": [1 × 50]} × k ]} has 1 + k × (1 + 50) nodes (an operator object and each argument)
  const wide = (k: number) => ({ '+': Array.from({ length: k }, () => ({ '+': Array.from({ length: 50 }, () => 1) })) })
  t.same(codes(wide(9)), [], '1 + 9 × 51 = 460 nodes')
  t.same(codes(wide(10)), ['RULE_TOO_LARGE'], '1 + 10 × 51 = 511 nodes > 500')
})

t.test('compileExpr matches json-logic-js apply', async (t) => {
  const data = { s: '3abc', n: 4, z: 0, nul: null, name: 'Trường', a: { b: 7 }, list: [1, 2] }
  const cases: [string, unknown][] = [
    ['string "3abc" + 1 (parseFloat)', { '+': [{ var: 's' }, 1] }],
    ['"3abc" + "1"', { '+': ['3abc', '1'] }],
    ['"1" + "2"', { '+': ['1', '2'] }],
    ['true + 1 → NaN', { '+': [true, 1] }],
    ['+ with no arguments', { '+': [] }],
    ['unary + of a string', { '+': ['7'] }],
    ['1 / 0 → Infinity', { '/': [1, 0] }],
    ['-1 / 0 → -Infinity', { '/': [-1, 0] }],
    ['0 / 0 → NaN', { '/': [0, { var: 'z' }] }],
    ['5 % 0 → NaN', { '%': [5, 0] }],
    ['"6" / "3"', { '/': ['6', '3'] }],
    ['* with one string argument returns it unparsed', { '*': ['5'] }],
    ['"2" * "3"', { '*': ['2', '3'] }],
    ['2 * "3abc"', { '*': [2, '3abc'] }],
    ['unary minus of a string', { '-': ['5'] }],
    ['"7" - "2"', { '-': ['7', '2'] }],
    ['< with 3 arguments (between)', { '<': [1, 2, 3] }],
    ['< with 3 arguments, not between', { '<': [1, 3, 2] }],
    ['<= with 3 arguments at the edges', { '<=': [1, 1, 1] }],
    ['< with a null third argument', { '<': [1, 2, null] }],
    ['in on strings', { in: ['Spring', 'Springfield'] }],
    ['in on strings, absent', { in: ['x', 'Springfield'] }],
    ['in with a number in a string', { in: [1, '123'] }],
    ['in on an array literal', { in: [2, [1, 2]] }],
    ['in on null', { in: ['a', null] }],
    ['in on a number', { in: ['1', 123] }],
    ['null == 0', { '==': [null, 0] }],
    ['null == null', { '==': [{ var: 'nul' }, null] }],
    ['null < 1', { '<': [null, 1] }],
    ['null >= 0', { '>=': [null, 0] }],
    ['null > -1', { '>': [null, -1] }],
    ['missing var == null', { '==': [{ var: 'absent' }, null] }],
    ['1 == "1"', { '==': [1, '1'] }],
    ['1 === "1"', { '===': [1, '1'] }],
    ['0 != false', { '!=': [0, false] }],
    ['"" !== 0', { '!==': ['', 0] }],
    ['!! of an empty array', { '!!': [[]] }],
    ['!! of [0]', { '!!': [[0]] }],
    ['!! of "0"', { '!!': ['0'] }],
    ['! of an empty array', { '!': [[]] }],
    ['!! without arguments', { '!!': [] }],
    ['and returns the first falsy value', { and: [1, 0, 2] }],
    ['and returns the last value', { and: [1, 'x'] }],
    ['and with an empty array', { and: [true, []] }],
    ['or returns the last value when all are falsy', { or: [0, '', null] }],
    ['or returns the first truthy value', { or: [0, 'x', 2] }],
    ['if with no else', { if: [false, 1, false, 2] }],
    ['if with else', { if: [false, 1, false, 2, 3] }],
    ['if with a single argument', { if: [5] }],
    ['if with an empty array condition', { if: [[], 'yes', 'no'] }],
    ['?:', { '?:': [0, 'a', 'b'] }],
    ['min of nothing', { min: [] }],
    ['max with a numeric string', { max: [1, '2'] }],
    ['max with a non-numeric string', { max: ['a', 1] }],
    ['min with null', { min: [null, 1] }],
    ['cat with numbers and null', { cat: ['a', 1, null, true] }],
    ['cat of a Vietnamese string', { cat: [{ var: 'name' }, ' số'] }],
    ['nested var path', { var: 'a.b' }],
    ['nested var path through a missing key', { var: ['a.c.d', 9] }],
    ['var with default', { var: ['absent', 5] }],
    ['var of a null value with default', { var: ['nul', 5] }],
    ['var of an array element', { var: 'list.1' }],
    ['var, unary form', { var: 'n' }],
    ['arithmetic over vars', { '*': [7, { min: [1, { '/': [{ var: ['n', 0] }, { var: ['z', 0] }] }] }] }],
  ]
  for (const [name, logic] of cases) {
    const expected = jsonLogic.apply(logic as jsonLogic.RulesLogic, data)
    const actual = compileExpr(logic)(data)
    if (typeof expected === 'number' && Number.isNaN(expected)) t.ok(Number.isNaN(actual), `${name}: NaN`)
    else t.same(actual, expected, `${name}: ${JSON.stringify(expected)}`)
    t.equal(typeof actual, typeof expected, `${name}: same type`)
  }
  // a few whose exact value is worth stating by hand, not only "same as the library"
  t.equal(compileExpr({ '+': [{ var: 's' }, 1] })(data), 4, 'parseFloat("3abc") + 1 = 4')
  t.equal(compileExpr({ '/': [1, 0] })({}), Infinity)
  t.equal(compileExpr({ '*': ['5'] })({}), '5', 'the string "5", not the number')
  t.equal(compileExpr({ '!!': [[]] })({}), false)
  t.equal(compileExpr({ in: ['Spring', 'Springfield'] })({}), true)
  t.equal(compileExpr({ '<': [1, 2, 3] })({}), true)
})

t.test('compileExpr and json-logic-js both refuse a removed operator', async (t) => {
  t.throws(() => jsonLogic.apply({ log: 1 } as jsonLogic.RulesLogic), /Unrecognized operation log/, 'log is removed from json-logic-js')
  t.throws(() => compileExpr({ log: 1 }), /Unrecognized operation log/)
})

t.test('runRule: value, facts read on the path taken, missing facts', async (t) => {
  // (which branch applied is checked through score() explanations in criteria-4725.test.ts)
  const rule = compileRule({ if: [{ '>': [{ var: ['total', 0] }, 0] }, { '*': [6, { '/': [{ var: ['n', 0] }, { var: ['total', 0] }] }] }, 0] }, 'compiled')
  const d = (o: Record<string, unknown>) => Object.assign(Object.create(null), o)
  const a = runRule(rule, d({ total: 40, n: 10 }))
  t.equal(a.value, 1.5, '6 × 10/40 = 1.5')
  t.same([...a.read].sort(), ['n', 'total'])
  t.equal(a.missing, null)
  const b = runRule(rule, d({ total: 0 }))
  t.equal(b.value, 0, 'total 0 → else → 0')
  t.same(b.read, ['total'], 'n is not needed on the else branch')
  t.equal(b.missing, null, 'n is not missing on the else branch')
  const c = runRule(rule, d({ total: 40 }))
  t.same(c.missing, ['n'], 'n is needed on the ratio branch')
  const e = runRule(rule, d({}))
  t.ok(e.missing?.includes('total'), 'the condition fact is missing')
})

t.test('formatLogic renders readable formulas', async (t) => {
  t.equal(formatLogic({ '*': [7, { min: [1, { '/': [{ var: ['n', 0] }, { var: ['total', 0] }] }] }] }), '7 × min(1, n / total)')
  t.equal(formatLogic({ if: [{ var: 'flag' }, 6, 0] }), '(nếu flag thì 6; ngược lại 0)')
  t.equal(formatLogic({ '<': [1, { var: 'n' }, 3] }), '1 < n < 3')
  t.equal(formatLogic({ '-': [{ var: 'n' }] }), '−n')
  t.equal(formatLogic({ '!': [{ var: 'flag' }] }), 'không (flag)')
})
