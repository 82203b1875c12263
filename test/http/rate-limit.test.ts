// Rate limits (429 RATE_LIMITED with Retry-After, in the API's error shape):
//   1. POST /v1/score per client address: past SCORE_RATE_LIMIT in the window, 429; another
//      address is not affected; the window ends on the app's clock;
//   2. X-Forwarded-For buys no fresh window unless TRUST_PROXY names the proxy;
//   3. writes per API key: past WRITE_RATE_LIMIT, 429 and nothing written; another key, reads with
//      the same key and scoring are not affected;
//   4. 0 disables each limit.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { loadCatalog } from '../helpers.js'
import { exampleFacts } from './app.js'

interface Limited {
  app: FastifyInstance
  clock: { ms: number }
  keys: [string, string]
  score(ip: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  req(key: string, method: string, url: string, body?: object): Promise<LightMyRequestResponse>
}

async function limitedApp(t: Test, config: Partial<Config>): Promise<Limited> {
  const uploadsDir = mkdtempSync(join(tmpdir(), 'cds-uploads-'))
  const clock = { ms: Date.parse('2025-04-15T03:00:00Z') }
  const app = await buildApp({
    logger: false, catalog: loadCatalog(), now: () => new Date(clock.ms),
    config: { dbFile: ':memory:', uploadsDir, authFailureLimit: 0, ...config },
  })
  t.teardown(async () => { await app.close(); rmSync(uploadsDir, { recursive: true, force: true }) })
  // Keys made by the service, not through the API: no write is counted before the test's own.
  const keys = [(await app.services.keys.create(null, { role: 'admin', label: 'admin A' })).key, (await app.services.keys.create(null, { role: 'admin', label: 'admin B' })).key] as [string, string]
  const facts = exampleFacts('strong-thcs')
  const score: Limited['score'] = (ip, headers = {}) => app.inject({
    method: 'POST', url: '/v1/score', remoteAddress: ip, headers, payload: { criteriaSet: 'moet-4725', evidence: { facts } },
  })
  const req: Limited['req'] = (key, method, url, body) => app.inject({
    method: method as 'GET', url, remoteAddress: '198.51.100.20', headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}),
  })
  return { app, clock, keys, score, req }
}

/** Asserts a 429 RATE_LIMITED in the error shape with Retry-After `seconds`; returns the error. */
function limited(t: Test, res: LightMyRequestResponse, seconds: number, what: string): { code: string; message: string; details: Record<string, unknown> } {
  t.equal(res.statusCode, 429, `${what}: 429`)
  t.equal(res.headers['retry-after'], String(seconds), `${what}: Retry-After ${seconds}`)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['error'])
  t.equal(body.error.code, 'RATE_LIMITED')
  t.match(body.error.message, new RegExp(`thử lại sau ${seconds} giây`), `${what}: says when to retry, in Vietnamese`)
  t.equal(body.error.details.retryAfterSeconds, seconds)
  return body.error
}

const unit = (code: string) => ({ code, name: `Tỉnh ${code}`, type: 'province', fromYear: '2020-2021' })

t.test('POST /v1/score: SCORE_RATE_LIMIT per address per window, then 429 with Retry-After until the window ends', async (t) => {
  const l = await limitedApp(t, { scoreRateLimit: 3, scoreRateWindowS: 10 })
  const ip = '203.0.113.7'
  for (let i = 1; i <= 3; i++) t.equal((await l.score(ip)).statusCode, 200, `request ${i} of 3: scored`)
  const err = limited(t, await l.score(ip), 10, 'the 4th at once')
  t.equal(err.details.limit, 'score-per-address')
  t.equal((await l.score('203.0.113.8')).statusCode, 200, 'another address has its own window')
  l.clock.ms += 6_500
  limited(t, await l.score(ip), 4, '6.5 s later (3.5 s left, rounded up)')
  l.clock.ms += 3_500
  t.equal((await l.score(ip)).statusCode, 200, 'the window has ended: scored again')
  t.equal((await l.score(ip)).statusCode, 200)
  t.equal((await l.score(ip)).statusCode, 200)
  limited(t, await l.score(ip), 10, 'the new window is full after 3')
  t.equal((await l.req(l.keys[0], 'POST', '/v1/units', unit('AA'))).statusCode, 201, 'writes are not counted against scoring')
})

