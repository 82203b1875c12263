// Authorization, route by route.
//
//   1. The route table (test/http/route-table.ts) names every /v1 route; it must match the OpenAPI
//      document and the app's own router, so a new route without an entry there fails this file.
//      (test/http/access-grid.test.ts sends every route of it as every role, own and other.)
//   2. Every non-public route refuses a missing, a made-up and a revoked key (401).
//   3. A school key never reaches another school's data: 404 NOT_FOUND, nothing changes.
//   4. A reviewer sees and acts on its own subtree only; it issues keys and creates units there only.
//   5. A wrong role on a visible resource answers 403 FORBIDDEN and changes nothing.
//   6. Visibility follows the dated hierarchy: a moved school stays with its old district for the
//      old year's assessment, and belongs to the new unit for the new year.
//   7. GET /v1/me names the key's role and scope; no response ever carries a key secret (or its
//      hash), except the "key" field of POST /v1/keys.
import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { act, exampleFacts, harness, startAssessment, type Harness } from './app.js'
import { CSV, fastifyPath, pdfUpload, routeName, ROUTES, routesFromTree, type Fixture, type Method } from './route-table.js'

// ───────────────────────────── helpers ─────────────────────────────

/** The error code of a response, or undefined when the body is not our error shape. */
function errCode(res: LightMyRequestResponse): string | undefined {
  try { return (JSON.parse(res.body) as { error?: { code?: string } }).error?.code } catch { return undefined }
}

/** One assertion per request: status and error code together, with a short message. */
function expectError(t: Test, res: LightMyRequestResponse, status: number, code: string, what: string): void {
  t.same({ status: res.statusCode, code: errCode(res) }, { status, code }, what)
}

function expectStatus(t: Test, res: LightMyRequestResponse, status: number, what: string): void {
  t.equal(res.statusCode, status, what, { errorCode: errCode(res) })
}

const ifMatch = (v: number): Record<string, string> => ({ 'if-match': `"${v}"` })

/** Records every response of the harness so a group can check, at its end, that no key secret
 *  (nor its sha256) was ever sent back; POST /v1/keys's "key" field is the one allowed place. */
function secretGuard(h: Harness) {
  const secrets = new Set<string>(Object.values(h.keys))
  const seen: { what: string; text: string }[] = []
  const send = h.req
  h.req = async (key, method, url, body, headers) => {
    if (key) secrets.add(key)
    const res = await send(key, method, url, body, headers)
    let text = res.body
    if (method === 'POST' && url === '/v1/keys' && res.statusCode === 201) {
      const issued = JSON.parse(res.body) as { key: string }
      secrets.add(issued.key)
      text = JSON.stringify({ ...issued, key: '[the one allowed place]' })
    }
    seen.push({ what: `${method} ${url.split('?')[0]} → ${res.statusCode}`, text: text + JSON.stringify(res.headers) })
    return res
  }
  return {
    check(t: Test): void {
      const needles = [...secrets].flatMap((s) => [s, createHash('sha256').update(s).digest('hex')])
      const leaks = seen.filter((r) => needles.some((n) => r.text.includes(n))).map((r) => r.what)
      t.same(leaks, [], `no key secret or key hash in any of ${seen.length} responses`)
    },
  }
}

/** What an admin sees of an assessment and its school: compared before and after refused requests. */
async function snapshot(h: Harness, id: string, schoolCode = 'S1') {
  const a = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`))
  const audit = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/audit`)).items as unknown[]
  const documents = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/documents`)).items as unknown[]
  const school = h.json(await h.req(h.keys.admin, 'GET', `/v1/schools/${schoolCode}`))
  return {
    version: a.version as number, state: a.state as string, facts: a.facts, description: a.description, result: a.result,
    external: a.external, returnReason: a.returnReason, documents, audit, school,
  }
}

async function versionOf(h: Harness, id: string): Promise<number> {
  return h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`)).version as number
}

async function issueKey(h: Harness, as: string, body: Record<string, string>): Promise<{ key: string; id: string }> {
  const res = await h.req(as, 'POST', '/v1/keys', body)
  if (res.statusCode !== 201) throw new Error(`issue key: ${res.statusCode} ${errCode(res)}`)
  const j = h.json(res)
  return { key: j.key as string, id: j.record.id as string }
}

