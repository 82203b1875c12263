// Security headers and the failed-authentication limit.
//
//   1. Every response carries helmet's headers; the JSON API and /health get a CSP that loads
//      nothing; protected /v1 data is Cache-Control: no-store (the public catalog is not).
//   2. /docs still works under its CSP: the page loads, has no inline script, and every script
//      and stylesheet it names is served from this origin.
//   3. The printable sheet keeps its inline <style> but may run no script.
//   4. After AUTH_FAILURE_LIMIT failed authentications from one address within the window,
//      further failures answer 429 TOO_MANY_FAILED_AUTH with Retry-After; a valid key from the same
//      address still works, other addresses are not affected, and the window resets. 0 disables it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.js'
import { FailedAuthLimiter } from '../../src/http/plugins/security.js'
import { loadCatalog } from '../helpers.js'
import { harness, startAssessment } from './app.js'

const csp = (res: LightMyRequestResponse): string => String(res.headers['content-security-policy'] ?? '')

/** The sources of one CSP directive ([] when absent). */
function directive(policy: string, name: string): string[] {
  const d = policy.split(';').map((s) => s.trim().split(/\s+/)).find((parts) => parts[0] === name)
  return d ? d.slice(1) : []
}

function commonHeaders(t: Test, res: LightMyRequestResponse, what: string): void {
  t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`)
  t.match(String(res.headers['strict-transport-security']), /max-age=\d+/, `${what}: HSTS`)
  t.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: referrer policy`)
  t.ok(res.headers['x-frame-options'], `${what}: X-Frame-Options`)
  t.notOk(res.headers['x-powered-by'], `${what}: no X-Powered-By`)
  t.ok(csp(res), `${what}: a CSP`)
}

