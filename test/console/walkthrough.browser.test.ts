// The whole cycle in the browser, as the README's "Done when" walks it: a school fills the QĐ 4725
// phiếu from empty and submits; the Phòng returns it with a reason; the school reads the reason,
// fixes, resubmits; the Phòng approves, records an external assessment that lowers a level,
// publishes; the dashboard's numbers are the API summary's. axe on every page reached. Also: every
// page's first load weighs at most 150 KB compressed, and nothing is wider than a 360 px screen.
import t from 'tap'
import type { Page } from 'playwright-core'
import { exampleFacts } from '../http/app.js'
import { consoleHarness, expectAccessible, newContext, signIn, type ConsoleHarness } from './support/browser.js'
import { fillAll, fillFact } from './support/phieu.js'

const STRONG = exampleFacts('strong-thcs')
const api = async (h: ConsoleHarness, id: string) => h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments/${id}`))

t.test('from an empty phiếu to published, school and officer in the browser', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB', 'schoolS1'])
  const school = await (await newContext(h)).newPage()
  const officer = await (await newContext(h)).newPage()
  await signIn(school, 'schoolS1')
  await signIn(officer, 'reviewerLB')

  // The school: start, fill everything, check, submit.
  await school.goto('/school')
  await school.getByRole('button', { name: /Bắt đầu tự đánh giá/ }).click()
  await school.waitForURL(/\/assessments\/[^/?]+\?notice=started/)
  const id = new URL(school.url()).pathname.split('/')[2] as string
  await fillAll(school, STRONG)
  await school.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await school.waitForURL('**?notice=saved')
  await school.getByRole('link', { name: 'Kiểm tra trước khi nộp' }).first().click()
  await school.waitForURL('**/check')
  await expectAccessible(t, school, 'check answers, complete')
  await school.getByRole('button', { name: 'Nộp tự đánh giá' }).click()
  await school.waitForURL('**/school?notice=submitted')
  t.equal((await api(h, id)).state, 'submitted')

  // The officer returns it with a reason.
  await officer.goto('/review')
  await officer.locator(`#queue tr[data-id="${id}"]`).getByRole('link').first().click()
  await officer.waitForURL(`**/review/${id}`)
  const reason = 'Tiêu chí 1.4: số môn có học liệu số chưa khớp danh mục; đề nghị rà soát lại.'
  await officer.getByLabel('Lý do yêu cầu nhập lại (trường sẽ đọc)').fill(reason)
  await officer.getByRole('button', { name: 'Yêu cầu nhập lại' }).click()
  await officer.waitForURL(`**/review/${id}?notice=returned`)

  // The school sees the reason where it starts and on the phiếu, fixes the count, resubmits.
  await school.goto('/school')
  t.match(await school.locator('main').innerText(), reason, 'the reason on the school\'s page')
  await expectAccessible(t, school, 'the school page with a returned phiếu')
  await school.goto(`/assessments/${id}`)
  t.match(await school.locator('.warning-box').first().innerText(), reason, 'and at the top of the phiếu')
  await expectAccessible(t, school, 'the returned phiếu')
  await fillFact(school, 'subjects_with_digital_materials', 11)
  await school.getByRole('button', { name: 'Lưu bản nháp' }).click()
  await school.waitForURL('**?notice=saved')
  t.equal((await api(h, id)).facts.subjects_with_digital_materials, 11, 'the fix is saved')
  await school.goto(`/assessments/${id}/check`)
  await school.getByRole('button', { name: 'Nộp tự đánh giá' }).click()
  await school.waitForURL('**/school?notice=submitted')

  // The officer approves (confirmation), records an external assessment without the cashless fee
  // payment (2.4.3, 10 points: group II 80 → 70, mức 3 → mức 2 by the 50–75 band), publishes.
  await officer.goto(`/review/${id}`)
  await officer.getByRole('link', { name: 'Duyệt', exact: true }).click()
  await officer.getByRole('button', { name: 'Xác nhận duyệt' }).click()
  await officer.waitForURL(`**/review/${id}?notice=approved`)
  await officer.getByRole('link', { name: 'Ghi đánh giá ngoài' }).click()
  await officer.locator('#fact-cashless_fee_payment-no').check()
  await officer.getByRole('button', { name: 'Lưu đánh giá ngoài' }).click()
  await officer.waitForURL(`**/review/${id}?notice=external-saved`)
  t.equal(await officer.locator('#groups tr[data-group="II"] td[data-external-level]').getAttribute('data-external-level'), '2', 'the external assessment lowers group II to mức 2')
  // 1.3.0 is information only (no points): the LMS's name and how it was acquired, as the school
  // wrote them — "rented" read as the vocabulary's word for it.
  t.equal(await officer.locator('#criteria-I tr[data-criterion="1.3.0"] td').first().innerText(), 'K12Online; Thuê', 'an information criterion shows its facts in words')
  await officer.getByRole('button', { name: 'Công bố' }).click()
  await officer.waitForURL(`**/review/${id}?notice=published`)
  const done = await api(h, id)
  t.equal(done.state, 'published')
  t.equal(done.external.result.groups.find((g: { code: string }) => g.code === 'II').level, 2)

  // The dashboard says what the API's summary says.
  await officer.goto(`/dashboard?unit=LB&period=${h.periodId}`)
  await expectAccessible(t, officer, 'the dashboard after publishing')
  const summary = h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/summary?period=${h.periodId}`))
  t.equal(summary.schools.byState.published, 1, 'the API counts one published school of LB')
  t.equal(summary.schools.inScope, 2, '…of the two (S1, S2)')
  t.equal(await officer.locator('li[data-card="published"] .big').innerText(), '1', 'and so does the dashboard')
  t.equal(await officer.locator('li[data-card="expected"] .big').innerText(), '2')
})

/** Bytes a page's first load transfers (the page and what it loads), as the network sent them. */
async function firstLoadBytes(page: Page, path: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  let bytes = 0
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => { bytes += e.encodedDataLength })
  await page.goto(path, { waitUntil: 'networkidle' })
  await cdp.detach()
  return bytes
}

t.test('every main page: first load ≤ 150 KB compressed; nothing wider than 360 px', async (t) => {
  const h = await consoleHarness(t, ['reviewerLB', 'schoolS1'])
  const s = h.json(await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: h.periodId }))
  await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${s.id}/evidence`, { facts: STRONG }, { 'if-match': `"${s.version}"` })
  const pages: [Parameters<typeof signIn>[1], string][] = [
    ['schoolS1', '/school'], ['schoolS1', `/assessments/${s.id}`], ['schoolS1', `/assessments/${s.id}/check`],
    ['reviewerLB', `/dashboard?unit=LB&period=${h.periodId}`], ['reviewerLB', '/review'], ['reviewerLB', `/review/${s.id}`],
    ['reviewerLB', '/schools'], ['reviewerLB', '/periods'], ['reviewerLB', '/criteria/moet-4725/2022-12-30'], ['reviewerLB', '/accounts'],
  ]
  for (const width of [1280, 360]) {
    for (const who of ['schoolS1', 'reviewerLB'] as const) {
      const page = await (await newContext(h, { width })).newPage()
      await signIn(page, who)
      for (const [w, path] of pages) {
        if (w !== who) continue
        if (width === 1280) {
          const bytes = await firstLoadBytes(page, path)
          t.ok(bytes <= 150 * 1024, `${path}: first load ${(bytes / 1024).toFixed(1)} KB ≤ 150 KB`)
        } else {
          await page.goto(path)
          const wide = await page.evaluate(() => document.documentElement.scrollWidth)
          t.ok(wide <= 360, `${path} at 360 px: the page is ${wide} px wide (tables scroll inside their own box)`)
        }
      }
      await page.context().close()
    }
  }
})
