// The /v1 route table and, for every route, who may do what to whom: the authorization grid.
//
//   ROUTES   every /v1 route with a request builder. test/http/auth-matrix.test.ts checks that it
//            equals the app's router and the OpenAPI document, so a new route cannot be left out.
//   GRID     for every route of ROUTES (keyed by "METHOD /path"), one or more targets — a request
//            aimed at S1's / LB's things and the mirror aimed at S9's / QN's — each with the outcome
//            expected for every actor. test/http/access-grid.test.ts sends every cell and fails when
//            a route of ROUTES has no entry here.
//
// The outcomes follow the documented rules (README "Keys and scope", src/services/access.ts):
//   - admin sees and does everything;
//   - the unit tree (codes, names, dates) is public administrative data: any key reads it;
//   - a reviewer sees the schools and assessments of its unit's subtree (a school belongs to it in
//     the assessment's school year) and the periods of its subtree and of the units above it; it
//     changes units and periods of its subtree only, and a school's record (name, unit, keys) only
//     while the school's latest unit is in its subtree — a district a school moved away from still
//     sees it for the old years, but may no longer rename, move or key it (403);
//   - a school key sees only its own school, its assessments and the periods that apply to it;
//     ?unit= on GET /v1/schools is a filter (its own school, or nothing);
//   - something outside the key's scope answers 404 NOT_FOUND, as if it did not exist;
//   - a visible thing the role may not change answers 403 FORBIDDEN (so does a parent unit outside
//     the reviewer's subtree: units are visible to all); so does a route the role may never use
//     (POST /v1/keys for a school key): that answer is the same whatever the target.
// A cell may be a todo(want, now, why) where the code answers otherwise (none today): what the
// rules want is reported as a tap todo and today's answer is asserted, so the cell still catches a change.
import { randomBytes } from 'node:crypto'
import { exampleFacts, type Harness } from './app.js'

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

// ───────────────────────────── request helpers ─────────────────────────────

