// The officer's dashboard in a real browser: its numbers (states, level distributions) equal the
// API's unit summary for the same unit and period; drill-down to a child unit; axe on every page.
import t from 'tap'
import type { Page } from 'playwright-core'
import { act, startAssessment } from '../http/app.js'
import { submittedViaApi as submitted } from './support/phieu.js'
import { consoleHarness, expectAccessible, newContext, signIn, type ConsoleHarness } from './support/browser.js'


const num = (s: string) => Number(s.trim().replace(/\./g, '').replace(',', '.'))

/** The numbers of the page's tables: schools per state, and per group and level overall. */
async function shown(page: Page) {
  const byState: Record<string, number> = {}
  for (const k of ['none', 'draft', 'submitted', 'returned', 'approved', 'published', 'total']) {
    byState[k] = num(await page.locator(`#by-state tr[data-state="${k}"] td`).first().innerText())
  }
  const overall: Record<string, number>[] = []
  const rows = page.locator('#chart-overall-table tbody tr')
  for (let i = 0; i < await rows.count(); i++) {
    const r: Record<string, number> = {}
    for (const l of ['1', '2', '3']) r[l] = num(await rows.nth(i).locator(`td[data-level="${l}"]`).innerText())
    r.total = num(await rows.nth(i).locator('td[data-total]').innerText())
    overall.push(r)
  }
  return { byState, overall }
}

function expected(api: any) {
  const byState = { ...api.schools.byState, total: api.schools.inScope }
  const overall = api.overall.groups.map((g: any) => ({ 1: g.levels['1'] ?? 0, 2: g.levels['2'] ?? 0, 3: g.levels['3'] ?? 0, total: Object.values(g.levels as Record<string, number>).reduce((a, b) => a + b, 0) }))
  return { byState: Object.fromEntries(Object.keys(byState).map((k) => [k, byState[k] ?? 0])), overall }
}

t.test('the dashboard shows the unit summary, with and without submitted ones; drill-down; pending schools', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB', 'admin'])
  // S1: strong THCS, approved. S2: weaker primary school, submitted only.
  const s1 = await submitted(h, h.keys.schoolS1, 'S1', 'strong-thcs')
  t.equal((await act(h, h.keys.reviewerLB, s1.id, s1.version, 'approve')).statusCode, 200)
  await submitted(h, h.keys.schoolS2, 'S2', 'weak-rural-th')

  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'reviewerLB')
  await page.goto('/dashboard')
  t.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Tổng quan — Quận Long Biên', 'the reviewer\'s own unit by default')
  await expectAccessible(t, page, 'the dashboard of LB')
  const api = h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/summary?period=${h.periodId}`))
  // By hand: 2 schools in LB (S1, S2): S1 approved, S2 submitted; only the approved one counted,
  // strong-thcs is mức 3 in both groups.
  t.same(api.schools.byState, { draft: 0, submitted: 1, returned: 0, approved: 1, published: 0, none: 0 })
  t.same(await shown(page), expected(api), 'the tables show the API\'s numbers')
  t.same((await shown(page)).overall, [{ 1: 0, 2: 0, 3: 1, total: 1 }, { 1: 0, 2: 0, 3: 1, total: 1 }])
  t.match(await page.locator('svg[role="img"]').first().getAttribute('aria-label'), 'Mức 3 1', 'the chart\'s text alternative has the numbers')
  t.equal(num(await page.locator('[data-top]').innerText()), 1, 'one school at mức 3 in both groups')
  t.match(await page.locator('#pending').locator('xpath=following-sibling::p[1]').innerText(), 'Tất cả các trường đã nộp phiếu')

  // With the submitted ones counted.
  await page.getByLabel('Tính cả phiếu đã nộp nhưng chưa duyệt').check()
  await page.getByRole('button', { name: 'Xem' }).click()
  await page.waitForURL('**/dashboard?**includeSubmitted=1**')
  const api2 = h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/summary?period=${h.periodId}&includeSubmitted=true`))
  t.equal(api2.schools.counted, 2)
  t.same(await shown(page), expected(api2), 'counting submitted too: the API\'s numbers again')
  await expectAccessible(t, page, 'the dashboard counting submitted assessments')

  // Drill down to the ward LB-W1 from the table by child unit.
  await page.locator('#chart-unit-I-table').getByRole('link', { name: 'Phường Ngọc Thụy' }).click()
  await page.waitForURL('**/dashboard?unit=LB-W1**')
  t.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Tổng quan — Phường Ngọc Thụy')
  const api3 = h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB-W1/summary?period=${h.periodId}&includeSubmitted=true`))
  t.same(await shown(page), expected(api3), 'the child unit\'s numbers equal its API summary')
  await expectAccessible(t, page, 'the dashboard of a child unit')
  await ctx.close()
})

t.test('schools that have not submitted are named with their deadline; admin picks a unit', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB', 'admin'])
  const s2 = await startAssessment(h, h.keys.schoolS2, 'S2')
  const ctx = await newContext(h, { javaScript: false })
  const page = await ctx.newPage()
  await signIn(page, 'reviewerLB')
  await page.goto(`/dashboard?unit=LB&period=${h.periodId}`)
  const rows = page.locator('#pending-table tbody tr')
  t.equal(await rows.count(), 2, 'S1 (no assessment) and S2 (being written)')
  const text = await page.locator('#pending-table').innerText()
  t.match(text, 'Trường THCS Ngọc Thụy')
  t.match(text, 'Chưa bắt đầu')
  t.match(text, 'Trường Tiểu học Ngọc Lâm')
  t.match(text, 'Đang nhập')
  // 2025-05-31T16:59:59Z is 23:59:59 on 31 May in Vietnam (UTC+7).
  t.match(text, '31/05/2025')
  t.equal(await page.locator('#pending-table').getByRole('link', { name: 'Trường Tiểu học Ngọc Lâm' }).getAttribute('href'), `/review/${s2.id}`)
  const api = h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/summary?period=${h.periodId}`))
  t.same(await shown(page), expected(api))
  t.match(await page.locator('main').innerText(), 'Chưa có phiếu nào được đánh giá ngoài: chưa có dữ liệu')
  await expectAccessible(t, page, 'the dashboard without JavaScript, nothing approved yet')
  await ctx.close()

  const admin = await newContext(h)
  const ap = await admin.newPage()
  await signIn(ap, 'admin')
  await ap.goto('/dashboard')
  await expectAccessible(t, ap, 'the admin\'s dashboard before a unit is chosen')
  await ap.getByRole('link', { name: 'Thành phố Hà Nội' }).click()
  await ap.waitForURL('**/dashboard?unit=HN**')
  t.equal(await ap.getByRole('heading', { level: 1 }).innerText(), 'Tổng quan — Thành phố Hà Nội')
  const hn = h.json(await h.req(h.keys.admin, 'GET', `/v1/units/HN/summary?period=${h.periodId}`))
  t.same(await shown(ap), expected(hn))
  await expectAccessible(t, ap, 'the dashboard of the province')
  await admin.close()
})