/** An S1 assessment with complete evidence, a link document and an uploaded file (as S1). */
async function s1Assessment(h: Harness): Promise<{ id: string; linkId: string; fileId: string }> {
  const { id, version } = await startAssessment(h)
  const save = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, ifMatch(version))
  if (save.statusCode !== 200) throw new Error(`save: ${save.statusCode} ${errCode(save)}`)
  const link = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Kế hoạch CĐS', url: 'https://example.edu.vn/ke-hoach.pdf' })
  const up = pdfUpload()
  const file = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/file`, up.body, up.headers)
  if (link.statusCode !== 201 || file.statusCode !== 201) throw new Error(`documents: ${link.statusCode} ${file.statusCode}`)
  return { id, linkId: h.json(link).id, fileId: h.json(file).id }
}

interface Probe { what: string; method: Method; url: string; body?: unknown; headers?: Record<string, string> }

async function probe(h: Harness, key: string, p: Probe): Promise<LightMyRequestResponse> {
  return h.req(key, p.method, p.url, p.body, p.headers)
}

// ───────────────────────────── the route table (test/http/route-table.ts) ─────────────────────────────

t.test('the route table covers every /v1 route of the app', async (t) => {
  const h = await harness(t, { seed: false })
  const docs = h.json(await h.req(null, 'GET', '/docs/json')) as { paths: Record<string, Record<string, { security?: unknown[] }>> }
  const documented: string[] = []
  const documentedPublic: string[] = []
  for (const [path, ops] of Object.entries(docs.paths)) {
    if (!path.startsWith('/v1/')) continue
    for (const [method, op] of Object.entries(ops)) {
      documented.push(`${method.toUpperCase()} ${path}`)
      if (Array.isArray(op.security) && op.security.length === 0) documentedPublic.push(`${method.toUpperCase()} ${path}`)
    }
  }
  const table = ROUTES.map(routeName)
  t.equal(new Set(table).size, table.length, 'no route is listed twice')
  t.same([...documented].sort(), [...table].sort(), 'the table lists exactly the /v1 operations of GET /docs/json')
  t.same(documentedPublic.sort(), ROUTES.filter((r) => r.public).map(routeName).sort(), 'the public routes are those documented without security')
  t.same(documentedPublic.sort(), ['GET /v1/criteria-sets', 'GET /v1/criteria-sets/{spec}', 'GET /v1/criteria-sets/{spec}/evidence-schema', 'POST /v1/score'], 'exactly scoring and the catalog are public')

  // The router itself (a route hidden from the docs would show here).
  const routed = routesFromTree(h.app.printRoutes({ commonPrefix: false })).filter((r) => r.split(' ')[1]?.startsWith('/v1/'))
  t.same([...routed].sort(), ROUTES.map((r) => `${r.method} ${fastifyPath(r.path)}`).sort(), 'the table lists exactly the /v1 routes of the router')
  for (const r of ROUTES) t.ok(h.app.hasRoute({ method: r.method, url: fastifyPath(r.path) }), `router has ${routeName(r)}`)
})

// ───────────────────────────── 401 on every protected route ─────────────────────────────

t.test('authentication: no key, a made-up key, a revoked key', async (t) => {
  const h = await harness(t)
  const guard = secretGuard(h)
  const { id: aid, fileId } = await s1Assessment(h)
  const spare = await issueKey(h, h.keys.admin, { role: 'school', label: 'spare', schoolCode: 'S3' })
  const f: Fixture = { aid, fileId, periodId: h.periodId, spareKeyId: spare.id }

  // Two keys that worked, then were revoked: an admin key (which could otherwise do anything) and a school key.
  const revokedAdmin = await issueKey(h, h.keys.admin, { role: 'admin', label: 'to be revoked' })
  const revokedSchool = await issueKey(h, h.keys.admin, { role: 'school', label: 'to be revoked', schoolCode: 'S1' })
  for (const k of [revokedAdmin, revokedSchool]) {
    expectStatus(t, await h.req(k.key, 'GET', '/v1/me'), 200, 'the key works before it is revoked')
    const del = await h.req(h.keys.admin, 'DELETE', `/v1/keys/${k.id}`)
    expectStatus(t, del, 200, 'admin revokes it')
    t.type(h.json(del).revokedAt, 'string', 'revokedAt is set')
  }
  const madeUp = 'cds_thisKeyWasNeverIssuedByAnyone0000000000'

  const protectedRoutes = ROUTES.filter((r) => !r.public)
  for (const r of protectedRoutes) {
    const send = (key: string | null) => h.req(key, r.method, r.url(f), r.body?.(f), r.headers?.(f))
    expectError(t, await send(null), 401, 'UNAUTHENTICATED', `${routeName(r)}: no key`)
    expectError(t, await send(madeUp), 401, 'INVALID_KEY', `${routeName(r)}: made-up key`)
    expectError(t, await send(revokedAdmin.key), 401, 'INVALID_KEY', `${routeName(r)}: revoked admin key`)
    expectError(t, await send(revokedSchool.key), 401, 'INVALID_KEY', `${routeName(r)}: revoked school key`)
    if (r.method === 'GET') {
      // Fastify answers HEAD for every GET route: the same hook guards it.
      t.equal((await h.req(null, 'HEAD', r.url(f))).statusCode, 401, `HEAD ${r.path}: no key`)
      t.equal((await h.req(revokedAdmin.key, 'HEAD', r.url(f))).statusCode, 401, `HEAD ${r.path}: revoked key`)
    }
  }
  // A header that is not "Bearer <key>" is no key at all.
  for (const authorization of [`Basic ${Buffer.from('admin:admin').toString('base64')}`, 'Bearer', h.keys.admin]) {
    const res = await h.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } })
    expectError(t, res, 401, 'UNAUTHENTICATED', 'malformed Authorization header')
  }

  // Nothing the refused requests asked for happened.
  const after = await snapshot(h, aid)
  t.equal(after.version, 2, 'S1 assessment untouched')
  t.equal(after.documents.length, 2, 'no document added')
  t.equal(after.school.name, 'Trường THCS Ngọc Thụy', 'S1 not renamed')
  t.equal(after.school.memberships.length, 1, 'S1 not moved')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools/S50'), 404, 'NOT_FOUND', 'no school created or imported')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units/LB-W9'), 404, 'NOT_FOUND', 'no unit created')
  expectStatus(t, await h.req(spare.key, 'GET', '/v1/me'), 200, 'the spare key was not revoked')

  // Public routes need no key.
  for (const r of ROUTES.filter((x) => x.public)) {
    expectStatus(t, await h.req(null, r.method, r.url(f), r.body?.(f)), 200, `${routeName(r)}: public, no key`)
  }
  guard.check(t)
})

// ───────────────────────────── school → another school: 404 ─────────────────────────────

t.test('a school key never reaches another school\'s data (404, nothing changes)', async (t) => {
  const h = await harness(t)
  const guard = secretGuard(h)
  const S2 = h.keys.schoolS2
  const s1 = await s1Assessment(h)
  const s2 = await startAssessment(h, S2, 'S2')
  const A1 = `/v1/assessments/${s1.id}`

  /** Requests S2 sends against S1's assessment, documents and school, at the given version. */
  const probes = (v: number): Probe[] => {
    const up = pdfUpload('S2 was here')
    return [
      { what: 'GET assessment', method: 'GET', url: A1 },
      { what: 'PATCH evidence', method: 'PATCH', url: `${A1}/evidence`, body: { facts: { 'school.name': 'hacked' }, description: 'hacked' }, headers: ifMatch(v) },
      { what: 'submit', method: 'POST', url: `${A1}/submit`, body: {}, headers: ifMatch(v) },
      { what: 'return', method: 'POST', url: `${A1}/return`, body: { reason: 'x' }, headers: ifMatch(v) },
      { what: 'approve', method: 'POST', url: `${A1}/approve`, body: {}, headers: ifMatch(v) },
      { what: 'revoke', method: 'POST', url: `${A1}/revoke`, body: { reason: 'x' }, headers: ifMatch(v) },
      { what: 'publish', method: 'POST', url: `${A1}/publish`, body: {}, headers: ifMatch(v) },
      { what: 'PUT external', method: 'PUT', url: `${A1}/external`, body: { facts: {} }, headers: ifMatch(v) },
      { what: 'GET audit', method: 'GET', url: `${A1}/audit` },
      { what: 'GET documents', method: 'GET', url: `${A1}/documents` },
      { what: 'POST documents/link', method: 'POST', url: `${A1}/documents/link`, body: { title: 'S2 link', url: 'https://example.com/s2' } },
      { what: 'POST documents/file', method: 'POST', url: `${A1}/documents/file`, body: up.body, headers: up.headers },
      { what: 'GET document content', method: 'GET', url: `${A1}/documents/${s1.fileId}/content` },
      { what: 'GET S1 document content through S2\'s own assessment', method: 'GET', url: `/v1/assessments/${s2.id}/documents/${s1.fileId}/content` },
      { what: 'GET school S1', method: 'GET', url: '/v1/schools/S1' },
      { what: 'PATCH school S1', method: 'PATCH', url: '/v1/schools/S1', body: { name: 'Trường bị đổi tên' } },
      { what: 'POST school S1 memberships', method: 'POST', url: '/v1/schools/S1/memberships', body: { unitCode: 'PX', fromYear: '2025-2026' } },
      { what: 'start an assessment for S1', method: 'POST', url: '/v1/assessments', body: { schoolCode: 'S1', periodId: h.periodId } },
    ]
  }
  const attempt = async (stage: string) => {
    const before = await snapshot(h, s1.id)
    for (const p of probes(before.version)) expectError(t, await probe(h, S2, p), 404, 'NOT_FOUND', `S2 → S1 (${stage}): ${p.what}`)
    const after = await snapshot(h, s1.id)
    t.equal(after.version, before.version, `${stage}: same version`)
    t.same(after.facts, before.facts, `${stage}: same facts`)
    t.same(after.audit, before.audit, `${stage}: audit log unchanged`)
    t.same(after, before, `${stage}: assessment, documents and school unchanged`)
  }

  // Each stage puts S1's assessment where the attempted actions would be legal for the right key.
  await attempt('draft')
  expectStatus(t, await act(h, h.keys.schoolS1, s1.id, await versionOf(h, s1.id), 'submit'), 200, 'S1 submits')
  await attempt('submitted')
  expectStatus(t, await act(h, h.keys.admin, s1.id, await versionOf(h, s1.id), 'approve'), 200, 'admin approves')
  await attempt('approved')

  // Lists: S2 sees only itself.
  const q = await h.req(S2, 'GET', '/v1/assessments?school=S1')
  t.ok(q.statusCode === 404 ? errCode(q) === 'NOT_FOUND' : q.statusCode === 200 && h.json(q).items.length === 0, 'GET /v1/assessments?school=S1 as S2: 404 or empty', { status: q.statusCode })
  const mine = h.json(await h.req(S2, 'GET', '/v1/assessments'))
  t.same(mine.items.map((a: { id: string; school: { moetCode: string } }) => [a.id, a.school.moetCode]), [[s2.id, 'S2']], 'GET /v1/assessments as S2: its own only')
  const byPeriod = h.json(await h.req(S2, 'GET', `/v1/assessments?period=${h.periodId}`))
  t.same(byPeriod.items.map((a: { id: string }) => a.id), [s2.id], 'filtered by the shared period: still its own only')
  const schools = h.json(await h.req(S2, 'GET', '/v1/schools'))
  t.same(schools.items.map((s: { moetCode: string }) => s.moetCode), ['S2'], 'GET /v1/schools as S2: itself only')
  const s1AsAdmin = h.json(await h.req(h.keys.admin, 'GET', '/v1/assessments?school=S1'))
  t.same(s1AsAdmin.items.map((a: { id: string }) => a.id), [s1.id], 'S1 still has exactly one assessment')
  guard.check(t)
})

// ───────────────────────────── reviewer scope ─────────────────────────────

t.test('reviewer scope: its own subtree only', async (t) => {
  const h = await harness(t)
  const guard = secretGuard(h)
  const { reviewerQN: QN, reviewerLB: LB, reviewerHN: HN } = h.keys
  const s1 = await s1Assessment(h)
  const A1 = `/v1/assessments/${s1.id}`
  expectStatus(t, await act(h, h.keys.schoolS1, s1.id, await versionOf(h, s1.id), 'submit'), 200, 'S1 submits')

  await t.test('reviewerQN (another province) cannot see or act on S1: 404', async (t) => {
    const before = await snapshot(h, s1.id)
    const v = before.version
    const probes: Probe[] = [
      { what: 'GET assessment', method: 'GET', url: A1 },
      { what: 'approve', method: 'POST', url: `${A1}/approve`, body: {}, headers: ifMatch(v) },
      { what: 'return', method: 'POST', url: `${A1}/return`, body: { reason: 'x' }, headers: ifMatch(v) },
      { what: 'PUT external', method: 'PUT', url: `${A1}/external`, body: { facts: {} }, headers: ifMatch(v) },
      { what: 'GET audit', method: 'GET', url: `${A1}/audit` },
      { what: 'GET documents', method: 'GET', url: `${A1}/documents` },
      { what: 'POST documents/link', method: 'POST', url: `${A1}/documents/link`, body: { title: 'QN', url: 'https://example.com/qn' } },
      { what: 'GET document content', method: 'GET', url: `${A1}/documents/${s1.fileId}/content` },
      { what: 'GET school S1', method: 'GET', url: '/v1/schools/S1' },
      { what: 'PATCH school S1', method: 'PATCH', url: '/v1/schools/S1', body: { name: 'Trường bị đổi tên' } },
      { what: 'POST school S1 memberships', method: 'POST', url: '/v1/schools/S1/memberships', body: { unitCode: 'QN', fromYear: '2025-2026' } },
      { what: 'GET /v1/assessments?school=S1', method: 'GET', url: '/v1/assessments?school=S1' },
      { what: 'GET /v1/schools?unit=LB', method: 'GET', url: '/v1/schools?unit=LB' },
      { what: 'issue a school key for S1', method: 'POST', url: '/v1/keys', body: { role: 'school', label: 'x', schoolCode: 'S1' } },
      { what: 'extend the HN period for S1', method: 'POST', url: `/v1/periods/${h.periodId}/extensions`, body: { schoolCode: 'S1', until: '2025-06-15T16:59:59Z', reason: 'x' } },
    ]
    const up = pdfUpload('QN')
    probes.push({ what: 'POST documents/file', method: 'POST', url: `${A1}/documents/file`, body: up.body, headers: up.headers })
    for (const p of probes) expectError(t, await probe(h, QN, p), 404, 'NOT_FOUND', `reviewerQN → S1: ${p.what}`)
    t.same(await snapshot(h, s1.id), before, 'nothing changed (version, facts, documents, audit, school)')
    const list = h.json(await h.req(QN, 'GET', '/v1/assessments'))
    t.same(list.items, [], 'GET /v1/assessments as reviewerQN: S1 absent')
    const schools = h.json(await h.req(QN, 'GET', '/v1/schools'))
    t.same(schools.items.map((s: { moetCode: string }) => s.moetCode), ['S9'], 'GET /v1/schools as reviewerQN: its province only')
  })

  await t.test('reviewerLB and reviewerHN see S1 and act on it', async (t) => {
    for (const [name, key] of [['reviewerLB', LB], ['reviewerHN', HN]] as const) {
      for (const url of [A1, `${A1}/audit`, `${A1}/documents`, `${A1}/documents/${s1.fileId}/content`, '/v1/schools/S1', '/v1/assessments?school=S1']) {
        expectStatus(t, await h.req(key, 'GET', url), 200, `${name}: GET ${url.replace(s1.id, ':id').replace(s1.fileId, ':docId')}`)
      }
      const list = h.json(await h.req(key, 'GET', '/v1/assessments'))
      t.ok(list.items.some((a: { id: string }) => a.id === s1.id), `${name}: S1's assessment is in its list`)
      const schools = h.json(await h.req(key, 'GET', '/v1/schools'))
      t.ok(schools.items.some((s: { moetCode: string }) => s.moetCode === 'S1'), `${name}: S1 is in its school list`)
      t.notOk(schools.items.some((s: { moetCode: string }) => s.moetCode === 'S9'), `${name}: S9 (QN) is not`)
      expectStatus(t, await h.req(key, 'PUT', `${A1}/external`, { facts: {} }, ifMatch(await versionOf(h, s1.id))), 200, `${name}: records the external assessment`)
      expectStatus(t, await h.req(key, 'POST', `${A1}/documents/link`, { title: `${name} note`, url: 'https://example.edu.vn/review' }), 201, `${name}: adds a review document`)
    }
    expectStatus(t, await act(h, HN, s1.id, await versionOf(h, s1.id), 'return', { reason: 'bổ sung minh chứng' }), 200, 'reviewerHN returns')
    expectStatus(t, await act(h, h.keys.schoolS1, s1.id, await versionOf(h, s1.id), 'submit'), 200, 'S1 resubmits')
    expectStatus(t, await act(h, LB, s1.id, await versionOf(h, s1.id), 'approve'), 200, 'reviewerLB approves')
    expectStatus(t, await act(h, HN, s1.id, await versionOf(h, s1.id), 'publish'), 200, 'reviewerHN publishes')
  })

  await t.test('keys: a reviewer issues keys inside its subtree only, and never admin keys', async (t) => {
    expectStatus(t, await h.req(LB, 'POST', '/v1/keys', { role: 'school', label: 'S1 second', schoolCode: 'S1' }), 201, 'reviewerLB: school key for S1')
    expectStatus(t, await h.req(LB, 'POST', '/v1/keys', { role: 'reviewer', label: 'ward', unitCode: 'LB-W1' }), 201, 'reviewerLB: reviewer key for LB-W1')
    expectError(t, await h.req(LB, 'POST', '/v1/keys', { role: 'admin', label: 'escalate' }), 403, 'FORBIDDEN', 'reviewerLB: admin key')
    expectError(t, await h.req(HN, 'POST', '/v1/keys', { role: 'admin', label: 'escalate' }), 403, 'FORBIDDEN', 'reviewerHN: admin key')
    // Outside the subtree the school or unit is an out-of-scope resource: 404, as everywhere.
    expectError(t, await h.req(LB, 'POST', '/v1/keys', { role: 'school', label: 'x', schoolCode: 'S9' }), 404, 'NOT_FOUND', 'reviewerLB: school key for S9 (QN)')
    expectError(t, await h.req(LB, 'POST', '/v1/keys', { role: 'school', label: 'x', schoolCode: 'S3' }), 404, 'NOT_FOUND', 'reviewerLB: school key for S3 (PX, outside LB)')
    expectError(t, await h.req(LB, 'POST', '/v1/keys', { role: 'reviewer', label: 'x', unitCode: 'HN' }), 404, 'NOT_FOUND', 'reviewerLB: reviewer key for HN (above it)')
    expectError(t, await h.req(LB, 'POST', '/v1/keys', { role: 'reviewer', label: 'x', unitCode: 'QN' }), 404, 'NOT_FOUND', 'reviewerLB: reviewer key for QN')
    expectError(t, await h.req(QN, 'POST', '/v1/keys', { role: 'reviewer', label: 'x', unitCode: 'LB' }), 404, 'NOT_FOUND', 'reviewerQN: reviewer key for LB')
    // Revoking: only keys in its subtree.
    const s9 = await issueKey(h, h.keys.admin, { role: 'school', label: 'S9 spare', schoolCode: 'S9' })
    const admin2 = await issueKey(h, h.keys.admin, { role: 'admin', label: 'admin spare' })
    const s2 = await issueKey(h, h.keys.admin, { role: 'school', label: 'S2 spare', schoolCode: 'S2' })
    expectError(t, await h.req(LB, 'DELETE', `/v1/keys/${s9.id}`), 404, 'NOT_FOUND', 'reviewerLB: revoke an S9 key')
    expectError(t, await h.req(HN, 'DELETE', `/v1/keys/${admin2.id}`), 404, 'NOT_FOUND', 'reviewerHN: revoke an admin key')
    expectStatus(t, await h.req(s9.key, 'GET', '/v1/me'), 200, 'the S9 key still works')
    expectStatus(t, await h.req(admin2.key, 'GET', '/v1/me'), 200, 'the admin key still works')
    expectStatus(t, await h.req(LB, 'DELETE', `/v1/keys/${s2.id}`), 200, 'reviewerLB: revoke an S2 key')
    expectError(t, await h.req(s2.key, 'GET', '/v1/me'), 401, 'INVALID_KEY', 'the revoked S2 key fails')
  })

  await t.test('units and schools: a reviewer creates them inside its subtree only', async (t) => {
    const unit = (code: string, parentCode: string | null) => ({ code, name: `Đơn vị ${code}`, type: 'ward', parentCode, fromYear: '2024-2025' })
    expectError(t, await h.req(LB, 'POST', '/v1/units', unit('QN-W1', 'QN')), 403, 'FORBIDDEN', 'reviewerLB: unit under QN')
    expectError(t, await h.req(LB, 'POST', '/v1/units', unit('HN-W1', 'HN')), 403, 'FORBIDDEN', 'reviewerLB: unit under HN (above it)')
    expectError(t, await h.req(LB, 'POST', '/v1/units', unit('PX-W1', 'PX')), 403, 'FORBIDDEN', 'reviewerLB: unit under PX (a sibling subtree)')
    expectError(t, await h.req(LB, 'POST', '/v1/units', { ...unit('TOP', null), type: 'province' }), 403, 'FORBIDDEN', 'reviewerLB: a top-level unit')
    expectError(t, await h.req(QN, 'POST', '/v1/units', unit('LB-W7', 'LB')), 403, 'FORBIDDEN', 'reviewerQN: unit under LB')
    for (const code of ['QN-W1', 'HN-W1', 'PX-W1', 'TOP', 'LB-W7']) {
      expectError(t, await h.req(h.keys.admin, 'GET', `/v1/units/${code}`), 404, 'NOT_FOUND', `unit ${code} was not created`)
    }
    expectStatus(t, await h.req(LB, 'POST', '/v1/units', unit('LB-W2', 'LB')), 201, 'reviewerLB: unit under LB')
    const school = (moetCode: string, unitCode: string) => ({ moetCode, name: `Trường ${moetCode}`, levels: ['TH'], ownership: 'public', unitCode, fromYear: '2024-2025' })
    expectError(t, await h.req(LB, 'POST', '/v1/schools', school('S60', 'QN')), 404, 'NOT_FOUND', 'reviewerLB: school in QN')
    expectError(t, await h.req(LB, 'PATCH', '/v1/units/QN', { name: 'x' }), 404, 'NOT_FOUND', 'reviewerLB: rename QN')
    expectError(t, await h.req(LB, 'POST', '/v1/schools/S1/memberships', { unitCode: 'QN', fromYear: '2025-2026' }), 404, 'NOT_FOUND', 'reviewerLB: move S1 into QN')
    const csv = await h.req(LB, 'POST', '/v1/schools/import', 'moetCode,name,levels,ownership,unitCode,fromYear\nS61,Trường S61,TH,public,QN,2024-2025\n', { 'content-type': 'text/csv' })
    expectError(t, csv, 400, 'IMPORT_REJECTED', 'reviewerLB: import a school into QN')
    for (const code of ['S60', 'S61']) expectError(t, await h.req(h.keys.admin, 'GET', `/v1/schools/${code}`), 404, 'NOT_FOUND', `school ${code} was not created`)
    expectStatus(t, await h.req(LB, 'POST', '/v1/schools', school('S62', 'LB-W2')), 201, 'reviewerLB: school in its new ward')
  })
  guard.check(t)
})