/** A multipart/form-data body with a "title" field and a "file" part. */
export function multipart(title: string, fileName: string, mediaType: string, content: Buffer): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----cds-test-${Math.random().toString(16).slice(2)}`
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${mediaType}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')
export const pdfUpload = (title = 'Biên bản') => multipart(title, 'bien-ban.pdf', 'application/pdf', PDF)
/** A PDF upload with content never sent before: files are stored by content hash, so only a new
 *  content shows up as a new file in the uploads directory. */
const uniquePdfUpload = (title = 'Biên bản') =>
  multipart(title, 'bien-ban.pdf', 'application/pdf', Buffer.concat([PDF, Buffer.from(`% ${randomBytes(12).toString('hex')}\n`)]))

// ───────────────────────────── the route table ─────────────────────────────

export interface Fixture { aid: string; fileId: string; periodId: string; spareKeyId: string }
export interface RouteCase {
  method: Method
  /** As in the OpenAPI document. */
  path: string
  public?: true
  url: (f: Fixture) => string
  body?: (f: Fixture) => unknown
  headers?: (f: Fixture) => Record<string, string>
}

const A = (f: Fixture) => `/v1/assessments/${f.aid}`
const v1 = { 'if-match': '"1"' }
export const UPLOAD = pdfUpload()
export const CSV = 'moetCode,name,levels,ownership,unitCode,fromYear\nS50,Trường TH Mới,TH,public,LB-W1,2024-2025\n'

/** A one-criterion table for the authoring routes. */
export const AUTHORED = {
  unitCode: 'LB', id: 'lb-thu', version: '2024-2025', title: 'Bộ thử', appliesTo: ['THCS'],
  document: { issuer: 'Phòng GDĐT (thử)', number: '01/THU', date: '2024-08-05' },
  csv: 'code,parent,title,kind,max_points,rule,source\nI,,Nhóm,group,,,\n1.1,I,Có sổ điểm điện tử,scored,10,yes(e_gradebook),thử\n',
}

export const ROUTES: RouteCase[] = [
  // public: scoring and the criteria catalog
  { method: 'POST', path: '/v1/score', public: true, url: () => '/v1/score', body: () => ({ criteriaSet: 'moet-4725', evidence: { facts: {} } }) },
  { method: 'GET', path: '/v1/criteria-sets', public: true, url: () => '/v1/criteria-sets' },
  { method: 'GET', path: '/v1/criteria-sets/{spec}', public: true, url: () => '/v1/criteria-sets/moet-4725' },
  { method: 'GET', path: '/v1/criteria-sets/{spec}/evidence-schema', public: true, url: () => '/v1/criteria-sets/moet-4725/evidence-schema' },
  // keys
  { method: 'GET', path: '/v1/me', url: () => '/v1/me' },
  { method: 'GET', path: '/v1/keys', url: () => '/v1/keys' },
  { method: 'POST', path: '/v1/keys', url: () => '/v1/keys', body: () => ({ role: 'school', label: 'x', schoolCode: 'S1' }) },
  { method: 'DELETE', path: '/v1/keys/{id}', url: (f) => `/v1/keys/${f.spareKeyId}` },
  // units
  { method: 'POST', path: '/v1/units', url: () => '/v1/units', body: () => ({ code: 'LB-W9', name: 'Phường mới', type: 'ward', parentCode: 'LB', fromYear: '2024-2025' }) },
  { method: 'GET', path: '/v1/units', url: () => '/v1/units' },
  { method: 'GET', path: '/v1/units/{code}', url: () => '/v1/units/LB' },
  { method: 'PATCH', path: '/v1/units/{code}', url: () => '/v1/units/LB', body: () => ({ name: 'Quận Long Biên (mới)' }) },
  // schools
  { method: 'POST', path: '/v1/schools', url: () => '/v1/schools', body: () => ({ moetCode: 'S50', name: 'Trường TH Mới', levels: ['TH'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2024-2025' }) },
  { method: 'GET', path: '/v1/schools', url: () => '/v1/schools' },
  { method: 'POST', path: '/v1/schools/import', url: () => '/v1/schools/import', body: () => CSV, headers: () => ({ 'content-type': 'text/csv' }) },
  { method: 'GET', path: '/v1/schools/{code}', url: () => '/v1/schools/S1' },
  { method: 'PATCH', path: '/v1/schools/{code}', url: () => '/v1/schools/S1', body: () => ({ name: 'Trường THCS Ngọc Thụy (mới)' }) },
  { method: 'POST', path: '/v1/schools/{code}/memberships', url: () => '/v1/schools/S1/memberships', body: () => ({ unitCode: 'PX', fromYear: '2025-2026' }) },
  // periods
  { method: 'POST', path: '/v1/periods', url: () => '/v1/periods', body: () => ({ unitCode: 'HN', schoolYear: '2025-2026', title: 'Đợt 2025-2026', criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z' }) },
  { method: 'GET', path: '/v1/periods', url: () => '/v1/periods' },
  { method: 'GET', path: '/v1/periods/{id}', url: (f) => `/v1/periods/${f.periodId}` },
  { method: 'PATCH', path: '/v1/periods/{id}', url: (f) => `/v1/periods/${f.periodId}`, body: () => ({ title: 'Đợt mới' }) },
  { method: 'POST', path: '/v1/periods/{id}/extensions', url: (f) => `/v1/periods/${f.periodId}/extensions`, body: () => ({ schoolCode: 'S1', until: '2025-06-15T16:59:59Z', reason: 'lũ lụt' }) },
  { method: 'POST', path: '/v1/periods/{id}/publish', url: (f) => `/v1/periods/${f.periodId}/publish` },
  // assessments
  { method: 'POST', path: '/v1/assessments', url: () => '/v1/assessments', body: (f) => ({ schoolCode: 'S2', periodId: f.periodId }) },
  { method: 'GET', path: '/v1/assessments', url: () => '/v1/assessments' },
  { method: 'GET', path: '/v1/assessments/{id}', url: A },
  { method: 'PATCH', path: '/v1/assessments/{id}/evidence', url: (f) => `${A(f)}/evidence`, body: () => ({ facts: {} }), headers: () => v1 },
  { method: 'POST', path: '/v1/assessments/{id}/submit', url: (f) => `${A(f)}/submit`, body: () => ({}), headers: () => v1 },
  { method: 'POST', path: '/v1/assessments/{id}/return', url: (f) => `${A(f)}/return`, body: () => ({ reason: 'thiếu minh chứng' }), headers: () => v1 },
  { method: 'POST', path: '/v1/assessments/{id}/approve', url: (f) => `${A(f)}/approve`, body: () => ({}), headers: () => v1 },
  { method: 'POST', path: '/v1/assessments/{id}/revoke', url: (f) => `${A(f)}/revoke`, body: () => ({ reason: 'sai số liệu' }), headers: () => v1 },
  { method: 'POST', path: '/v1/assessments/{id}/publish', url: (f) => `${A(f)}/publish`, body: () => ({}), headers: () => v1 },
  { method: 'PUT', path: '/v1/assessments/{id}/external', url: (f) => `${A(f)}/external`, body: () => ({ facts: {} }), headers: () => v1 },
  { method: 'GET', path: '/v1/assessments/{id}/audit', url: (f) => `${A(f)}/audit` },
  { method: 'GET', path: '/v1/assessments/{id}/documents', url: (f) => `${A(f)}/documents` },
  { method: 'POST', path: '/v1/assessments/{id}/documents/link', url: (f) => `${A(f)}/documents/link`, body: () => ({ title: 'Link', url: 'https://example.edu.vn/x' }) },
  { method: 'POST', path: '/v1/assessments/{id}/documents/file', url: (f) => `${A(f)}/documents/file`, body: () => UPLOAD.body, headers: () => UPLOAD.headers },
  { method: 'GET', path: '/v1/assessments/{id}/documents/{docId}/content', url: (f) => `${A(f)}/documents/${f.fileId}/content` },
  { method: 'GET', path: '/v1/assessments/{id}/sheet', url: (f) => `${A(f)}/sheet` },
  // reports and criteria authoring
  { method: 'GET', path: '/v1/units/{code}/summary', url: (f) => `/v1/units/LB/summary?period=${f.periodId}` },
  { method: 'GET', path: '/v1/units/{code}/report', url: (f) => `/v1/units/LB/report?period=${f.periodId}&format=csv` },
  { method: 'POST', path: '/v1/authored-sets/import', url: () => '/v1/authored-sets/import', body: () => AUTHORED },
  { method: 'GET', path: '/v1/authored-sets', url: () => '/v1/authored-sets' },
  { method: 'GET', path: '/v1/authored-sets/{id}/{version}', url: () => '/v1/authored-sets/lb-thu/2024-2025' },
  { method: 'POST', path: '/v1/authored-sets/{id}/{version}/publish', url: () => '/v1/authored-sets/lb-thu/2024-2025/publish', body: () => ({}) },
  { method: 'POST', path: '/v1/authored-sets/{id}/{version}/withdraw', url: () => '/v1/authored-sets/lb-thu/2024-2025/withdraw', body: () => ({ reason: 'Sai sót trong bảng tiêu chí' }) },
]

export const routeName = (r: { method: string; path: string }) => `${r.method} ${r.path}`
export const fastifyPath = (openapiPath: string) => openapiPath.replace(/\{(\w+)\}/g, ':$1')

/** "METHOD /full/path" for every route in app.printRoutes({ commonPrefix: false }), HEAD left out. */
export function routesFromTree(tree: string): string[] {
  const out: string[] = []
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const m = /^(.*?)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    stack.length = (m[1] as string).length / 4
    stack.push(m[2] as string)
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) if (method !== 'HEAD') out.push(`${method} ${stack.join('')}`)
  }
  return out
}

// ───────────────────────────── the grid: actors, the world, outcomes ─────────────────────────────

/** The columns of the grid. Every actor but "anonymous" is a key of the harness. */
export const ACTORS = ['anonymous', 'admin', 'reviewerLB', 'reviewerHN', 'reviewerQN', 'schoolS1', 'schoolS2', 'schoolS9'] as const
export type Actor = (typeof ACTORS)[number]
export type KeyedActor = Exclude<Actor, 'anonymous'>

/**
 * The world every cell starts from (built by buildGridWorld, on top of the harness seed):
 *
 *   HN ─ LB ─ LB-W1 (S1, S2)          QN ─ QN-W1
 *      │    └ LB-W2                      (S9 directly in QN)
 *      └ PX (S3, from 2025-2026)
 *
 *   periods 2024-2025: HN's (the seed's, f.periodId), LB's (f.periodLB), QN's (f.periodQN)
 *   assessments: S1 in HN's period (f.aid, with a link and an uploaded file f.fileId), S9 in QN's
 *   (f.aid9, file f.fileId9) — both absent at stage "none", then draft / submitted / approved;
 *   S2 in HN's period (f.aid2), always a draft
 *   spare keys (to revoke): school S1 (f.spareKeyId), school S9, reviewer LB-W1, admin, reviewer LB (a peer of reviewerLB)
 *   authored sets (drafts): lb-thu@2024-2025 of LB, qn-thu@2024-2025 of QN
 *   stage "moved" (after "approved", the clock in 2025-2026): S1 moved to PX from 2025-2026, HN's
 *   2025-2026 period (f.period2526) and S1's draft in it (f.aidNext) — LB is S1's former district
 */
export const STAGES = ['none', 'draft', 'submitted', 'approved', 'moved'] as const
export type Stage = (typeof STAGES)[number]
/** The clock of each stage (the harness starts at 2025-04-15, in school year 2024-2025). */
export const STAGE_NOW: Record<Stage, string> = {
  none: '2025-04-15T03:00:00Z', draft: '2025-04-15T03:00:00Z', submitted: '2025-04-15T03:00:00Z', approved: '2025-04-15T03:00:00Z', moved: '2025-10-01T03:00:00Z',
}

export interface GridFixture extends Fixture {
  aid2: string
  aid9: string
  fileId9: string
  periodLB: string
  periodQN: string
  period2526: string
  aidNext: string
  spareKeys: { S9: string; reviewerLBW1: string; admin: string; reviewerLB: string; ownLB: string }
  /** The assessments' versions at the stage of the target being sent. */
  version: { S1: number; S9: number }
}

/** Builds the world on a seeded harness; `snapshot(stage)` is called when each stage is ready. */
export async function buildGridWorld(h: Harness, snapshot: (stage: Stage) => void): Promise<{ fixture: Omit<GridFixture, 'version'>; versions: Record<Stage, GridFixture['version']> }> {
  const { admin, reviewerLB, reviewerQN, schoolS1, schoolS2, schoolS9 } = h.keys
  const send = async (key: string, method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
    const res = await h.req(key, method, url, body, headers)
    if (res.statusCode >= 300) throw new Error(`grid world: ${method} ${url} → ${res.statusCode} ${res.body}`)
    return h.json(res)
  }
  const post = (key: string, url: string, body?: unknown, headers?: Record<string, string>) => send(key, 'POST', url, body, headers)
  const period = (unitCode: string) => post(admin, '/v1/periods', {
    unitCode, schoolYear: '2024-2025', title: `Đợt 2024-2025 của ${unitCode}`, criteriaSets: ['moet-4725'], submissionDeadline: '2025-05-31T16:59:59Z',
  }).then((p) => p.id as string)
  const keyId = (body: Record<string, string>) => post(admin, '/v1/keys', body).then((k) => k.record.id as string)

  await post(admin, '/v1/units', { code: 'LB-W2', name: 'Phường Gia Thụy', type: 'ward', parentCode: 'LB', fromYear: '2020-2021', toYear: '2024-2025' })
  await post(admin, '/v1/units', { code: 'QN-W1', name: 'Phường Hồng Gai', type: 'ward', parentCode: 'QN', fromYear: '2020-2021' })
  const periodLB = await period('LB')
  const periodQN = await period('QN')
  const spareKeyId = await keyId({ role: 'school', label: 'spare S1', schoolCode: 'S1' })
  const spareKeys = {
    S9: await keyId({ role: 'school', label: 'spare S9', schoolCode: 'S9' }),
    reviewerLBW1: await keyId({ role: 'reviewer', label: 'spare LB-W1', unitCode: 'LB-W1' }),
    admin: await keyId({ role: 'admin', label: 'spare admin' }),
    // A second officer's key of LB: a peer of reviewerLB.
    reviewerLB: await keyId({ role: 'reviewer', label: 'spare LB', unitCode: 'LB' }),
    /** reviewerLB's own key (not spare: the cell that revokes it is restored like every other). */
    ownLB: (await send(reviewerLB, 'GET', '/v1/me')).id as string,
  }
  await post(reviewerLB, '/v1/authored-sets/import', AUTHORED)
  await post(reviewerQN, '/v1/authored-sets/import', { ...AUTHORED, unitCode: 'QN', id: 'qn-thu', title: 'Bộ thử QN' })
  // A published set of LB, for the withdraw cells.
  await post(reviewerLB, '/v1/authored-sets/import', { ...AUTHORED, id: 'lb-cong-bo', title: 'Bộ đã công bố' })
  await post(reviewerLB, '/v1/authored-sets/lb-cong-bo/2024-2025/publish', {})
  const aid2 = (await post(schoolS2, '/v1/assessments', { schoolCode: 'S2', periodId: h.periodId })).id as string
  snapshot('none')

  const versions = {} as Record<Stage, GridFixture['version']>
  const versionOf = async (id: string) => (await send(admin, 'GET', `/v1/assessments/${id}`)).version as number
  const started = async (key: string, schoolCode: string, periodId: string) => {
    const a = await post(key, '/v1/assessments', { schoolCode, periodId })
    await send(key, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${a.version}"` })
    await post(key, `/v1/assessments/${a.id}/documents/link`, { title: 'Kế hoạch CĐS', url: 'https://example.edu.vn/ke-hoach.pdf' })
    const up = pdfUpload(`Biên bản ${schoolCode}`)
    const file = await post(key, `/v1/assessments/${a.id}/documents/file`, up.body, up.headers)
    return { id: a.id as string, fileId: file.id as string }
  }
  const s1 = await started(schoolS1, 'S1', h.periodId)
  const s9 = await started(schoolS9, 'S9', periodQN)
  const stage = async (name: Stage) => {
    versions[name] = { S1: await versionOf(s1.id), S9: await versionOf(s9.id) }
    snapshot(name)
  }
  await stage('draft')
  const act = async (key: string, id: string, action: string) => post(key, `/v1/assessments/${id}/${action}`, {}, { 'if-match': `"${await versionOf(id)}"` })
  await act(schoolS1, s1.id, 'submit')
  await act(schoolS9, s9.id, 'submit')
  await stage('submitted')
  await act(reviewerLB, s1.id, 'approve')
  await act(reviewerQN, s9.id, 'approve')
  await stage('approved')
  h.clock.set(STAGE_NOW.moved)
  await post(admin, '/v1/schools/S1/memberships', { unitCode: 'PX', fromYear: '2025-2026' })
  const period2526 = (await post(admin, '/v1/periods', {
    unitCode: 'HN', schoolYear: '2025-2026', title: 'Đợt 2025-2026 của HN', criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z',
  })).id as string
  const aidNext = (await post(schoolS1, '/v1/assessments', { schoolCode: 'S1', periodId: period2526 })).id as string
  await stage('moved')
  h.clock.set(STAGE_NOW.approved)
  versions.none = versions.draft // no assessment of S1 or S9 exists yet at "none"

  return {
    fixture: { aid: s1.id, fileId: s1.fileId, periodId: h.periodId, spareKeyId, aid2, aid9: s9.id, fileId9: s9.fileId, periodLB, periodQN, period2526, aidNext, spareKeys },
    versions,
  }
}

