// Takes the console's screenshots in docs/screenshots/: the demo province of `cds seed-demo` served
// on a loopback port, photographed in Debian's Chromium.   node --import tsx docs/screenshots/take.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.js'
import { seedDemo } from '../../src/cli/seed-demo.js'
import { CHROMIUM } from '../../test/console/support/browser.js'

const out = (name: string) => fileURLToPath(new URL(`./${name}.png`, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'cds-screenshots-'))
const clock = { now: new Date() }
const app = await buildApp({ logger: false, now: () => clock.now, config: { dataDir: dir, dbFile: join(dir, 'cds.sqlite'), uploadsDir: join(dir, 'uploads') } })
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
try {
  const demo = await seedDemo(app.services, clock)
  clock.now = new Date()
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const store = app.services.ctx.store
  const [current] = (await store.periods.listVisible({ kind: 'all' }, {}, { limit: 1, offset: 0 })).items
  const all = await store.assessments.list({ periodId: current!.id }, { limit: 100, offset: 0 })
  const returned = all.find((a) => a.state === 'returned')!
  const submitted = all.find((a) => a.state === 'submitted')!
  const external = all.find((a) => a.external !== null)!
  const as = async (username: string, width = 1280): Promise<Page> => {
    const ctx = await browser.newContext({ baseURL: base, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width, height: 900 } })
    const page = await ctx.newPage()
    await page.goto('/login')
    await page.getByLabel('Tên đăng nhập').fill(username)
    await page.getByLabel('Mật khẩu').fill(demo.accounts.password)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    return page
  }
  const shot = async (page: Page, path: string, name: string, fullPage = true) => { await page.goto(path); await page.screenshot({ path: out(name), fullPage }) }
  const login = await browser.newPage({ viewport: { width: 1280, height: 700 } })
  await login.goto(`${base}/login`)
  await login.screenshot({ path: out('login') })
  const school = await as(demo.accounts.returnedSchool)
  await shot(school, '/school', 'school-home')
  await shot(school, `/assessments/${returned.id}`, 'school-form', false)
  await shot(school, `/assessments/${returned.id}/check`, 'school-check')
  await shot(await as(demo.accounts.returnedSchool, 360), `/assessments/${returned.id}`, 'school-form-360', false)
  const officer = await as(demo.accounts.reviewer)
  await shot(officer, `/dashboard?unit=MH&period=${current!.id}`, 'dashboard')
  await shot(officer, `/review?period=${current!.id}`, 'review-queue')
  await shot(officer, `/review/${external.id}`, 'review-assessment')
  await shot(officer, `/review/${submitted.id}/approve`, 'review-approve')
  await shot(officer, '/accounts', 'accounts')
  await shot(officer, '/criteria/moet-4725/2022-12-30', 'criteria', false)
} finally {
  await browser.close()
  await app.close()
  rmSync(dir, { recursive: true, force: true })
}
