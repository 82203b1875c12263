// Malformed input, in bulk: a seeded generator sends well over 10,000 bad requests to every write
// route (and bad query strings to the GET routes), each with a key whose role may write there, so
// that validation — not authorisation — is what answers.
//
// What is asserted, for every request:
//   1. No 5xx, no crash: the status is a 4xx.
//   2. The body is our error shape { error: { code, message, path?, details? } } with an UPPER_SNAKE
//      code and a non-empty message.
//   3. The path rule: a validation code (REQUIRED, UNKNOWN_FIELD, INVALID_TYPE, INVALID_FORMAT,
//      INVALID_VALUE, INVALID_LENGTH, OUT_OF_RANGE, or INVALID_REQUEST for the schema keywords the
//      error handler does not name) always carries `path`, a JSON pointer ('' = the whole body).
//      Errors the framework raises before it has a document (INVALID_JSON, EMPTY_BODY,
//      UNSUPPORTED_MEDIA_TYPE, BODY_TOO_LARGE, INVALID_IF_MATCH, multipart errors…) need no path.
//   4. Where the outcome can be predicted, it is: a JSON body is classified *before* it is sent by
//      the very schema the route declares, compiled by an Ajv with the service's own options (no
//      coercion, first error only). Schema-invalid → exactly 400 with the code the error handler
//      maps that keyword to, and the same path. Text that JSON.parse refuses, or that has a
//      __proto__ / constructor.prototype key (secure-json-parse) → 400 INVALID_JSON / EMPTY_BODY.
//      Above BODY_LIMIT → 413 BODY_TOO_LARGE. Facts that pass the route schema but not the set's
//      evidence schema → a 4xx from the service.
//   5. Every mutation sent is certainly invalid: one the classifier finds valid is not sent (counted
//      as "skipped"). Hence no request may succeed, and the database — every table, audit_log
//      included, hashed row by row — is the same after the barrage as before it. Uploaded files too.
//
// A second part imports hostile criteria tables (deep, huge, unknown operators, __proto__,
// NaN/Infinity): each is refused (400 INVALID_CRITERIA_TABLE) or stored as a draft the verifier
// fails (then publish → 409), never a 5xx, each within a time bound.
//
// The seed is printed; FUZZ_SEED=<n> replays a run.
import { readdirSync } from 'node:fs'
import t from 'tap'
import Fastify, { type LightMyRequestResponse } from 'fastify'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { harness, exampleFacts, startAssessment, type Harness } from '../http/app.js'
import { isPlainTextPattern } from '../../src/csv/plain-text.js'
import { dbHash } from '../support/db-state.js'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { assessmentRoutes } from '../../src/http/routes/assessments.js'
import { authoringRoutes } from '../../src/http/routes/authoring.js'
import { keyRoutes } from '../../src/http/routes/keys.js'
import { periodRoutes } from '../../src/http/routes/periods.js'
import { reportRoutes } from '../../src/http/routes/reports.js'
import { schoolRoutes } from '../../src/http/routes/schools.js'
import { scoringRoutes } from '../../src/http/routes/scoring.js'
import { unitRoutes } from '../../src/http/routes/units.js'

// ───────────────────────────── seeded randomness ─────────────────────────────

const SEED = Number(process.env.FUZZ_SEED ?? (Date.now() % 2 ** 31))
function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
const rnd = mulberry32(SEED)
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T

// ───────────────────────────── the route schemas, as the server compiles them ─────────────────────────────

const AJV_BASE = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false, allowUnionTypes: true, coerceTypes: false } as const
const ajv = addFormats.default(new Ajv.default(AJV_BASE))

const KEYWORD_CODES: Record<string, string> = {
  required: 'REQUIRED', additionalProperties: 'UNKNOWN_FIELD', type: 'INVALID_TYPE', format: 'INVALID_FORMAT',
  enum: 'INVALID_VALUE', pattern: 'INVALID_FORMAT', minLength: 'INVALID_LENGTH', maxLength: 'INVALID_LENGTH',
  minimum: 'OUT_OF_RANGE', maximum: 'OUT_OF_RANGE', minItems: 'INVALID_LENGTH', maxItems: 'INVALID_LENGTH', minProperties: 'REQUIRED',
}
const VALIDATION_CODES = new Set([...Object.values(KEYWORD_CODES), 'INVALID_REQUEST'])

type Validator = ((data: unknown) => boolean) & { errors?: { keyword: string; instancePath: string; params: Record<string, unknown> }[] | null }

/** "METHOD /v1/path/:param" → the body validator, from the route modules registered on a bare instance. */
async function routeBodyValidators(): Promise<Map<string, Validator>> {
  const out = new Map<string, Validator>()
  const bare = Fastify({ logger: false })
  bare.addHook('onRoute', (r) => {
    const body = (r.schema as { body?: unknown } | undefined)?.body
    if (!body) return
    for (const m of [r.method].flat()) out.set(`${m} ${r.url}`, ajv.compile(body as object) as Validator)
  })
  await bare.register(async (v1) => {
    for (const routes of [scoringRoutes, keyRoutes, unitRoutes, schoolRoutes, periodRoutes, assessmentRoutes, reportRoutes, authoringRoutes]) {
      await v1.register(routes as never, { services: {} })
    }
  }, { prefix: '/v1' })
  return out
}

// ───────────────────────────── the database, hashed ─────────────────────────────

// dbHash (test/support/db-state.ts): per table, the row count and a sha256 of its rows in rowid order.

// ───────────────────────────── expectations ─────────────────────────────

type Expect =
  | { kind: 'validation'; code: string; path: string }
  | { kind: 'parser' }
  | { kind: 'too-large' }
  | { kind: 'media' }
  | { kind: 'if-match' }
  | { kind: 'any4xx' }

const BODY_LIMIT = 2 * 1024 * 1024
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/

/** undefined when the response meets the rule, else what is wrong with it. */
function problem(res: LightMyRequestResponse, exp: Expect): string | undefined {
  if (res.statusCode >= 500) return `5xx (${res.statusCode})`
  if (res.statusCode < 400) return `not refused (${res.statusCode})`
  let body: { error?: { code?: unknown; message?: unknown; path?: unknown } }
  try { body = JSON.parse(res.body) } catch { return `not JSON: ${res.body.slice(0, 80)}` }
  const e = body.error
  if (!e || typeof e.code !== 'string' || !UPPER_SNAKE.test(e.code)) return `bad error code: ${res.body.slice(0, 120)}`
  if (typeof e.message !== 'string' || e.message.length === 0) return `no message: ${res.body.slice(0, 120)}`
  if (VALIDATION_CODES.has(e.code) && (typeof e.path !== 'string' || (e.path !== '' && !e.path.startsWith('/')))) return `validation code ${e.code} without a JSON-pointer path`
  const got = `${res.statusCode} ${e.code}`
  switch (exp.kind) {
    case 'validation':
      if (res.statusCode !== 400 || e.code !== exp.code || e.path !== exp.path) return `expected 400 ${exp.code} at "${exp.path}", got ${got} at ${JSON.stringify(e.path)}`
      break
    case 'parser':
      if (res.statusCode !== 400 || !['INVALID_JSON', 'EMPTY_BODY', 'BAD_REQUEST'].includes(e.code)) return `expected 400 INVALID_JSON, got ${got}`
      break
    case 'too-large':
      if (res.statusCode !== 413 || e.code !== 'BODY_TOO_LARGE') return `expected 413 BODY_TOO_LARGE, got ${got}`
      break
    case 'media':
      if (![400, 415].includes(res.statusCode)) return `expected 400/415, got ${got}`
      break
    case 'if-match':
      if (!['400 INVALID_IF_MATCH', '428 PRECONDITION_REQUIRED', '412 VERSION_MISMATCH'].includes(got)) return `expected an If-Match refusal, got ${got}`
      break
  }
  return undefined
}

