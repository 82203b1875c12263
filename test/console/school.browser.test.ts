// The school's pages in a real browser: start the 4725 self-assessment, fill the phiếu from empty
// to complete (live score with JavaScript, plain forms without), check answers, submit; keyboard
// only; a stale save; another school's phiếu out of reach. axe on every page and state reached.
import t from 'tap'
import type { Page } from 'playwright-core'
import { consoleHarness, expectAccessible, newContext, signIn, type ConsoleHarness, type Tap } from './support/browser.js'
import { exampleFacts, startAssessment } from '../http/app.js'
import { fillAll, fillFact } from './support/phieu.js'

const STRONG = exampleFacts('strong-thcs')
// Worked out by hand in criteria/moet-4725/examples/strong-thcs.expected.json's workings:
// Nhóm I = 30 + 8.5714 + 7.5 + 5 + 7 + 6.4615 + 4.5 + 8 + 7 + 5 = 89.033 → "89,03"; Nhóm II = 80.
const TOTAL_I = '89,03'
const TOTAL_II = '80'


async function api(h: ConsoleHarness, id: string) {
  return h.json(await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}`))
}

async function startFromSchoolPage(t: Tap, page: Page): Promise<string> {
  await page.goto('/')
  await page.waitForURL('**/school')
  await expectAccessible(t, page, 'the school page, nothing started')
  await page.getByRole('button', { name: /Bắt đầu tự đánh giá/ }).click()
  await page.waitForURL(/\/assessments\/[^/?]+\?notice=started/)
  return new URL(page.url()).pathname.split('/')[2] as string
}


const PARTIAL_KEYS = ['online_teaching_plan_issued', 'online_teaching_plan_document', 'subjects_total', 'subjects_with_digital_materials']
const partial = Object.fromEntries(PARTIAL_KEYS.map((k) => [k, STRONG[k]]))

t.test('JavaScript on: start, fill from empty with the live score, save, check, submit', async (t) => {
  const h = await consoleHarness(t, ['schoolS1', 'schoolS2'])
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'schoolS1')
  const id = await startFromSchoolPage(t, page)
  await expectAccessible(t, page, 'the empty phiếu')
  t.match(await page.locator('#group-total-I').innerText(), '0', 'empty: group I has 0 points')
  t.match(await page.locator('.provenance.unconfirmed').first().innerText(), 'Chưa xác nhận', 'unconfirmed criteria are marked')

  // A partial save; the check page lists what is missing.
  await fillAll(page, partial)
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await page.waitForURL('**?notice=saved')
  t.equal(await page.locator('#fact-subjects_total').inputValue(), '14', 'the saved value is shown')
  await expectAccessible(t, page, 'the phiếu after a partial save')
  await page.getByRole('link', { name: 'Kiểm tra trước khi nộp' }).first().click()
  await page.waitForURL('**/check')
  const missing = await page.locator('ul.missing li').allInnerTexts()
  t.ok(missing.some((m) => m.includes('Tổng số giáo viên')), 'teachers_total is listed as missing')
  t.notOk(missing.some((m) => m.includes('Tổng số môn học')), 'a saved fact is not missing')
  await expectAccessible(t, page, 'check answers, incomplete')
  await page.getByRole('button', { name: 'Nộp tự đánh giá' }).click()
  await page.getByText('Phiếu chưa đủ thông tin để nộp').waitFor()
  await expectAccessible(t, page, 'check answers, submit refused')
  await page.locator('ul.missing a').first().click()
  await page.waitForURL(/\/assessments\/[^/]+#fact-/)

  // Everything, typed in; the panel follows without saving.
  await fillAll(page, STRONG)
  await page.locator('#group-total-I', { hasText: TOTAL_I }).waitFor({ timeout: 5000 })
  t.equal(await page.locator('#group-total-I').innerText(), TOTAL_I, 'live: group I total as worked out by hand')
  t.equal(await page.locator('#group-total-II').innerText(), TOTAL_II, 'live: group II total as worked out by hand')
  t.match(await page.locator('#score-panel').innerText(), 'chưa lưu', 'the panel says it is a preview')
  t.equal((await api(h, id)).version, 2, 'the preview saved nothing')
  await expectAccessible(t, page, 'the phiếu filled, live score shown')
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await page.waitForURL('**?notice=saved')
  const stored = await api(h, id)
  t.equal(stored.result.complete, true)
  const totals = Object.fromEntries(stored.result.groups.map((g: { code: string; total: number }) => [g.code, g.total]))
  t.equal(await page.locator('#group-total-I').innerText(), String(totals.I).replace('.', ','), 'the saved panel equals the API\'s stored result')
  t.equal(String(totals.I).replace('.', ','), TOTAL_I)
  t.equal(totals.II, 80)
  await page.getByRole('link', { name: 'Kiểm tra trước khi nộp' }).first().click()
  await page.waitForURL('**/check')
  t.equal(await page.locator('ul.missing li').count(), 0, 'nothing missing')
  t.match(await page.locator('#missing-summary').innerText(), 'Đã nhập đủ thông tin')
  await expectAccessible(t, page, 'check answers, complete')
  await page.getByRole('button', { name: 'Nộp tự đánh giá' }).click()
  await page.waitForURL('**/school?notice=submitted')
  t.match(await page.locator('table').innerText(), 'Đã nộp')
  await expectAccessible(t, page, 'the school page after submitting')
  t.equal((await api(h, id)).state, 'submitted')
  await page.goto(`/assessments/${id}`)
  t.equal(await page.locator('#fact-subjects_total').isDisabled(), true, 'submitted: read-only')
  await expectAccessible(t, page, 'the phiếu, submitted (read-only)')
  const sheet = await page.request.get(`/assessments/${id}/sheet`)
  t.equal(sheet.status(), 200)
  t.match(sheet.headers()['content-security-policy'], "script-src 'none'", 'the sheet has its own policy')
  await ctx.close()
})

t.test('JavaScript off: partial save, a field error, full save, submit', async (t) => {
  const h = await consoleHarness(t, ['schoolS1'])
  const ctx = await newContext(h, { javaScript: false })
  const page = await ctx.newPage()
  await signIn(page, 'schoolS1')
  const id = await startFromSchoolPage(t, page)
  await expectAccessible(t, page, 'the empty phiếu (no script)')
  await fillAll(page, partial)
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await page.waitForURL('**?notice=saved')
  t.equal((await api(h, id)).facts.subjects_total, 14)
  // Out of bounds: 101 subjects (max 100); the comma decimal is fine elsewhere.
  await page.locator('#fact-subjects_total').fill('101')
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  const summary = page.locator('.error-summary')
  await summary.waitFor()
  const link = summary.getByRole('link').first()
  t.match(await link.innerText(), 'Tổng số môn học')
  t.equal(await link.getAttribute('href'), '#fact-subjects_total')
  t.equal(await page.locator('#fact-subjects_total').inputValue(), '101', 'the typed value stays')
  t.match(await page.locator('#fact-subjects_total-field').getAttribute('class'), 'has-error')
  await expectAccessible(t, page, 'the phiếu with a field error (no script)')
  t.equal((await api(h, id)).facts.subjects_total, 14, 'nothing saved')
  // A part larger than its whole (the service's check): the error is at the part's field.
  await page.locator('#fact-subjects_total').fill('14')
  await page.locator('#fact-subjects_with_digital_materials').fill('20')
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await summary.waitFor()
  t.equal(await summary.getByRole('link').first().getAttribute('href'), '#fact-subjects_with_digital_materials')
  t.match(await summary.innerText(), 'không được lớn hơn “Tổng số môn học')
  await expectAccessible(t, page, 'the phiếu with the service\'s field error (no script)')
  await fillAll(page, STRONG)
  await page.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await page.waitForURL('**?notice=saved')
  t.equal(await page.locator('#group-total-I').innerText(), TOTAL_I, 'the saved panel: group I as worked out by hand')
  await expectAccessible(t, page, 'the phiếu complete (no script)')
  await page.goto(`/assessments/${id}/check`)
  t.equal(await page.locator('ul.missing li').count(), 0)
  await expectAccessible(t, page, 'check answers (no script)')
  await page.getByRole('button', { name: 'Nộp tự đánh giá' }).click()
  await page.waitForURL('**/school?notice=submitted')
  t.match(await page.locator('table').innerText(), 'Đã nộp')
  await expectAccessible(t, page, 'the school page, submitted (no script)')
  await ctx.close()
})

t.test('keyboard only: fill a field, save, check, submit', async (t) => {
  const h = await consoleHarness(t, ['schoolS1'])
  const { id, version } = await startAssessment(h)
  // Everything but one fact saved through the API; the keyboard enters the last one.
  const { cashless_fee_payment: _, ...rest } = STRONG
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: rest }, { 'if-match': `"${version}"` })
  t.equal(saved.statusCode, 200, 'all but one fact saved through the API')
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'schoolS1')
  await page.goto(`/assessments/${id}`)
  await expectAccessible(t, page, 'the phiếu, one answer left')
  // Tab to the last boolean's "Có" radio.
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(() => document.activeElement?.getAttribute('name')) === 'fact-cashless_fee_payment') break
  }
  t.equal(await page.evaluate(() => document.activeElement?.id), 'fact-cashless_fee_payment-yes')
  await page.keyboard.press('Space')
  t.ok(await page.locator('#fact-cashless_fee_payment-yes').isChecked())
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Lưu bản nháp') break
  }
  await page.keyboard.press('Enter')
  await page.waitForURL('**?notice=saved')
  await expectAccessible(t, page, 'the phiếu saved by keyboard')
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Kiểm tra trước khi nộp') break
  }
  await page.keyboard.press('Enter')
  await page.waitForURL('**/check')
  await expectAccessible(t, page, 'check answers by keyboard')
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Nộp tự đánh giá') break
  }
  await page.keyboard.press('Enter')
  await page.waitForURL('**/school?notice=submitted')
  await expectAccessible(t, page, 'the school page after a keyboard submit')
  t.equal((await api(h, id)).state, 'submitted')
  await ctx.close()
})

t.test('a stale save: someone else saved first', async (t) => {
  const h = await consoleHarness(t, ['schoolS1'])
  const { id } = await startAssessment(h)
  const ctx = await newContext(h, { javaScript: false })
  const one = await ctx.newPage()
  await signIn(one, 'schoolS1')
  const two = await ctx.newPage()
  await one.goto(`/assessments/${id}`)
  await two.goto(`/assessments/${id}`)
  await one.locator('#fact-teachers_total').fill('52')
  await one.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await one.waitForURL('**?notice=saved')
  await two.locator('#fact-classrooms_total').fill('30')
  const res = two.waitForResponse((r) => r.request().method() === 'POST')
  await two.getByRole('button', { name: 'Lưu bản nháp' }).click()
  t.equal((await res).status(), 409)
  const box = await two.locator('#stale').innerText()
  t.match(box, 'Người khác vừa thay đổi phiếu này')
  t.match(box, 'Tổng số phòng học: 30', 'the unsaved value is listed')
  t.equal(await two.locator('#fact-teachers_total').inputValue(), '52', 'the form shows the current saved value')
  t.equal(await two.locator('#fact-classrooms_total').inputValue(), '', 'not the unsaved one')
  await expectAccessible(t, two, 'the phiếu after a stale save')
  const stored = await api(h, id)
  t.same([stored.facts.teachers_total, stored.facts.classrooms_total], [52, undefined])
  await ctx.close()
})

t.test("a school cannot open or change another school's phiếu", async (t) => {
  const h = await consoleHarness(t, ['schoolS1'])
  const s2 = await startAssessment(h, h.keys.schoolS2, 'S2')
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'schoolS1')
  const res = await page.goto(`/assessments/${s2.id}`)
  t.equal(res?.status(), 404)
  t.match(await page.locator('main').innerText(), 'Không tìm thấy')
  await expectAccessible(t, page, "the 404 page for another school's phiếu")
  await page.goto('/school')
  const csrf = await page.locator('input[name=_csrf]').first().inputValue()
  for (const [path, form] of [['', { 'fact-teachers_total': '5', version: '1' }], ['/submit', { version: '1' }]] as const) {
    const r = await page.request.post(`/assessments/${s2.id}${path}`, { form: { _csrf: csrf, ...form } })
    t.equal(r.status(), 404, `POST /assessments/:id${path} → 404`)
  }
  const after = h.json(await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${s2.id}`))
  t.same([after.version, after.state, after.facts], [s2.version, 'draft', {}], 'nothing changed')
  await ctx.close()
})

