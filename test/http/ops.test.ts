// Operations: health and readiness probes, Fastify's own client errors in the service's error shape
// (unknown route, body too large, bad JSON), and the OpenAPI document.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { harness } from './app.js'

/** Asserts the one error shape {error:{code,message,path?,details?}} and the status/code. */
function expectError(t: Test, res: LightMyRequestResponse, status: number, code: string): any {
  t.equal(res.statusCode, status, `status ${status}`)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['error'], 'only an "error" member')
  t.equal(body.error.code, code)
  t.type(body.error.message, 'string')
  t.ok(body.error.message.length > 0, 'a message')
  for (const k of Object.keys(body.error)) t.ok(['code', 'message', 'path', 'details'].includes(k), `known member ${k}`)
  return body.error
}

/** An app of our own (for config the harness does not pass through), closed at the end. */
async function ownApp(t: Test, config: Record<string, unknown>): Promise<FastifyInstance> {
  const uploadsDir = mkdtempSync(join(tmpdir(), 'cds-ops-'))
  const app = await buildApp({ logger: false, config: { dbFile: ':memory:', uploadsDir, ...config } })
  t.teardown(async () => { await app.close(); rmSync(uploadsDir, { recursive: true, force: true }) })
  return app
}

t.test('GET /health answers 200 without a key', async (t) => {
  const h = await harness(t, { seed: false })
  const res = await h.req(null, 'GET', '/health')
  t.equal(res.statusCode, 200)
  t.same(h.json(res), { status: 'ok' })
})

t.test('GET /ready answers 200 with the number of criteria sets', async (t) => {
  const h = await harness(t, { seed: false })
  const res = await h.req(null, 'GET', '/ready')
  t.equal(res.statusCode, 200)
  const body = h.json(res)
  t.equal(body.status, 'ready')
  t.equal(body.criteriaSets, h.app.services.scoring.catalog.sets.size)
  t.ok(body.criteriaSets >= 1, 'at least the QĐ 4725 set is loaded')
  const listed = h.json(await h.req(null, 'GET', '/v1/criteria-sets'))
  t.ok(listed.items.length >= 1)
})

t.test('GET /ready answers 503 NOT_READY once the database is closed', async (t) => {
  const h = await harness(t, { seed: false })
  t.equal((await h.req(null, 'GET', '/ready')).statusCode, 200)
  await h.app.services.ctx.store.close()
  const res = await h.req(null, 'GET', '/ready')
  const err = expectError(t, res, 503, 'NOT_READY')
  t.match(err.message, /database/)
  t.equal((await h.req(null, 'GET', '/health')).statusCode, 200, 'the process itself is still up')
})

t.test('an unknown route is 404 ROUTE_NOT_FOUND', async (t) => {
  const h = await harness(t)
  const err = expectError(t, await h.req(null, 'GET', '/nope?x=1'), 404, 'ROUTE_NOT_FOUND')
  t.match(err.message, /GET \/nope/)
  t.notMatch(err.message, /x=1/, 'the query string is not echoed')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/nope'), 404, 'ROUTE_NOT_FOUND')
  expectError(t, await h.req(h.keys.admin, 'DELETE', '/v1/units/HN'), 404, 'ROUTE_NOT_FOUND')
})

