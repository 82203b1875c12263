// The review workflow in a real browser, as Phòng GDĐT Long Biên: the queue, return (a reason is
// required), approve through the confirmation page, an external assessment that lowers a level,
// publish; with JavaScript off too; bulk approve; another province sees nothing. axe on every page.
import t from 'tap'
import { act, exampleFacts, startAssessment } from '../http/app.js'
import { consoleHarness, expectAccessible, newContext, signIn, type ConsoleHarness } from './support/browser.js'

async function submitted(h: ConsoleHarness, key: string, school: string, example: string): Promise<{ id: string; version: number }> {
  const a = await startAssessment(h, key, school)
  const saved = await h.req(key, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts(example) }, { 'if-match': `"${a.version}"` })
  if (saved.statusCode !== 200) throw new Error(`evidence: ${saved.statusCode} ${saved.body}`)
  const res = await act(h, key, a.id, h.json(saved).version, 'submit')
  if (res.statusCode !== 200) throw new Error(`submit: ${res.statusCode} ${res.body}`)
  return { id: a.id, version: h.json(res).version }
}
const apiGet = async (h: ConsoleHarness, key: string, id: string) => h.json((await h.req(key, 'GET', `/v1/assessments/${id}`)))

t.test('queue, return with a reason, resubmission, approve, external assessment lowering a level, publish', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB', 'schoolS1'])
  const s1 = await submitted(h, h.keys.schoolS1, 'S1', 'strong-thcs')
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'reviewerLB')
  await page.goto('/review')
  const row = page.locator(`#queue tr[data-id="${s1.id}"]`)
  t.match(await row.innerText(), /Trường THCS Ngọc Thụy[\s\S]*Đã nộp/, 'the queue lists S1, submitted')
  await expectAccessible(t, page, 'the review queue')
  await row.getByRole('link', { name: 'Trường THCS Ngọc Thụy' }).click()
  await page.waitForURL(`**/review/${s1.id}`)
  await expectAccessible(t, page, 'the assessment under review')

  // Return without a reason: refused, the error summary links to the field.
  await page.getByRole('button', { name: 'Yêu cầu nhập lại' }).click()
  await page.getByRole('alert').waitFor()
  t.match(await page.getByRole('alert').innerText(), 'Cần ghi lý do')
  t.equal(await page.getByRole('alert').getByRole('link').getAttribute('href'), '#reason-return')
  await expectAccessible(t, page, 'return without a reason')
  t.equal((await apiGet(h, h.keys.schoolS1, s1.id)).state, 'submitted', 'nothing changed')
  const reason = 'Mục 1.4: số môn có học liệu số chưa khớp với minh chứng; đề nghị bổ sung.'
  await page.getByLabel('Lý do yêu cầu nhập lại (trường sẽ đọc)').fill(reason)
  await page.getByRole('button', { name: 'Yêu cầu nhập lại' }).click()
  await page.waitForURL(`**/review/${s1.id}?notice=returned`)
  t.equal(await page.locator('#state').innerText(), 'Yêu cầu nhập lại')
  const returned = await apiGet(h, h.keys.schoolS1, s1.id)
  t.equal(returned.state, 'returned')
  t.equal(returned.returnReason, reason, 'the school reads the reason typed')
  await expectAccessible(t, page, 'after returning')

  // The school submits again (API); the officer approves through the confirmation page.
  t.equal((await act(h, h.keys.schoolS1, s1.id, returned.version, 'submit')).statusCode, 200)
  await page.goto(`/review/${s1.id}`)
  await page.getByRole('link', { name: 'Duyệt', exact: true }).click()
  await page.waitForURL(`**/review/${s1.id}/approve`)
  t.match(await page.locator('#confirm-groups').innerText(), /Mức 3[\s\S]*Mức 3/, 'the confirmation shows both groups\' levels')
  await expectAccessible(t, page, 'the approve confirmation')
  await page.getByRole('button', { name: 'Xác nhận duyệt' }).click()
  await page.waitForURL(`**/review/${s1.id}?notice=approved`)
  t.equal(await page.locator('#state').innerText(), 'Đã duyệt')

  // External assessment: the reviewers find no cashless fee payment (2.4.3, 10 points). By hand:
  // strong-thcs has group II 80 points (mức 3, > 75); 80 − 10 = 70, in 50…75 → mức 2. Group I stays.
  await page.getByRole('link', { name: 'Ghi đánh giá ngoài' }).click()
  await page.waitForURL(`**/review/${s1.id}/external`)
  await expectAccessible(t, page, 'the external assessment form')
  t.ok(await page.locator('#fact-cashless_fee_payment-yes').isChecked(), 'pre-filled from the school\'s facts')
  await page.locator('#fact-cashless_fee_payment-no').check()
  await page.getByRole('button', { name: 'Lưu đánh giá ngoài' }).click()
  await page.waitForURL(`**/review/${s1.id}?notice=external-saved`)
  const ext = (await apiGet(h, h.keys.reviewerLB, s1.id)).external.result.groups
  t.equal(ext.find((g: any) => g.code === 'II').level, 2, 'the API agrees with the hand count')
  t.equal(ext.find((g: any) => g.code === 'II').total, 70)
  t.equal(await page.locator('#groups tr[data-group="II"] td[data-external-level]').getAttribute('data-external-level'), '2', 'the page shows the API\'s external level')
  t.equal(await page.locator('#groups tr[data-group="II"] td[data-self-level]').getAttribute('data-self-level'), '3', 'the school\'s own stays beside it')
  t.equal(await page.locator('#groups tr[data-group="I"] td[data-external-level]').getAttribute('data-external-level'), String(ext.find((g: any) => g.code === 'I').level))
  t.match(await page.locator('#audit').innerText(), 'Ghi đánh giá ngoài', 'the audit trail names the step in Vietnamese')
  await expectAccessible(t, page, 'after the external assessment')

  await page.getByRole('button', { name: 'Công bố' }).click()
  await page.waitForURL(`**/review/${s1.id}?notice=published`)
  t.equal(await page.locator('#state').innerText(), 'Đã công bố')
  t.equal((await apiGet(h, h.keys.schoolS1, s1.id)).state, 'published')
  await expectAccessible(t, page, 'published')
  await ctx.close()
})