// ───────────────────────────── JSON helpers ─────────────────────────────

type Path = (string | number)[]
type J = unknown

/** Every node's path (the root included), iteratively. */
function nodePaths(v: J): Path[] {
  const out: Path[] = []
  const stack: [J, Path][] = [[v, []]]
  while (stack.length) {
    const [x, p] = stack.pop() as [J, Path]
    out.push(p)
    if (Array.isArray(x)) x.forEach((c, i) => stack.push([c, [...p, i]]))
    else if (x && typeof x === 'object') for (const [k, c] of Object.entries(x)) stack.push([c, [...p, k]])
  }
  return out
}
const objectPaths = (v: J): Path[] => nodePaths(v).filter((p) => { const x = getAt(v, p); return x !== null && typeof x === 'object' && !Array.isArray(x) })
function getAt(v: J, p: Path): J { return p.reduce<J>((x, k) => (x as Record<string | number, J>)[k], v) }
function setAt(v: J, p: Path, value: J): J {
  if (p.length === 0) return value
  const c = structuredClone(v) as Record<string | number, J>
  const parent = getAt(c, p.slice(0, -1)) as Record<string | number, J>
  parent[p[p.length - 1] as string] = value
  return c
}
function deleteAt(v: J, p: Path): J {
  const c = structuredClone(v) as Record<string | number, J>
  const parent = getAt(c, p.slice(0, -1)) as Record<string | number, J>
  if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1)
  else delete parent[p[p.length - 1] as string]
  return c
}
const RAW = '\u0001RAW\u0001'
/** The body as JSON text with the node at p replaced by raw text. */
function withRaw(v: J, p: Path, raw: string): string {
  const text = JSON.stringify(setAt(v, p, RAW))
  return text.replace(JSON.stringify(RAW), () => raw)
}
/** The body as JSON text with raw `"key": value` added to the object at p. */
function withRawMember(v: J, p: Path, member: string): string {
  const marker = '\u0001MEMBER\u0001'
  const obj = getAt(v, p) as Record<string, J>
  const text = JSON.stringify(setAt(v, p, { [marker]: 0, ...obj }))
  return text.replace(`${JSON.stringify(marker)}:0`, () => member)
}

/** An own __proto__ key, or a constructor key holding a prototype key, anywhere (what secure-json-parse refuses). */
function poisoned(v: J): boolean {
  const stack: J[] = [v]
  while (stack.length) {
    const x = stack.pop()
    if (!x || typeof x !== 'object') continue
    if (!Array.isArray(x)) {
      if (Object.prototype.hasOwnProperty.call(x, '__proto__')) return true
      const c = (x as Record<string, J>).constructor
      if (Object.prototype.hasOwnProperty.call(x, 'constructor') && c && typeof c === 'object' && Object.prototype.hasOwnProperty.call(c, 'prototype')) return true
    }
    for (const c of Object.values(x as object)) stack.push(c)
  }
  return false
}

const deep = (n: number, open = '[', close = ']', inner = '0'): string => open.repeat(n) + inner + close.repeat(n)
const deepObj = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n)

// Values of every JSON type, some of them awkward.
const ODD_VALUES: J[] = ['', 'x', '12', 'true', 'null', ' ', '\u0000', 0, 1, -1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, true, false, null, [], [1], [null], ['a', 'b'], {}, { a: 1 }, [[[]]], { '': '' }]
const RAW_NUMBERS = ['1e999', '-1e999', '1e308', '-1e308', '-0', '0.1e-400', '123456789012345678901234567890', '1E+2', '0e0', 'NaN', 'Infinity', '-Infinity', '+1', '01', '.5', '1.', '0x10', '1_000']
// NFC and NFD spellings of the same Vietnamese text, and mixtures.
const VI_NFC = ['Trường THCS Ngọc Thụy', 'Phường Bồ Đề', 'Quận Long Biên', 'công lập', 'Tiểu học', 'đạt', 'Hà Nội']
const viVariants = (): string => {
  const s = pick(VI_NFC)
  const nfd = s.normalize('NFD')
  return pick([nfd, s + nfd, nfd.slice(0, int(1, nfd.length)), `${s.slice(0, 3)}${nfd.slice(3)}`, 'Ho\u0300a', 'THCS\u0301', 'TH\u0301', 'S\u03011', 'LB\u0300-W1', '2024\u20132025', '２０２４-２０２５', 'ＬＢ'])
}
const UNKNOWN_KEYS = ['extra', 'Name', 'NAME', 'name ', ' name', '', 'prototype', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '$schema', 'id', 'version', 'tên', 'te\u0302n', 'a.b', 'a/b', '~0', '\u0000', '\uD800', '😀', 'x'.repeat(300)]
const BAD_UTF8: Buffer[] = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xfe, 0xfe, 0xff, 0xff]), Buffer.from([0x80, 0x81, 0x82])]
const MALFORMED_JSON = ['{', '}', '{"a":1', '{"a":}', '{"a" 1}', "{'a':1}", '{"a":1,}', '[1,]', '{"a":1}}', '{"a":1}garbage', 'nul', 'undefined', '{a:1}', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"line\nbreak"}', '{"a":01}', '{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '\u0000', '{"a":1}\u0000', '/* c */{}', '{"a":1 // c\n}', '"', '{"a":"unterminated}', '\uFEFF\uFEFF{}', '{"a":[1,2}', '{"a":{"b":1]}', '<xml/>', 'a=1&b=2', '{"\uD800":1']

// ───────────────────────────── the endpoints ─────────────────────────────

interface Endpoint {
  name: string
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: string
  /** The validator key: METHOD + the route pattern. */
  route: string
  key: string
  /** A valid example body (JSON endpoints), or undefined for routes without a body. */
  body?: Record<string, J>
  ifMatch?: string
  /** Facts under body.facts are checked by the service against the set's evidence schema, merged onto these. */
  facts?: Record<string, J>
  /** body.evidence is an evidence bundle checked by the service (POST /v1/score). */
  evidence?: true
}

interface Sent { endpoint: string; kind: string; what: string; res: LightMyRequestResponse; exp: Expect; ms: number }

