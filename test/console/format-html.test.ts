// The console's Vietnamese formats and its escaping, by hand.
import t from 'tap'
import { isoDay, schoolYearLabel, viDate, viDateTime, viNumber, viPercent } from '../../src/console/format.js'
import { escapeHtml, html, join, raw } from '../../src/console/html.js'

t.test('numbers with a decimal comma, dates in Vietnam\'s time zone', async (t) => {
  t.equal(viNumber(12.5), '12,5')
  t.equal(viNumber(89.03333), '89,03', 'two decimals at most')
  t.equal(viNumber(80), '80', 'no trailing zeros')
  t.equal(viNumber(9999), '9999', 'no separator below 10 000')
  t.equal(viNumber(30000), '30.000', 'a dot groups thousands from 10 000')
  t.equal(viNumber(1.23456, 4), '1,2346')
  t.equal(viNumber(null), '—')
  t.equal(viNumber(Number.NaN), '—')
  t.equal(viPercent(0.4), '40,0 %')
  t.equal(viPercent(1 / 3), '33,3 %')
  t.equal(viPercent(undefined), '—')
  // 16:59:59 UTC is 23:59:59 in Hà Nội (UTC+7); a second later it is the next day there.
  t.equal(viDate(new Date('2025-05-31T16:59:59Z')), '31/05/2025')
  t.equal(viDate(new Date('2025-05-31T17:00:00Z')), '01/06/2025')
  t.equal(viDateTime(new Date('2025-04-15T03:00:00Z')), '15/04/2025 10:00')
  t.equal(viDate(null), '—')
  t.equal(isoDay(new Date('2025-05-31T17:00:00Z')), '2025-06-01')
  t.equal(schoolYearLabel(2025), '2025–2026')
})

t.test('html`` escapes what it is given; Html and raw() pass as they are', async (t) => {
  const name = '<script>alert("x")</script> & \'Trường\''
  t.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Trường&#39;</p>')
  t.equal(html`<a href="${'" onmouseover="x'}">`.value, '<a href="&quot; onmouseover=&quot;x">', 'an attribute cannot be broken out of')
  t.equal(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>', 'lists of templates')
  t.equal(html`${null}${undefined}${false}${0}`.value, '0', 'nothing for null, undefined, false; 0 is shown')
  t.equal(html`${raw('<br>')}`.value, '<br>')
  t.equal(join(['<', html`<b>`], ',').value, '&lt;,<b>')
  t.equal(escapeHtml('a&b'), 'a&amp;b')
  t.equal(String(html`x`), 'x')
})

t.test('who did it, in words', async (t) => {
  const { actorText } = await import('../../src/console/messages.js')
  t.equal(actorText('reviewer:a1e88e08-f8b3-49e9-bf66-6faa0ca7df36 (Sở GDĐT Minh Họa (demo))'), 'Sở GDĐT Minh Họa (demo) (Cán bộ Phòng/Sở)')
  t.equal(actorText('school:user:80da342f-f5b4-418a-af83-c38d125e9581 (truong-s1)'), 'truong-s1 (Trường)', 'a console account by its username')
  t.equal(actorText('cli'), 'Máy chủ (dòng lệnh)')
  t.equal(actorText('invitation'), 'invitation', 'anything else as it is')
})