t.test('return and approve with JavaScript off; a stale version is refused in Vietnamese', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB'])
  const s1 = await submitted(h, h.keys.schoolS1, 'S1', 'strong-thcs')
  const ctx = await newContext(h, { javaScript: false })
  const page = await ctx.newPage()
  await signIn(page, 'reviewerLB')
  await page.goto(`/review/${s1.id}`)
  await page.getByLabel('Lý do yêu cầu nhập lại (trường sẽ đọc)').fill('Thiếu minh chứng kế hoạch.')
  await page.getByRole('button', { name: 'Yêu cầu nhập lại' }).click()
  await page.waitForURL(`**/review/${s1.id}?notice=returned`)
  t.equal(await page.locator('#state').innerText(), 'Yêu cầu nhập lại')
  await expectAccessible(t, page, 'returned, without JavaScript')
  const again = await act(h, h.keys.schoolS1, s1.id, (await apiGet(h, h.keys.schoolS1, s1.id)).version, 'submit')
  t.equal(again.statusCode, 200)
  await page.goto(`/review/${s1.id}/approve`)
  // Someone else changes it meanwhile: this page's version is stale.
  const v = h.json(again).version
  t.equal((await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${s1.id}/external`, { facts: {} }, { 'if-match': `"${v}"` })).statusCode, 200)
  await page.getByRole('button', { name: 'Xác nhận duyệt' }).click()
  t.match(await page.getByRole('alert').innerText(), 'Người khác vừa thay đổi phiếu này')
  await expectAccessible(t, page, 'a stale approve, without JavaScript')
  await page.getByRole('link', { name: 'Duyệt', exact: true }).click()
  await page.getByRole('button', { name: 'Xác nhận duyệt' }).click()
  await page.waitForURL(`**/review/${s1.id}?notice=approved`)
  t.equal((await apiGet(h, h.keys.schoolS1, s1.id)).state, 'approved')
  await ctx.close()
})

t.test('bulk approve two submitted assessments; the result names each school', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB'])
  const s1 = await submitted(h, h.keys.schoolS1, 'S1', 'strong-thcs')
  const s2 = await submitted(h, h.keys.schoolS2, 'S2', 'weak-rural-th')
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'reviewerLB')
  await page.goto(`/review?period=${h.periodId}&state=submitted`)
  await page.getByLabel('Chọn phiếu của Trường THCS Ngọc Thụy').check()
  await page.getByLabel('Chọn phiếu của Trường Tiểu học Ngọc Lâm').check()
  await page.getByRole('button', { name: 'Duyệt các phiếu đã chọn' }).click()
  await page.waitForURL('**/review/bulk')
  t.equal(await page.locator('#bulk-result tr[data-ok="yes"]').count(), 2)
  t.match(await page.locator('#bulk-result').innerText(), /Trường THCS Ngọc Thụy\s+Đã duyệt[\s\S]*Trường Tiểu học Ngọc Lâm\s+Đã duyệt/)
  await expectAccessible(t, page, 'the bulk result')
  t.equal((await apiGet(h, h.keys.schoolS1, s1.id)).state, 'approved')
  t.equal((await apiGet(h, h.keys.schoolS2, s2.id)).state, 'approved')
  // Approving them again: each one refused, and said so.
  await page.goto(`/review?period=${h.periodId}`)
  await page.getByLabel('Chọn phiếu của Trường THCS Ngọc Thụy').check()
  await page.getByRole('button', { name: 'Duyệt các phiếu đã chọn' }).click()
  await page.waitForURL('**/review/bulk')
  t.equal(await page.locator('#bulk-result tr[data-ok="no"]').count(), 1, 'not silently skipped')
  await ctx.close()
})

t.test('another province\'s officer: 404 on the page, an approve POST changes nothing', async (t) => {
  const h = await consoleHarness(t, ['reviewerQN'])
  const s1 = await submitted(h, h.keys.schoolS1, 'S1', 'strong-thcs')
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'reviewerQN')
  const res = await page.goto(`/review/${s1.id}`)
  t.equal(res?.status(), 404)
  await expectAccessible(t, page, 'the 404 page')
  await page.goto('/review')
  t.equal(await page.locator('#queue').count(), 0, 'nothing of Hà Nội in Quảng Ninh\'s queue')
  await expectAccessible(t, page, 'an empty queue')
  const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value')
  const post = await page.request.post(`/review/${s1.id}/approve`, { form: { _csrf: csrf as string, version: String(s1.version) }, maxRedirects: 0 })
  t.equal(post.status(), 404)
  const after = await apiGet(h, h.keys.schoolS1, s1.id)
  t.equal(after.state, 'submitted')
  t.equal(after.version, s1.version, 'unchanged')
  await ctx.close()
})