/** What a cell expects: "200", "201", or "<status> <error code>" for a refusal. */
export type Outcome = string
/** A cell where the code answers otherwise than the documented rules: `want` is the rule (a tap
 *  todo until the code follows it), `now` what the code answers today (asserted, so the cell still
 *  catches a change — and must be updated when the code is fixed), `todo` why. */
export interface Todo { want: Outcome; now: Outcome; todo: string }
export type Cell = Outcome | Todo
export const todo = (want: Outcome, now: Outcome, why: string): Todo => ({ want, now, todo: why })

const OK = '200'
const CR = '201'
const FB = '403 FORBIDDEN'
const NF = '404 NOT_FOUND'
const NE = '409 NOT_EDITABLE'
const RJ = '400 IMPORT_REJECTED'
const NP = '409 CRITERIA_SET_NOT_PUBLISHED'

/** One row of the grid, in the column order of ACTORS (anonymous is filled in from `public`:
 *  401 UNAUTHENTICATED on every protected route, 200 on the public ones). */
function g(admin: Cell, reviewerLB: Cell, reviewerHN: Cell, reviewerQN: Cell, schoolS1: Cell, schoolS2: Cell, schoolS9: Cell): Record<KeyedActor, Cell> {
  return { admin, reviewerLB, reviewerHN, reviewerQN, schoolS1, schoolS2, schoolS9 }
}

