// The external assessment (đánh giá ngoài) over HTTP, and results pinned to their criteria set.
//
// Numbers are worked by hand from criteria/moet-4725/2022-12-30.json and
// criteria/moet-4725/examples/strong-thcs.expected.json — never copied from the program's output.
//
// Group level bands (both groups, from the criteria file): Mức 1 < 50; Mức 2 50..75 (inclusive);
// Mức 3 > 75. A failed mandatory condition caps the group at Mức 1 (not used below: 1.1, 1.2, 2.1
// and 2.2 are met in every case).
//
// strong-thcs (the school's self-assessment), from its .expected.json workings:
//   Nhóm I  = 1.3 30 + 1.4 10×12/14 (8.5714) + 1.5.1 15×24/48 (7.5) + 1.5.2 5 + 1.6.1 7×52/52 (7)
//           + 1.6.2 7×48/52 (6.4615) + 1.6.3 6×39/52 (4.5) + 1.7.1 8×30/30 (8) + 1.7.2 7 + 1.7.3 5
//           = 89.0329 → 89.03, > 75 → Mức 3
//   Nhóm II = 2.3.1 6 + 2.3.2 6 + 2.3.3 10 + 2.3.4 6 + 2.3.5 10 + 2.3.6 0 (no health module)
//           + 2.3.7 6 + 2.3.8 6 + 2.4.1 8 + 2.4.2 12 + 2.4.3 10 = 80, > 75 → Mức 3
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { exampleFacts, harness, type Harness } from './app.js'
import { loadCatalog } from '../helpers.js'


const STRONG = exampleFacts('strong-thcs')
const ifMatch = (v: number) => ({ 'if-match': `"${v}"` })

function errCode(h: Harness, res: LightMyRequestResponse): string {
  try { return String(h.json(res)?.error?.code ?? '') } catch { return '' }
}
function status(t: Test, h: Harness, res: LightMyRequestResponse, want: number, what: string): boolean {
  return t.equal(res.statusCode, want, `${what}: HTTP ${want} (got ${res.statusCode} ${errCode(h, res)})`)
}
function fails(t: Test, h: Harness, res: LightMyRequestResponse, want: number, code: string, what: string): any {
  status(t, h, res, want, what)
  const err = res.statusCode >= 400 ? h.json(res).error : {}
  t.equal(err?.code, code, `${what}: error code ${code}`)
  return err ?? {}
}

async function openPeriod(h: Harness): Promise<string> {
  const res = await h.req(h.keys.admin, 'POST', '/v1/periods', {
    unitCode: 'HN', schoolYear: '2024-2025', title: 'Đợt đánh giá ngoài', criteriaSets: ['moet-4725'], submissionDeadline: '2025-05-31T16:59:59Z',
  })
  if (res.statusCode !== 201) throw new Error(`open period: ${res.statusCode} ${errCode(h, res)}`)
  return h.json(res).id as string
}

type State = 'draft' | 'submitted' | 'returned' | 'approved' | 'published'
const PATHS: Record<State, [string, string, unknown][]> = {
  draft: [],
  submitted: [['submit', 'schoolS1', {}]],
  returned: [['submit', 'schoolS1', {}], ['return', 'reviewerLB', { reason: 'Bổ sung' }]],
  approved: [['submit', 'schoolS1', {}], ['approve', 'reviewerLB', {}]],
  published: [['submit', 'schoolS1', {}], ['approve', 'reviewerLB', {}], ['publish', 'reviewerLB', {}]],
}

