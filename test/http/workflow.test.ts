// The assessment workflow over HTTP: every (action × state) pair, reasons and timestamps, complete
// evidence before submitting, deadlines and extensions, optimistic concurrency (If-Match / ETag),
// evidence saving (merge, no coercion, editable states) and the audit log.
//
// The expectations are written from the rules as stated (docs, QĐ 4725 criteria file), not from
// the program's output: the legal transitions are
//   submit  draft|returned → submitted   (school)
//   return  submitted      → returned    (reviewer, reason)
//   approve submitted      → approved    (reviewer)
//   revoke  approved       → returned    (reviewer, reason)
//   publish approved       → published   (reviewer)
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { exampleFacts, harness, YEAR, type Harness } from './app.js'

type State = 'draft' | 'submitted' | 'returned' | 'approved' | 'published'
type Action = 'submit' | 'return' | 'approve' | 'revoke' | 'publish'

const STATES: State[] = ['draft', 'submitted', 'returned', 'approved', 'published']
const ACTIONS: Action[] = ['submit', 'return', 'approve', 'revoke', 'publish']

/** The workflow table, written out independently of src/services/workflow.ts. */
const RULES: Record<Action, { from: State[]; to: State }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted'], to: 'returned' },
  approve: { from: ['submitted'], to: 'approved' },
  revoke: { from: ['approved'], to: 'returned' },
  publish: { from: ['approved'], to: 'published' },
}

const DEADLINE = '2025-05-31T16:59:59Z'
const STRONG = exampleFacts('strong-thcs')

// ---- small helpers -------------------------------------------------------------------------

const ifMatch = (v: number | string) => ({ 'if-match': `"${v}"` })

/** The error code of a response (short enough to use in messages). */
function errCode(h: Harness, res: LightMyRequestResponse): string {
  try { return String(h.json(res)?.error?.code ?? '') } catch { return '' }
}

/** Asserts a status; on failure the message carries only the error code, never the body. */
function status(t: Test, h: Harness, res: LightMyRequestResponse, want: number, what: string): boolean {
  return t.equal(res.statusCode, want, `${what}: HTTP ${want} (got ${res.statusCode} ${errCode(h, res)})`)
}

/** Asserts an error response: status, code and (optionally) path. Returns the error object. */
function fails(t: Test, h: Harness, res: LightMyRequestResponse, want: number, code: string, what: string, path?: string): any {
  status(t, h, res, want, what)
  const err = res.statusCode >= 400 ? h.json(res).error : {}
  t.equal(err?.code, code, `${what}: error code ${code}`)
  if (path !== undefined) t.equal(err?.path, path, `${what}: error path ${path}`)
  return err ?? {}
}

/** A fresh period of the HN unit for the fixture year (same deadline as the seeded one), so one
 *  harness can hold many assessments of school S1 (one per school × period × set). */
async function openPeriod(h: Harness, title = 'Đợt đánh giá thử'): Promise<string> {
  const res = await h.req(h.keys.admin, 'POST', '/v1/periods', {
    unitCode: 'HN', schoolYear: YEAR, title, criteriaSets: ['moet-4725'], submissionDeadline: DEADLINE,
  })
  if (res.statusCode !== 201) throw new Error(`open period: ${res.statusCode} ${errCode(h, res)}`)
  return h.json(res).id as string
}

async function start(h: Harness, periodId: string, key = h.keys.schoolS1, schoolCode = 'S1'): Promise<{ id: string; version: number }> {
  const res = await h.req(key, 'POST', '/v1/assessments', { schoolCode, periodId })
  if (res.statusCode !== 201) throw new Error(`start: ${res.statusCode} ${errCode(h, res)}`)
  const a = h.json(res)
  return { id: a.id, version: a.version }
}

const patchEvidence = (h: Harness, id: string, body: unknown, headers: Record<string, string>, key = h.keys.schoolS1) =>
  h.req(key, 'PATCH', `/v1/assessments/${id}/evidence`, body, headers)

const post = (h: Harness, key: string, id: string, action: Action, body: unknown, headers: Record<string, string>) =>
  h.req(key, 'POST', `/v1/assessments/${id}/${action}`, body, headers)

/** The assessment as the admin sees it now. */
async function read(h: Harness, id: string): Promise<any> {
  const res = await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`)
  if (res.statusCode !== 200) throw new Error(`read: ${res.statusCode} ${errCode(h, res)}`)
  return { ...h.json(res), etag: res.headers.etag }
}

async function auditOf(h: Harness, id: string): Promise<any[]> {
  const res = await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/audit`)
  if (res.statusCode !== 200) throw new Error(`audit: ${res.statusCode} ${errCode(h, res)}`)
  return h.json(res).items
}

/** The key of the right role for an action: S1's school key submits, the district reviewer decides. */
const keyFor = (h: Harness, action: Action) => (action === 'submit' ? h.keys.schoolS1 : h.keys.reviewerLB)
/** return and revoke need a reason; send one with every action that takes it. */
const bodyFor = (action: Action) => (action === 'return' || action === 'revoke' ? { reason: 'Cần bổ sung minh chứng' } : {})

