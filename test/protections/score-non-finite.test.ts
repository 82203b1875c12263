// A rule that gives NaN or Infinity while scoring (a division by a zero fact, 0/0, modulo 0) makes
// the criterion an error — no points, no level — never a number. Clamping would otherwise turn
// Infinity into full marks. (The verifier warns of such rules before publication, RULE_NON_FINITE;
// this is the engine's own guard for evidence the verifier's samples did not cover.)
import t from 'tap'
import { score, type CriterionDef } from '../../src/scoring/index.js'
import { PROV, compileFixture, criterion, fixtureSet } from '../helpers.js'

const scored = (code: string, rule: unknown): CriterionDef => ({ code, title: `tiêu chí ${code}`, kind: 'scored', maxPoints: 10, rule, provenance: PROV })
const target = (code: string, rule: unknown): CriterionDef => ({ code, title: `chỉ tiêu ${code}`, kind: 'target', rule, threshold: { op: '>=', value: 1 }, provenance: PROV })
const a = { var: ['a', 0] }

const set = compileFixture(fixtureSet({
  id: 'non-finite',
  facts: { define: [{ key: 'a', type: 'integer', min: 0, max: 100, label: 'a' }] },
  groups: [{
    code: 'N',
    title: 'non-finite',
    criteria: [
      scored('N.1', { '/': [10, a] }), // 10 / a: Infinity at a = 0
      scored('N.2', { '/': [a, a] }), // a / a: NaN at a = 0
      scored('N.3', { '%': [10, a] }), // 10 % a: NaN at a = 0
      target('N.4', { '/': [10, a] }),
    ],
  }],
}))

t.test('at a = 0 every rule is an error, with no points', async (t) => {
  const r = score(set, { facts: { a: 0 } })
  for (const code of ['N.1', 'N.2', 'N.3']) {
    const c = criterion(r, code)
    t.same({ status: c.status, points: c.points }, { status: 'error', points: null }, `${code}: error, no points`)
  }
  const n4 = criterion(r, 'N.4')
  t.same({ status: n4.status, met: n4.met }, { status: 'error', met: null }, 'N.4 (target): error, not met or unmet')
  t.same(r.errors.map((e) => e.criterion).sort(), ['N.1', 'N.2', 'N.3', 'N.4'])
  const message = (code: string) => r.errors.find((e) => e.criterion === code)?.message ?? ''
  t.match(message('N.1'), /rule returned Infinity instead of a finite number/, 'the message names Infinity (not "null")')
  t.match(message('N.2'), /rule returned NaN instead of a finite number/, 'the message names NaN')
})

t.test('at a = 5 the same rules score normally', async (t) => {
  const r = score(set, { facts: { a: 5 } })
  t.same(['N.1', 'N.2', 'N.3'].map((c) => criterion(r, c).points), [2, 1, 0])
  t.equal(criterion(r, 'N.4').met, true)
  t.same(r.errors, [])
})