t.test('security headers', async (t) => {
  const h = await harness(t)

  t.test('JSON routes: a CSP that loads nothing and forbids framing', async (t) => {
    for (const [what, res] of [
      ['GET /health', await h.app.inject({ url: '/health' })],
      ['GET /v1/me', await h.req(h.keys.admin, 'GET', '/v1/me')],
      ['401 on /v1/me', await h.req(null, 'GET', '/v1/me')],
      ['404', await h.app.inject({ url: '/v1/no-such-route' })],
    ] as const) {
      commonHeaders(t, res, what)
      t.same(directive(csp(res), 'default-src'), ["'none'"], `${what}: default-src 'none'`)
      t.same(directive(csp(res), 'frame-ancestors'), ["'none'"], `${what}: frame-ancestors 'none'`)
      t.equal(res.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options DENY`)
    }
  })

  t.test('protected /v1 data is no-store; the public catalog and /health are not', async (t) => {
    const me = await h.req(h.keys.admin, 'GET', '/v1/me')
    t.equal(me.statusCode, 200)
    t.equal(me.headers['cache-control'], 'no-store')
    const { id } = await startAssessment(h)
    const a = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}`)
    t.equal(a.statusCode, 200)
    t.equal(a.headers['cache-control'], 'no-store', 'an assessment')
    t.equal((await h.req(null, 'GET', '/v1/assessments')).headers['cache-control'], 'no-store', 'a refusal too')
    const sets = await h.req(null, 'GET', '/v1/criteria-sets')
    t.equal(sets.statusCode, 200)
    t.not(sets.headers['cache-control'], 'no-store', 'public criteria sets')
    t.not((await h.app.inject({ url: '/health' })).headers['cache-control'], 'no-store', '/health')
  })

  t.test('/docs loads: HTML, no inline script, every script and stylesheet from this origin', async (t) => {
    const page = await h.app.inject({ url: '/docs' })
    t.equal(page.statusCode, 200)
    t.match(String(page.headers['content-type']), /^text\/html/)
    t.match(page.body, /<div id="swagger-ui">/)
    commonHeaders(t, page, '/docs')
    const policy = csp(page)
    t.same(directive(policy, 'script-src'), ["'self'"], 'scripts from this origin only')
    t.notOk(directive(policy, 'script-src').includes("'unsafe-inline'"))
    t.ok(directive(policy, 'style-src').includes("'self'"), 'stylesheets from this origin')
    t.ok(directive(policy, 'connect-src').includes("'self'"), 'the UI may fetch /docs/json')
    t.notOk(policy.includes('upgrade-insecure-requests'), 'works over plain HTTP too')
    t.equal(page.headers['x-frame-options'], 'SAMEORIGIN')

    t.notMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline <script> element')
    const assets = [...page.body.matchAll(/<(?:script|link)[^>]*\s(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string)
    t.ok(assets.length >= 3, 'the page names its scripts and stylesheets')
    for (const url of assets) {
      t.ok(url.startsWith('/docs/'), `${url}: same origin`)
      const res = await h.app.inject({ url })
      t.equal(res.statusCode, 200, `${url}: served`)
    }
    const spec = await h.app.inject({ url: '/docs/json' })
    t.equal(spec.statusCode, 200)
    t.equal(JSON.parse(spec.body).openapi, '3.1.0')
  })

  t.test('the sheet: inline styles allowed, no script of any kind', async (t) => {
    const { id } = await startAssessment(h, h.keys.schoolS2, 'S2')
    const res = await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${id}/sheet`)
    t.equal(res.statusCode, 200)
    t.match(String(res.headers['content-type']), /^text\/html/)
    t.match(res.body, /<style>/, 'the sheet has its inline stylesheet')
    commonHeaders(t, res, 'sheet')
    const policy = csp(res)
    t.same(directive(policy, 'default-src'), ["'none'"])
    t.same(directive(policy, 'script-src'), ["'none'"], 'script-src none')
    t.notOk(directive(policy, 'script-src').includes("'unsafe-inline'"), 'no unsafe-inline script')
    t.same(directive(policy, 'style-src'), ["'unsafe-inline'"], 'the inline <style> applies')
    t.equal(res.headers['cache-control'], 'no-store')
  })
})

// ───────────────────────── the failed-authentication limit ─────────────────────────

interface Limited { app: FastifyInstance; key: string; clock: { ms: number }; from(ip: string, key: string | null, url?: string): Promise<LightMyRequestResponse> }

async function limitedApp(t: Test, authFailureLimit: number, authFailureWindowS = 60): Promise<Limited> {
  const uploadsDir = mkdtempSync(join(tmpdir(), 'cds-uploads-'))
  const clock = { ms: Date.parse('2025-04-15T03:00:00Z') }
  const app = await buildApp({
    logger: false, catalog: loadCatalog(), now: () => new Date(clock.ms),
    config: { dbFile: ':memory:', uploadsDir, authFailureLimit, authFailureWindowS },
  })
  t.teardown(async () => { await app.close(); rmSync(uploadsDir, { recursive: true, force: true }) })
  const key = (await app.services.keys.create(null, { role: 'admin', label: 'test admin' })).key
  const from: Limited['from'] = (ip, k, url = '/v1/me') => app.inject({
    method: 'GET', url, remoteAddress: ip, headers: k ? { authorization: `Bearer ${k}` } : {},
  })
  return { app, key, clock, from }
}

const BAD = 'cds_not-a-real-key'
const code = (res: LightMyRequestResponse): string | undefined => (JSON.parse(res.body) as { error?: { code?: string } }).error?.code

t.test('N failures answer 401, then 429 TOO_MANY_FAILED_AUTH with Retry-After', async (t) => {
  const l = await limitedApp(t, 3, 60)
  const ip = '203.0.113.7'
  for (let i = 1; i <= 3; i++) {
    const res = await l.from(ip, BAD)
    t.same([res.statusCode, code(res)], [401, 'INVALID_KEY'], `failure ${i}: 401`)
  }
  const over = await l.from(ip, BAD)
  t.equal(over.statusCode, 429)
  const body = JSON.parse(over.body) as { error: { code: string; message: string; details?: { retryAfterSeconds?: number } } }
  t.equal(body.error.code, 'TOO_MANY_FAILED_AUTH')
  t.type(body.error.message, 'string')
  t.equal(over.headers['retry-after'], '60', 'Retry-After: the rest of the window, in seconds')
  t.equal(body.error.details?.retryAfterSeconds, 60)
  t.equal(over.headers['x-content-type-options'], 'nosniff', 'the 429 carries the security headers too')
  t.notOk(over.body.includes(BAD), 'the key is not echoed')

  t.same([(await l.from(ip, null)).statusCode], [429], 'a missing key counts as a failure too')
  t.equal((await l.from(ip, 'Basic abc')).statusCode, 429, 'so does a malformed header')
  t.equal((await l.from(ip, BAD, '/v1/criteria-sets')).statusCode, 429, 'a bad key on a public route fails authentication')

  const ok = await l.from(ip, l.key)
  t.equal(ok.statusCode, 200, 'a valid key from the same address still works')
  t.equal(JSON.parse(ok.body).role, 'admin')
  t.equal((await l.from(ip, null, '/v1/criteria-sets')).statusCode, 200, 'a public route without a key still works')
  t.equal((await l.from(ip, null, '/health')).statusCode, 200, '/health is not behind auth')

  const other = await l.from('198.51.100.9', BAD)
  t.same([other.statusCode, code(other)], [401, 'INVALID_KEY'], 'another address has its own count')

  l.clock.ms += 45_000
  const later = await l.from(ip, BAD)
  t.equal(later.statusCode, 429, 'still limited within the window')
  t.equal(later.headers['retry-after'], '15', 'Retry-After counts down')

  l.clock.ms += 15_000
  for (let i = 1; i <= 3; i++) t.equal((await l.from(ip, BAD)).statusCode, 401, `after the window: failure ${i} is a 401 again`)
  const again = await l.from(ip, BAD)
  t.same([again.statusCode, code(again), again.headers['retry-after']], [429, 'TOO_MANY_FAILED_AUTH', '60'], 'and the new window limits again')
})

t.test('successes are never counted', async (t) => {
  const l = await limitedApp(t, 2, 60)
  const ip = '203.0.113.8'
  for (let i = 0; i < 10; i++) t.equal((await l.from(ip, l.key)).statusCode, 200)
  t.equal((await l.from(ip, BAD)).statusCode, 401)
  t.equal((await l.from(ip, BAD)).statusCode, 401)
  t.equal((await l.from(ip, BAD)).statusCode, 429)
})

t.test('AUTH_FAILURE_LIMIT 0 disables the limit', async (t) => {
  const l = await limitedApp(t, 0, 60)
  const codes = new Set<number>()
  for (let i = 0; i < 50; i++) codes.add((await l.from('203.0.113.9', BAD)).statusCode)
  t.same([...codes], [401], '50 failures, all 401')
})

t.test('the limiter keeps a bounded number of addresses', async (t) => {
  let now = 0
  const limiter = new FailedAuthLimiter(1, 10, () => now, 100)
  for (let i = 0; i < 1000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`)
  t.ok(limiter.size <= 100, `at most 100 tracked (${limiter.size})`)
  now += 10_000
  limiter.fail('192.0.2.1')
  t.ok(limiter.size <= 100)
  t.same(limiter.fail('192.0.2.1'), { limited: true, retryAfterS: 10 }, 'the newest address is still limited')
  t.same(new FailedAuthLimiter(0, 10).fail('x'), { limited: false }, 'limit 0: never limited')
})