/** Takes an action that must succeed; returns the new version. */
async function step(h: Harness, id: string, version: number, action: Action): Promise<number> {
  const res = await post(h, keyFor(h, action), id, action, bodyFor(action), ifMatch(version))
  if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${errCode(h, res)}`)
  return h.json(res).version as number
}

const PATHS: Record<State, Action[]> = {
  draft: [],
  submitted: ['submit'],
  returned: ['submit', 'return'],
  approved: ['submit', 'approve'],
  published: ['submit', 'approve', 'publish'],
}

/** An S1 assessment (in a fresh period) with the complete strong-thcs evidence, moved to `state`. */
async function inState(h: Harness, state: State): Promise<{ id: string; version: number }> {
  const periodId = await openPeriod(h)
  const { id, version } = await start(h, periodId)
  const saved = await patchEvidence(h, id, { facts: STRONG }, ifMatch(version))
  if (saved.statusCode !== 200) throw new Error(`save: ${saved.statusCode} ${errCode(h, saved)}`)
  let v = h.json(saved).version as number
  for (const a of PATHS[state]) v = await step(h, id, v, a)
  return { id, version: v }
}

// ---- 1. every (action × state) pair ---------------------------------------------------------

t.test('every action in every state: legal ones move, illegal ones are 409 and change nothing', async (t) => {
  const h = await harness(t)
  for (const state of STATES) {
    for (const action of ACTIONS) {
      const legal = RULES[action].from.includes(state)
      await t.test(`${action} from ${state} → ${legal ? RULES[action].to : '409'}`, async (t) => {
        const { id, version } = await inState(h, state)
        const before = await read(h, id)
        t.equal(before.state, state, `built in state ${state}`)
        const entries = (await auditOf(h, id)).length
        const res = await post(h, keyFor(h, action), id, action, bodyFor(action), ifMatch(version))
        const after = await read(h, id)
        if (legal) {
          status(t, h, res, 200, `${action} from ${state}`)
          const body = h.json(res)
          t.equal(body.state, RULES[action].to, 'the response shows the new state')
          t.equal(body.version, version + 1, 'the version goes up by one')
          t.equal(res.headers.etag, `"${version + 1}"`, 'the ETag is the new version')
          t.equal(after.state, RULES[action].to, 'stored in the new state')
          t.equal(after.version, version + 1)
          t.equal((await auditOf(h, id)).length, entries + 1, 'one audit entry')
        } else {
          const err = fails(t, h, res, 409, 'ILLEGAL_TRANSITION', `${action} from ${state}`)
          t.same(err.details?.allowedFrom, RULES[action].from, 'details.allowedFrom lists the states it is allowed from')
          t.equal(after.state, state, 'state unchanged')
          t.equal(after.version, version, 'version unchanged')
          t.equal(after.updatedAt, before.updatedAt, 'updatedAt unchanged')
          t.same(after.facts, before.facts, 'facts unchanged')
          t.equal((await auditOf(h, id)).length, entries, 'no audit entry')
        }
      })
    }
  }
})

t.test('a key of the wrong role is refused and changes nothing', async (t) => {
  const h = await harness(t)
  const { id, version } = await inState(h, 'submitted')
  for (const action of ['approve', 'return'] as Action[]) {
    const res = await post(h, h.keys.schoolS1, id, action, bodyFor(action), ifMatch(version))
    fails(t, h, res, 403, 'FORBIDDEN', `school key ${action}s`)
  }
  const draft = await inState(h, 'draft')
  fails(t, h, await post(h, h.keys.reviewerLB, draft.id, 'submit', {}, ifMatch(draft.version)), 403, 'FORBIDDEN', 'reviewer key submits')
  // Outside a key's scope the assessment does not exist for it.
  fails(t, h, await post(h, h.keys.reviewerQN, id, 'approve', {}, ifMatch(version)), 404, 'NOT_FOUND', 'another province\'s reviewer approves')
  fails(t, h, await post(h, h.keys.schoolS2, draft.id, 'submit', {}, ifMatch(draft.version)), 404, 'NOT_FOUND', 'another school submits')
  t.equal((await read(h, id)).version, version)
  t.equal((await read(h, id)).state, 'submitted')
  t.equal((await read(h, draft.id)).state, 'draft')
  t.equal((await read(h, draft.id)).version, draft.version)
})

// ---- 2. reasons and timestamps --------------------------------------------------------------

t.test('return and revoke need a reason', async (t) => {
  const h = await harness(t)
  const sub = await inState(h, 'submitted')
  const appr = await inState(h, 'approved')
  for (const [action, a] of [['return', sub], ['revoke', appr]] as const) {
    fails(t, h, await post(h, h.keys.reviewerLB, a.id, action, {}, ifMatch(a.version)), 400, 'REQUIRED', `${action} without a reason`, '/reason')
    fails(t, h, await post(h, h.keys.reviewerLB, a.id, action, { reason: '   \t ' }, ifMatch(a.version)), 400, 'REASON_REQUIRED', `${action} with a blank reason`, '/reason')
    const now = await read(h, a.id)
    t.equal(now.version, a.version, `${action}: nothing changed`)
    t.equal(now.returnReason, null, `${action}: no reason stored`)
  }
})

t.test('reasons are stored and cleared on resubmit; approve/revoke/publish set and clear their timestamps', async (t) => {
  const h = await harness(t)
  const { id, version } = await inState(h, 'draft')
  const S = h.keys.schoolS1
  const R = h.keys.reviewerLB
  let v = version

  h.clock.set('2025-05-02T01:00:00.000Z')
  let res = await post(h, S, id, 'submit', {}, ifMatch(v))
  status(t, h, res, 200, 'submit')
  let a = h.json(res)
  t.equal(a.submittedAt, '2025-05-02T01:00:00.000Z', 'submittedAt is the time of submission')
  t.equal(a.approvedAt, null)
  t.equal(a.publishedAt, null)
  v = a.version

  h.clock.set('2025-05-03T01:00:00.000Z')
  res = await post(h, R, id, 'return', { reason: 'Thiếu quyết định thành lập ban chỉ đạo' }, ifMatch(v))
  status(t, h, res, 200, 'return')
  a = await read(h, id)
  t.equal(a.state, 'returned')
  t.equal(a.returnReason, 'Thiếu quyết định thành lập ban chỉ đạo', 'the return reason is stored')
  v = a.version

  h.clock.set('2025-05-04T01:00:00.000Z')
  res = await post(h, S, id, 'submit', {}, ifMatch(v))
  status(t, h, res, 200, 'resubmit')
  a = await read(h, id)
  t.equal(a.returnReason, null, 'resubmitting clears the reason')
  t.equal(a.submittedAt, '2025-05-04T01:00:00.000Z', 'submittedAt is the latest submission')
  v = a.version

  h.clock.set('2025-05-05T01:00:00.000Z')
  res = await post(h, R, id, 'approve', {}, ifMatch(v))
  status(t, h, res, 200, 'approve')
  a = await read(h, id)
  t.equal(a.approvedAt, '2025-05-05T01:00:00.000Z', 'approve sets approvedAt')
  v = a.version

  h.clock.set('2025-05-06T01:00:00.000Z')
  res = await post(h, R, id, 'revoke', { reason: 'Số liệu giáo viên chưa khớp' }, ifMatch(v))
  status(t, h, res, 200, 'revoke')
  a = await read(h, id)
  t.equal(a.state, 'returned')
  t.equal(a.approvedAt, null, 'revoke clears approvedAt')
  t.equal(a.returnReason, 'Số liệu giáo viên chưa khớp', 'the revoke reason is stored as returnReason')
  t.equal(a.publishedAt, null)
  v = a.version

  h.clock.set('2025-05-07T01:00:00.000Z')
  v = await step(h, id, v, 'submit')
  t.equal((await read(h, id)).returnReason, null, 'cleared again on resubmit')
  h.clock.set('2025-05-08T01:00:00.000Z')
  v = await step(h, id, v, 'approve')
  h.clock.set('2025-05-09T01:00:00.000Z')
  res = await post(h, R, id, 'publish', {}, ifMatch(v))
  status(t, h, res, 200, 'publish')
  a = await read(h, id)
  t.equal(a.state, 'published')
  t.equal(a.publishedAt, '2025-05-09T01:00:00.000Z', 'publish sets publishedAt')
  t.equal(a.approvedAt, '2025-05-08T01:00:00.000Z', 'publishing keeps approvedAt')
  t.equal(a.submittedAt, '2025-05-07T01:00:00.000Z')
})

// ---- 3. complete evidence before submitting ---------------------------------------------------

// Every fact a rule of criteria/moet-4725/2022-12-30.json reads (the document and info facts are
// not read by any rule), sorted. With none of them given, every rule reports all of its facts.
const RULE_FACTS = [
  // Nhóm I: 1.1, 1.2, 1.3.1–1.3.5, 1.4, 1.5.1, 1.5.2, 1.6.1–1.6.3, 1.7.1–1.7.3
  'online_teaching_plan_issued', 'online_teaching_regulation_issued', 'live_online_teaching_software_deployed',
  'lms_assigns_self_study', 'lms_answers_questions', 'lms_continuous_assessment', 'lms_parent_monitoring',
  'subjects_total', 'subjects_with_digital_materials', 'periodic_tests_total', 'periodic_tests_on_computer',
  'testing_software_exchanges_with_sis', 'teachers_total', 'teachers_with_online_training_account',
  'teachers_using_digital_tools', 'teachers_creating_digital_materials', 'classrooms_total',
  'classrooms_with_projector_and_internet', 'pupils_th', 'pupils_thcs', 'pupils_thpt', 'informatics_computers',
  'digital_content_studio',
  // Nhóm II: 2.1, 2.2, 2.3.1–2.3.8, 2.4.1–2.4.3
  'dx_steering_unit', 'dx_plan_issued', 'sis_usage_regulation_issued', 'sis_student_module', 'electronic_gradebook',
  'electronic_transcript', 'sis_staff_module', 'sis_facilities_module', 'sis_health_module', 'sis_accounting_module',
  'sis_syncs_with_sector_database', 'family_school_app', 'online_admission', 'cashless_fee_payment',
].sort()

t.test('partial saves are allowed; submitting needs complete evidence', async (t) => {
  const h = await harness(t)
  t.equal(RULE_FACTS.length, 37, '23 facts in Nhóm I rules + 14 in Nhóm II rules')
  const { id, version } = await start(h, await openPeriod(h))
  const partial = { online_teaching_plan_issued: true, online_teaching_regulation_issued: true, dx_steering_unit: true, dx_plan_issued: true }
  const missing = RULE_FACTS.filter((k) => !(k in partial))
  const res = await patchEvidence(h, id, { facts: partial }, ifMatch(version))
  status(t, h, res, 200, 'partial save')
  const saved = h.json(res)
  t.equal(saved.complete, false, 'the assessment is incomplete')
  t.equal(saved.result.complete, false, 'the stored result is incomplete')
  t.same(saved.result.missingFacts, missing, 'the stored result lists the 33 facts still missing')
  t.same(saved.facts, partial, 'the partial facts are stored')
  const stored = await read(h, id)
  t.equal(stored.complete, false)
  t.same(stored.result.missingFacts, missing)

  const sub = await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(saved.version))
  const err = fails(t, h, sub, 409, 'EVIDENCE_INCOMPLETE', 'submit with partial evidence')
  t.same(err.details?.missingFacts, missing, 'details.missingFacts lists what is missing')
  const after = await read(h, id)
  t.equal(after.state, 'draft')
  t.equal(after.version, saved.version, 'nothing changed')

  // Completing the evidence makes it submittable.
  const rest = Object.fromEntries(Object.entries(STRONG).filter(([k]) => !(k in partial)))
  const done = await patchEvidence(h, id, { facts: rest }, ifMatch(saved.version))
  status(t, h, done, 200, 'the rest of the evidence')
  t.equal(h.json(done).complete, true)
  t.same(h.json(done).result.missingFacts, [])
  status(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(h.json(done).version)), 200, 'submit complete evidence')
})

// ---- 4. deadlines and extensions --------------------------------------------------------------

t.test('deadlines and extensions', async (t) => {
  const h = await harness(t)
  const extend = (periodId: string, body: Record<string, string>) => h.req(h.keys.reviewerLB, 'POST', `/v1/periods/${periodId}/extensions`, body)

  await t.test('at the deadline a school may still submit; a second later it may not', async (t) => {
    const { id, version } = await inState(h, 'draft')
    h.clock.set('2025-05-31T17:00:00.000Z')
    const late = await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(version))
    const err = fails(t, h, late, 409, 'DEADLINE_PASSED', 'submit one second after the deadline')
    t.equal(err.details?.deadline, '2025-05-31T16:59:59.000Z', 'details.deadline is the period deadline')
    const a = await read(h, id)
    t.equal(a.state, 'draft')
    t.equal(a.version, version, 'nothing changed')
    t.equal(a.deadline, '2025-05-31T16:59:59.000Z', 'GET shows the deadline')
    h.clock.set(DEADLINE)
    status(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(version)), 200, 'submit exactly at the deadline')
  })

  await t.test('an extension for the ward lets S1 submit', async (t) => {
    const periodId = await openPeriod(h, 'Đợt có gia hạn theo phường')
    h.clock.set('2025-04-15T03:00:00Z')
    const { id, version } = await start(h, periodId)
    const saved = await patchEvidence(h, id, { facts: STRONG }, ifMatch(version))
    h.clock.set('2025-06-03T02:00:00Z')
    fails(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(h.json(saved).version)), 409, 'DEADLINE_PASSED', 'before the extension')
    const ext = await extend(periodId, { unitCode: 'LB-W1', until: '2025-06-07T16:59:59Z', reason: 'Mất điện kéo dài' })
    status(t, h, ext, 201, 'extension for LB-W1')
    t.equal((await read(h, id)).deadline, '2025-06-07T16:59:59.000Z', 'GET shows the extended deadline')
    const sub = await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(h.json(saved).version))
    status(t, h, sub, 200, 'submit within the extension')
    t.equal(h.json(sub).state, 'submitted')
  })

  await t.test('an extension for S1 itself lets S1 submit, until it runs out', async (t) => {
    const periodId = await openPeriod(h, 'Đợt có gia hạn theo trường')
    h.clock.set('2025-04-15T03:00:00Z')
    const { id, version } = await start(h, periodId)
    const v = h.json(await patchEvidence(h, id, { facts: STRONG }, ifMatch(version))).version
    status(t, h, await extend(periodId, { schoolCode: 'S1', until: '2025-06-10T16:59:59Z', reason: 'Trường đề nghị' }), 201, 'extension for S1')
    t.equal((await read(h, id)).deadline, '2025-06-10T16:59:59.000Z', 'GET shows the extended deadline')
    h.clock.set('2025-06-10T17:00:00Z')
    fails(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(v)), 409, 'DEADLINE_PASSED', 'after the extension ends')
    h.clock.set('2025-06-09T00:00:00Z')
    status(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(v)), 200, 'within the extension')
  })

  await t.test('an extension for another school does not help S1', async (t) => {
    const periodId = await openPeriod(h, 'Đợt gia hạn cho S2')
    h.clock.set('2025-04-15T03:00:00Z')
    const { id, version } = await start(h, periodId)
    const v = h.json(await patchEvidence(h, id, { facts: STRONG }, ifMatch(version))).version
    status(t, h, await extend(periodId, { schoolCode: 'S2', until: '2025-06-10T16:59:59Z', reason: 'S2 đề nghị' }), 201, 'extension for S2')
    t.equal((await read(h, id)).deadline, '2025-05-31T16:59:59.000Z', 'S1 keeps the period deadline')
    h.clock.set('2025-06-03T02:00:00Z')
    fails(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(v)), 409, 'DEADLINE_PASSED', 'S1 after the deadline')
    const a = await read(h, id)
    t.equal(a.state, 'draft')
    t.equal(a.version, v)
    // ... while S2 itself may submit.
    h.clock.set('2025-04-15T03:00:00Z')
    const s2 = await start(h, periodId, h.keys.schoolS2, 'S2')
    const facts = { ...STRONG }
    const s2v = h.json(await patchEvidence(h, s2.id, { facts }, ifMatch(s2.version), h.keys.schoolS2)).version
    h.clock.set('2025-06-03T02:00:00Z')
    status(t, h, await post(h, h.keys.schoolS2, s2.id, 'submit', {}, ifMatch(s2v)), 200, 'S2 within its extension')
  })
  await t.test('a district extension covers its wards; a sibling ward\'s does not; the latest covering one applies', async (t) => {
    h.clock.set('2025-04-15T03:00:00Z')
    const w2 = await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'LB-W2', name: 'Phường Gia Thụy', type: 'ward', parentCode: 'LB', fromYear: '2020-2021', toYear: '2024-2025' })
    status(t, h, w2, 201, 'a second ward of LB')
    const periodId = await openPeriod(h, 'Đợt gia hạn nhiều lần')
    const { id, version } = await start(h, periodId)
    const v = h.json(await patchEvidence(h, id, { facts: STRONG }, ifMatch(version))).version
    status(t, h, await extend(periodId, { unitCode: 'LB-W2', until: '2025-06-20T16:59:59Z', reason: 'Phường bên cạnh' }), 201, 'extension for LB-W2')
    t.equal((await read(h, id)).deadline, '2025-05-31T16:59:59.000Z', 'a sibling ward\'s extension does not cover S1')
    status(t, h, await extend(periodId, { unitCode: 'LB', until: '2025-06-07T16:59:59Z', reason: 'Cả quận' }), 201, 'extension for LB')
    t.equal((await read(h, id)).deadline, '2025-06-07T16:59:59.000Z', 'the district extension covers S1 in LB-W1')
    status(t, h, await extend(periodId, { schoolCode: 'S1', until: '2025-06-03T16:59:59Z', reason: 'Ngắn hơn' }), 201, 'a shorter extension for S1')
    t.equal((await read(h, id)).deadline, '2025-06-07T16:59:59.000Z', 'a shorter extension added later does not cut the deadline')
    fails(t, h, await extend(periodId, { schoolCode: 'S1', until: '2025-05-30T00:00:00Z', reason: 'Trước hạn' }), 400, 'INVALID_EXTENSION', 'an "extension" before the deadline', '/until')
    h.clock.set('2025-06-08T00:00:00Z')
    fails(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(v)), 409, 'DEADLINE_PASSED', 'after the district extension')
    h.clock.set('2025-06-06T00:00:00Z')
    status(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(v)), 200, 'within the district extension')
  })
  h.clock.set('2025-04-15T03:00:00Z')
})

// ---- 5. optimistic concurrency ----------------------------------------------------------------

t.test('optimistic concurrency', async (t) => {
  const h = await harness(t)

  await t.test('writes need If-Match; garbage and stale ones are refused and change nothing', async (t) => {
    const { id, version } = await inState(h, 'draft') // version 2: created, then strong-thcs saved
    const entries = (await auditOf(h, id)).length
    const change = { facts: { teachers_total: 60 } }
    fails(t, h, await patchEvidence(h, id, change, {}), 428, 'PRECONDITION_REQUIRED', 'PATCH without If-Match')
    fails(t, h, await post(h, h.keys.schoolS1, id, 'submit', {}, {}), 428, 'PRECONDITION_REQUIRED', 'submit without If-Match')
    for (const garbage of ['abc', '"x1"', 'W/abc', '-1', '1,2']) {
      fails(t, h, await patchEvidence(h, id, change, { 'if-match': garbage }), 400, 'INVALID_IF_MATCH', `If-Match ${garbage}`)
    }
    const stale = await patchEvidence(h, id, change, ifMatch(version - 1))
    const err = fails(t, h, stale, 412, 'VERSION_MISMATCH', 'stale If-Match')
    t.equal(err.details?.currentVersion, version, 'details.currentVersion')
    t.equal(stale.headers.etag, `"${version}"`, 'the ETag header is the current version')
    const staleSubmit = await post(h, h.keys.schoolS1, id, 'submit', {}, ifMatch(version + 5))
    fails(t, h, staleSubmit, 412, 'VERSION_MISMATCH', 'submit with a version from the future')
    t.equal(staleSubmit.headers.etag, `"${version}"`)
    const a = await read(h, id)
    t.equal(a.version, version, 'version unchanged')
    t.equal(a.state, 'draft')
    t.equal(a.facts.teachers_total, STRONG.teachers_total, 'facts unchanged')
    t.equal(a.etag, `"${version}"`, 'GET sends the version as ETag')
    t.equal((await auditOf(h, id)).length, entries, 'no audit entries for refused writes')
  })

  await t.test('W/"n" and bare n are accepted', async (t) => {
    const { id, version } = await inState(h, 'draft')
    const weak = await patchEvidence(h, id, { facts: { teachers_total: 60 } }, { 'if-match': `W/"${version}"` })
    status(t, h, weak, 200, 'weak ETag')
    t.equal(weak.headers.etag, `"${version + 1}"`)
    const bare = await patchEvidence(h, id, { facts: { teachers_total: 61 } }, { 'if-match': String(version + 1) })
    status(t, h, bare, 200, 'bare number')
    t.equal(h.json(bare).version, version + 2)
    t.equal((await read(h, id)).facts.teachers_total, 61)
  })

  await t.test('two concurrent PATCHes with the same version: one wins, the other gets 412', async (t) => {
    const { id, version } = await inState(h, 'draft')
    const A = { teachers_total: 60, classrooms_total: 31 }
    const B = { teachers_total: 70, informatics_computers: 80 }
    const [ra, rb] = await Promise.all([
      patchEvidence(h, id, { facts: A }, ifMatch(version)),
      patchEvidence(h, id, { facts: B }, ifMatch(version)),
    ])
    t.same([ra.statusCode, rb.statusCode].sort(), [200, 412], 'exactly one 200 and one 412')
    const [winner, loser] = ra.statusCode === 200 ? [A, B] : [B, A]
    const lost = ra.statusCode === 200 ? rb : ra
    t.equal(h.json(lost).error.code, 'VERSION_MISMATCH')
    t.equal(h.json(lost).error.details.currentVersion, version + 1)
    const a = await read(h, id)
    t.equal(a.version, version + 1, 'one write applied')
    t.same(a.facts, { ...STRONG, ...winner }, 'the stored facts are exactly the winner\'s')
    for (const k of Object.keys(loser)) if (!(k in winner)) t.equal(a.facts[k], STRONG[k], `the loser's ${k} is not stored`)
    t.equal((await auditOf(h, id)).filter((e) => e.action === 'assessment.evidence').length, 2, 'one evidence entry besides the first save')
  })

  await t.test('two concurrent decisions on the same version: one wins', async (t) => {
    const { id, version } = await inState(h, 'submitted')
    const [ra, rb] = await Promise.all([
      post(h, h.keys.reviewerLB, id, 'approve', {}, ifMatch(version)),
      post(h, h.keys.reviewerHN, id, 'return', { reason: 'Thiếu số liệu' }, ifMatch(version)),
    ])
    t.same([ra.statusCode, rb.statusCode].sort(), [200, 412], 'exactly one 200 and one 412')
    const a = await read(h, id)
    t.equal(a.version, version + 1)
    t.equal(a.state, ra.statusCode === 200 ? 'approved' : 'returned', 'the winner\'s decision is stored')
  })
})

