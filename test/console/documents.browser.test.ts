// Minh chứng at the criterion it supports, in the browser: upload a file (multipart, without
// JavaScript too) and add a link; both are listed, the file downloads as sent, and the criterion's
// document fact cites it. axe on each state.
import t from 'tap'
import { consoleHarness, expectAccessible, newContext, signIn } from './support/browser.js'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

for (const javaScript of [true, false]) {
  t.test(`a file and a link at criteria 1.1 and 1.2 (JavaScript ${javaScript ? 'on' : 'off'})`, async (t) => {
    const h = await consoleHarness(t, ['schoolS1'])
    const a = h.json(await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: h.periodId }))
    const ctx = await newContext(h, { javaScript })
    const page = await ctx.newPage()
    await signIn(page, 'schoolS1')
    await page.goto(`/assessments/${a.id}`)
    // A <details> opens by its summary with or without JavaScript (a browser feature, not a script).
    await page.locator('details.attach').first().locator('summary').click()
    await page.locator('#doc-1-1-file-title').fill('Kế hoạch dạy học trực tuyến 2024-2025')
    await page.locator('#doc-1-1-file-file').setInputFiles({ name: 'ke-hoach.pdf', mimeType: 'application/pdf', buffer: PDF })
    await page.locator('button[form="doc-1-1-file"]').click()
    await page.waitForURL('**?notice=document-added')
    await expectAccessible(t, page, 'the phiếu with a file attached')
    const link = page.getByRole('link', { name: 'Kế hoạch dạy học trực tuyến 2024-2025' })
    t.ok(await link.count() > 0, 'the file is listed by its title')

    await page.locator('details.attach').nth(1).locator('summary').click()
    await page.locator('#doc-1-2-link-title').fill('Quy chế dạy học trực tuyến')
    await page.locator('#doc-1-2-link-url').fill('https://truong.example/quy-che.pdf')
    await page.locator('button[form="doc-1-2-link"]').click()
    await page.waitForURL('**?notice=document-added')
    t.ok(await page.getByRole('link', { name: 'Quy chế dạy học trực tuyến' }).count() > 0, 'the link is listed')

    const stored = h.json(await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${a.id}`))
    t.equal(stored.documents.length, 2, 'two documents on the assessment')
    const file = stored.documents.find((d: { kind: string }) => d.kind === 'file')
    t.same(stored.facts.online_teaching_plan_document, { title: 'Kế hoạch dạy học trực tuyến 2024-2025', ref: file.id }, 'criterion 1.1\'s document fact cites the file')
    t.same(stored.facts.online_teaching_regulation_document, { title: 'Quy chế dạy học trực tuyến', url: 'https://truong.example/quy-che.pdf' }, 'criterion 1.2\'s the link')
    const res = await page.request.get(`/assessments/${a.id}/documents/${file.id}`)
    t.equal(res.status(), 200)
    t.same(Buffer.from(await res.body()), PDF, 'the file downloads as it was sent')
    t.match(res.headers()['content-disposition'], /attachment/)
    await ctx.close()
  })
}