/** What the target is about, to name each actor's relation to it in the cell's message. */
export type Scope = 'S1' | 'S1moved' | 'S9' | 'LB' | 'QN' | 'HN' | 'none'
export const RELATIONS: Record<Scope, Record<KeyedActor, string>> = {
  S1: { admin: 'admin', reviewerLB: 'own', reviewerHN: 'above', reviewerQN: 'other', schoolS1: 'own', schoolS2: 'other, same ward', schoolS9: 'other province' },
  S1moved: { admin: 'admin', reviewerLB: 'former district', reviewerHN: 'above', reviewerQN: 'other', schoolS1: 'own', schoolS2: 'other', schoolS9: 'other province' },
  S9: { admin: 'admin', reviewerLB: 'other', reviewerHN: 'other', reviewerQN: 'own', schoolS1: 'other province', schoolS2: 'other province', schoolS9: 'own' },
  LB: { admin: 'admin', reviewerLB: 'own', reviewerHN: 'above', reviewerQN: 'other', schoolS1: 'school inside', schoolS2: 'school inside', schoolS9: 'school outside' },
  QN: { admin: 'admin', reviewerLB: 'other', reviewerHN: 'other', reviewerQN: 'own', schoolS1: 'school outside', schoolS2: 'school outside', schoolS9: 'school inside' },
  HN: { admin: 'admin', reviewerLB: 'below', reviewerHN: 'own', reviewerQN: 'other', schoolS1: 'school inside', schoolS2: 'school inside', schoolS9: 'school outside' },
  none: { admin: 'admin', reviewerLB: 'reviewer', reviewerHN: 'reviewer', reviewerQN: 'reviewer', schoolS1: 'school', schoolS2: 'school', schoolS9: 'school' },
}

export interface GridRequest { url: string; body?: unknown; headers?: Record<string, string> }
export type ItemsExpect = string[] | { want: string[]; now: string[]; todo: string }
export interface GridTarget {
  /** e.g. "S1's, submitted": shown in every cell's message. */
  name: string
  scope: Scope
  /** The stage of the world the cell starts from (default "draft"). */
  stage?: Stage
  /** The request; default: the route table's url/body/headers. */
  req?: (f: GridFixture) => GridRequest
  expect: Record<KeyedActor, Cell>
  /** For lists: what names the items (`name(item)`) each actor answered 200 gets back — exactly these. */
  items?: { name: (item: any) => string; expect: Partial<Record<KeyedActor, ItemsExpect>> }
}

const im = (v: number) => ({ 'if-match': `"${v}"` })
const a1 = (f: GridFixture) => `/v1/assessments/${f.aid}`
const a9 = (f: GridFixture) => `/v1/assessments/${f.aid9}`
const byCode = (x: { code: string }) => x.code
const byMoet = (x: { moetCode: string }) => x.moetCode
const y24 = (...schools: string[]) => schools.map((s) => `${s} 2024-2025`)
const bySchoolYear = (x: { school: { moetCode: string }; schoolYear: string }) => `${x.school.moetCode} ${x.schoolYear}`
const byUnit = (x: { unitCode: string }) => x.unitCode
const byId = (x: { id: string }) => x.id
const byLabel = (x: { label: string }) => x.label

const ALL_UNITS = ['HN', 'LB', 'LB-W1', 'LB-W2', 'PX', 'QN', 'QN-W1']

