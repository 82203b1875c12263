// H4 of issue 11: the criteria-table reader ran regexes that backtrack quadratically — fold()'s
// /\([^)]*\)/g on every header cell (120,000 "(" blocked the server 14 s), and a few more on rule,
// threshold and count cells. Each is now one pass, checked on hostile cells (well under a second
// where the old forms took seconds) and against the old regex on ordinary text (same answers).
import t from 'tap'
import { readTable } from '../../src/authoring/csv-table.js'
import { parseRule, parseThreshold, splitCall } from '../../src/authoring/rule-templates.js'
import { dropParenthesised, fold, parsePoints } from '../../src/authoring/text.js'

const timed = <T>(f: () => T): { value: T; ms: number } => {
  const started = performance.now()
  const value = f()
  return { value, ms: performance.now() - started }
}

t.test('a header cell of 120,000 "(" is refused at once, its name clipped', async (t) => {
  const csv = `Mã;Tên;Nguồn;${'('.repeat(120_000)}\n1;Tiêu chí;Nguồn\n`
  const { value, ms } = timed(() => readTable(csv))
  t.ok(ms < 500, `${ms.toFixed(0)} ms`)
  t.equal(value.table, undefined)
  t.same(value.problems.map((p) => [p.line, p.code]), [[1, 'UNKNOWN_COLUMN']])
  t.ok((value.problems[0]?.column?.length ?? 0) <= 80, 'the column is named by its first characters')
  t.match(value.problems[0]?.message, /its header has 120000 characters/)
})

t.test('fold() is linear: 120,000 "(" (and "(" … ")" pairs) in milliseconds', async (t) => {
  for (const s of ['('.repeat(120_000), '(a'.repeat(60_000), `${'('.repeat(60_000)})${'('.repeat(60_000)}`]) {
    const { ms } = timed(() => fold(s))
    t.ok(ms < 500, `${s.slice(0, 4)}…: ${ms.toFixed(0)} ms`)
  }
  t.equal(fold(`${'('.repeat(60_000)})x`), 'x', 'everything up to the first ")" is one hint')
})

t.test('dropParenthesised answers as /\\([^)]*\\)/g did', async (t) => {
  const cases = ['Điểm tối đa (điểm)', 'a(b(c)d)e', '((x', 'x(y', '()', '(a)(b)c', 'Mã (ghi chú', ')(', 'a)b(c)d', '', 'plain', '(((a)))', 'x ( y ) z ( w']
  for (const s of cases) t.equal(dropParenthesised(s), s.replace(/\([^)]*\)/g, ' '), JSON.stringify(s))
  t.equal(fold('Điểm tối đa (điểm)'), 'diem toi da')
  t.equal(fold('MÃ TIÊU CHÍ'), 'ma tieu chi')
})

t.test('rule cells: name(args) split in one pass, as the regex did', async (t) => {
  const old = (s: string) => { const m = /^([^()]+?)\s*(?:\((.*)\))?$/su.exec(s); return m ? { name: m[1], args: m[2] } : null }
  const cases = ['sum', 'yes(a)', 'ratio(a / b)', 'tiers(x; >=90: 10; else: 0)', 'levels (Mức 1: >=0)', 'count(a, b × 2)', 'yes(a))', 'yes(a', '(a)', 'a)b', 'a(b)c', 'x  (\n y \n)', 'yes()', 'a ( b ( c ) )']
  for (const s of cases) t.same(splitCall(s), old(s), JSON.stringify(s))
  const { ms } = timed(() => parseRule(`a${' '.repeat(100_000)}(`))
  t.ok(ms < 500, `a + 100,000 spaces + "(": ${ms.toFixed(0)} ms`)
})

t.test('thresholds, count items and points: no backtracking over spaces', async (t) => {
  const spaces = ' '.repeat(100_000)
  for (const [name, f] of [
    ['threshold ">=" + spaces + "a\\nb"', () => parseThreshold(`>=${spaces}a\nb`)],
    ['threshold "1" + spaces + "x"', () => parseThreshold(`>= 1${spaces}x`)],
    ['tiers condition', () => parseRule(`tiers(x; >=${spaces}a\nb: 5; else: 0)`)],
    ['count item', () => parseRule(`count(a${spaces}b)`)],
    ['points', () => parsePoints(`1${spaces}x`)],
  ] as [string, () => unknown][]) {
    const { value, ms } = timed(f)
    t.ok(ms < 500, `${name}: ${ms.toFixed(0)} ms`)
    t.ok('error' in (value as object ?? {}) || value === null, `${name}: refused`)
  }
  // Ordinary cells read as before.
  t.same(parseThreshold('>= 90%'), { threshold: { op: '>=', value: 90 } })
  t.same(parseThreshold('== có'), { threshold: { op: '==', value: true } })
  t.same(parseThreshold('<=24'), { threshold: { op: '<=', value: 24 } })
  t.same(parsePoints('10 điểm'), 10)
  t.same(parsePoints('2,5đ'), 2.5)
  t.same(parsePoints('10 ĐIỂM'), 10)
  t.same(parseRule('count(has_app, has_lms × 2)'), { template: { name: 'count', items: [{ fact: 'has_app', weight: 1 }, { fact: 'has_lms', weight: 2 }] } })
})