// ───────────────────────────── wrong role: 403 ─────────────────────────────

t.test('a wrong role on a visible resource answers 403 and changes nothing', async (t) => {
  const h = await harness(t)
  const guard = secretGuard(h)
  const { schoolS1: S1, reviewerLB: LB, reviewerHN: HN } = h.keys
  const s1 = await s1Assessment(h)
  const A1 = `/v1/assessments/${s1.id}`

  const refuse = async (stage: string, cases: [string, string, Probe][]) => {
    const before = await snapshot(h, s1.id)
    for (const [who, key, p] of cases) expectError(t, await probe(h, key, p), 403, 'FORBIDDEN', `${stage}: ${who} ${p.what}`)
    t.same(await snapshot(h, s1.id), before, `${stage}: nothing changed`)
  }

  let v = await versionOf(h, s1.id)
  await refuse('draft', [
    ['reviewerLB', LB, { what: 'PATCH evidence', method: 'PATCH', url: `${A1}/evidence`, body: { description: 'x' }, headers: ifMatch(v) }],
    ['reviewerHN', HN, { what: 'PATCH evidence', method: 'PATCH', url: `${A1}/evidence`, body: { description: 'x' }, headers: ifMatch(v) }],
    ['reviewerLB', LB, { what: 'submit', method: 'POST', url: `${A1}/submit`, body: {}, headers: ifMatch(v) }],
    ['reviewerHN', HN, { what: 'submit', method: 'POST', url: `${A1}/submit`, body: {}, headers: ifMatch(v) }],
    ['reviewerLB', LB, { what: 'start an assessment', method: 'POST', url: '/v1/assessments', body: { schoolCode: 'S2', periodId: h.periodId } }],
  ])
  expectStatus(t, await act(h, S1, s1.id, v, 'submit'), 200, 'S1 submits')
  v = await versionOf(h, s1.id)
  await refuse('submitted', [
    ['schoolS1', S1, { what: 'approve its own', method: 'POST', url: `${A1}/approve`, body: {}, headers: ifMatch(v) }],
    ['schoolS1', S1, { what: 'return its own', method: 'POST', url: `${A1}/return`, body: { reason: 'x' }, headers: ifMatch(v) }],
    ['schoolS1', S1, { what: 'PUT external on its own', method: 'PUT', url: `${A1}/external`, body: { facts: {} }, headers: ifMatch(v) }],
  ])
  expectStatus(t, await act(h, LB, s1.id, v, 'approve'), 200, 'reviewerLB approves')
  v = await versionOf(h, s1.id)
  await refuse('approved', [
    ['schoolS1', S1, { what: 'revoke its own', method: 'POST', url: `${A1}/revoke`, body: { reason: 'x' }, headers: ifMatch(v) }],
    ['schoolS1', S1, { what: 'publish its own', method: 'POST', url: `${A1}/publish`, body: {}, headers: ifMatch(v) }],
    ['schoolS1', S1, { what: 'PUT external on its own', method: 'PUT', url: `${A1}/external`, body: { facts: {} }, headers: ifMatch(v) }],
  ])

  const spare = await issueKey(h, h.keys.admin, { role: 'school', label: 'spare', schoolCode: 'S1' })
  const periodBefore = h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${h.periodId}`))
  const adminRoutes: Probe[] = [
    { what: 'POST /v1/units', method: 'POST', url: '/v1/units', body: { code: 'LB-W9', name: 'Phường mới', type: 'ward', parentCode: 'LB-W1', fromYear: '2024-2025' } },
    { what: 'PATCH /v1/units/LB-W1', method: 'PATCH', url: '/v1/units/LB-W1', body: { name: 'x' } },
    { what: 'POST /v1/schools', method: 'POST', url: '/v1/schools', body: { moetCode: 'S50', name: 'Trường mới', levels: ['TH'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2024-2025' } },
    { what: 'POST /v1/schools/import', method: 'POST', url: '/v1/schools/import', body: CSV, headers: { 'content-type': 'text/csv' } },
    { what: 'PATCH its own school', method: 'PATCH', url: '/v1/schools/S1', body: { name: 'Trường tự đổi tên' } },
    { what: 'move its own school', method: 'POST', url: '/v1/schools/S1/memberships', body: { unitCode: 'PX', fromYear: '2025-2026' } },
    { what: 'POST /v1/periods', method: 'POST', url: '/v1/periods', body: { unitCode: 'LB-W1', schoolYear: '2024-2025', title: 'x', criteriaSets: ['moet-4725'], submissionDeadline: '2025-05-31T16:59:59Z' } },
    { what: 'PATCH its period', method: 'PATCH', url: `/v1/periods/${h.periodId}`, body: { submissionDeadline: '2025-12-31T16:59:59Z' } },
    { what: 'extend its period', method: 'POST', url: `/v1/periods/${h.periodId}/extensions`, body: { schoolCode: 'S1', until: '2025-12-31T16:59:59Z', reason: 'x' } },
    { what: 'publish its period\'s results', method: 'POST', url: `/v1/periods/${h.periodId}/publish` },
    { what: 'POST /v1/keys (school key for itself)', method: 'POST', url: '/v1/keys', body: { role: 'school', label: 'x', schoolCode: 'S1' } },
    { what: 'POST /v1/keys (admin key)', method: 'POST', url: '/v1/keys', body: { role: 'admin', label: 'x' } },
    { what: 'DELETE /v1/keys/:id (a key of its own school)', method: 'DELETE', url: `/v1/keys/${spare.id}` },
  ]
  for (const p of adminRoutes) expectError(t, await probe(h, S1, p), 403, 'FORBIDDEN', `schoolS1: ${p.what}`)
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/units/LB-W9'), 404, 'NOT_FOUND', 'no unit created')
  expectError(t, await h.req(h.keys.admin, 'GET', '/v1/schools/S50'), 404, 'NOT_FOUND', 'no school created or imported')
  t.equal(h.json(await h.req(h.keys.admin, 'GET', '/v1/units/LB-W1')).name, 'Phường Ngọc Thụy', 'unit not renamed')
  const school = h.json(await h.req(h.keys.admin, 'GET', '/v1/schools/S1'))
  t.same([school.name, school.memberships.length], ['Trường THCS Ngọc Thụy', 1], 'school not renamed or moved')
  t.same(h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${h.periodId}`)), periodBefore, 'period unchanged')
  t.same(h.json(await h.req(h.keys.admin, 'GET', `/v1/periods?year=2024-2025`)).items.length, 1, 'no period opened')
  expectStatus(t, await h.req(spare.key, 'GET', '/v1/me'), 200, 'the spare key still works')
  guard.check(t)
})