/** The same request as an assessment action on S1's or S9's assessment, at the target's stage. */
function action(path: string, body: unknown, who: 'S1' | 'S9') {
  return (f: GridFixture): GridRequest => ({ url: `${who === 'S1' ? a1(f) : a9(f)}/${path}`, body, headers: im(f.version[who]) })
}
// Rows used by several routes. Columns: admin, reviewerLB, reviewerHN, reviewerQN, schoolS1, schoolS2, schoolS9.
const S1_READ = g(OK, OK, OK, NF, OK, NF, NF)
const S9_READ = g(OK, NF, NF, OK, NF, NF, OK)
const S1_SCHOOL_WRITE = g(OK, FB, FB, NF, OK, NF, NF)
const S9_SCHOOL_WRITE = g(OK, NF, NF, FB, NF, NF, OK)
const S1_REVIEW = g(OK, OK, OK, NF, FB, NF, NF)
const S9_REVIEW = g(OK, NF, NF, OK, NF, NF, FB)
const reads = (path: string): GridTarget[] => [
  { name: 'S1\'s', scope: 'S1', req: (f) => ({ url: `${a1(f)}${path}` }), expect: S1_READ },
  { name: 'S9\'s', scope: 'S9', req: (f) => ({ url: `${a9(f)}${path}` }), expect: S9_READ },
]
const reviewAction = (path: string, body: unknown, stage: Stage): GridTarget[] => [
  { name: `S1's, ${stage}`, scope: 'S1', stage, req: action(path, body, 'S1'), expect: S1_REVIEW },
  { name: `S9's, ${stage}`, scope: 'S9', stage, req: action(path, body, 'S9'), expect: S9_REVIEW },
]
const documentWrite = (send: (f: GridFixture, id: string) => GridRequest): GridTarget[] => [
  //                                                                                         admin LB  HN  QN  S1  S2  S9
  { name: 'S1\'s, draft', scope: 'S1', stage: 'draft', req: (f) => send(f, f.aid), expect: g(CR, NE, NE, NF, CR, NF, NF) },
  { name: 'S1\'s, submitted', scope: 'S1', stage: 'submitted', req: (f) => send(f, f.aid), expect: g(CR, CR, CR, NF, NE, NF, NF) },
  { name: 'S9\'s, draft', scope: 'S9', stage: 'draft', req: (f) => send(f, f.aid9), expect: g(CR, NF, NF, NE, NF, NF, CR) },
]
const unitReport = (path: string, query: string): GridTarget[] => [
  { name: 'LB, HN\'s period', scope: 'LB', req: (f) => ({ url: `/v1/units/LB/${path}?period=${f.periodId}${query}` }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
  { name: 'HN, HN\'s period', scope: 'HN', req: (f) => ({ url: `/v1/units/HN/${path}?period=${f.periodId}${query}` }), expect: g(OK, NF, OK, NF, FB, FB, FB) },
  { name: 'QN, QN\'s period', scope: 'QN', req: (f) => ({ url: `/v1/units/QN/${path}?period=${f.periodQN}${query}` }), expect: g(OK, NF, NF, OK, FB, FB, FB) },
]
const authoredSet = (suffix: string, body?: unknown): GridTarget[] => [
  { name: 'lb-thu (LB\'s)', scope: 'LB', req: () => ({ url: `/v1/authored-sets/lb-thu/2024-2025${suffix}`, body }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
  { name: 'qn-thu (QN\'s)', scope: 'QN', req: () => ({ url: `/v1/authored-sets/qn-thu/2024-2025${suffix}`, body }), expect: g(OK, NF, NF, OK, FB, FB, FB) },
]
const newUnit = (code: string, parentCode: string | null, type = 'ward') => ({ code, name: `Đơn vị ${code}`, type, parentCode, fromYear: '2024-2025' })
const newSchool = (moetCode: string, unitCode: string) => ({ moetCode, name: `Trường ${moetCode}`, levels: ['TH'], ownership: 'public', unitCode, fromYear: '2024-2025' })
const newPeriod = (unitCode: string) => ({ unitCode, schoolYear: '2025-2026', title: `Đợt 2025-2026 của ${unitCode}`, criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z' })
const csv = (moetCode: string, unitCode: string) => `moetCode,name,levels,ownership,unitCode,fromYear\n${moetCode},Trường ${moetCode},TH,public,${unitCode},2024-2025\n`
const extension = (schoolCode: string) => ({ schoolCode, until: '2025-06-15T16:59:59Z', reason: 'lũ lụt' })
const EVERYONE = g(OK, OK, OK, OK, OK, OK, OK)

// ───────────────────────────── the grid ─────────────────────────────
//
// Columns of every g(…):  admin, reviewerLB, reviewerHN, reviewerQN, schoolS1, schoolS2, schoolS9
// OK 200 · CR 201 · FB 403 FORBIDDEN · NF 404 NOT_FOUND · NE 409 NOT_EDITABLE · RJ 400 IMPORT_REJECTED

export const GRID: Record<string, GridTarget[]> = {
  // public: every key, and no key, may use them
  'POST /v1/score': [{ name: 'no target', scope: 'none', expect: EVERYONE }],
  'GET /v1/criteria-sets': [{ name: 'no target', scope: 'none', expect: EVERYONE }],
  'GET /v1/criteria-sets/{spec}': [{ name: 'no target', scope: 'none', expect: EVERYONE }],
  'GET /v1/criteria-sets/{spec}/evidence-schema': [{ name: 'no target', scope: 'none', expect: EVERYONE }],

  // keys
  'GET /v1/me': [{ name: 'the key itself', scope: 'none', expect: EVERYONE }],
  'POST /v1/keys': [
    { name: 'school key for S1', scope: 'S1', req: () => ({ url: '/v1/keys', body: { role: 'school', label: 'k', schoolCode: 'S1' } }), expect: g(CR, CR, CR, NF, FB, FB, FB) },
    { name: 'school key for S9', scope: 'S9', req: () => ({ url: '/v1/keys', body: { role: 'school', label: 'k', schoolCode: 'S9' } }), expect: g(CR, NF, NF, CR, FB, FB, FB) },
    { name: 'reviewer key for LB-W1', scope: 'LB', req: () => ({ url: '/v1/keys', body: { role: 'reviewer', label: 'k', unitCode: 'LB-W1' } }), expect: g(CR, CR, CR, NF, FB, FB, FB) },
    { name: 'reviewer key for HN', scope: 'HN', req: () => ({ url: '/v1/keys', body: { role: 'reviewer', label: 'k', unitCode: 'HN' } }), expect: g(CR, NF, CR, NF, FB, FB, FB) },
    { name: 'reviewer key for QN-W1', scope: 'QN', req: () => ({ url: '/v1/keys', body: { role: 'reviewer', label: 'k', unitCode: 'QN-W1' } }), expect: g(CR, NF, NF, CR, FB, FB, FB) },
    { name: 'admin key', scope: 'none', req: () => ({ url: '/v1/keys', body: { role: 'admin', label: 'k' } }), expect: g(CR, FB, FB, FB, FB, FB, FB) },
    { name: 'school key for S1, moved to PX', scope: 'S1moved', stage: 'moved', req: () => ({ url: '/v1/keys', body: { role: 'school', label: 'k', schoolCode: 'S1' } }),
      expect: g(CR, FB, CR, NF, FB, FB, FB) },
  ],
  // Exactly the keys each may revoke: a reviewer itself, the keys it minted (none here: the admin
  // minted them all), reviewer keys of units strictly below its own, school keys of its schools.
  'GET /v1/keys': [
    {
      name: 'all', scope: 'none', expect: g(OK, OK, OK, OK, FB, FB, FB),
      items: {
        name: byLabel,
        expect: {
          admin: ['test admin', 'Sở GDĐT Hà Nội', 'Phòng GDĐT Long Biên', 'Sở GDĐT Quảng Ninh', 'S1 IT lead', 'S2 IT lead', 'S3 IT lead', 'S9 IT lead', 'spare S1', 'spare S9', 'spare LB-W1', 'spare admin', 'spare LB'],
          reviewerLB: ['Phòng GDĐT Long Biên', 'spare LB-W1', 'S1 IT lead', 'S2 IT lead', 'spare S1'],
          reviewerHN: ['Sở GDĐT Hà Nội', 'Phòng GDĐT Long Biên', 'spare LB', 'spare LB-W1', 'S1 IT lead', 'S2 IT lead', 'S3 IT lead', 'spare S1'],
          reviewerQN: ['Sở GDĐT Quảng Ninh', 'S9 IT lead', 'spare S9'],
        },
      },
    },
    {
      name: 'all, S1 moved to PX', scope: 'S1moved', stage: 'moved', expect: g(OK, OK, OK, OK, FB, FB, FB),
      items: {
        name: byLabel,
        expect: {
          admin: ['test admin', 'Sở GDĐT Hà Nội', 'Phòng GDĐT Long Biên', 'Sở GDĐT Quảng Ninh', 'S1 IT lead', 'S2 IT lead', 'S3 IT lead', 'S9 IT lead', 'spare S1', 'spare S9', 'spare LB-W1', 'spare admin', 'spare LB'],
          reviewerLB: ['Phòng GDĐT Long Biên', 'spare LB-W1', 'S2 IT lead'],
          reviewerHN: ['Sở GDĐT Hà Nội', 'Phòng GDĐT Long Biên', 'spare LB', 'spare LB-W1', 'S1 IT lead', 'S2 IT lead', 'S3 IT lead', 'spare S1'],
          reviewerQN: ['Sở GDĐT Quảng Ninh', 'S9 IT lead', 'spare S9'],
        },
      },
    },
  ],
  'DELETE /v1/keys/{id}': [
    { name: 'a school key of S1', scope: 'S1', req: (f) => ({ url: `/v1/keys/${f.spareKeyId}` }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
    { name: 'a school key of S9', scope: 'S9', req: (f) => ({ url: `/v1/keys/${f.spareKeys.S9}` }), expect: g(OK, NF, NF, OK, FB, FB, FB) },
    { name: 'a reviewer key of LB-W1', scope: 'LB', req: (f) => ({ url: `/v1/keys/${f.spareKeys.reviewerLBW1}` }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
    { name: 'an admin key', scope: 'none', req: (f) => ({ url: `/v1/keys/${f.spareKeys.admin}` }), expect: g(OK, NF, NF, NF, FB, FB, FB) },
    // Another officer's key of the same unit is not a reviewer's to revoke; the unit above may.
    { name: 'a peer reviewer key of LB', scope: 'LB', req: (f) => ({ url: `/v1/keys/${f.spareKeys.reviewerLB}` }), expect: g(OK, FB, OK, NF, FB, FB, FB) },
    { name: 'reviewer LB\'s own key', scope: 'LB', req: (f) => ({ url: `/v1/keys/${f.spareKeys.ownLB}` }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
    { name: 'a school key of S1, moved to PX', scope: 'S1moved', stage: 'moved', req: (f) => ({ url: `/v1/keys/${f.spareKeyId}` }),
      expect: g(OK, FB, OK, NF, FB, FB, FB) },
  ],

  // units
  'POST /v1/units': [
    { name: 'a ward under LB', scope: 'LB', req: () => ({ url: '/v1/units', body: newUnit('LB-W9', 'LB') }), expect: g(CR, CR, CR, FB, FB, FB, FB) },
    { name: 'a ward under QN', scope: 'QN', req: () => ({ url: '/v1/units', body: newUnit('QN-W9', 'QN') }), expect: g(CR, FB, FB, CR, FB, FB, FB) },
    { name: 'a top-level province', scope: 'none', req: () => ({ url: '/v1/units', body: newUnit('TOP', null, 'province') }), expect: g(CR, FB, FB, FB, FB, FB, FB) },
  ],
  'GET /v1/units': [{
    name: 'all', scope: 'none', expect: EVERYONE,
    items: {
      name: byCode,
      expect: {
        admin: ALL_UNITS,
        reviewerLB: ALL_UNITS,
        reviewerHN: ALL_UNITS,
        reviewerQN: ALL_UNITS,
        schoolS1: ALL_UNITS,
        schoolS2: ALL_UNITS,
        schoolS9: ALL_UNITS,
      },
    },
  }],
  'GET /v1/units/{code}': [
    { name: 'LB', scope: 'LB', req: () => ({ url: '/v1/units/LB' }), expect: g(OK, OK, OK, OK, OK, OK, OK) },
    { name: 'QN', scope: 'QN', req: () => ({ url: '/v1/units/QN' }), expect: g(OK, OK, OK, OK, OK, OK, OK) },
  ],
  'PATCH /v1/units/{code}': [
    { name: 'LB', scope: 'LB', req: () => ({ url: '/v1/units/LB', body: { name: 'Quận Long Biên (mới)' } }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
    { name: 'HN', scope: 'HN', req: () => ({ url: '/v1/units/HN', body: { name: 'Hà Nội (mới)' } }), expect: g(OK, NF, OK, NF, FB, FB, FB) },
    { name: 'QN', scope: 'QN', req: () => ({ url: '/v1/units/QN', body: { name: 'Quảng Ninh (mới)' } }), expect: g(OK, NF, NF, OK, FB, FB, FB) },
  ],

  // schools
  'POST /v1/schools': [
    { name: 'a school in LB-W1', scope: 'LB', req: () => ({ url: '/v1/schools', body: newSchool('S50', 'LB-W1') }), expect: g(CR, CR, CR, NF, FB, FB, FB) },
    { name: 'a school in QN', scope: 'QN', req: () => ({ url: '/v1/schools', body: newSchool('S51', 'QN') }), expect: g(CR, NF, NF, CR, FB, FB, FB) },
  ],
  'GET /v1/schools': [
    {
      name: 'all', scope: 'none', expect: EVERYONE,
      items: { name: byMoet, expect: { admin: ['S1', 'S2', 'S3', 'S9'], reviewerLB: ['S1', 'S2'], reviewerHN: ['S1', 'S2', 'S3'], reviewerQN: ['S9'], schoolS1: ['S1'], schoolS2: ['S2'], schoolS9: ['S9'] } },
    },
    {
      name: '?unit=LB', scope: 'LB', req: () => ({ url: '/v1/schools?unit=LB' }), expect: g(OK, OK, OK, NF, OK, OK, OK),
      items: {
        name: byMoet,
        expect: {
          admin: ['S1', 'S2'], reviewerLB: ['S1', 'S2'], reviewerHN: ['S1', 'S2'], schoolS1: ['S1'], schoolS2: ['S2'],
          schoolS9: [],
        },
      },
    },
    {
      name: '?unit=QN', scope: 'QN', req: () => ({ url: '/v1/schools?unit=QN' }), expect: g(OK, NF, NF, OK, OK, OK, OK),
      items: {
        name: byMoet,
        expect: {
          admin: ['S9'], reviewerQN: ['S9'], schoolS9: ['S9'],
          schoolS1: [], schoolS2: [],
        },
      },
    },
  ],
  'POST /v1/schools/import': [
    { name: 'a school into LB-W1', scope: 'LB', req: () => ({ url: '/v1/schools/import', body: csv('S50', 'LB-W1'), headers: { 'content-type': 'text/csv' } }), expect: g(OK, OK, OK, RJ, FB, FB, FB) },
    { name: 'a school into QN', scope: 'QN', req: () => ({ url: '/v1/schools/import', body: csv('S51', 'QN'), headers: { 'content-type': 'text/csv' } }), expect: g(OK, RJ, RJ, OK, FB, FB, FB) },
  ],
  'GET /v1/schools/{code}': [
    { name: 'S1', scope: 'S1', req: () => ({ url: '/v1/schools/S1' }), expect: S1_READ },
    { name: 'S9', scope: 'S9', req: () => ({ url: '/v1/schools/S9' }), expect: S9_READ },
    // Old districts keep seeing their past schools (src/services/access.ts).
    { name: 'S1, moved to PX', scope: 'S1moved', stage: 'moved', req: () => ({ url: '/v1/schools/S1' }), expect: S1_READ },
  ],
  'PATCH /v1/schools/{code}': [
    { name: 'S1', scope: 'S1', req: () => ({ url: '/v1/schools/S1', body: { name: 'Trường THCS Ngọc Thụy (mới)' } }), expect: S1_REVIEW },
    { name: 'S9', scope: 'S9', req: () => ({ url: '/v1/schools/S9', body: { name: 'Trường THCS Hạ Long (mới)' } }), expect: S9_REVIEW },
    { name: 'S1, moved to PX', scope: 'S1moved', stage: 'moved', req: () => ({ url: '/v1/schools/S1', body: { name: 'Trường THCS Ngọc Thụy (mới)' } }),
      expect: g(OK, FB, OK, NF, FB, NF, NF) },
  ],
  'POST /v1/schools/{code}/memberships': [
    // LB-W2 exists until 2024-2025: the move starts in a year it exists (UNIT_NOT_IN_YEAR otherwise).
    { name: 'S1 → LB-W2', scope: 'S1', req: () => ({ url: '/v1/schools/S1/memberships', body: { unitCode: 'LB-W2', fromYear: '2024-2025' } }), expect: S1_REVIEW },
    { name: 'S1 → QN (out of LB)', scope: 'S1', req: () => ({ url: '/v1/schools/S1/memberships', body: { unitCode: 'QN', fromYear: '2025-2026' } }), expect: g(OK, NF, NF, NF, FB, NF, NF) },
    { name: 'S9 → QN-W1', scope: 'S9', req: () => ({ url: '/v1/schools/S9/memberships', body: { unitCode: 'QN-W1', fromYear: '2025-2026' } }), expect: S9_REVIEW },
    // LB and its wards end with 2024-2025: the former district's move targets HN, which exists.
    { name: 'S1, moved to PX, → HN', scope: 'S1moved', stage: 'moved', req: () => ({ url: '/v1/schools/S1/memberships', body: { unitCode: 'HN', fromYear: '2025-2026' } }),
      expect: g(OK, FB, OK, NF, FB, NF, NF) },
  ],

  // periods
  'POST /v1/periods': [
    // LB exists until 2024-2025: a period only in a year its unit exists (UNIT_NOT_IN_YEAR otherwise).
    { name: 'for LB', scope: 'LB', req: () => ({ url: '/v1/periods', body: { ...newPeriod('LB'), schoolYear: '2024-2025' } }), expect: g(CR, CR, CR, NF, FB, FB, FB) },
    { name: 'for HN', scope: 'HN', req: () => ({ url: '/v1/periods', body: newPeriod('HN') }), expect: g(CR, NF, CR, NF, FB, FB, FB) },
    { name: 'for QN', scope: 'QN', req: () => ({ url: '/v1/periods', body: newPeriod('QN') }), expect: g(CR, NF, NF, CR, FB, FB, FB) },
  ],
  'GET /v1/periods': [{
    name: 'all', scope: 'none', expect: EVERYONE,
    items: {
      name: byUnit,
      expect: { admin: ['HN', 'LB', 'QN'], reviewerLB: ['HN', 'LB'], reviewerHN: ['HN', 'LB'], reviewerQN: ['QN'], schoolS1: ['HN', 'LB'], schoolS2: ['HN', 'LB'], schoolS9: ['QN'] },
    },
  }],
  'GET /v1/periods/{id}': [
    { name: 'HN\'s', scope: 'HN', req: (f) => ({ url: `/v1/periods/${f.periodId}` }), expect: g(OK, OK, OK, NF, OK, OK, NF) },
    { name: 'LB\'s', scope: 'LB', req: (f) => ({ url: `/v1/periods/${f.periodLB}` }), expect: g(OK, OK, OK, NF, OK, OK, NF) },
    { name: 'QN\'s', scope: 'QN', req: (f) => ({ url: `/v1/periods/${f.periodQN}` }), expect: g(OK, NF, NF, OK, NF, NF, OK) },
  ],
  'PATCH /v1/periods/{id}': [
    { name: 'HN\'s', scope: 'HN', req: (f) => ({ url: `/v1/periods/${f.periodId}`, body: { title: 'Đợt mới' } }), expect: g(OK, FB, OK, NF, FB, FB, NF) },
    { name: 'LB\'s', scope: 'LB', req: (f) => ({ url: `/v1/periods/${f.periodLB}`, body: { title: 'Đợt mới' } }), expect: g(OK, OK, OK, NF, FB, FB, NF) },
    { name: 'QN\'s', scope: 'QN', req: (f) => ({ url: `/v1/periods/${f.periodQN}`, body: { title: 'Đợt mới' } }), expect: g(OK, NF, NF, OK, NF, NF, FB) },
  ],
  'POST /v1/periods/{id}/extensions': [
    { name: 'HN\'s, for S1', scope: 'S1', req: (f) => ({ url: `/v1/periods/${f.periodId}/extensions`, body: extension('S1') }), expect: g(CR, CR, CR, NF, FB, FB, NF) },
    { name: 'LB\'s, for S1', scope: 'S1', req: (f) => ({ url: `/v1/periods/${f.periodLB}/extensions`, body: extension('S1') }), expect: g(CR, CR, CR, NF, FB, FB, NF) },
    { name: 'QN\'s, for S9', scope: 'S9', req: (f) => ({ url: `/v1/periods/${f.periodQN}/extensions`, body: extension('S9') }), expect: g(CR, NF, NF, CR, NF, NF, FB) },
    { name: 'HN\'s 2025-2026, for S1 (moved to PX)', scope: 'S1moved', stage: 'moved', req: (f) => ({ url: `/v1/periods/${f.period2526}/extensions`, body: { schoolCode: 'S1', until: '2026-06-15T16:59:59Z', reason: 'lũ lụt' } }),
      expect: g(CR, NF, CR, NF, FB, FB, NF) },
  ],
  'POST /v1/periods/{id}/publish': [
    { name: 'HN\'s, S1 approved', scope: 'HN', stage: 'approved', req: (f) => ({ url: `/v1/periods/${f.periodId}/publish` }), expect: g(OK, OK, OK, NF, FB, FB, NF) },
    { name: 'LB\'s', scope: 'LB', stage: 'approved', req: (f) => ({ url: `/v1/periods/${f.periodLB}/publish` }), expect: g(OK, OK, OK, NF, FB, FB, NF) },
    { name: 'QN\'s, S9 approved', scope: 'QN', stage: 'approved', req: (f) => ({ url: `/v1/periods/${f.periodQN}/publish` }), expect: g(OK, NF, NF, OK, NF, NF, FB) },
  ],

  // assessments
  'POST /v1/assessments': [
    { name: 'S1 in HN\'s period', scope: 'S1', stage: 'none', req: (f) => ({ url: '/v1/assessments', body: { schoolCode: 'S1', periodId: f.periodId } }), expect: g(CR, FB, FB, FB, CR, NF, NF) },
    { name: 'S9 in QN\'s period', scope: 'S9', stage: 'none', req: (f) => ({ url: '/v1/assessments', body: { schoolCode: 'S9', periodId: f.periodQN } }), expect: g(CR, FB, FB, FB, NF, NF, CR) },
  ],
  'GET /v1/assessments': [
    {
      name: 'all', scope: 'none', expect: EVERYONE,
      items: { name: bySchoolYear, expect: { admin: y24('S1', 'S2', 'S9'), reviewerLB: y24('S1', 'S2'), reviewerHN: y24('S1', 'S2'), reviewerQN: y24('S9'), schoolS1: y24('S1'), schoolS2: y24('S2'), schoolS9: y24('S9') } },
    },
    {
      name: 'all, S1 moved to PX', scope: 'S1moved', stage: 'moved', expect: EVERYONE,
      items: {
        name: bySchoolYear,
        expect: {
          admin: [...y24('S1', 'S2', 'S9'), 'S1 2025-2026'], reviewerLB: y24('S1', 'S2'), reviewerHN: [...y24('S1', 'S2'), 'S1 2025-2026'], reviewerQN: y24('S9'),
          schoolS1: [...y24('S1'), 'S1 2025-2026'], schoolS2: y24('S2'), schoolS9: y24('S9'),
        },
      },
    },
    {
      name: '?school=S1', scope: 'S1', req: () => ({ url: '/v1/assessments?school=S1' }), expect: S1_READ,
      items: { name: bySchoolYear, expect: { admin: y24('S1'), reviewerLB: y24('S1'), reviewerHN: y24('S1'), schoolS1: y24('S1') } },
    },
    {
      name: '?school=S9', scope: 'S9', req: () => ({ url: '/v1/assessments?school=S9' }), expect: S9_READ,
      items: { name: bySchoolYear, expect: { admin: y24('S9'), reviewerQN: y24('S9'), schoolS9: y24('S9') } },
    },
    {
      name: '?period=HN\'s', scope: 'HN', req: (f) => ({ url: `/v1/assessments?period=${f.periodId}` }), expect: EVERYONE,
      items: { name: bySchoolYear, expect: { admin: y24('S1', 'S2'), reviewerLB: y24('S1', 'S2'), reviewerHN: y24('S1', 'S2'), reviewerQN: [], schoolS1: y24('S1'), schoolS2: y24('S2'), schoolS9: [] } },
    },
  ],
  'GET /v1/assessments/{id}': [
    ...reads(''),
    // The dated hierarchy: last year's result stays with last year's district; this year's is the new unit's.
    { name: 'S1\'s 2024-2025, after the move', scope: 'S1moved', stage: 'moved', req: (f) => ({ url: a1(f) }), expect: S1_READ },
    { name: 'S1\'s 2025-2026, in PX', scope: 'S1moved', stage: 'moved', req: (f) => ({ url: `/v1/assessments/${f.aidNext}` }), expect: g(OK, NF, OK, NF, OK, NF, NF) },
  ],
  'PATCH /v1/assessments/{id}/evidence': [
    { name: 'S1\'s, draft', scope: 'S1', stage: 'draft', req: (f) => ({ url: `${a1(f)}/evidence`, body: { description: 'Mô tả mới' }, headers: im(f.version.S1) }), expect: S1_SCHOOL_WRITE },
    { name: 'S9\'s, draft', scope: 'S9', stage: 'draft', req: (f) => ({ url: `${a9(f)}/evidence`, body: { description: 'Mô tả mới' }, headers: im(f.version.S9) }), expect: S9_SCHOOL_WRITE },
  ],
  'POST /v1/assessments/{id}/submit': [
    { name: 'S1\'s, draft', scope: 'S1', stage: 'draft', req: action('submit', {}, 'S1'), expect: S1_SCHOOL_WRITE },
    { name: 'S9\'s, draft', scope: 'S9', stage: 'draft', req: action('submit', {}, 'S9'), expect: S9_SCHOOL_WRITE },
  ],
  'POST /v1/assessments/{id}/return': reviewAction('return', { reason: 'thiếu minh chứng' }, 'submitted'),
  'POST /v1/assessments/{id}/approve': reviewAction('approve', {}, 'submitted'),
  'POST /v1/assessments/{id}/revoke': reviewAction('revoke', { reason: 'sai số liệu' }, 'approved'),
  'POST /v1/assessments/{id}/publish': reviewAction('publish', {}, 'approved'),
  'PUT /v1/assessments/{id}/external': reviewAction('external', { facts: {} }, 'submitted'),
  'GET /v1/assessments/{id}/audit': reads('/audit'),
  'GET /v1/assessments/{id}/documents': reads('/documents'),
  'POST /v1/assessments/{id}/documents/link': documentWrite((_f, id) => ({ url: `/v1/assessments/${id}/documents/link`, body: { title: 'Link', url: 'https://example.edu.vn/x' } })),
  'POST /v1/assessments/{id}/documents/file': documentWrite((_f, id) => ({ url: `/v1/assessments/${id}/documents/file`, ...uniquePdfUpload() })),
  'GET /v1/assessments/{id}/documents/{docId}/content': [
    { name: 'S1\'s file', scope: 'S1', req: (f) => ({ url: `${a1(f)}/documents/${f.fileId}/content` }), expect: S1_READ },
    { name: 'S9\'s file', scope: 'S9', req: (f) => ({ url: `${a9(f)}/documents/${f.fileId9}/content` }), expect: S9_READ },
    // A document is reached only through its own assessment, whoever asks.
    { name: 'S1\'s file through S2\'s assessment', scope: 'S1', req: (f) => ({ url: `/v1/assessments/${f.aid2}/documents/${f.fileId}/content` }), expect: g(NF, NF, NF, NF, NF, NF, NF) },
  ],
  'GET /v1/assessments/{id}/sheet': reads('/sheet'),

  // reports
  'GET /v1/units/{code}/summary': unitReport('summary', ''),
  'GET /v1/units/{code}/report': unitReport('report', '&format=csv'),

  // criteria authoring
  'POST /v1/authored-sets/import': [
    { name: 'a set of LB', scope: 'LB', req: () => ({ url: '/v1/authored-sets/import', body: { ...AUTHORED, id: 'lb-moi' } }), expect: g(CR, CR, CR, NF, FB, FB, FB) },
    { name: 'a set of QN', scope: 'QN', req: () => ({ url: '/v1/authored-sets/import', body: { ...AUTHORED, unitCode: 'QN', id: 'qn-moi' } }), expect: g(CR, NF, NF, CR, FB, FB, FB) },
  ],
  'GET /v1/authored-sets': [{
    name: 'all', scope: 'none', expect: g(OK, OK, OK, OK, FB, FB, FB),
    items: { name: byId, expect: { admin: ['lb-cong-bo', 'lb-thu', 'qn-thu'], reviewerLB: ['lb-cong-bo', 'lb-thu'], reviewerHN: ['lb-cong-bo', 'lb-thu'], reviewerQN: ['qn-thu'] } },
  }],
  'GET /v1/authored-sets/{id}/{version}': authoredSet(''),
  'POST /v1/authored-sets/{id}/{version}/publish': authoredSet('/publish', {}),
  // Withdrawing: who may publish may withdraw; a draft has nothing to withdraw (409). The rest of
  // what it does is in test/http/authoring.test.ts.
  'POST /v1/authored-sets/{id}/{version}/withdraw': [
    { name: 'lb-cong-bo (LB\'s, published)', scope: 'LB', req: () => ({ url: '/v1/authored-sets/lb-cong-bo/2024-2025/withdraw', body: { reason: 'Sai sót' } }), expect: g(OK, OK, OK, NF, FB, FB, FB) },
    { name: 'qn-thu (QN\'s draft)', scope: 'QN', req: () => ({ url: '/v1/authored-sets/qn-thu/2024-2025/withdraw', body: { reason: 'Sai sót' } }), expect: g(NP, NF, NF, NP, FB, FB, FB) },
  ],
}