t.comment(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`)

t.test(`malformed requests to every write route (seed ${SEED})`, async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store, maxUploadBytes: 64 * 1024 })
  const validators = await routeBodyValidators()
  const evidenceSchema = h.json(await h.req(null, 'GET', '/v1/criteria-sets/moet-4725/evidence-schema'))
  const validFactsObject = ajv.compile(evidenceSchema.properties.facts) as Validator
  const factProps = evidenceSchema.properties.facts.properties as Record<string, { type: string | string[] }>
  const factKeys = Object.keys(factProps)
  const factsOfType = (ty: string) => factKeys.filter((k) => [factProps[k]?.type].flat().includes(ty))
  /** The service's reading of a facts object (src/scoring/evidence.ts): every key must be a fact of
   *  the set; null and "" mean "not given"; strings are compared in NFC. */
  const factsAcceptable = (facts: J): boolean => {
    if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) return false
    const own: Record<string, J> = {}
    for (const [k, v] of Object.entries(facts)) {
      if (!Object.hasOwn(factProps, k)) return false
      if (v === null || v === '') continue
      own[k] = typeof v === 'string' ? v.normalize('NFC')
        : v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([a, x]) => [a, typeof x === 'string' ? x.normalize('NFC') : x])) : v
    }
    return validFactsObject(own)
  }

  // Fixture: S1's draft (evidence, documents), S2's submitted assessment (reviewer actions), a draft authored set.
  const s1 = await startAssessment(h)
  const s2 = await startAssessment(h, h.keys.schoolS2, 'S2')
  const strong = exampleFacts('strong-thcs')
  let r = await h.req(h.keys.schoolS2, 'PATCH', `/v1/assessments/${s2.id}/evidence`, { facts: strong }, { 'if-match': `"${s2.version}"` })
  t.equal(r.statusCode, 200, 'S2 saves complete evidence')
  r = await h.req(h.keys.schoolS2, 'POST', `/v1/assessments/${s2.id}/submit`, {}, { 'if-match': `"${h.json(r).version}"` })
  t.equal(r.statusCode, 200, 'S2 submits')
  const s2v = h.json(r).version as number
  const s2facts = h.json(r).facts as Record<string, J>

  const AUTHORED = {
    unitCode: 'LB', id: 'lb-thu', version: '2024-2025', title: 'Bộ thử', appliesTo: ['THCS'],
    document: { issuer: 'Phòng GDĐT (thử)', number: '01/THU', date: '2024-08-05' },
    csv: 'code,parent,title,kind,max_points,rule,source\nI,,Nhóm,group,,,\n1.1,I,Có sổ điểm điện tử,scored,10,yes(e_gradebook),thử\n',
  }
  const A1 = `/v1/assessments/${s1.id}`
  const A2 = `/v1/assessments/${s2.id}`
  const P = `/v1/periods/${h.periodId}`
  const { admin, reviewerLB, schoolS1, schoolS2 } = h.keys
  const boolFact = factsOfType('boolean')[0] as string
  const endpoints: Endpoint[] = [
    { name: 'POST /v1/score', method: 'POST', url: '/v1/score', route: 'POST /v1/score', key: admin, body: { criteriaSet: 'moet-4725', evidence: { facts: { [boolFact]: true } }, hints: false }, evidence: true },
    { name: 'POST /v1/keys', method: 'POST', url: '/v1/keys', route: 'POST /v1/keys', key: admin, body: { role: 'school', label: 'khóa mới', schoolCode: 'S1' } },
    { name: 'DELETE /v1/keys/:id', method: 'DELETE', url: '/v1/keys/', route: 'DELETE /v1/keys/:id', key: admin },
    { name: 'POST /v1/units', method: 'POST', url: '/v1/units', route: 'POST /v1/units', key: admin, body: { code: 'LB-W9', name: 'Phường mới', type: 'ward', parentCode: 'LB', fromYear: '2024-2025', toYear: null } },
    { name: 'PATCH /v1/units/:code', method: 'PATCH', url: '/v1/units/LB', route: 'PATCH /v1/units/:code', key: admin, body: { name: 'Quận Long Biên (mới)', toYear: '2024-2025' } },
    { name: 'POST /v1/schools', method: 'POST', url: '/v1/schools', route: 'POST /v1/schools', key: admin, body: { moetCode: 'S50', name: 'Trường TH Mới', levels: ['TH', 'THCS'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2024-2025' } },
    { name: 'PATCH /v1/schools/:code', method: 'PATCH', url: '/v1/schools/S1', route: 'PATCH /v1/schools/:code', key: admin, body: { name: 'Trường THCS Ngọc Thụy (mới)', levels: ['THCS'], ownership: 'private' } },
    { name: 'POST /v1/schools/:code/memberships', method: 'POST', url: '/v1/schools/S1/memberships', route: 'POST /v1/schools/:code/memberships', key: admin, body: { unitCode: 'PX', fromYear: '2025-2026' } },
    { name: 'POST /v1/periods', method: 'POST', url: '/v1/periods', route: 'POST /v1/periods', key: admin, body: { unitCode: 'HN', schoolYear: '2025-2026', title: 'Đợt 2025-2026', criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z', reviewDeadline: '2026-06-20T16:59:59Z' } },
    { name: 'PATCH /v1/periods/:id', method: 'PATCH', url: P, route: 'PATCH /v1/periods/:id', key: admin, body: { title: 'Đợt mới', submissionDeadline: '2025-06-30T16:59:59Z' } },
    { name: 'POST /v1/periods/:id/extensions', method: 'POST', url: `${P}/extensions`, route: 'POST /v1/periods/:id/extensions', key: admin, body: { schoolCode: 'S1', until: '2025-06-15T16:59:59Z', reason: 'lũ lụt' } },
    { name: 'POST /v1/periods/:id/publish', method: 'POST', url: `${P}/publish`, route: 'POST /v1/periods/:id/publish', key: admin },
    { name: 'POST /v1/assessments', method: 'POST', url: '/v1/assessments', route: 'POST /v1/assessments', key: h.keys.schoolS3, body: { schoolCode: 'S3', periodId: h.periodId, criteriaSet: 'moet-4725' } },
    { name: 'PATCH /v1/assessments/:id/evidence', method: 'PATCH', url: `${A1}/evidence`, route: 'PATCH /v1/assessments/:id/evidence', key: schoolS1, ifMatch: `"${s1.version}"`, body: { facts: { [boolFact]: true }, description: 'Mô tả' }, facts: {} },
    { name: 'POST /v1/assessments/:id/submit', method: 'POST', url: `${A1}/submit`, route: 'POST /v1/assessments/:id/submit', key: schoolS1, ifMatch: `"${s1.version}"`, body: { reason: 'nộp' } },
    { name: 'POST /v1/assessments/:id/return', method: 'POST', url: `${A2}/return`, route: 'POST /v1/assessments/:id/return', key: reviewerLB, ifMatch: `"${s2v}"`, body: { reason: 'thiếu minh chứng' } },
    { name: 'POST /v1/assessments/:id/approve', method: 'POST', url: `${A2}/approve`, route: 'POST /v1/assessments/:id/approve', key: reviewerLB, ifMatch: `"${s2v}"`, body: { reason: 'đạt' } },
    { name: 'POST /v1/assessments/:id/revoke', method: 'POST', url: `${A2}/revoke`, route: 'POST /v1/assessments/:id/revoke', key: reviewerLB, ifMatch: `"${s2v}"`, body: { reason: 'sai số liệu' } },
    { name: 'POST /v1/assessments/:id/publish', method: 'POST', url: `${A2}/publish`, route: 'POST /v1/assessments/:id/publish', key: reviewerLB, ifMatch: `"${s2v}"`, body: { reason: 'công bố' } },
    { name: 'PUT /v1/assessments/:id/external', method: 'PUT', url: `${A2}/external`, route: 'PUT /v1/assessments/:id/external', key: reviewerLB, ifMatch: `"${s2v}"`, body: { facts: { [boolFact]: false }, startFrom: 'self' }, facts: s2facts },
    { name: 'POST /v1/assessments/:id/documents/link', method: 'POST', url: `${A1}/documents/link`, route: 'POST /v1/assessments/:id/documents/link', key: schoolS1, body: { title: 'Kế hoạch CĐS', url: 'https://example.edu.vn/ke-hoach.pdf' } },
    { name: 'POST /v1/authored-sets/import', method: 'POST', url: '/v1/authored-sets/import', route: 'POST /v1/authored-sets/import', key: reviewerLB, body: { ...AUTHORED, document: { ...AUTHORED.document, kind: 'Quyết định', note: 'ghi chú' }, schoolYear: '2024-2025', description: 'mô tả' } },
    { name: 'POST /v1/authored-sets/:id/:version/publish', method: 'POST', url: '/v1/authored-sets/lb-thu/2024-2025/publish', route: 'POST /v1/authored-sets/:id/:version/publish', key: reviewerLB },
  ]
  for (const e of endpoints) if (e.body) t.ok(validators.get(e.route)?.(structuredClone(e.body)), `the example body of ${e.name} is valid (so each mutation is what makes it invalid)`)
  t.ok(schoolS2, 'keys ready')

  // The barrage must not write: hash everything first.
  const before = dbHash(store.connection)
  const uploadedFiles = () => readdirSync(h.uploadsDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name)
  const uploadsBefore = uploadedFiles()

  const sent: Sent[] = []
  const skipped: Record<string, number> = {}
  const send = async (endpoint: string, kind: string, what: string, exp: Expect, key: string | null, method: string, url: string, payload?: string | Buffer, headers: Record<string, string> = {}) => {
    const t0 = performance.now()
    const res = await h.app.inject({
      method: method as 'POST', url,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload }),
    })
    sent.push({ endpoint, kind, what, res, exp, ms: performance.now() - t0 })
  }

  /** What the server will make of this JSON text: a prediction, or null when it would be valid (not sent). */
  const classify = (e: Endpoint, text: string): Expect | null => {
    if (Buffer.byteLength(text) > BODY_LIMIT) return { kind: 'too-large' }
    let parsed: J
    try { parsed = JSON.parse(text) } catch { return { kind: 'parser' } }
    if (poisoned(parsed)) return { kind: 'parser' }
    const v = validators.get(e.route)
    if (v && !v(parsed)) {
      const err = v.errors?.[0] as { keyword: string; instancePath: string; params: Record<string, unknown> }
      let path = err.instancePath
      if (err.keyword === 'required') path += `/${String(err.params.missingProperty)}`
      if (err.keyword === 'additionalProperties') path += `/${String(err.params.additionalProperty)}`
      // A name, title or reason with a control character is CONTROL_CHARACTERS (src/http/plugins/errors.ts).
      const named = err.keyword === 'pattern' && isPlainTextPattern(err.params.pattern) ? 'CONTROL_CHARACTERS' : undefined
      return { kind: 'validation', code: named ?? KEYWORD_CODES[err.keyword] ?? 'INVALID_REQUEST', path }
    }
    if (!v && parsed === undefined) return null
    const body = parsed as Record<string, J>
    if (e.facts) {
      const base = (body.startFrom === 'empty' ? {} : { ...e.facts }) as Record<string, J>
      for (const [k, x] of Object.entries(body.facts as Record<string, J> ?? {})) { if (x === null) delete base[k]; else base[k] = x }
      return factsAcceptable(base) ? null : { kind: 'any4xx' }
    }
    if (e.evidence) {
      const ev = body.evidence
      return ev && typeof ev === 'object' && !Array.isArray(ev) && factsAcceptable((ev as Record<string, J>).facts) ? null : { kind: 'any4xx' }
    }
    return null
  }
  const JSON_CT = { 'content-type': 'application/json' }
  const hdrs = (e: Endpoint, extra: Record<string, string> = JSON_CT) => ({ ...(e.ifMatch ? { 'if-match': e.ifMatch } : {}), ...extra })
  const url = (e: Endpoint) => (e.method === 'DELETE' ? `${e.url}${pick(['nope', 'x'.repeat(64), '0', '-1'])}` : e.url)
  const tryJson = async (e: Endpoint, kind: string, text: string, what: string, extra?: Record<string, string>) => {
    const exp = classify(e, text)
    if (!exp) { skipped[`${e.name} ${kind}`] = (skipped[`${e.name} ${kind}`] ?? 0) + 1; return }
    await send(e.name, kind, what, exp, e.key, e.method, url(e), text, hdrs(e, extra))
  }

  const t0 = performance.now()
  const N = Number(process.env.FUZZ_N ?? 1)
  for (const e of endpoints) {
    const body = e.body
    if (!body) {
      // Routes without a body: malformed JSON, wrong content types, bad ids.
      for (let i = 0; i < 40 * N; i++) await send(e.name, 'malformed-json', 'malformed', { kind: 'parser' }, e.key, e.method, url(e), pick(MALFORMED_JSON), JSON_CT)
      for (let i = 0; i < 10 * N; i++) await send(e.name, 'oversized', '>2MB', { kind: 'too-large' }, e.key, e.method, url(e), `{"a":"${'x'.repeat(2 * 1024 * 1024 + int(1, 1000))}"}`, JSON_CT)
      for (let i = 0; i < 20 * N; i++) await send(e.name, 'deep-nesting', 'depth 100k', { kind: 'parser' }, e.key, e.method, url(e), deep(100_000, '[', ''), JSON_CT)
      continue
    }
    const leafPaths = nodePaths(body)
    const objPaths = objectPaths(body)
    const strPaths = leafPaths.filter((p) => typeof getAt(body, p) === 'string')

    // wrong types anywhere (the root included)
    for (let i = 0; i < 100 * N; i++) { const p = pick(leafPaths); const v = pick(ODD_VALUES); await tryJson(e, 'wrong-type', JSON.stringify(setAt(body, p, v)), `${p.join('/')} = ${JSON.stringify(v)}`) }
    // raw numbers, huge and non-finite, some not JSON at all
    for (let i = 0; i < 40 * N; i++) { const p = pick(leafPaths); const raw = pick(RAW_NUMBERS); await tryJson(e, 'non-finite', withRaw(body, p, raw), `${p.join('/')} = ${raw}`) }
    // very long strings
    for (let i = 0; i < 12 * N; i++) { const p = pick(strPaths); const n = pick([301, 2001, 5001, 65_536, 500_000, 1_900_000]); await tryJson(e, 'long-string', JSON.stringify(setAt(body, p, pick(['x', 'ạ', '😀', ' ']).repeat(n))), `${p.join('/')} × ${n}`) }
    // deep nesting as raw text
    for (let i = 0; i < 15 * N; i++) {
      const p = pick(leafPaths)
      const n = pick([100, 1000, 10_000, 10_000, 100_000])
      const raw = pick([deep(n), deepObj(n), deep(n, '[', ']', '"x"')])
      await tryJson(e, 'deep-nesting', withRaw(body, p, raw), `${p.join('/')} nested ${n}`)
    }
    // __proto__ / constructor / prototype as real own keys
    for (let i = 0; i < 30 * N; i++) {
      const p = pick(objPaths)
      const member = pick(['"__proto__":{"isAdmin":true}', '"__proto__":null', '"__proto__":[]', '"constructor":{"prototype":{"x":1}}', '"constructor":{"name":"x"}', '"constructor":1', '"prototype":{"x":1}', '"prototype":null', '"__proto__":{"__proto__":{}}', '"hasOwnProperty":1', '"toString":"x"'])
      await tryJson(e, 'proto-keys', withRawMember(body, p, member), `${p.join('/')} + ${member}`)
    }
    // unknown fields anywhere an object is
    for (let i = 0; i < 30 * N; i++) { const p = pick(objPaths); const k = pick(UNKNOWN_KEYS); await tryJson(e, 'unknown-field', JSON.stringify(setAt(body, [...p, k], pick(ODD_VALUES))), `${p.join('/')} + ${JSON.stringify(k).slice(0, 20)}`) }
    // missing fields (one or several)
    for (let i = 0; i < 20 * N; i++) {
      let b: J = body
      const n = int(1, 3)
      for (let j = 0; j < n; j++) { const ps = nodePaths(b).filter((p) => p.length > 0); if (ps.length) b = deleteAt(b, pick(ps)) }
      await tryJson(e, 'missing-required', JSON.stringify(b), `${n} removed`)
    }
    // NFD / mixed-normalisation Vietnamese in values and in keys
    for (let i = 0; i < 25 * N; i++) {
      const s = viVariants()
      const b = rnd() < 0.6 ? setAt(body, pick(strPaths), s) : setAt(body, [...pick(objPaths), s], 'x')
      await tryJson(e, 'unicode-nfd', JSON.stringify(b), JSON.stringify(s))
    }
    // invalid UTF-8 bytes (outside strings, inside keys, inside values)
    for (let i = 0; i < 25 * N; i++) {
      const bad = pick(BAD_UTF8)
      const where = int(0, 2)
      const M = 'ZZBADUTF8ZZ'
      const text = where === 0 ? withRaw(body, pick(leafPaths), M) : where === 1 ? JSON.stringify(setAt(body, [...pick(objPaths), M], 1)) : JSON.stringify(setAt(body, pick(strPaths), `a${M}b`))
      const [a, b] = text.split(M) as [string, string]
      const buf = Buffer.concat([Buffer.from(a), bad, Buffer.from(b)])
      const exp = classify(e, buf.toString('utf8'))
      if (!exp) { skipped[`${e.name} invalid-utf8`] = (skipped[`${e.name} invalid-utf8`] ?? 0) + 1; continue }
      await send(e.name, 'invalid-utf8', `${['outside', 'key', 'value'][where]} ${bad.toString('hex')}`, exp, e.key, e.method, url(e), buf, hdrs(e))
    }
    // malformed JSON text (also with the body's own text cut short)
    for (let i = 0; i < 30 * N; i++) {
      const full = JSON.stringify(body)
      const text = rnd() < 0.5 ? pick(MALFORMED_JSON) : full.slice(0, int(1, full.length - 1))
      await send(e.name, 'malformed-json', text.slice(0, 30), text === '' ? { kind: 'parser' } : (classify(e, text) ?? { kind: 'parser' }), e.key, e.method, url(e), text, hdrs(e))
    }
    await send(e.name, 'malformed-json', 'empty', { kind: 'parser' }, e.key, e.method, url(e), '', hdrs(e))
    // wrong content types for a JSON route (the body is an otherwise valid document)
    for (let i = 0; i < 25 * N; i++) {
      const ctype = pick(['text/plain', 'text/plain; charset=utf-8', 'application/xml', 'text/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zzz', 'multipart/form-data', 'image/png', 'application/octet-stream', 'application/json-patch+json', 'application/jsonx', 'json', '*/*', 'text/csv', 'application/json; charset=utf-16', 'application/vnd.api+json', ''])
      // The document carries an unknown field too, so that a content type the server still reads as
      // JSON (e.g. "application/json; charset=utf-16") is refused by the validator.
      const text = JSON.stringify({ ...body, zz_unknown: 1 })
      // text/plain reaches the validator as a string; the rest are refused as unsupported or invalid.
      const exp: Expect = ctype.startsWith('text/plain') ? { kind: 'validation', code: 'INVALID_TYPE', path: '' } : { kind: 'media' }
      await send(e.name, 'content-type', ctype || '(none)', exp, e.key, e.method, url(e), text, hdrs(e, ctype ? { 'content-type': ctype } : {}))
    }
    // over BODY_LIMIT
    for (let i = 0; i < 4 * N; i++) {
      const p = pick(strPaths)
      await send(e.name, 'oversized', `${p.join('/')} > 2 MB`, { kind: 'too-large' }, e.key, e.method, url(e), JSON.stringify(setAt(body, p, 'x'.repeat(2 * 1024 * 1024 + int(0, 4096)))), hdrs(e))
    }
    // bad If-Match (with an otherwise valid body): never the current version
    if (e.ifMatch) {
      const current = Number(/\d+/.exec(e.ifMatch)?.[0])
      for (let i = 0; i < 40 * N; i++) {
        const other = pick([0, current + 1, current + 7, 999_999_999, 1_000_000_000, 2 ** 53])
        const v = pick(['*', '', ' ', '"abc"', '"-1"', '-1', `"${current}", "${other}"`, `W/"${current}`, `"${current}`, `${current}"`, `'${current}'`, `W/'${current}'`, `"0${current}"`, `"${current}.0"`, `"${current}e0"`, `"\u0663"`, `"${'9'.repeat(100)}"`, `"${other}"`, `W/"${other}"`, `${other}`, 'null', 'undefined', '"NaN"', '"Infinity"', '""', 'W/', '"\u00A0"'])
        await send(e.name, 'bad-if-match', JSON.stringify(v), { kind: 'if-match' }, e.key, e.method, e.url, JSON.stringify(body), { ...JSON_CT, 'if-match': v })
      }
      await send(e.name, 'bad-if-match', '(missing)', { kind: 'if-match' }, e.key, e.method, e.url, JSON.stringify(body), JSON_CT)
    }
    // hostile facts: wrong types, unknown keys, deep values, proto keys, NFD keys, huge numbers
    if (e.facts || e.evidence) {
      const at: Path = e.evidence ? ['evidence', 'facts'] : ['facts']
      for (let i = 0; i < 80 * N; i++) {
        const k = rnd() < 0.7 ? pick(factKeys) : pick(['unknown_fact', 'constructor', 'prototype', 'toString', 'ref', 'a.b', boolFact.normalize('NFD') + '\u0301', boolFact.toUpperCase(), `${boolFact} `, ''])
        const choice = int(0, 3)
        let text: string
        if (choice === 0) text = JSON.stringify(setAt(body, [...at, k], pick(ODD_VALUES)))
        else if (choice === 1) text = withRaw(setAt(body, [...at, k], 0), [...at, k], pick([...RAW_NUMBERS, deep(10_000), deepObj(10_000), deep(1000, '{"title":', '}', '"x"')]))
        else if (choice === 2) text = withRawMember(body, at, pick(['"__proto__":{"x":1}', '"constructor":{"prototype":{}}', '"constructor":true', '"prototype":1', `"${k}":"${'x'.repeat(int(1, 100_000))}"`]))
        else text = JSON.stringify(setAt(body, [...at, k], { title: viVariants(), url: pick(['javascript:alert(1)', 'ftp://x', 'https://', 'https://a b', `https://${'a'.repeat(3000)}`]), ref: pick(['', 'x'.repeat(300), '../../etc/passwd']) }))
        await tryJson(e, 'hostile-facts', text, `${k.slice(0, 30)} choice ${choice}`)
      }
    }
    // the criteria table field: malformed CSV, always with a certain fault
    if (e.name === 'POST /v1/authored-sets/import') {
      for (let i = 0; i < 200 * N; i++) {
        const csv = badCriteriaCsv(AUTHORED.csv)
        await tryJsonExpecting(e, csv)
      }
    }
  }

  async function tryJsonExpecting(e: Endpoint, csv: string) {
    const text = JSON.stringify({ ...e.body, csv })
    const exp = classify(e, text) ?? { kind: 'any4xx' as const }
    await send(e.name, 'criteria-csv', csv.slice(0, 40), exp, e.key, e.method, e.url, text, JSON_CT)
  }

  // POST /v1/schools/import: text/csv, always with a certain fault (all rows or none).
  const CSV_HEAD = 'moetCode,name,levels,ownership,unitCode,fromYear'
  const CSV_ROW = () => `S${int(100, 999)},Trường TH ${int(1, 99)},${pick(['TH', 'THCS', 'TH|THCS'])},${pick(['public', 'private', 'công lập', 'tư thục'])},LB-W1,2024-2025`
  for (let i = 0; i < 600 * N; i++) {
    const rows = Array.from({ length: int(0, 5) }, CSV_ROW)
    const fault = int(0, 12)
    let head = CSV_HEAD
    const faultRows = [...rows]
    switch (fault) {
      case 0: faultRows.push(`S${int(100, 999)},"Trường mở ngoặc,TH,public,LB-W1,2024-2025`); break
      case 1: head = pick(['moetCode,name,levels,ownership,unitCode', 'code,name,levels,ownership,unit,fromYear', '', 'moetCode;name;levels', '"moetCode,name', 'moetcode,name,levels,ownership,unitcode,fromyear']); break
      // Extra cells and extra columns are ignored by design (relax_column_count), so not a fault alone.
      case 2: faultRows.push(`S${int(100, 999)},Trường,TH,public,NOPE,2024-2025,extra,cells`); break
      case 3: faultRows.push(`S${int(100, 999)},Trường,TH,public,NOPE-${int(1, 9)},2024-2025`); break
      case 4: faultRows.push(`S${int(100, 999)},Trường,TH,public,LB-W1,${pick(['2024', '2024-2026', 'abc', '', '2024–2025'])}`); break
      case 5: faultRows.push(`S${int(100, 999)},Trường,${pick(['XX', '', 'TH|XX', '?', 'TH THPT2'])},public,LB-W1,2024-2025`); break
      case 6: faultRows.push(`S${int(100, 999)},Trường,TH,${pick(['state', '', 'PUBLIC?'])},LB-W1,2024-2025`); break
      case 7: faultRows.push(`${pick(['S1', 'S2', 'S9'])},Trùng mã,TH,public,LB-W1,2024-2025`); break
      case 8: faultRows.push(`${pick(['', 'S 1', 'S/1', 'x'.repeat(65), 'Ś1'.normalize('NFD')])},Trường,TH,public,LB-W1,2024-2025`); break
      case 9: faultRows.push(`S${int(100, 999)},${pick(['', 'x', 'a'.repeat(301)])},TH,public,LB-W1,2024-2025`); break
      case 10: faultRows.push('"'); break
      case 11: faultRows.push(`S${int(100, 999)},"Trường ""đóng"" sai"x,TH,public,LB-W1,2024-2025`); break
      case 12: { const dup = `S${int(100, 999)},Trường,TH,public,LB-W1,2024-2025`; faultRows.push(dup, dup); break }
    }
    let text = [head, ...faultRows].join(pick(['\n', '\r\n', '\r']))
    // random extra damage on top of the fault: NUL, BOM, binary, NFD, semicolons
    if (rnd() < 0.4) text = pick([`\uFEFF${text}`, `${text}\u0000`, text.normalize('NFD'), text.replace(/,/g, ';'), `${text}\n\n\n`, `${text},`])
    let payload: string | Buffer = text
    if (rnd() < 0.2) payload = Buffer.concat([Buffer.from(text), pick(BAD_UTF8), Buffer.from(Array.from({ length: int(0, 64) }, () => int(0, 255)))])
    await send('POST /v1/schools/import', 'schools-csv', `fault ${fault}`, { kind: 'any4xx' }, admin, 'POST', `/v1/schools/import${rnd() < 0.1 ? '?dryRun=false' : ''}`, payload, { 'content-type': pick(['text/csv', 'text/csv; charset=utf-8']) })
  }
  for (let i = 0; i < 40 * N; i++) {
    const v = pick([
      { q: '?dryRun=maybe', body: `${CSV_HEAD}\n${CSV_ROW()}`, ct: 'text/csv', exp: { kind: 'validation', code: 'INVALID_TYPE', path: '/dryRun' } as Expect },
      { q: '?unknown=1', body: `${CSV_HEAD}\n${CSV_ROW()}`, ct: 'text/csv', exp: { kind: 'validation', code: 'UNKNOWN_FIELD', path: '/unknown' } as Expect },
      { q: '', body: Buffer.from(Array.from({ length: 512 }, () => int(0, 255))), ct: 'text/csv', exp: { kind: 'any4xx' } as Expect },
      { q: '', body: '', ct: 'text/csv', exp: { kind: 'any4xx' } as Expect },
      { q: '', body: `${CSV_HEAD}\n`, ct: 'text/csv', exp: { kind: 'any4xx' } as Expect },
      { q: '', body: `x`.repeat(2 * 1024 * 1024 + 10), ct: 'text/csv', exp: { kind: 'too-large' } as Expect },
      { q: '', body: `${CSV_HEAD}\n${CSV_ROW()}`, ct: pick(['application/xml', 'application/vnd.ms-excel', 'image/png', 'multipart/form-data; boundary=x']), exp: { kind: 'media' } as Expect },
      { q: '', body: `${CSV_HEAD}\n${CSV_ROW()}`, ct: 'application/json', exp: { kind: 'parser' } as Expect },
      { q: '', body: JSON.stringify({ csv: `${CSV_HEAD}\n${CSV_ROW()}` }), ct: 'application/json', exp: { kind: 'validation', code: 'INVALID_TYPE', path: '' } as Expect },
      { q: '', body: JSON.stringify(`${CSV_HEAD}\n"open`), ct: 'application/json', exp: { kind: 'any4xx' } as Expect },
    ])
    await send('POST /v1/schools/import', 'schools-csv-envelope', `${v.ct} ${v.q}`, v.exp, admin, 'POST', `/v1/schools/import${v.q}`, v.body, { 'content-type': v.ct })
  }

  // POST …/documents/file: multipart, always with a certain fault.
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
  for (let i = 0; i < 400 * N; i++) {
    const boundary = `----fuzz${int(0, 1e9)}`
    const part = (headers: string, content: Buffer | string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')])
    const end = Buffer.from(`--${boundary}--\r\n`)
    const title = part('Content-Disposition: form-data; name="title"', pick(['Biên bản', viVariants(), '', 'x'.repeat(1000)]))
    const fname = pick(['a.pdf', '../../etc/passwd', 'con.pdf', '', 'tệp.pdf'.normalize('NFD'), 'a\u0000.pdf', `${'x'.repeat(400)}.pdf`])
    const file = (type: string, content: Buffer) => part(`Content-Disposition: form-data; name="file"; filename="${fname}"\r\nContent-Type: ${type}`, content)
    const fault = int(0, 13)
    let body: Buffer
    let ctype = `multipart/form-data; boundary=${boundary}`
    let exp: Expect = { kind: 'any4xx' }
    switch (fault) {
      case 0: body = Buffer.concat([title, end]); break // no file part
      case 1: body = Buffer.concat([title, file('application/pdf', PNG), end]); break // content mismatch
      case 2: body = Buffer.concat([title, file('image/png', PDF), end]); break
      case 3: body = Buffer.concat([title, file(pick(['text/html', 'application/x-msdownload', 'text/plain', 'application/javascript', 'image/svg+xml', '']), PDF), end]); break
      case 4: body = Buffer.concat([title, file('application/pdf', Buffer.alloc(0)), end]); break // empty
      case 5: body = Buffer.concat([title, file('application/pdf', Buffer.concat([PDF, Buffer.alloc(70 * 1024, 0x20)])), end]); break // > maxUploadBytes
      case 6: body = Buffer.concat([title, file('application/pdf', Buffer.from(Array.from({ length: 256 }, () => int(0, 255))))]); break // truncated: no closing boundary, garbage content
      case 7: body = Buffer.concat([title, file('application/pdf', PNG), end]); ctype = `multipart/form-data; boundary=other${boundary}`; break // boundary mismatch
      case 8: body = Buffer.concat([title, file('application/pdf', PNG), end]); ctype = 'multipart/form-data'; break // no boundary
      case 9: body = Buffer.concat([...Array.from({ length: 8 }, () => title), file('application/pdf', PNG), end]); break // too many fields
      case 10: body = Buffer.concat([title, file('application/pdf', PNG), file('application/pdf', PNG), end]); break // two files, both bad
      case 11: body = Buffer.concat([title, file('application/pdf', PNG), end]); ctype = pick(['multipart/form-data; boundary=', 'multipart/form-data; boundary=""', `multipart/form-data; boundary=${'b'.repeat(300)}`, 'multipart/mixed; boundary=zz', 'multipart/form-data; boundary=a; boundary=b']); break // empty, over-long or duplicate boundary
      case 12: body = Buffer.concat([title, Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n`), PNG]); break // part headers never end
      default: body = Buffer.from(JSON.stringify({ title: 'x', file: PDF.toString('base64') })); ctype = pick(['application/json', 'text/plain']); exp = { kind: 'media' }; break // not multipart
    }
    await send('POST /v1/assessments/:id/documents/file', 'multipart', `fault ${fault}`, exp, schoolS1, 'POST', `${A1}/documents/file`, body, { 'content-type': ctype })
  }

  // GET routes: bad query strings. Each value is outside what the route accepts, so a 4xx.
  const BADQ: [string, string][] = [
    ['limit', '-1'], ['limit', '0'], ['limit', '501'], ['limit', 'abc'], ['limit', '1.5'], ['limit', '1e999'], ['limit', ''], ['limit', 'NaN'],
    ['offset', '-5'], ['offset', 'x'], ['offset', '1e400'], ['offset', '0.5'],
    ['year', '2024'], ['year', '2024-2026'], ['year', '２０２４-２０２５'], ['year', '%ZZ'],
    ['__proto__', '1'], ['constructor', 'x'], ['unknown', '1'], ['limit[]', '1'],
  ]
  const reportPeriod = () => pick([`period=${encodeURIComponent(pick(['nope', 'x'.repeat(65), '%ZZ', '\u0000', '"', 'ạ'.normalize('NFD'), h.periodId.toUpperCase()]))}`, 'period=', '', `period=${h.periodId}&period=${h.periodId}`])
  const getCases: (() => { url: string; key: string })[] = [
    () => ({ url: `/v1/units/LB/summary?${reportPeriod()}`, key: reviewerLB }),
    () => ({ url: `/v1/units/LB/summary?period=${h.periodId}&${pick(['includeSubmitted=maybe', 'set=', `set=${'x'.repeat(201)}`, 'set=nope', 'format=csv', 'x=1'])}`, key: reviewerLB }),
    () => ({ url: `/v1/units/LB/report?${reportPeriod()}&format=csv`, key: reviewerLB }),
    () => ({ url: `/v1/units/LB/report?period=${h.periodId}&${pick(['format=pdf', 'format=', 'format=CSV', 'group=', 'group=nope', 'format=csv&group=nope', 'format=xlsx&group=1', `group=${'x'.repeat(17)}`])}`, key: reviewerLB }),
    () => ({ url: `/v1/units/${pick(['NOPE', 'a%2Fb', '%00', 'ạ', 'x'.repeat(65)])}/summary?period=${h.periodId}`, key: reviewerLB }),
    () => { const [k, v] = pick(BADQ); return { url: `/v1/${pick(['units', 'schools', 'periods', 'assessments'])}?${k}=${v}`, key: admin } },
    () => ({ url: `/v1/assessments?${pick(['state=bogus', 'state=', 'school=a%20b', `school=${'x'.repeat(65)}`, `period=${'x'.repeat(65)}`])}`, key: reviewerLB }),
    () => ({ url: `/v1/schools?${pick(['q=', `q=${'x'.repeat(101)}`, 'unit=a b', 'unit=NOPE'])}`, key: reviewerLB }),
    () => ({ url: `/v1/units?${pick(['parent=NOPE', 'within=NOPE', 'parent=a/b', 'within='])}`, key: admin }),
    () => ({ url: `${A1}?hints=${pick(['maybe', '2', 'yes', '', '[]'])}`, key: schoolS1 }),
    () => ({ url: `/v1/assessments/${pick(['nope', 'x'.repeat(65), 'x'.repeat(101), '%00', '..%2F..', '%E0%A4%A', '%ZZ', '%'])}${pick(['', '/audit', '/documents', '/sheet', '/documents/x/content'])}`, key: admin }),
    () => ({ url: `/v1/authored-sets/${pick(['NOPE', 'a_b', 'x'.repeat(65)])}/${pick(['2024-2025', '-x', 'v'.repeat(40)])}`, key: reviewerLB }),
    () => ({ url: `/v1/criteria-sets/${pick(['nope', 'moet-4725@nope', 'x'.repeat(201), '%00', '__proto__', 'constructor'])}${pick(['', '/evidence-schema'])}`, key: admin }),
  ]
  for (let i = 0; i < 1800 * N; i++) {
    const c = pick(getCases)()
    await send(`GET ${c.url.split('?')[0]?.replace(/\/v1\/assessments\/[^/]+/, '/v1/assessments/:id').replace(/\/v1\/units\/[^/]+\//, '/v1/units/:code/').replace(/\/v1\/authored-sets\/.+/, '/v1/authored-sets/:id/:version').replace(/\/v1\/criteria-sets\/[^/]+/, '/v1/criteria-sets/:spec')}`, 'bad-query', c.url.slice(0, 80), { kind: 'any4xx' }, c.key, 'GET', c.url)
  }
  const elapsed = performance.now() - t0

  // ── the verdict ──
  // Fastify's router answers a path parameter over maxParamLength (100) with 414 and a bad percent-
  // encoding with 400 before any hook or error handler runs; the `frameworkErrors` option of Fastify()
  // (src/app.ts) gives them the API's error shape. None may come back in Fastify's own shape.
  const routerCode = (s: Sent) => { try { return String(JSON.parse(s.res.body).code ?? '') } catch { return '' } }
  const byRouter = sent.filter((s) => s.res.statusCode < 500 && ['FST_ERR_MAX_PARAM_LENGTH', 'FST_ERR_BAD_URL'].includes(routerCode(s)))
  const failures = sent.filter((s) => !byRouter.includes(s)).map((s) => ({ s, p: problem(s.res, s.exp) })).filter((x) => x.p !== undefined)
  const fivexx = failures.filter((f) => f.s.res.statusCode >= 500)
  t.ok(sent.length >= 10_000, `at least 10,000 malformed requests (sent ${sent.length} in ${(elapsed / 1000).toFixed(1)} s)`)
  t.same(fivexx.map((f) => `${f.s.endpoint} [${f.s.kind}] ${f.s.what}: ${f.s.res.body.slice(0, 200)}`).slice(0, 20), [], 'no 5xx')
  t.same(failures.map((f) => `${f.s.endpoint} [${f.s.kind}] ${f.s.what}: ${f.p}`).slice(0, 30), [], `every response is a 4xx of the error shape, as predicted (${failures.length} not)`)
  t.same(byRouter.map((s) => `${s.res.statusCode} ${routerCode(s)} ${s.what}`).slice(0, 5), [], `router-level refusals in our error shape (${byRouter.length} are not)`)
  t.same(dbHash(store.connection), before, 'every table (audit_log included) is unchanged')
  // FileStore.put removes its temp file when the upload fails, after the write stream has closed (a
  // multipart body cut short used to fail it before the file was opened, leaving tmp/<uuid> behind).
  const stored = uploadedFiles().filter((f) => !/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(f))
  t.same(stored, uploadsBefore, 'no uploaded file was stored')
  t.same(uploadedFiles(), uploadsBefore, 'no temporary file left behind in the uploads directory')
  t.equal(h.json(await h.req(admin, 'GET', `/v1/assessments/${s1.id}`)).version, s1.version, 'S1\'s assessment is at its version')

  // ── the report ──
  const byEndpoint = new Map<string, number>()
  const byKind = new Map<string, number>()
  const codes = new Map<string, number>()
  for (const s of sent) {
    byEndpoint.set(s.endpoint.startsWith('GET ') ? 'GET (bad query strings)' : s.endpoint, (byEndpoint.get(s.endpoint.startsWith('GET ') ? 'GET (bad query strings)' : s.endpoint) ?? 0) + 1)
    byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1)
    let code = '?'
    try { code = `${s.res.statusCode} ${JSON.parse(s.res.body).error.code}` } catch { /* counted as ? */ }
    codes.set(code, (codes.get(code) ?? 0) + 1)
  }
  const slowest = [...sent].sort((a, b) => b.ms - a.ms)[0]
  const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`).join('\n')
  t.comment(`seed ${SEED}: ${sent.length} requests in ${(elapsed / 1000).toFixed(1)} s; skipped (classified valid, not sent): ${Object.values(skipped).reduce((a, b) => a + b, 0)}`)
  t.comment(`by endpoint:\n${fmt(byEndpoint)}`)
  t.comment(`by mutation kind:\n${fmt(byKind)}`)
  t.comment(`by answer:\n${fmt(codes)}`)
  if (slowest) t.comment(`slowest: ${slowest.endpoint} [${slowest.kind}] ${slowest.what.slice(0, 60)} ${slowest.ms.toFixed(0)} ms`)
})

/** The criteria table with random damage plus one fault that certainly makes it invalid. */
function badCriteriaCsv(valid: string): string {
  const lines = valid.trimEnd().split('\n')
  const fault = int(0, 9)
  switch (fault) {
    case 0: lines.push('1.2,I,"Không đóng ngoặc,scored,10,yes(x),thử'); break
    case 1: lines[0] = pick(['code,parent,title,kind,max_points,rule', 'code,parent,title,kind,max_points,rule,source,bogus', 'mã,mã,title,source', '', 'code;parent,title,source', '"code,parent']); break
    case 2: lines.push('1.3,I,Thừa ô,scored,10,yes(y),thử,thừa,thừa'); break
    case 3: lines.push(`1.4,I,Loại lạ,${pick(['điểm thưởng', 'x', 'SCORED!'])},10,yes(z),thử`); break
    case 4: lines.push(`${pick(['1..2', '', 'a b', '1.1'])},I,Mã sai,scored,10,yes(w),thử`); break
    case 5: lines.push(`1.5,NOPE,Nhóm lạ,scored,10,yes(v),thử`); break
    case 6: lines.push(`1.6,I,Luật sai,scored,10,${pick(['yes(', 'ratio(a)', 'tiers(x; >=: 5)', '"{""log"": [1]}"', '"{""if"": [}"', 'count()', 'sum'])},thử`); break
    case 7: lines.push(`1.7,I,Điểm sai,scored,${pick(['-1', 'abc', '1e999', 'NaN', ''])},yes(u),thử`); break
    case 8: lines.push(`\u0000\u0001\u0002,\uFFFD\uFFFD,${'x'.repeat(int(1, 5000))}`); break
    default: lines.push('"'); break
  }
  let csv = lines.join(pick(['\n', '\r\n']))
  if (rnd() < 0.3) csv = pick([`\uFEFF${csv}`, csv.normalize('NFD'), `${csv}\n${'\uD800'}`, `${csv}\n\n`, csv + String.fromCharCode(...Array.from({ length: 32 }, () => int(0, 0xffff)))])
  return csv
}

// ───────────────────────────── hostile criteria tables ─────────────────────────────

t.test('hostile json-logic in a criteria table: refused or a failing draft, never a 5xx, quickly', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h: Harness = await harness(t, { store })
  const key = h.keys.reviewerLB
  const nest = (d: number): string => { let s = '{"var":["a",0]}'; for (let i = 0; i < d; i++) s = `{"max":[${s},0]}`; return s }
  const wide = (n: number): string => `{"min":[10,{"+":[${Array.from({ length: n }, () => '{"var":["a",0]}').join(',')}]}]}`
  const rules: [string, string][] = [
    ['depth 100', nest(100)], ['depth 1000', nest(1000)], ['depth 5000', nest(5000)],
    ['20,000 nodes', wide(20_000)], ['40,000 nodes', wide(40_000)],
    ['unknown operator log', '{"log":[{"var":["a",0]}]}'], ['unknown operator method', '{"method":[{"var":"a"},"toString"]}'],
    ['unknown operator substr', '{"substr":["abc",1]}'], ['unknown operator merge', '{"merge":[[1],[2]]}'], ['unknown operator reduce', '{"reduce":[[1,2],{"+":[{"var":"current"},{"var":"accumulator"}]},0]}'],
    ['var __proto__', '{"var":"__proto__"}'], ['var constructor', '{"var":"constructor"}'], ['var a.__proto__', '{"if":[{"var":"a.__proto__"},10,0]}'],
    ['var [__proto__, 0]', '{"+":[{"var":["__proto__",0]},0]}'], ['var prototype', '{"var":["prototype",0]}'],
    ['division by zero (Infinity)', '{"/":[10,{"var":["a",0]}]}'], ['0/0 (NaN)', '{"/":[{"var":["a",0]},{"var":["a",0]}]}'],
    ['modulo zero (NaN)', '{"%":[10,{"var":["a",0]}]}'], ['1e999 (Infinity)', '{"*":[1e999,{"var":["a",0]}]}'], ['1e308 × 10', '{"*":[1e308,10,{"var":["a",1]}]}'],
    ['negative points', '{"-":[0,{"var":["a",5]}]}'], ['above the maximum', '{"+":[11,{"var":["a",0]}]}'],
    ['if without else', '{"if":[{"var":"a"},10]}'], ['string points', '{"cat":["1","0"]}'], ['empty object', '{}'], ['array', '[1,2]'], ['not JSON', '{"if":[}'],
    ['two operators', '{"+":[1,2],"-":[3,1]}'], ['null', '{"max":[null,0]}'],
  ]
  const header = 'code,parent,title,kind,max_points,rule,facts,source\n'
  const times: string[] = []
  for (const [i, [what, rule]] of rules.entries()) {
    const csv = `${header}I,,Nhóm,group,,,,\n1.1,I,Luật thù địch,scored,10,"${rule.replace(/"/g, '""')}",a: số nguyên = A,thử\n`
    const id = `hostile-${i}`
    const t0 = performance.now()
    const res = await h.req(key, 'POST', '/v1/authored-sets/import', {
      unitCode: 'LB', id, version: '1', title: `Bộ thù địch ${i}`, appliesTo: ['THCS'], document: { issuer: 'Phòng GDĐT (thử)', number: '01/THU', date: '2024-08-05' }, csv,
    })
    const ms = performance.now() - t0
    times.push(`${what}: ${res.statusCode} ${ms.toFixed(0)} ms`)
    t.ok(ms < 2000, `${what}: answered in ${ms.toFixed(0)} ms (< 2 s)`)
    t.ok(res.statusCode < 500, `${what}: no 5xx (${res.statusCode})`, { body: res.body.slice(0, 300) })
    if (res.statusCode === 400) {
      t.equal(h.json(res).error.code, 'INVALID_CRITERIA_TABLE', `${what}: refused as INVALID_CRITERIA_TABLE`)
    } else if (res.statusCode === 201 || res.statusCode === 200) {
      const d = h.json(res)
      t.ok(d.verification.errors > 0, `${what}: stored as a draft the verifier fails (${d.verification.errors} error(s): ${d.verification.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { code: string }) => f.code).slice(0, 3).join(', ')})`)
      const t1 = performance.now()
      const pub = await h.req(key, 'POST', `/v1/authored-sets/${id}/1/publish`, {})
      t.equal(pub.statusCode, 409, `${what}: publish is refused (409 ${h.json(pub).error?.code})`)
      t.ok(performance.now() - t1 < 2000, `${what}: publish answered within 2 s`)
    } else {
      t.fail(`${what}: unexpected ${res.statusCode} ${res.body.slice(0, 200)}`)
    }
  }
  t.comment(`hostile criteria:\n  ${times.join('\n  ')}`)
  // Nothing was published: the public catalog has no hostile set.
  const sets = h.json(await h.req(null, 'GET', '/v1/criteria-sets')).items as { id: string }[]
  t.same(sets.filter((s) => s.id.startsWith('hostile-')), [], 'no hostile set reached the catalog')
})