// ───────────────────────────── the dated hierarchy ─────────────────────────────

t.test('visibility follows the unit the school belonged to in the assessment\'s year', async (t) => {
  const h = await harness(t)
  const guard = secretGuard(h)
  const { reviewerLB: LB, reviewerHN: HN, admin } = h.keys
  const old = await startAssessment(h)
  expectStatus(t, await h.req(LB, 'GET', `/v1/assessments/${old.id}`), 200, 'reviewerLB sees S1\'s 2024-2025 assessment')

  const move = await h.req(admin, 'POST', '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2025-2026' })
  expectStatus(t, move, 200, 'admin moves S1 to PX from 2025-2026')
  t.same(h.json(move).memberships, [
    { unitCode: 'LB-W1', fromYear: '2020-2021', toYear: '2024-2025' },
    { unitCode: 'PX', fromYear: '2025-2026', toYear: null },
  ], 'S1 was in LB-W1 until 2024-2025, in PX since')

  for (const url of [`/v1/assessments/${old.id}`, `/v1/assessments/${old.id}/audit`, `/v1/assessments/${old.id}/documents`]) {
    expectStatus(t, await h.req(LB, 'GET', url), 200, `after the move reviewerLB still GETs ${url.replace(old.id, ':id')} (2024-2025)`)
  }
  const lbList = () => h.req(LB, 'GET', '/v1/assessments').then((r) => h.json(r).items.map((a: { id: string }) => a.id) as string[])
  t.same(await lbList(), [old.id], 'the 2024-2025 assessment stays in reviewerLB\'s list')

  const p2 = await h.req(admin, 'POST', '/v1/periods', {
    unitCode: 'HN', schoolYear: '2025-2026', title: 'Đánh giá CĐS năm học 2025-2026', criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z',
  })
  expectStatus(t, p2, 201, 'admin opens a 2025-2026 period for HN')
  const periodId = h.json(p2).id as string
  const created = await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId })
  expectStatus(t, created, 201, 'S1 starts its 2025-2026 assessment')
  const fresh = h.json(created) as { id: string; version: number; schoolYear: string }
  t.equal(fresh.schoolYear, '2025-2026')
  const N = `/v1/assessments/${fresh.id}`

  const before = await snapshot(h, fresh.id)
  const refused: Probe[] = [
    { what: 'GET', method: 'GET', url: N },
    { what: 'GET audit', method: 'GET', url: `${N}/audit` },
    { what: 'GET documents', method: 'GET', url: `${N}/documents` },
    { what: 'POST documents/link', method: 'POST', url: `${N}/documents/link`, body: { title: 'LB', url: 'https://example.com/lb' } },
    { what: 'PUT external', method: 'PUT', url: `${N}/external`, body: { facts: {} }, headers: ifMatch(fresh.version) },
    { what: 'return', method: 'POST', url: `${N}/return`, body: { reason: 'x' }, headers: ifMatch(fresh.version) },
  ]
  for (const p of refused) expectError(t, await probe(h, LB, p), 404, 'NOT_FOUND', `reviewerLB → S1 2025-2026: ${p.what}`)
  t.same(await snapshot(h, fresh.id), before, 'the 2025-2026 assessment is unchanged')
  t.same(await lbList(), [old.id], 'reviewerLB\'s list has the old assessment only')
  t.same(h.json(await h.req(LB, 'GET', `/v1/assessments?period=${periodId}`)).items, [], 'reviewerLB: nothing in the 2025-2026 period')
  t.same(h.json(await h.req(LB, 'GET', '/v1/assessments?year=2025-2026')).items, [], 'reviewerLB: nothing in 2025-2026')

  expectStatus(t, await h.req(HN, 'GET', N), 200, 'reviewerHN sees S1\'s 2025-2026 assessment')
  expectStatus(t, await h.req(HN, 'GET', `/v1/assessments/${old.id}`), 200, 'and the 2024-2025 one')
  const hnList = h.json(await h.req(HN, 'GET', '/v1/assessments')).items.map((a: { id: string }) => a.id) as string[]
  t.same([...hnList].sort(), [old.id, fresh.id].sort(), 'reviewerHN\'s list has both')
  expectStatus(t, await h.req(LB, 'GET', `/v1/assessments/${old.id}`), 200, 'reviewerLB still sees the old one at the end')
  guard.check(t)
})

