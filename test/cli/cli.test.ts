import { fileURLToPath } from 'node:url'
import t from 'tap'
import { run } from '../../src/cli/main.js'

const example = (name: string) => fileURLToPath(new URL(`../../criteria/moet-4725/examples/${name}.json`, import.meta.url))

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = ''
  let err = ''
  const code = run(args, { out: (s) => { out += `${s}\n` }, err: (s) => { err += `${s}\n` } }) as number
  return { code, out, err }
}

t.test('score prints the table, totals, levels and hints', async (t) => {
  const r = cli('score', 'moet-4725', example('gdtx-centre'))
  t.equal(r.code, 0, r.err)
  t.match(r.out, /Tổng nhóm I: 50\.67\/100 → Mức 2 \(Mức đáp ứng cơ bản\)/) // 50.6667 by hand (gdtx-centre.expected.json)
  t.match(r.out, /Tổng nhóm II: 58\/100 → Mức 2/)
  t.match(r.out, /Để đạt Mức 3 \(Mức đáp ứng tốt\): cần hơn 24\.33 điểm nữa/) // 75 − 50.6667
  t.match(r.out, /1\.7\.2 +Mức độ đáp ứng yêu cầu dạy môn Tin học/)
})

t.test('score --json gives the full result; a mandatory failure caps the level', async (t) => {
  const r = cli('score', 'moet-4725@2022-12-30', example('thcs-missing-mandatory'), '--json')
  t.equal(r.code, 0)
  const result = JSON.parse(r.out)
  t.equal(result.groups[0].level, 1)
  t.equal(result.groups[0].levelReason.code, 'MANDATORY_CAP')
  t.equal(result.groups[0].nextLevel.mandatory[0].criterion, '1.2')
  t.same(result.groups[0].nextLevel.mandatory[0].changes.map((c: { fact: string; to: unknown }) => [c.fact, c.to]), [['online_teaching_regulation_issued', true]])
})

t.test('both engine backends print the same result', async (t) => {
  const a = JSON.parse(cli('score', 'moet-4725', example('weak-rural-th'), '--json').out)
  const b = JSON.parse(cli('score', 'moet-4725', example('weak-rural-th'), '--json', '--engine', 'json-logic-js').out)
  t.equal(b.engine.backend, 'json-logic-js')
  delete a.engine
  delete b.engine
  t.same(a, b)
})

t.test('invalid evidence is reported with the path and code, exit 1', async (t) => {
  const file = fileURLToPath(new URL('../fixtures/evidence/invalid.json', import.meta.url))
  const r = cli('score', 'moet-4725', file)
  t.equal(r.code, 1)
  t.match(r.err, /\/facts\/teachers_total \[INVALID_TYPE\]/)
  t.match(r.err, /\/facts\/teachers_totl \[UNKNOWN_FACT\]/)
})

t.test('schema prints the evidence JSON Schema of a set', async (t) => {
  const r = cli('schema', 'moet-4725')
  const schema = JSON.parse(r.out)
  t.equal(schema.properties.facts.additionalProperties, false)
  t.same(schema.properties.facts.properties.teachers_total.type, ['integer', 'null'])
  t.equal(Object.keys(schema.properties.facts.properties).length, 44)
})

t.test('list, verify and usage', async (t) => {
  t.match(cli('list').out, /moet-4725@2022-12-30 +published +4725\/QĐ-BGDĐT/)
  t.equal(cli('verify').code, 0)
  const broken = fileURLToPath(new URL('../fixtures/broken/duplicate-codes.json', import.meta.url))
  const v = cli('verify', broken)
  t.equal(v.code, 1)
  t.match(v.out, /DUPLICATE_CODE/)
  t.equal(cli('frobnicate').code, 2)
  t.equal(cli().code, 2)
  t.equal(cli('score', 'no-such-set', example('strong-thcs')).code, 1)
  t.equal(cli('score', 'moet-4725').code, 2)
})

t.test('hints raise a count only as far as needed, and the table shows the best 8', async (t) => {
  const result = JSON.parse(cli('score', 'moet-4725', example('gdtx-centre'), '--json').out)
  const hint = result.groups[0].nextLevel
  const h172 = hint.criteria.find((c: { criterion: string }) => c.criterion === '1.7.2')
  // norm: 120 THCS pupils / 16 + 360 THPT pupils / 12 = 7.5 + 30 = 37.5 computers → 38 gives full 7 points;
  // gain 7 − 7 × 25/37.5 = 7 − 4.6667 = 2.33
  t.same(h172.changes.map((c: { fact: string; from: number; to: number }) => [c.fact, c.from, c.to]), [['informatics_computers', 25, 38]])
  t.equal(h172.gain, 2.33)
  t.equal(hint.criteria.length, 11, 'every group I criterion short of its maximum')
  t.match(cli('score', 'moet-4725', example('gdtx-centre')).out, /… và 3 tiêu chí khác \(--json\)/)
})

t.test('a plan of targets prints targets met, not a points total', async (t) => {
  const file = fileURLToPath(new URL('../../criteria/long-bien-ke-hoach-cds/examples/all-met-thcs.json', import.meta.url))
  const r = cli('score', 'long-bien-ke-hoach-cds', file)
  t.equal(r.code, 0, r.err)
  t.notMatch(r.out, /Tổng nhóm/, 'no meaningless "Tổng nhóm II: 0"')
  // Group II holds II.1–II.6b (7 targets), group III holds III.2; the example meets all (its .expected.json).
  t.match(r.out, /Chỉ tiêu đạt: 7\/7/)
  t.match(r.out, /Chỉ tiêu đạt: 8\/8 \(100%\) — đạt tất cả/)
})