t.test('X-Forwarded-For gets no fresh window unless TRUST_PROXY names the proxy', async (t) => {
  const direct = await limitedApp(t, { scoreRateLimit: 2, scoreRateWindowS: 10 })
  await direct.score('127.0.0.1', { 'x-forwarded-for': '192.0.2.1' })
  await direct.score('127.0.0.1', { 'x-forwarded-for': '192.0.2.2' })
  limited(t, await direct.score('127.0.0.1', { 'x-forwarded-for': '192.0.2.3' }), 10, 'a forged forwarded address, no proxy trusted')

  const proxied = await limitedApp(t, { scoreRateLimit: 2, scoreRateWindowS: 10, trustProxy: ['127.0.0.1'] })
  for (const client of ['192.0.2.1', '192.0.2.1']) t.equal((await proxied.score('127.0.0.1', { 'x-forwarded-for': client })).statusCode, 200)
  limited(t, await proxied.score('127.0.0.1', { 'x-forwarded-for': '192.0.2.1' }), 10, 'the client behind the trusted proxy')
  t.equal((await proxied.score('127.0.0.1', { 'x-forwarded-for': '192.0.2.9' })).statusCode, 200, 'another client behind the same proxy')
  for (const client of ['192.0.2.10', '192.0.2.11']) t.equal((await proxied.score('198.51.100.1', { 'x-forwarded-for': client })).statusCode, 200)
  limited(t, await proxied.score('198.51.100.1', { 'x-forwarded-for': '192.0.2.12' }), 10, 'an untrusted sender: its own address counts, whatever it forwards')
})

t.test('writes: WRITE_RATE_LIMIT per key per window; the refused write changes nothing; other keys, reads and scoring go on', async (t) => {
  const l = await limitedApp(t, { writeRateLimit: 4, writeRateWindowS: 10, scoreRateLimit: 0 })
  const [a, b] = l.keys
  t.equal((await l.req(a, 'POST', '/v1/units', unit('P1'))).statusCode, 201)
  t.equal((await l.req(a, 'POST', '/v1/units', { code: 'bad code!' })).statusCode, 400, 'a refused write counts too')
  t.equal((await l.req(a, 'POST', '/v1/units', unit('P2'))).statusCode, 201)
  t.equal((await l.req(a, 'PATCH', '/v1/units/P2', { name: 'Tỉnh P2 (đổi tên)' })).statusCode < 500, true)
  const err = limited(t, await l.req(a, 'POST', '/v1/units', unit('P3')), 10, 'the 5th write with key A')
  t.equal(err.details.limit, 'writes-per-key')
  t.equal((await l.req(a, 'GET', '/v1/units/P3')).statusCode, 404, 'the refused write was not applied')
  limited(t, await l.req(a, 'DELETE', '/v1/keys/nope'), 10, 'DELETE is a write')
  t.equal((await l.req(a, 'GET', '/v1/units/P1')).statusCode, 200, 'reads with key A are not limited')
  t.equal((await l.req(b, 'POST', '/v1/units', unit('P3'))).statusCode, 201, 'key B has its own window, from the same address')
  for (let i = 0; i < 5; i++) t.equal((await l.score('198.51.100.20')).statusCode, 200, 'scoring is not a write')
  l.clock.ms += 10_000
  t.equal((await l.req(a, 'POST', '/v1/units', unit('P4'))).statusCode, 201, 'the window has ended')
})

t.test('0 disables each limit', async (t) => {
  const l = await limitedApp(t, { scoreRateLimit: 0, writeRateLimit: 0 })
  const codes = new Set<number>()
  for (let i = 0; i < 80; i++) codes.add((await l.score('203.0.113.7')).statusCode)
  for (let i = 0; i < 80; i++) codes.add((await l.req(l.keys[0], 'POST', '/v1/units', unit(`Q${i}`))).statusCode)
  t.same([...codes], [200, 201], '80 scores and 80 writes in the same instant')
})

t.test('the defaults are on: 60 scores per 10 s per address, 60 writes per 10 s per key', async (t) => {
  const l = await limitedApp(t, {})
  for (let i = 0; i < 60; i++) if ((await l.score('203.0.113.7')).statusCode !== 200) t.fail(`score ${i + 1} refused`)
  limited(t, await l.score('203.0.113.7'), 10, 'the 61st score')
  for (let i = 0; i < 60; i++) if ((await l.req(l.keys[0], 'POST', '/v1/units', unit(`D${i}`))).statusCode !== 201) t.fail(`write ${i + 1} refused`)
  limited(t, await l.req(l.keys[0], 'POST', '/v1/units', unit('D60')), 10, 'the 61st write')
})
