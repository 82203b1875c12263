// Real-browser tests of the console: Debian's Chromium (/usr/bin/chromium) driven by playwright-core
// against the service listening on a loopback port, and axe-core on every page a test reaches.
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { harness, type Harness } from '../../http/app.js'

/** What these helpers need of a tap test. */
export interface Tap { teardown(fn: () => unknown): void; same(a: unknown, b: unknown, msg: string): unknown }

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run']

export const PASSWORD = 'mat-khau-thu-nghiem-2025'

/** The people of the test district (test/http/app.ts's units and schools), signing in with PASSWORD. */
export const PEOPLE = {
  admin: { username: 'quantri', role: 'admin' as const, displayName: 'Quản trị hệ thống' },
  reviewerHN: { username: 'so-hn', role: 'reviewer' as const, unitCode: 'HN', displayName: 'Nguyễn Thị Hà (Sở GDĐT Hà Nội)' },
  reviewerLB: { username: 'phong-lb', role: 'reviewer' as const, unitCode: 'LB', displayName: 'Trần Văn Long (Phòng GDĐT Long Biên)' },
  reviewerQN: { username: 'so-qn', role: 'reviewer' as const, unitCode: 'QN', displayName: 'Lê Minh Quang (Sở GDĐT Quảng Ninh)' },
  schoolS1: { username: 'truong-s1', role: 'school' as const, schoolCode: 'S1', displayName: 'Phạm Thu Hương (THCS Ngọc Thụy)' },
  schoolS2: { username: 'truong-s2', role: 'school' as const, schoolCode: 'S2', displayName: 'Đỗ Văn Nam (TH Ngọc Lâm)' },
  schoolS9: { username: 'truong-s9', role: 'school' as const, schoolCode: 'S9', displayName: 'Vũ Hải (THCS Hạ Long)' },
}
export type Person = keyof typeof PEOPLE

export interface ConsoleHarness extends Harness { url: string; browser: Browser }

/** The test district served on a loopback port, its people's accounts, and a browser. */
export async function consoleHarness(t: Tap, people: Person[] = Object.keys(PEOPLE) as Person[]): Promise<ConsoleHarness> {
  const h = await harness(t)
  for (const p of people) await h.app.services.users.createWithPassword(PEOPLE[p], PASSWORD)
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const address = h.app.server.address() as { port: number }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  t.teardown(() => browser.close())
  return { ...h, url: `http://127.0.0.1:${address.port}`, browser }
}

/** A fresh browser profile (cookies of its own); `javaScript: false` for the no-script runs. */
const noScript = new WeakSet<BrowserContext>()

export async function newContext(h: ConsoleHarness, opts: { javaScript?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const ctx = await h.browser.newContext({ baseURL: h.url, javaScriptEnabled: opts.javaScript ?? true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: opts.width ?? 1280, height: 900 } })
  if (opts.javaScript === false) noScript.add(ctx)
  return ctx
}

export async function signIn(page: Page, who: Person): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Tên đăng nhập').fill(PEOPLE[who].username)
  await page.getByLabel('Mật khẩu').fill(PASSWORD)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** axe-core (WCAG 2.0/2.1 A and AA) on the page as it is now: no violation, each one named if any. */
export async function expectAccessible(t: Tap, page: Page, what: string): Promise<void> {
  // axe is a script: on a page without JavaScript, the same markup is checked in a scripted page of
  // the same origin (so its stylesheet, and thus colours and sizes, are the same).
  let target = page
  let scratch: BrowserContext | null = null
  if (noScript.has(page.context())) {
    const html = await page.content()
    scratch = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin })
    target = await scratch.newPage()
    await target.goto('/login')
    await target.setContent(html, { waitUntil: 'load' })
  }
  const r = await new AxeBuilder({ page: target }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
  await scratch?.close()
  t.same(found, [], `axe: no WCAG A/AA violation on ${what} (${page.url()})`)
}
