// The dashboard's SVG charts as pure functions: widths and labels worked out by hand, the text
// alternative says the numbers, names are escaped.
import t from 'tap'
import { CHART, levelBarsSvg, levelChartText, levelFigure, levelTable, segments, shareBarSvg, type LevelChart } from '../../src/console/views/charts.js'

const chart = (rows: LevelChart['rows']): LevelChart => ({ id: 'c1', title: 'Nhóm I', levels: [1, 2, 3], rows, rowHeader: 'Đơn vị' })

t.test('segments: each level\'s share of the row times the bar width (400 px)', async (t) => {
  t.equal(CHART.barWidth, 400)
  // 1 + 2 + 1 = 4 schools: 1/4·400 = 100, 2/4·400 = 200, 1/4·400 = 100; x = 0, 100, 300.
  t.same(segments({ label: 'A', levels: { 1: 1, 2: 2, 3: 1 } }, [1, 2, 3]), [
    { level: 1, count: 1, x: 0, width: 100 }, { level: 2, count: 2, x: 100, width: 200 }, { level: 3, count: 1, x: 300, width: 100 },
  ])
  // 0, 1, 2 of 3: level 1 has no segment; 1/3·400 = 133.33, 2/3·400 = 266.67 at x 133.33.
  t.same(segments({ label: 'B', levels: { 2: 1, 3: 2 } }, [1, 2, 3]), [
    { level: 2, count: 1, x: 0, width: 133.33 }, { level: 3, count: 2, x: 133.33, width: 266.67 },
  ])
  t.same(segments({ label: 'C', levels: {} }, [1, 2, 3]), [], 'no school: no segment')
})

t.test('the SVG: role img, title = aria-label with the numbers, segment rects and labels', async (t) => {
  const c = chart([{ label: 'Phường Ngọc Thụy', levels: { 1: 1, 2: 2, 3: 1 } }, { label: 'Phường Bồ Đề', levels: {} }])
  const text = levelChartText(c)
  t.equal(text, 'Nhóm I. Phường Ngọc Thụy: Mức 1 1, Mức 2 2, Mức 3 1 (4 trường); Phường Bồ Đề: chưa có dữ liệu.')
  const svg = levelBarsSvg(c).value
  t.match(svg, /<svg [^>]*role="img"/)
  t.match(svg, `aria-label="${text}"`)
  t.match(svg, `<title id="c1-title">${text}</title>`)
  // label column 200 px: the level-2 segment starts at 200 + 100 = 300, 200 wide.
  t.match(svg, '<rect x="300" y="0" width="200" height="22" fill="#8a5300" stroke="#ffffff" data-level="2" data-count="2">')
  t.match(svg, '<rect x="200" y="0" width="100" height="22" fill="#b3261e"')
  t.match(svg, '<rect x="500" y="0" width="100" height="22" fill="#00703c"')
  // Segments of 100 px and more are labelled with their level in text, not colour alone.
  t.match(svg, '>M1: 1</text>')
  t.match(svg, '>M2: 2</text>')
  t.match(svg, '>M3: 1</text>')
  t.match(svg, '>Mức 1</text>', 'a legend in words')
  t.match(svg, '>chưa có dữ liệu</text>', 'an empty row says so')
})

t.test('the table: the same numbers, totals, top-level share with a comma', async (t) => {
  const c = chart([{ label: 'Phường Ngọc Thụy', href: '/dashboard?unit=LB-W1&period=p', levels: { 1: 1, 2: 2, 3: 1 } }])
  const table = levelTable(c).value
  t.match(table, '<caption>Nhóm I (số trường theo mức)</caption>')
  t.match(table, '<th scope="col" class="num">Mức 3</th>')
  t.match(table, '<th scope="row"><a href="/dashboard?unit=LB-W1&amp;period=p">Phường Ngọc Thụy</a></th>')
  t.match(table, '<td class="num" data-level="2">2</td>')
  t.match(table, '<td class="num" data-total>4</td>')
  t.match(table, '25,0 %', '1 of 4 at mức 3')
  t.match(levelFigure(c).value, /<figure class="chart" id="c1">[\s\S]*<svg[\s\S]*<table/)
})

t.test('names are escaped in the SVG, its text alternative and the table', async (t) => {
  const c = chart([{ label: '<script>alert("x")</script> & Co', levels: { 3: 1 } }])
  const out = levelFigure(c).value
  t.notMatch(out, '<script>')
  t.match(out, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co')
  t.match(levelChartText(c), '<script>', 'the plain text is raw; escaping happens when it is written into markup')
})

t.test('a share bar: width and text', async (t) => {
  // 3 of 8 schools: 3/8·400 = 150 px, 37,5 %.
  const svg = shareBarSvg({ id: 's', label: 'Mức 3 cả hai nhóm', count: 3, of: 8 }).value
  t.match(svg, '<rect x="0" y="4" width="150" height="22" fill="#00703c" data-count="3">')
  t.match(svg, 'aria-label="Mức 3 cả hai nhóm: 3 trên 8 trường (37,5 %)."')
  t.match(shareBarSvg({ id: 's', label: 'X', count: 0, of: 0 }).value, 'chưa có dữ liệu')
})