/** S1's assessment in a fresh period, with the strong-thcs evidence, moved to `state`. */
async function inState(h: Harness, state: State): Promise<{ id: string; version: number; periodId: string }> {
  const periodId = await openPeriod(h)
  const created = await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId })
  if (created.statusCode !== 201) throw new Error(`start: ${created.statusCode} ${errCode(h, created)}`)
  const id = h.json(created).id as string
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: STRONG }, ifMatch(1))
  if (saved.statusCode !== 200) throw new Error(`save: ${saved.statusCode} ${errCode(h, saved)}`)
  let v = 2
  for (const [action, key, body] of PATHS[state]) {
    const res = await h.req(h.keys[key as keyof Harness['keys']], 'POST', `/v1/assessments/${id}/${action}`, body, ifMatch(v))
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${errCode(h, res)}`)
    v = h.json(res).version
  }
  return { id, version: v, periodId }
}

const external = (h: Harness, id: string, body: unknown, headers: Record<string, string>, key = h.keys.reviewerLB) =>
  h.req(key, 'PUT', `/v1/assessments/${id}/external`, body, headers)

async function read(h: Harness, id: string, key = h.keys.admin): Promise<any> {
  const res = await h.req(key, 'GET', `/v1/assessments/${id}`)
  if (res.statusCode !== 200) throw new Error(`read: ${res.statusCode} ${errCode(h, res)}`)
  return h.json(res)
}

/** [group, total, level] of each group of a result, or of a list item's levels. */
const groupsOf = (r: any) => (r.groups as any[]).map((g) => [g.code, g.total, g.level])
const levelsOf = (ls: any[]) => ls.map((l) => [l.group, l.total, l.level])

/** The points of one criterion anywhere in a result. */
function pointsOf(result: any, code: string): unknown {
  const walk = (cs: any[]): unknown => {
    for (const c of cs) {
      if (c.code === code) return c.points
      const inner = c.children ? walk(c.children) : undefined
      if (inner !== undefined) return inner
    }
    return undefined
  }
  for (const g of result.groups) {
    const p = walk(g.criteria)
    if (p !== undefined) return p
  }
  return undefined
}

const SELF = [['I', 89.03, 3], ['II', 80, 3]]

t.test('the reviewer\'s facts override the school\'s; both results are kept side by side', async (t) => {
  const h = await harness(t)
  const { id, version, periodId } = await inState(h, 'submitted')
  h.clock.set('2025-06-05T02:00:00.000Z')
  const res = await external(h, id, { facts: { sis_facilities_module: false } }, ifMatch(version))
  status(t, h, res, 200, 'record the external assessment')
  t.equal(res.headers.etag, `"${version + 1}"`, 'a write: the version goes up')

  // Nhóm II external: 80 − 2.3.5 (10 points, the facilities module the reviewer did not find)
  //   = 6 + 6 + 10 + 6 + 0 + 0 + 6 + 6 + 8 + 12 + 10 = 70 → 50 ≤ 70 ≤ 75 → Mức 2.
  // Nhóm I external: the school's facts unchanged → 89.03, Mức 3.
  const a = await read(h, id)
  t.equal(a.state, 'submitted', 'the state does not change')
  t.same(groupsOf(a.result), SELF, 'the school\'s own result is kept')
  t.same(levelsOf(a.levels), SELF)
  t.same(a.facts, STRONG, 'the school\'s facts are untouched')
  t.same(groupsOf(a.external.result), [['I', 89.03, 3], ['II', 70, 2]], 'external: Nhóm II 70 → Mức 2')
  t.same(levelsOf(a.externalLevels), [['I', 89.03, 3], ['II', 70, 2]])
  t.equal(pointsOf(a.external.result, '2.3.5'), 0, 'external 2.3.5 = 0')
  t.equal(pointsOf(a.result, '2.3.5'), 10, 'self 2.3.5 = 10')
  t.same(a.external.facts, { ...STRONG, sis_facilities_module: false }, 'external facts: the school\'s, with the reviewer\'s override')
  t.equal(a.external.result.complete, true)
  t.match(a.external.by, /^reviewer:\S+ \(Phòng GDĐT Long Biên\)$/, 'by: the reviewer key')
  t.equal(a.external.at, '2025-06-05T02:00:00.000Z', 'at: the time it was recorded')
  t.equal(a.external.result.overall?.level, 2, 'derived overall: min(3, 2) = 2')
  t.equal(a.result.overall?.level, 3, 'self overall stays min(3, 3) = 3')

  const list = await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments?period=${periodId}`)
  status(t, h, list, 200, 'list')
  const items = h.json(list).items as any[]
  t.equal(items.length, 1)
  t.same(levelsOf(items[0].levels), SELF, 'list: self levels')
  t.same(levelsOf(items[0].externalLevels), [['I', 89.03, 3], ['II', 70, 2]], 'list: external levels')

  const audit = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/audit`)).items as any[]
  const last = audit[audit.length - 1]
  t.equal(last?.action, 'assessment.external', 'audited as assessment.external')
  t.equal(last?.after?.externalFacts?.sis_facilities_module, false)
  t.equal(last?.after?.state, 'submitted')
})

t.test('a second external assessment starts again from the school\'s facts, not the previous external ones', async (t) => {
  const h = await harness(t)
  const { id, version } = await inState(h, 'submitted')
  let res = await external(h, id, { facts: { sis_facilities_module: false } }, ifMatch(version))
  status(t, h, res, 200, 'first external (submitted)')
  res = await h.req(h.keys.reviewerLB, 'POST', `/v1/assessments/${id}/approve`, {}, ifMatch(version + 1))
  status(t, h, res, 200, 'approve')
  // In approved, recorded again with only periodic_tests_on_computer: 12 (of 48):
  //   1.5.1 = 15 × 12/48 = 3.75 (was 7.5)
  //   Nhóm I = 30 + 8.5714 + 3.75 + 5 + 7 + 6.4615 + 4.5 + 8 + 7 + 5 = 85.2829 → 85.28, > 75 → Mức 3
  //   Nhóm II: sis_facilities_module is the school's true again → 80, Mức 3
  res = await external(h, id, { facts: { periodic_tests_on_computer: 12 } }, ifMatch(version + 2))
  status(t, h, res, 200, 'second external (approved)')
  const a = await read(h, id)
  t.equal(a.state, 'approved')
  t.equal(pointsOf(a.external.result, '1.5.1'), 3.75)
  t.same(groupsOf(a.external.result), [['I', 85.28, 3], ['II', 80, 3]])
  t.same(a.external.facts, { ...STRONG, periodic_tests_on_computer: 12 })
  t.same(groupsOf(a.result), SELF, 'self result unchanged')
})

t.test('startFrom "empty" ignores the school\'s facts', async (t) => {
  const h = await harness(t)
  const { id, version } = await inState(h, 'submitted')
  // The reviewer's own Nhóm II findings, nothing for Nhóm I:
  const reviewer = {
    dx_steering_unit: true, dx_plan_issued: true, // 2.1, 2.2 met
    sis_usage_regulation_issued: true, // 2.3.1  6
    sis_student_module: true, //          2.3.2  6
    electronic_gradebook: true, electronic_transcript: false, // 2.3.3 0 (needs both)
    sis_staff_module: true, //            2.3.4  6
    sis_facilities_module: true, //       2.3.5 10
    sis_health_module: true, //           2.3.6 10
    sis_accounting_module: false, //      2.3.7  0
    sis_syncs_with_sector_database: true, // 2.3.8 6
    family_school_app: true, //           2.4.1  8
    online_admission: false, //           2.4.2  0
    cashless_fee_payment: true, //        2.4.3 10
  }
  // Nhóm II = 6 + 6 + 0 + 6 + 10 + 10 + 0 + 6 + 8 + 0 + 10 = 62 → 50 ≤ 62 ≤ 75 → Mức 2, complete.
  // Nhóm I: no facts at all → every criterion's points unknown (null), total 0, incomplete.
  const res = await external(h, id, { facts: reviewer, startFrom: 'empty' }, ifMatch(version))
  status(t, h, res, 200, 'external from empty')
  const a = await read(h, id)
  t.same(a.external.facts, reviewer, 'only the reviewer\'s facts')
  const [g1, g2] = a.external.result.groups
  t.equal(g2.code, 'II')
  t.equal(g2.total, 62, 'Nhóm II external = 62')
  t.equal(g2.level, 2, 'Mức 2')
  t.equal(g2.complete, true)
  t.equal(g1.code, 'I')
  t.equal(g1.complete, false, 'Nhóm I incomplete: the school\'s facts were not used')
  t.equal(g1.total, 0)
  t.equal(pointsOf(a.external.result, '1.4'), null, '1.4 unknown, not 0')
  t.ok(a.external.result.missingFacts.includes('online_teaching_plan_issued'), 'the school\'s facts are missing from the external result')
  t.equal(a.external.result.complete, false)
  t.same(groupsOf(a.result), SELF, 'self result unchanged')
  t.same(a.facts, STRONG)
})

t.test('external assessment: only in submitted/approved, reviewer key, If-Match', async (t) => {
  const h = await harness(t)
  for (const state of ['draft', 'returned', 'published'] as State[]) {
    const { id, version } = await inState(h, state)
    const err = fails(t, h, await external(h, id, { facts: { sis_facilities_module: false } }, ifMatch(version)), 409, 'EXTERNAL_NOT_ALLOWED', `external in ${state}`)
    t.equal(err.details?.state, state)
    const a = await read(h, id)
    t.equal(a.version, version, `${state}: nothing changed`)
    t.equal(a.external, null, `${state}: no external assessment`)
  }
  const { id, version } = await inState(h, 'submitted')
  fails(t, h, await external(h, id, { facts: {} }, ifMatch(version), h.keys.schoolS1), 403, 'FORBIDDEN', 'school key')
  fails(t, h, await external(h, id, { facts: {} }, {}), 428, 'PRECONDITION_REQUIRED', 'no If-Match')
  const stale = await external(h, id, { facts: {} }, ifMatch(version - 1))
  fails(t, h, stale, 412, 'VERSION_MISMATCH', 'stale If-Match')
  t.equal(stale.headers.etag, `"${version}"`)
  fails(t, h, await external(h, id, { facts: { sis_facilities_module: 'no' } }, ifMatch(version)), 400, 'INVALID_EVIDENCE', 'no coercion in external facts')
  fails(t, h, await external(h, id, { facts: {}, startFrom: 'previous' }, ifMatch(version)), 400, 'INVALID_VALUE', 'unknown startFrom')
  const a = await read(h, id)
  t.equal(a.version, version, 'nothing changed')
  t.equal(a.external, null)
  t.equal(a.externalLevels, null, 'no external levels yet')
})

t.test('results are pinned to the criteria set the assessment started with', async (t) => {
  const h = await harness(t)
  const { id, version, periodId } = await inState(h, 'submitted')
  status(t, h, await external(h, id, { facts: { sis_facilities_module: false } }, ifMatch(version)), 200, 'external')
  const a = await read(h, id)
  const pinned = loadCatalog().compile('moet-4725@2022-12-30').contentHash
  t.match(a.criteriaSet, { id: 'moet-4725', version: '2022-12-30' })
  t.match(a.criteriaSet.contentHash, /^[0-9a-f]{64}$/)
  t.equal(a.criteriaSet.contentHash, pinned, 'the assessment is pinned to the shipped file\'s hash')
  t.same(a.result.set && [a.result.set.id, a.result.set.version, a.result.set.contentHash], ['moet-4725', '2022-12-30', a.criteriaSet.contentHash], 'the stored result carries the pinned hash')
  t.equal(a.external.result.set.contentHash, a.criteriaSet.contentHash, 'so does the external result')
  const period = h.json(await h.req(h.keys.admin, 'GET', `/v1/periods/${periodId}`))
  t.same(period.criteriaSets, ['moet-4725@2022-12-30'], 'the period pinned the version')
  const list = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments?period=${periodId}`)).items as any[]
  t.equal(list[0]?.criteriaSet?.contentHash, a.criteriaSet.contentHash)
  // A freshly created assessment's (empty) result is pinned too.
  const fresh = await h.req(h.keys.schoolS2, 'POST', '/v1/assessments', { schoolCode: 'S2', periodId })
  status(t, h, fresh, 201, 'create')
  t.equal(h.json(fresh).result.set.contentHash, h.json(fresh).criteriaSet.contentHash)
})