// ---- 6. evidence saving ---------------------------------------------------------------------

t.test('evidence saving', async (t) => {
  const h = await harness(t)

  await t.test('merge semantics: later saves add facts and keep earlier ones; null clears one', async (t) => {
    const { id, version } = await start(h, await openPeriod(h))
    let res = await patchEvidence(h, id, { facts: { teachers_total: 52, dx_plan_issued: true } }, ifMatch(version))
    status(t, h, res, 200, 'first save')
    res = await patchEvidence(h, id, { facts: { teachers_using_digital_tools: 48 }, description: 'Bản nháp' }, ifMatch(version + 1))
    status(t, h, res, 200, 'second save')
    t.same(h.json(res).facts, { teachers_total: 52, dx_plan_issued: true, teachers_using_digital_tools: 48 }, 'earlier facts kept')
    t.equal(h.json(res).description, 'Bản nháp')
    res = await patchEvidence(h, id, { facts: { teachers_total: 60, dx_plan_issued: null } }, ifMatch(version + 2))
    status(t, h, res, 200, 'third save')
    const a = await read(h, id)
    t.same(a.facts, { teachers_total: 60, teachers_using_digital_tools: 48 }, 'a value replaced, null cleared dx_plan_issued')
    t.ok(!('dx_plan_issued' in a.facts), 'the cleared fact is gone')
    t.ok(a.result.missingFacts.includes('dx_plan_issued'), 'and is missing again')
    t.equal(a.description, 'Bản nháp', 'description kept when not sent')
    t.equal(a.version, version + 3)
    // A part larger than its whole (48 teachers using digital tools of 40) is refused.
    fails(t, h, await patchEvidence(h, id, { facts: { teachers_total: 40 } }, ifMatch(version + 3)), 400, 'INVALID_EVIDENCE', 'part exceeds whole', '/facts/teachers_using_digital_tools')
    t.equal((await read(h, id)).facts.teachers_total, 60, 'nothing stored')
  })

  await t.test('no type coercion; unknown facts and fields are refused; nothing is stored', async (t) => {
    const { id, version } = await inState(h, 'draft')
    const before = await read(h, id)
    let err = fails(t, h, await patchEvidence(h, id, { facts: { teachers_total: '12' } }, ifMatch(version)), 400, 'INVALID_EVIDENCE', '"12" for an integer', '/facts/teachers_total')
    t.ok(Array.isArray(err.details?.issues) && err.details.issues.some((i: any) => i.path === '/facts/teachers_total'), 'the issue names the fact')
    fails(t, h, await patchEvidence(h, id, { facts: { dx_plan_issued: 'true' } }, ifMatch(version)), 400, 'INVALID_EVIDENCE', '"true" for a boolean', '/facts/dx_plan_issued')
    fails(t, h, await patchEvidence(h, id, { facts: { teachers_total: 12.5 } }, ifMatch(version)), 400, 'INVALID_EVIDENCE', '12.5 for an integer', '/facts/teachers_total')
    err = fails(t, h, await patchEvidence(h, id, { facts: { teachers_total: 60, no_such_fact: 1 } }, ifMatch(version)), 400, 'INVALID_EVIDENCE', 'unknown fact key')
    t.ok(Array.isArray(err.details?.issues) && err.details.issues.some((i: any) => i.code === 'UNKNOWN_FACT' && i.path === '/facts/no_such_fact'), 'UNKNOWN_FACT in details.issues')
    fails(t, h, await patchEvidence(h, id, { facts: { teachers_total: 60 }, notes: 'x' }, ifMatch(version)), 400, 'UNKNOWN_FIELD', 'unknown body field', '/notes')
    const after = await read(h, id)
    t.equal(after.version, before.version, 'version unchanged')
    t.same(after.facts, before.facts, 'facts unchanged')
    t.equal(after.facts.teachers_total, 52)
  })

  await t.test('evidence is editable only in draft and returned', async (t) => {
    for (const state of STATES) {
      const { id, version } = await inState(h, state)
      const res = await patchEvidence(h, id, { facts: { teachers_total: 60 } }, ifMatch(version))
      const a = await read(h, id)
      if (state === 'draft' || state === 'returned') {
        status(t, h, res, 200, `edit in ${state}`)
        t.equal(a.facts.teachers_total, 60)
        t.equal(a.state, state, 'editing does not change the state')
      } else {
        const err = fails(t, h, res, 409, 'NOT_EDITABLE', `edit in ${state}`)
        t.equal(err.details?.state, state)
        t.equal(a.version, version, `${state}: nothing changed`)
        t.equal(a.facts.teachers_total, 52)
      }
    }
  })
})