t.test('a body over the limit is 413 BODY_TOO_LARGE', async (t) => {
  const app = await ownApp(t, { bodyLimitBytes: 1000 })
  const big = { criteriaSet: 'moet-4725', evidence: { facts: { lms_solution_name: 'x'.repeat(2000) } } }
  const res = await app.inject({ method: 'POST', url: '/v1/score', payload: big })
  expectError(t, res, 413, 'BODY_TOO_LARGE')

  const small = await app.inject({ method: 'POST', url: '/v1/score', payload: { criteriaSet: 'moet-4725', evidence: { facts: {} } } })
  t.equal(small.statusCode, 200, 'a body under the limit is scored')

  // CSV imports are held to the same limit.
  const { key } = await app.services.keys.create(null, { role: 'admin', label: 'ops test' })
  const csv = `moetCode,name,levels,ownership,unitCode,fromYear\n${'X1,Trường Tiểu học Thử,TH,public,HN,2025-2026\n'.repeat(40)}`
  const imp = await app.inject({ method: 'POST', url: '/v1/schools/import', payload: csv, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' } })
  expectError(t, imp, 413, 'BODY_TOO_LARGE')
})

t.test('invalid JSON is 400 INVALID_JSON', async (t) => {
  const h = await harness(t, { seed: false })
  const res = await h.req(null, 'POST', '/v1/score', '{"criteriaSet": "moet-4725", "evidence": {', { 'content-type': 'application/json' })
  expectError(t, res, 400, 'INVALID_JSON')
})

t.test('other client errors keep the error shape', async (t) => {
  const h = await harness(t, { seed: false })
  expectError(t, await h.req(null, 'POST', '/v1/score', '', { 'content-type': 'application/json' }), 400, 'EMPTY_BODY')
  expectError(t, await h.req(null, 'POST', '/v1/score', '<score/>', { 'content-type': 'application/xml' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
  expectError(t, await h.req(null, 'GET', '/v1/units'), 401, 'UNAUTHENTICATED')
  expectError(t, await h.req('cds_not-a-real-key', 'GET', '/v1/units'), 401, 'INVALID_KEY')
  expectError(t, await h.req(null, 'GET', '/v1/units', undefined, { authorization: 'Basic abc' }), 401, 'UNAUTHENTICATED')
})

t.test('GET /docs/json is OpenAPI 3.1 and documents every route', async (t) => {
  const h = await harness(t, { seed: false })
  const res = await h.req(null, 'GET', '/docs/json')
  t.equal(res.statusCode, 200)
  const doc = h.json(res)
  t.equal(doc.openapi, '3.1.0')
  t.type(doc.info.title, 'string')
  t.type(doc.info.version, 'string')

  const ops: [string, string, any][] = []
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) ops.push([method.toUpperCase(), path, op])
  }
  t.ok(ops.length >= 30, 'the API is documented')
  for (const [path, method] of [['/health', 'GET'], ['/ready', 'GET'], ['/v1/units', 'POST'], ['/v1/schools/import', 'POST'], ['/v1/periods', 'POST'],
    ['/v1/assessments/{id}/documents/file', 'POST'], ['/v1/assessments/{id}/documents/{docId}/content', 'GET']]) {
    t.ok(ops.some(([m, p]) => m === method && p === path), `${method} ${path} is documented`)
  }

  const missingSummary = ops.filter(([, , op]) => typeof op.summary !== 'string' || op.summary.trim() === '').map(([m, p]) => `${m} ${p}`)
  t.same(missingSummary, [], 'every route has a summary')

  const success = (op: any) => op.responses?.['200'] ?? op.responses?.['201']
  const missingSuccess = ops.filter(([, , op]) => {
    const r = success(op)
    if (!r) return true
    const content = r.content as Record<string, { schema?: unknown }> | undefined
    return !content || Object.values(content).every((c) => c.schema === undefined)
  }).map(([m, p]) => `${m} ${p}`)
  t.same(missingSuccess, [], 'every route documents the schema of its 200 or 201 response')

  t.same(doc.components.schemas.Error.required, ['error'])
  t.same(doc.components.schemas.Error.properties.error.required, ['code', 'message'])
  const notErrorShape = ops.flatMap(([m, p, op]) => Object.entries<any>(op.responses ?? {})
    .filter(([status, r]) => Number(status) >= 400 && r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Error')
    .map(([status]) => `${m} ${p} ${status}`))
  t.same(notErrorShape, [], 'every documented error response is the Error schema')
})

t.test('the docs UI is served', async (t) => {
  const h = await harness(t, { seed: false })
  const res = await h.req(null, 'GET', '/docs')
  t.ok(res.statusCode === 200 || res.statusCode === 302, 'the UI answers')
})
