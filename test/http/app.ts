// Test harness for the HTTP API: an app over a fresh in-memory database (each test file its own),
// a movable clock, a small unit tree with schools and keys, and request helpers.
//
//   HN (province) ─ LB (district, 2020-2021 … 2024-2025) ─ LB-W1 (ward, same years)
//                 └ PX (ward, from 2025)
//   school S1 in LB-W1 (2024–), S2 in LB-W1, S3 in PX (2025–), S9 in a separate province QN
//   keys: admin; reviewerHN (HN), reviewerLB (LB), reviewerQN (QN); schoolS1, schoolS2, schoolS3, schoolS9
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { Catalog } from '../../src/criteria/catalog.js'
import type { Store } from '../../src/repositories/types.js'
import { loadCatalog } from '../helpers.js'

export interface Clock { now: Date; set(iso: string): void }

export interface Harness {
  app: FastifyInstance
  clock: Clock
  keys: Record<'admin' | 'reviewerHN' | 'reviewerLB' | 'reviewerQN' | 'schoolS1' | 'schoolS2' | 'schoolS3' | 'schoolS9', string>
  periodId: string
  /** A request as the given key ('none' for no key). */
  req(key: string | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  json<T = any>(res: LightMyRequestResponse): T
  uploadsDir: string
}

interface Tap { teardown(fn: () => unknown): void }

/** Config that turns off the per-client limits (failed authentications, scoring and write rates),
 *  for tests that send many requests from one address or key. */
export const LIMITS_OFF = { authFailureLimit: 0, scoreRateLimit: 0, writeRateLimit: 0 } as const

/** The school year used by the fixture: 2024-2025 (the district LB still exists). */
export const YEAR = '2024-2025'

export async function harness(t: Tap, opts: { seed?: boolean; maxUploadBytes?: number; store?: Store; catalog?: Catalog } = {}): Promise<Harness> {
  const uploadsDir = mkdtempSync(join(tmpdir(), 'cds-uploads-'))
  const clock: Clock = { now: new Date('2025-04-15T03:00:00Z'), set(iso) { this.now = new Date(iso) } }
  const app = await buildApp({
    logger: false,
    catalog: opts.catalog ?? loadCatalog(),
    ...(opts.store ? { store: opts.store } : {}),
    now: () => clock.now,
    // authFailureLimit 0: the failed-auth limiter is off here (auth-matrix sends hundreds of bad keys
    // from one address); test/http/security.test.ts covers it. The rate limits are off too (the grid,
    // the fuzz and the walkthroughs send hundreds of writes with one key); test/http/rate-limit.test.ts covers them.
    config: { dbFile: ':memory:', uploadsDir, ...LIMITS_OFF, ...(opts.maxUploadBytes ? { maxUploadBytes: opts.maxUploadBytes } : {}) },
  })
  t.teardown(async () => { await app.close(); rmSync(uploadsDir, { recursive: true, force: true }) })
  const req: Harness['req'] = (key, method, url, body, headers = {}) => app.inject({
    method: method as 'GET', url,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
  })
  const json = (res: LightMyRequestResponse) => JSON.parse(res.body)
  const h: Harness = { app, clock, keys: {} as Harness['keys'], periodId: '', req, json, uploadsDir }
  if (opts.seed !== false) await seed(h)
  return h
}

async function seed(h: Harness): Promise<void> {
  const s = h.app.services
  const admin = (await s.keys.create(null, { role: 'admin', label: 'test admin' })).key
  h.keys.admin = admin
  const post = async (url: string, body: unknown) => {
    const res = await h.req(admin, 'POST', url, body)
    if (res.statusCode >= 300) throw new Error(`seed ${url}: ${res.statusCode} ${res.body}`)
    return h.json(res)
  }
  await post('/v1/units', { code: 'HN', name: 'Thành phố Hà Nội', type: 'province', fromYear: '2020-2021' })
  await post('/v1/units', { code: 'QN', name: 'Tỉnh Quảng Ninh', type: 'province', fromYear: '2020-2021' })
  await post('/v1/units', { code: 'LB', name: 'Quận Long Biên', type: 'district', parentCode: 'HN', fromYear: '2020-2021', toYear: '2024-2025' })
  await post('/v1/units', { code: 'LB-W1', name: 'Phường Ngọc Thụy', type: 'ward', parentCode: 'LB', fromYear: '2020-2021', toYear: '2024-2025' })
  await post('/v1/units', { code: 'PX', name: 'Phường Bồ Đề', type: 'ward', parentCode: 'HN', fromYear: '2025-2026' })
  await post('/v1/schools', { moetCode: 'S1', name: 'Trường THCS Ngọc Thụy', levels: ['THCS'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2020-2021' })
  await post('/v1/schools', { moetCode: 'S2', name: 'Trường Tiểu học Ngọc Lâm', levels: ['TH'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2020-2021' })
  await post('/v1/schools', { moetCode: 'S3', name: 'Trường THCS Bồ Đề', levels: ['THCS'], ownership: 'public', unitCode: 'PX', fromYear: '2025-2026' })
  await post('/v1/schools', { moetCode: 'S9', name: 'Trường THCS Hạ Long', levels: ['THCS'], ownership: 'public', unitCode: 'QN', fromYear: '2020-2021' })
  const key = async (role: string, label: string, scope: Record<string, string>) => (await post('/v1/keys', { role, label, ...scope })).key as string
  h.keys.reviewerHN = await key('reviewer', 'Sở GDĐT Hà Nội', { unitCode: 'HN' })
  h.keys.reviewerLB = await key('reviewer', 'Phòng GDĐT Long Biên', { unitCode: 'LB' })
  h.keys.reviewerQN = await key('reviewer', 'Sở GDĐT Quảng Ninh', { unitCode: 'QN' })
  h.keys.schoolS1 = await key('school', 'S1 IT lead', { schoolCode: 'S1' })
  h.keys.schoolS2 = await key('school', 'S2 IT lead', { schoolCode: 'S2' })
  h.keys.schoolS3 = await key('school', 'S3 IT lead', { schoolCode: 'S3' })
  h.keys.schoolS9 = await key('school', 'S9 IT lead', { schoolCode: 'S9' })
  const period = await post('/v1/periods', {
    unitCode: 'HN', schoolYear: YEAR, title: 'Đánh giá CĐS năm học 2024-2025', criteriaSets: ['moet-4725'],
    submissionDeadline: '2025-05-31T16:59:59Z', reviewDeadline: '2025-06-20T16:59:59Z',
  })
  h.periodId = period.id
}

/** The facts of a shipped example school (criteria/moet-4725/examples/<name>.json). */
export function exampleFacts(name: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(new URL(`../../criteria/moet-4725/examples/${name}.json`, import.meta.url), 'utf8')) as { facts: Record<string, unknown> }).facts
}

/** Creates S1's assessment (as S1) and returns its id and version. */
export async function startAssessment(h: Harness, key = h.keys.schoolS1, schoolCode = 'S1'): Promise<{ id: string; version: number }> {
  const res = await h.req(key, 'POST', '/v1/assessments', { schoolCode, periodId: h.periodId })
  if (res.statusCode !== 201) throw new Error(`start: ${res.statusCode} ${res.body}`)
  const a = h.json(res)
  return { id: a.id, version: a.version }
}

/** Moves an assessment along with the given key, returning the new version. */
export async function act(h: Harness, key: string, id: string, version: number, action: string, body?: unknown): Promise<LightMyRequestResponse> {
  return h.req(key, 'POST', `/v1/assessments/${id}/${action}`, body ?? {}, { 'if-match': `"${version}"` })
}