// ---- 8. the audit log -----------------------------------------------------------------------

t.test('the audit log lists every change in order; refused writes add nothing', async (t) => {
  const h = await harness(t)
  const S = h.keys.schoolS1
  const R = h.keys.reviewerLB
  h.clock.set('2025-05-01T00:00:00.000Z')
  const { id } = await start(h, await openPeriod(h))
  h.clock.set('2025-05-01T01:00:00.000Z')
  status(t, h, await patchEvidence(h, id, { facts: STRONG }, ifMatch(1)), 200, 'save')
  // Refused writes between the real ones: none of them may leave a trace.
  await patchEvidence(h, id, { facts: { teachers_total: '52' } }, ifMatch(2))
  await patchEvidence(h, id, { facts: { teachers_total: 52 } }, ifMatch(1))
  await patchEvidence(h, id, { facts: { teachers_total: 52 } }, {})
  await post(h, R, id, 'approve', {}, ifMatch(2))
  h.clock.set('2025-05-01T02:00:00.000Z')
  status(t, h, await post(h, S, id, 'submit', {}, ifMatch(2)), 200, 'submit')
  await post(h, R, id, 'return', { reason: '  ' }, ifMatch(3))
  h.clock.set('2025-05-01T03:00:00.000Z')
  status(t, h, await post(h, R, id, 'return', { reason: 'Bổ sung kế hoạch' }, ifMatch(3)), 200, 'return')
  h.clock.set('2025-05-01T04:00:00.000Z')
  status(t, h, await patchEvidence(h, id, { facts: { teachers_creating_digital_materials: 40 } }, ifMatch(4)), 200, 'edit')
  h.clock.set('2025-05-01T05:00:00.000Z')
  status(t, h, await post(h, S, id, 'submit', {}, ifMatch(5)), 200, 'resubmit')
  h.clock.set('2025-05-01T06:00:00.000Z')
  status(t, h, await post(h, R, id, 'approve', {}, ifMatch(6)), 200, 'approve')
  h.clock.set('2025-05-01T07:00:00.000Z')
  status(t, h, await post(h, R, id, 'revoke', { reason: 'Sai số liệu' }, ifMatch(7)), 200, 'revoke')
  h.clock.set('2025-05-01T08:00:00.000Z')
  status(t, h, await post(h, S, id, 'submit', {}, ifMatch(8)), 200, 'submit again')
  h.clock.set('2025-05-01T09:00:00.000Z')
  status(t, h, await post(h, R, id, 'approve', {}, ifMatch(9)), 200, 'approve again')
  h.clock.set('2025-05-01T10:00:00.000Z')
  status(t, h, await post(h, h.keys.reviewerHN, id, 'publish', {}, ifMatch(10)), 200, 'publish')
  await post(h, R, id, 'publish', {}, ifMatch(11))
  await patchEvidence(h, id, { facts: { teachers_total: 1 } }, ifMatch(11))

  const items = await auditOf(h, id)
  const school = /^school:\S+ \(S1 IT lead\)$/
  const lb = /^reviewer:\S+ \(Phòng GDĐT Long Biên\)$/
  const hn = /^reviewer:\S+ \(Sở GDĐT Hà Nội\)$/
  const want: [string, RegExp, State | null, State, string][] = [
    ['assessment.create', school, null, 'draft', '2025-05-01T00:00:00.000Z'],
    ['assessment.evidence', school, 'draft', 'draft', '2025-05-01T01:00:00.000Z'],
    ['assessment.submit', school, 'draft', 'submitted', '2025-05-01T02:00:00.000Z'],
    ['assessment.return', lb, 'submitted', 'returned', '2025-05-01T03:00:00.000Z'],
    ['assessment.evidence', school, 'returned', 'returned', '2025-05-01T04:00:00.000Z'],
    ['assessment.submit', school, 'returned', 'submitted', '2025-05-01T05:00:00.000Z'],
    ['assessment.approve', lb, 'submitted', 'approved', '2025-05-01T06:00:00.000Z'],
    ['assessment.revoke', lb, 'approved', 'returned', '2025-05-01T07:00:00.000Z'],
    ['assessment.submit', school, 'returned', 'submitted', '2025-05-01T08:00:00.000Z'],
    ['assessment.approve', lb, 'submitted', 'approved', '2025-05-01T09:00:00.000Z'],
    ['assessment.publish', hn, 'approved', 'published', '2025-05-01T10:00:00.000Z'],
  ]
  t.equal(items.length, want.length, `${want.length} entries, none for the refused writes`)
  want.forEach(([action, who, from, to, at], i) => {
    const e = items[i]
    if (!e) return
    t.equal(e.action, action, `#${i + 1} action ${action}`)
    t.match(e.actor, who, `#${i + 1} actor`)
    t.equal(e.at, at, `#${i + 1} at`)
    t.equal(e.before?.state ?? null, from, `#${i + 1} before.state`)
    t.equal(e.after?.state, to, `#${i + 1} after.state`)
    t.equal(e.after?.version, i + 1, `#${i + 1} after.version`)
    if (i > 0) t.equal(e.before?.version, i, `#${i + 1} before.version`)
  })
  t.equal(items[0]?.before, null, 'create has no before')
  t.same(items[1]?.before?.facts, {}, 'the first save starts from no facts')
  t.same(items[1]?.after?.facts, STRONG, 'and records the facts saved')
  t.equal(items[3]?.after?.returnReason, 'Bổ sung kế hoạch', 'the return records its reason')
  t.equal(items[4]?.before?.facts?.teachers_creating_digital_materials, 39)
  t.equal(items[4]?.after?.facts?.teachers_creating_digital_materials, 40)
  t.equal(items[5]?.after?.returnReason, null, 'resubmit clears the reason')
  t.equal(items[7]?.after?.returnReason, 'Sai số liệu')

  // A school key sees its own assessment's audit; another school's key does not.
  status(t, h, await h.req(S, 'GET', `/v1/assessments/${id}/audit`), 200, 'S1 reads its audit')
  status(t, h, await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${id}/audit`), 404, 'S2 cannot')
})
