// SchoolPoints: two numbers per criterion in a typed array, and the plain JSON shape back.
import t from 'tap'
import { SchoolPoints } from '../../src/reports/points.js'

t.test('self and external per code; a stored null and a missing row both read as null, JSON keeps them apart', async (t) => {
  const p = new SchoolPoints(SchoolPoints.indexOf(['1.3', '1.3.1', '1.4', '2.1']))
  p.set('1.3', 'self', 30)
  p.set('1.3', 'external', 24)
  p.set('1.3.1', 'self', 0)
  p.set('1.4', 'self', null) // a stored row whose criterion was not evaluated
  p.set('9.9', 'self', 5) // not a scored criterion of the report: ignored
  t.equal(p.self('1.3'), 30)
  t.equal(p.external('1.3'), 24)
  t.equal(p.self('1.3.1'), 0, 'zero is a value, not a missing one')
  t.equal(p.external('1.3.1'), null, 'no external row')
  t.equal(p.self('1.4'), null, 'stored null')
  t.equal(p.self('2.1'), null, 'no row at all')
  t.equal(p.self('9.9'), null, 'unknown code')
  t.same(JSON.parse(JSON.stringify(p)), {
    '1.3': { self: 30, external: 24 },
    '1.3.1': { self: 0, external: null },
    '1.4': { self: null, external: null },
  }, '2.1 (no row) is left out; 1.4 (a stored null) is kept')
})

t.test('from(): the plain shape round-trips', async (t) => {
  const plain = { '1.3': { self: 30, external: null }, '2.3.1': { self: null, external: 6 } }
  t.same(JSON.parse(JSON.stringify(SchoolPoints.from(plain))), plain)
  t.same(JSON.parse(JSON.stringify(SchoolPoints.from({}))), {})
})