// ───────────────────────────── /v1/me and secrets ─────────────────────────────

t.test('GET /v1/me names the key; secrets appear only in POST /v1/keys', async (t) => {
  const h = await harness(t)
  const guard = secretGuard(h)
  const expected: Record<keyof Harness['keys'], [string, string | null, string | null]> = {
    admin: ['admin', null, null],
    reviewerHN: ['reviewer', 'HN', null], reviewerLB: ['reviewer', 'LB', null], reviewerQN: ['reviewer', 'QN', null],
    schoolS1: ['school', null, 'S1'], schoolS2: ['school', null, 'S2'], schoolS3: ['school', null, 'S3'], schoolS9: ['school', null, 'S9'],
  }
  for (const [name, [role, unitCode, schoolCode]] of Object.entries(expected)) {
    const res = await h.req(h.keys[name as keyof Harness['keys']], 'GET', '/v1/me')
    expectStatus(t, res, 200, `${name}: GET /v1/me`)
    const me = h.json(res)
    t.same({ role: me.role, unitCode: me.unitCode, schoolCode: me.schoolCode, revokedAt: me.revokedAt }, { role, unitCode, schoolCode, revokedAt: null }, `${name}: role and scope`)
    t.same(Object.keys(me).sort(), ['createdAt', 'id', 'label', 'mintedBy', 'revokedAt', 'role', 'schoolCode', 'unitCode'], `${name}: no secret or hash field`)
  }

  // Issue: the secret is in "key" once; the record has no secret.
  const issued = await h.req(h.keys.reviewerLB, 'POST', '/v1/keys', { role: 'school', label: 'S2 thứ hai', schoolCode: 'S2' })
  expectStatus(t, issued, 201, 'reviewerLB issues a school key')
  const body = h.json(issued)
  t.match(body.key, /^cds_[A-Za-z0-9_-]{20,}$/, 'the secret is in "key"')
  t.same(Object.keys(body).sort(), ['key', 'record'], 'only "key" and "record"')
  t.same(Object.keys(body.record).sort(), ['createdAt', 'id', 'label', 'mintedBy', 'revokedAt', 'role', 'schoolCode', 'unitCode'], 'the record has no secret or hash field')
  t.same(h.json(await h.req(body.key, 'GET', '/v1/me')), body.record, 'the new key is the record it came with')
  const revoked = await h.req(h.keys.admin, 'DELETE', `/v1/keys/${body.record.id}`)
  t.same(Object.keys(h.json(revoked)).sort(), [...Object.keys(body.record), 'alsoRevoked'].sort(), 'DELETE answers the record (and the keys revoked with it), no secret')

  // A sweep of everything readable, with keys of every kind, plus the error paths: the guard checks them all.
  const s1 = await s1Assessment(h)
  expectStatus(t, await act(h, h.keys.schoolS1, s1.id, await versionOf(h, s1.id), 'submit'), 200, 'S1 submits')
  const urls = ['/v1/me', '/v1/units', '/v1/schools', '/v1/periods', '/v1/assessments', `/v1/assessments/${s1.id}`, `/v1/assessments/${s1.id}/audit`, `/v1/assessments/${s1.id}/documents`, `/v1/periods/${h.periodId}`, '/v1/schools/S1']
  for (const key of Object.values(h.keys)) for (const url of urls) await h.req(key, 'GET', url)
  await h.req('cds_madeUpKeyForTheSweep0000000000000', 'GET', '/v1/me')
  await h.req(body.key, 'GET', '/v1/me')
  guard.check(t)
})
