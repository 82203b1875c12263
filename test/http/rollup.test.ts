// The unit summary (GET /v1/units/:code/summary): hand-computed rollups on a small fixture, built
// and read through the HTTP API only.
//
// Every per-school number comes from a shipped, hand-worked example bundle
// (criteria/moet-4725/examples/*.expected.json, "workings"); every rollup number below is worked
// out by hand from those, in a comment next to its assertion — never copied from the program.
// Conventions (src/http/schemas/summary.ts, the brief): means rounded to 2 decimals, shares to 4,
// the median of an even count is the mean of the two middle values. Group level bands (both
// groups): Mức 1 < 50, Mức 2 50..75 inclusive, Mức 3 > 75; a failed mandatory condition caps at 1.
//
// The example bundles (self results):
//   strong-thcs   I = 89.03 (L3)  II = 80 (L3)
//   gdtx-centre   I = 50.67 (L2)  II = 58 (L2)
//   weak-rural-th I = 15.68 (L1)  II = 46 (L1)
//   draft-partial incomplete (cannot be submitted) — used for the draft
//
// Per-criterion points used below (criteria/moet-4725/2022-12-30.json rules × bundle facts):
//   1.3   (max 30) = 1.3.1..1.3.5, 6 each when the fact is true:
//                    strong 6+6+6+6+6 = 30; gdtx 6+6+6+0+0 = 18 (no continuous assessment, no parent monitoring)
//   1.3.4 (max 6)  lms_continuous_assessment: strong 6, gdtx 0
//   1.3.5 (max 6)  lms_parent_monitoring:     strong 6, gdtx 0
//   1.5.1 (max 15) 15 × tests on computer / tests: strong 15×24/48 = 7.5, gdtx 15×12/30 = 6
//   1.6.3 (max 6)  6 × teachers creating digital materials / teachers:
//                    strong 6×39/52 = 4.5; gdtx 6×5/25 = 1.2
//   2.3.6 (max 10) sis_health_module: false in strong and gdtx → 0
//   2.4.2 (max 12) online_admission: strong true → 12, gdtx false → 0
//
// ---- The fixture ---------------------------------------------------------------------------
//
//   HN ─ LB (district, 2020-2021 … 2024-2025) ─ LB-W1 (ward, 2020-2021 … 2024-2025)   [harness]
//      │                                       └ LB-W2 (ward, 2020-2021 … 2024-2025)   [added here]
//      └ PX (ward, from 2025-2026)  [harness; S3 there from 2025-2026]      QN: S9 [harness]
//
// school │ unit 23-24 │ unit 24-25    │ levels  │ owner   │ 2023-2024 (P23)        │ 2024-2025 (P24) │ evidence 24-25 │ self I / II    │ external I / II
// ───────┼────────────┼───────────────┼─────────┼─────────┼────────────────────────┼─────────────────┼────────────────┼────────────────┼────────────────
// S1     │ LB-W1      │ LB-W1         │ THCS    │ public  │ published, gdtx + ext  │ approved + ext  │ strong-thcs    │ 89.03 L3/80 L3 │ 74.03 L2/80 L3
// S2     │ LB-W1      │ LB-W1         │ TH      │ public  │ —                      │ none            │ —              │                │
// S4     │ LB-W2      │ LB-W2         │ TH,THCS │ private │ —                      │ published       │ strong-thcs    │ 89.03 L3/80 L3 │
// S5     │ LB-W1      │ LB-W2 (moved) │ THCS    │ public  │ published, strong-thcs │ published       │ gdtx-centre    │ 50.67 L2/58 L2 │
// S6     │ LB-W2      │ LB-W2         │ GDTX    │ public  │ —                      │ submitted + ext │ gdtx-centre    │ 50.67 L2/58 L2 │ 49.47 L1/58 L1
// S7     │ LB-W1      │ LB-W1         │ TH      │ private │ published, weak-rural  │ draft           │ draft-partial  │ (provisional)  │
// S8     │ —          │ LB-W2 (new)   │ THCS    │ public  │ —                      │ returned        │ weak-rural-th  │ 15.68 L1/46 L1 │
//
// 2023-2024 results: S1 gdtx 50.67 L2 / 58 L2, external (recognised) 50.67 L2 / 80 L3 — see below;
// S5 strong 89.03 L3 / 80 L3; S7 weak 15.68 L1 / 46 L1.
//
// External assessments (recorded by the LB reviewer; they start from the school's facts):
//   S1 2023-24 (approved, then published): sis_health_module true (2.3.6 0 → 10), online_admission true
//                   (2.4.2 0 → 12): II = 58 + 10 + 12 = 80 > 75 → L3 (self L2); I unchanged 50.67 → L2
//   S1 (approved):  lms_continuous_assessment false (1.3.4 6 → 0), lms_parent_monitoring false
//                   (1.3.5 6 → 0; so 1.3 30 → 18), teachers_creating_digital_materials 13
//                   (1.6.3 6×39/52 = 4.5 → 6×13/52 = 1.5):
//                   I = 89.0330 − 6 − 6 − 3 = 74.0330 → 74.03, 50 ≤ 74.03 ≤ 75 → L2 (self L3)
//                   II unchanged 80 → L3
//   S6 (submitted): teachers_creating_digital_materials 0 (1.6.3 6×5/25 = 1.2 → 0):
//                   I = 50.6667 − 1.2 = 49.4667 → 49.47 < 50 → L1 (self L2);
//                   dx_steering_unit false: mandatory 2.1 not met → II points unchanged 58 (50 ≤ 58 ≤ 75
//                   would be L2) but capped at L1 (self L2) — a level lowered with no points lost
//
// Recognised result (used for the distributions) = external where recorded, else self:
//   S1 74.03 L2 / 80 L3;  S4 89.03 L3 / 80 L3;  S5 50.67 L2 / 58 L2;  S6 49.47 L1 / 58 L1
// Counted by default (approved + published): S1, S4, S5.  With includeSubmitted: also S6.
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { exampleFacts, harness, type Harness } from './app.js'

const STRONG = exampleFacts('strong-thcs')
const GDTX = exampleFacts('gdtx-centre')
const WEAK = exampleFacts('weak-rural-th')
const DRAFT = exampleFacts('draft-partial')

const ifMatch = (v: number) => ({ 'if-match': `"${v}"` })

function errCode(h: Harness, res: LightMyRequestResponse): string {
  try { return String(h.json(res)?.error?.code ?? '') } catch { return '' }
}
function must(h: Harness, res: LightMyRequestResponse, want: number, what: string): any {
  if (res.statusCode !== want) throw new Error(`${what}: ${res.statusCode} ${res.body}`)
  return h.json(res)
}

// ---- fixture building ----------------------------------------------------------------------

const h = await harness(t)
const admin = h.keys.admin
const P24 = h.periodId // the harness's 2024-2025 period of HN
const post = async (url: string, body: unknown, want = 201) => must(h, await h.req(admin, 'POST', url, body), want, `POST ${url}`)

type Step = 'submit' | 'approve' | 'publish' | 'return' | { external: Record<string, unknown> }

/** An assessment of `school` in `period` with the given evidence (saved as admin, who may act for the
 *  school), then moved along by `steps` (decisions and external assessments by the LB reviewer). */
async function assess(school: string, period: string, facts: Record<string, unknown>, steps: Step[]): Promise<string> {
  const a = await post('/v1/assessments', { schoolCode: school, periodId: period })
  const id = a.id as string
  let v = must(h, await h.req(admin, 'PATCH', `/v1/assessments/${id}/evidence`, { facts }, ifMatch(a.version)), 200, `${school} evidence`).version as number
  for (const s of steps) {
    const res = typeof s === 'object'
      ? await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${id}/external`, { facts: s.external }, ifMatch(v))
      : s === 'submit'
        ? await h.req(admin, 'POST', `/v1/assessments/${id}/submit`, {}, ifMatch(v))
        : await h.req(h.keys.reviewerLB, 'POST', `/v1/assessments/${id}/${s}`, s === 'return' ? { reason: 'Bổ sung minh chứng' } : {}, ifMatch(v))
    v = must(h, res, 200, `${school} ${typeof s === 'object' ? 'external' : s}`).version as number
  }
  return id
}

await post('/v1/units', { code: 'LB-W2', name: 'Phường Thạch Bàn', type: 'ward', parentCode: 'LB', fromYear: '2020-2021', toYear: '2024-2025' })
await post('/v1/schools', { moetCode: 'S4', name: 'Trường TH&THCS Thạch Bàn', levels: ['TH', 'THCS'], ownership: 'private', unitCode: 'LB-W2', fromYear: '2020-2021' })
await post('/v1/schools', { moetCode: 'S5', name: 'Trường THCS Gia Thụy', levels: ['THCS'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2020-2021' })
await post('/v1/schools', { moetCode: 'S6', name: 'Trung tâm GDNN-GDTX Long Biên', levels: ['GDTX'], ownership: 'public', unitCode: 'LB-W2', fromYear: '2020-2021' })
await post('/v1/schools', { moetCode: 'S7', name: 'Trường Tiểu học Ngôi Sao', levels: ['TH'], ownership: 'private', unitCode: 'LB-W1', fromYear: '2020-2021' })
await post('/v1/schools', { moetCode: 'S8', name: 'Trường THCS Phúc Lợi', levels: ['THCS'], ownership: 'public', unitCode: 'LB-W2', fromYear: '2024-2025' })

// 2023-2024: a period of HN, worked a year earlier on the clock (the submission deadline is checked).
h.clock.set('2024-04-15T03:00:00Z')
const P23 = (await post('/v1/periods', {
  unitCode: 'HN', schoolYear: '2023-2024', title: 'Đánh giá CĐS năm học 2023-2024', criteriaSets: ['moet-4725'],
  submissionDeadline: '2024-05-31T16:59:59Z', reviewDeadline: '2024-06-20T16:59:59Z',
})).id as string
const ids23 = {
  S1: await assess('S1', P23, GDTX, ['submit', 'approve', { external: { sis_health_module: true, online_admission: true } }, 'publish']),
  S5: await assess('S5', P23, STRONG, ['submit', 'approve', 'publish']), // S5 is in LB-W1 in 2023-2024
  S7: await assess('S7', P23, WEAK, ['submit', 'approve', 'publish']),
}

// S5 moves from LB-W1 to LB-W2 from 2024-2025 on (2023-2024 keeps LB-W1).
const moved = must(h, await h.req(admin, 'POST', '/v1/schools/S5/memberships', { unitCode: 'LB-W2', fromYear: '2024-2025' }), 200, 'move S5')

// 2024-2025: the harness's period, at the harness's clock.
h.clock.set('2025-04-15T03:00:00Z')
const S1_EXTERNAL = { lms_continuous_assessment: false, lms_parent_monitoring: false, teachers_creating_digital_materials: 13 }
const S6_EXTERNAL = { teachers_creating_digital_materials: 0, dx_steering_unit: false }
const ids24 = {
  S1: await assess('S1', P24, STRONG, ['submit', 'approve', { external: S1_EXTERNAL }]),
  S4: await assess('S4', P24, STRONG, ['submit', 'approve', 'publish']),
  S5: await assess('S5', P24, GDTX, ['submit', 'approve', 'publish']),
  S6: await assess('S6', P24, GDTX, ['submit', { external: S6_EXTERNAL }]),
  S7: await assess('S7', P24, DRAFT, []),
  S8: await assess('S8', P24, WEAK, ['submit', 'return']),
}
// S2 gets no assessment at all.

// A 2025-2026 period of HN (nothing assessed): LB and its wards no longer exist that year.
const P25 = (await post('/v1/periods', {
  unitCode: 'HN', schoolYear: '2025-2026', title: 'Đánh giá CĐS năm học 2025-2026', criteriaSets: ['moet-4725'], submissionDeadline: '2026-05-31T16:59:59Z',
})).id as string

// ---- reading the summary -------------------------------------------------------------------

function summaryRes(unit: string, period: string, opts: { key?: string; includeSubmitted?: boolean; set?: string } = {}) {
  const qs = new URLSearchParams({ period })
  if (opts.set !== undefined) qs.set('set', opts.set)
  if (opts.includeSubmitted !== undefined) qs.set('includeSubmitted', String(opts.includeSubmitted))
  return h.req(opts.key ?? admin, 'GET', `/v1/units/${unit}/summary?${qs}`)
}
async function summary(t: Test, unit: string, period: string, opts: { key?: string; includeSubmitted?: boolean; set?: string } = {}): Promise<any> {
  const res = await summaryRes(unit, period, opts)
  t.equal(res.statusCode, 200, `summary of ${unit}: HTTP 200 (got ${res.statusCode} ${errCode(h, res)})`)
  return h.json(res)
}

type Levels = Record<string, number>
/** One group's distribution, written out. */
const G = (code: string, schools: number, levels: Levels, meanTotal: number | null, medianTotal: number | null) => ({ code, schools, levels, meanTotal, medianTotal })
const NONE = (code: string) => G(code, 0, {}, null, null)
const byKey = (rows: any[], key: string) => rows.find((r) => r.key === key)
const byUnitCode = (rows: any[], code: string) => rows.find((r) => r.unit.code === code)

// ---- 0. the fixture itself -------------------------------------------------------------------

t.test('the fixture: every school has the hand-worked result of its bundle', async (t) => {
  const read = async (id: string) => must(h, await h.req(admin, 'GET', `/v1/assessments/${id}`), 200, `read ${id}`)
  const lv = (ls: any[] | null) => ls?.map((l) => [l.group, l.total, l.level]) ?? null
  const want: [string, string, string, any[], any[] | null][] = [
    // [label, id, state, self levels, external levels]
    ['S1 2023-24', ids23.S1, 'published', [['I', 50.67, 2], ['II', 58, 2]], [['I', 50.67, 2], ['II', 80, 3]]],
    ['S5 2023-24', ids23.S5, 'published', [['I', 89.03, 3], ['II', 80, 3]], null],
    ['S7 2023-24', ids23.S7, 'published', [['I', 15.68, 1], ['II', 46, 1]], null],
    ['S1 2024-25', ids24.S1, 'approved', [['I', 89.03, 3], ['II', 80, 3]], [['I', 74.03, 2], ['II', 80, 3]]],
    ['S4 2024-25', ids24.S4, 'published', [['I', 89.03, 3], ['II', 80, 3]], null],
    ['S5 2024-25', ids24.S5, 'published', [['I', 50.67, 2], ['II', 58, 2]], null],
    ['S6 2024-25', ids24.S6, 'submitted', [['I', 50.67, 2], ['II', 58, 2]], [['I', 49.47, 1], ['II', 58, 1]]],
    ['S8 2024-25', ids24.S8, 'returned', [['I', 15.68, 1], ['II', 46, 1]], null],
  ]
  for (const [label, id, state, self, ext] of want) {
    const a = await read(id)
    t.equal(a.state, state, `${label}: ${state}`)
    t.same(lv(a.levels), self, `${label}: self result of the bundle`)
    t.same(lv(a.externalLevels), ext, `${label}: external result`)
  }
  const s7 = await read(ids24.S7)
  t.equal(s7.state, 'draft', 'S7 2024-25: draft')
  t.equal(s7.complete, false, 'S7 2024-25: incomplete (draft-partial)')
  t.same(moved.memberships, [
    { unitCode: 'LB-W1', fromYear: '2020-2021', toYear: '2023-2024' },
    { unitCode: 'LB-W2', fromYear: '2024-2025', toYear: null },
  ], 'S5: LB-W1 until 2023-2024, LB-W2 from 2024-2025')
})

// ---- 1. access and arguments ---------------------------------------------------------------

t.test('access and arguments', async (t) => {
  let res = await summaryRes('LB', P24, { key: h.keys.reviewerQN })
  t.equal(res.statusCode, 404, 'a reviewer of another province: 404')
  t.equal(errCode(h, res), 'NOT_FOUND')
  res = await summaryRes('LB', P24, { key: h.keys.schoolS1 })
  t.equal(res.statusCode, 403, 'a school key: 403')
  t.equal(errCode(h, res), 'FORBIDDEN')
  res = await summaryRes('LB', P24, { key: h.keys.reviewerLB })
  t.equal(res.statusCode, 200, 'the district\'s own reviewer')
  res = await summaryRes('LB', P24, { key: h.keys.reviewerHN })
  t.equal(res.statusCode, 200, 'the province\'s reviewer')

  // The HN period does not apply to QN (neither is within the other).
  res = await summaryRes('QN', P24)
  t.equal(res.statusCode, 400, 'a period of another province: 400')
  t.equal(errCode(h, res), 'PERIOD_NOT_FOR_UNIT')
  t.equal(h.json(res).error?.path, '/period')
  // A period opened by a ward does not apply to the district above it.
  const wardPeriod = (await post('/v1/periods', {
    unitCode: 'LB-W1', schoolYear: '2024-2025', title: 'Đợt của phường', criteriaSets: ['moet-4725'], submissionDeadline: '2025-05-31T16:59:59Z',
  })).id as string
  res = await summaryRes('LB', wardPeriod)
  t.equal(res.statusCode, 400, 'a period opened below the unit: 400')
  t.equal(errCode(h, res), 'PERIOD_NOT_FOR_UNIT')

  res = await summaryRes('LB', P24, { set: 'long-bien-ke-hoach-cds' })
  t.equal(res.statusCode, 400, 'a set the period does not use: 400')
  t.equal(errCode(h, res), 'CRITERIA_SET_NOT_IN_PERIOD')
  t.equal(h.json(res).error?.path, '/set')
  res = await summaryRes('LB', P24, { set: 'no-such-set' })
  t.equal(errCode(h, res), 'CRITERIA_SET_NOT_IN_PERIOD', 'an unknown set: CRITERIA_SET_NOT_IN_PERIOD')
  for (const set of ['moet-4725', 'moet-4725@2022-12-30']) {
    const s = await summary(t, 'LB', P24, { set })
    t.same(s.criteriaSet && [s.criteriaSet.id, s.criteriaSet.version], ['moet-4725', '2022-12-30'], `set=${set} is the period's pinned set`)
  }
})

// ---- 2. status counts ----------------------------------------------------------------------

t.test('status counts, the schools that count and the school never assessed', async (t) => {
  const s = await summary(t, 'LB', P24, { key: h.keys.reviewerLB })
  t.same(s.unit, { code: 'LB', name: 'Quận Long Biên', type: 'district' })
  t.match(s.period, { id: P24, schoolYear: '2024-2025', unitCode: 'HN' })
  t.same(s.counting.states, ['approved', 'published'], 'by default only approved and published count')
  // In scope in 2024-2025: S1, S2, S7 (LB-W1) + S4, S5 (moved in), S6, S8 (LB-W2) = 7;
  // not S3 (PX, from 2025-2026) nor S9 (QN).
  t.equal(s.schools.inScope, 7, '7 schools in LB in 2024-2025')
  // draft S7; submitted S6; returned S8; approved S1; published S4, S5; none S2.
  t.same(s.schools.byState, { draft: 1, submitted: 1, returned: 1, approved: 1, published: 2, none: 1 })
  t.equal(s.schools.counted, 3, 'counted: S1 (approved), S4 and S5 (published) = 3')
  t.same(s.schools.notAssessed, [{ moetCode: 'S2', name: 'Trường Tiểu học Ngọc Lâm', unitCode: 'LB-W1' }], 'S2 has no assessment')
  t.equal(s.overall.schools, 3)

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  t.same(w.counting.states, ['submitted', 'approved', 'published'], 'includeSubmitted adds submitted')
  t.equal(w.schools.counted, 4, 'counted: S1, S4, S5 + S6 (submitted) = 4; still not S7 (draft) nor S8 (returned)')
  t.same(w.schools.byState, s.schools.byState, 'the state counts do not depend on what is counted')
  t.equal(w.schools.inScope, 7)

  const f = await summary(t, 'LB', P24, { includeSubmitted: false })
  t.equal(f.schools.counted, 3, 'includeSubmitted=false is the default')
})

// ---- 3. overall distributions ----------------------------------------------------------------

t.test('overall: the recognised (external) result counts; selfLevels keeps the schools\' own', async (t) => {
  const s = await summary(t, 'LB', P24)
  // Recognised, counted S1 74.03 L2 / 80 L3, S4 89.03 L3 / 80 L3, S5 50.67 L2 / 58 L2:
  //   I  levels {2: S1, S5; 3: S4}; mean (74.03 + 89.03 + 50.67)/3 = 213.73/3 = 71.2433 → 71.24;
  //      median of 50.67, 74.03, 89.03 = 74.03
  //   II levels {2: S5; 3: S1, S4}; mean (80 + 80 + 58)/3 = 218/3 = 72.6667 → 72.67; median of 58, 80, 80 = 80
  t.same(s.overall.groups, [G('I', 3, { 2: 2, 3: 1 }, 71.24, 74.03), G('II', 3, { 2: 1, 3: 2 }, 72.67, 80)])
  // Mức 3 in both groups: S4 only (S1's recognised I is L2, S5 is L2/L2) → 1 of 3 = 0.3333
  t.same(s.overall.topLevelInAllGroups, { schools: 1, share: 0.3333 })
  // Self: S1 89.03 L3 / 80 L3 instead of its external result:
  //   I  levels {2: S5; 3: S1, S4}; mean (89.03 + 89.03 + 50.67)/3 = 228.73/3 = 76.2433 → 76.24; median 89.03
  //   II as above (the external assessment did not change S1's II)
  t.same(s.overall.selfLevels, [G('I', 3, { 2: 1, 3: 2 }, 76.24, 89.03), G('II', 3, { 2: 1, 3: 2 }, 72.67, 80)])

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  // + S6 recognised (external) 49.47 L1 / 58 L1 (capped):
  //   I  levels {1: S6; 2: S1, S5; 3: S4}; mean (74.03 + 89.03 + 50.67 + 49.47)/4 = 263.2/4 = 65.8;
  //      median of 49.47, 50.67, 74.03, 89.03 = (50.67 + 74.03)/2 = 62.35
  //   II levels {1: S6; 2: S5; 3: S1, S4}; mean (80 + 80 + 58 + 58)/4 = 69; median (58 + 80)/2 = 69
  t.same(w.overall.groups, [G('I', 4, { 1: 1, 2: 2, 3: 1 }, 65.8, 62.35), G('II', 4, { 1: 1, 2: 1, 3: 2 }, 69, 69)])
  // Mức 3 in both: S4 → 1 of 4 = 0.25
  t.same(w.overall.topLevelInAllGroups, { schools: 1, share: 0.25 })
  // Self: S1 89.03 L3 / 80 L3, S6 50.67 L2 / 58 L2:
  //   I  levels {2: S5, S6; 3: S1, S4}; mean (89.03 + 89.03 + 50.67 + 50.67)/4 = 279.4/4 = 69.85;
  //      median (50.67 + 89.03)/2 = 69.85
  //   II levels {2: S5, S6; 3: S1, S4}; mean 69; median 69
  t.same(w.overall.selfLevels, [G('I', 4, { 2: 2, 3: 2 }, 69.85, 69.85), G('II', 4, { 2: 2, 3: 2 }, 69, 69)])
})

// ---- 4. breakdowns -----------------------------------------------------------------------------

t.test('byLevel: the TH+THCS school is counted once overall and in both the TH and the THCS row', async (t) => {
  const s = await summary(t, 'LB', P24)
  t.same(s.byLevel.map((r: any) => r.key), ['TH', 'THCS', 'GDTX'], 'rows in the order of the levels (TH, THCS, … GDTX)')
  // TH: S2 (none), S4 (TH+THCS, published), S7 (draft) → in scope 3, counted S4:
  //   I {3: 1} 89.03; II {3: 1} 80; Mức 3 in both: 1 of 1
  t.match(byKey(s.byLevel, 'TH'), { schoolsInScope: 3, schools: 1, topLevelInAllGroups: { schools: 1, share: 1 } })
  t.same(byKey(s.byLevel, 'TH')?.groups, [G('I', 1, { 3: 1 }, 89.03, 89.03), G('II', 1, { 3: 1 }, 80, 80)])
  // THCS: S1, S4, S5, S8 (returned) → in scope 4, counted S1, S4, S5 — the same three as overall:
  //   I {2: 2, 3: 1} mean 71.24 median 74.03; II {2: 1, 3: 2} mean 72.67 median 80; top 1 of 3 = 0.3333
  t.match(byKey(s.byLevel, 'THCS'), { schoolsInScope: 4, schools: 3, topLevelInAllGroups: { schools: 1, share: 0.3333 } })
  t.same(byKey(s.byLevel, 'THCS')?.groups, [G('I', 3, { 2: 2, 3: 1 }, 71.24, 74.03), G('II', 3, { 2: 1, 3: 2 }, 72.67, 80)])
  // GDTX: S6 (submitted) → in scope 1, counted none by default
  t.match(byKey(s.byLevel, 'GDTX'), { schoolsInScope: 1, schools: 0, topLevelInAllGroups: { schools: 0, share: null } })
  t.same(byKey(s.byLevel, 'GDTX')?.groups, [NONE('I'), NONE('II')])
  // S4 is in two rows: the rows' counted schools add up to 1 + 3 + 0 = 4, one more than overall (3).
  t.equal(s.byLevel.reduce((n: number, r: any) => n + r.schools, 0), 4, 'row counts add up to 4 (S4 twice)')
  t.equal(s.overall.schools, 3, 'overall counts S4 once')
  // In scope: 3 + 4 + 1 = 8 = 7 schools + S4 again.
  t.equal(s.byLevel.reduce((n: number, r: any) => n + r.schoolsInScope, 0), 8)

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  // GDTX with S6 (recognised = external 49.47 L1 / 58 L1): I {1: 1}, II {1: 1}; not Mức 3 in both → 0 of 1 = 0
  t.match(byKey(w.byLevel, 'GDTX'), { schoolsInScope: 1, schools: 1, topLevelInAllGroups: { schools: 0, share: 0 } })
  t.same(byKey(w.byLevel, 'GDTX')?.groups, [G('I', 1, { 1: 1 }, 49.47, 49.47), G('II', 1, { 1: 1 }, 58, 58)])
  t.equal(byKey(w.byLevel, 'THCS')?.schools, 3, 'THCS unchanged (S6 is GDTX, S8 returned)')
})

t.test('byOwnership', async (t) => {
  const s = await summary(t, 'LB', P24)
  t.same(s.byOwnership.map((r: any) => r.key), ['private', 'public'])
  // private: S4 (published), S7 (draft) → in scope 2, counted S4: I {3: 1} 89.03, II {3: 1} 80, top 1 of 1
  t.match(byKey(s.byOwnership, 'private'), { schoolsInScope: 2, schools: 1, topLevelInAllGroups: { schools: 1, share: 1 } })
  t.same(byKey(s.byOwnership, 'private')?.groups, [G('I', 1, { 3: 1 }, 89.03, 89.03), G('II', 1, { 3: 1 }, 80, 80)])
  // public: S1, S2, S5, S6, S8 → in scope 5, counted S1 (74.03 L2 / 80 L3) and S5 (50.67 L2 / 58 L2):
  //   I {2: 2}, mean = median = (74.03 + 50.67)/2 = 124.7/2 = 62.35
  //   II {2: 1, 3: 1}, mean = median = (80 + 58)/2 = 69; Mức 3 in both: none → 0 of 2 = 0
  t.match(byKey(s.byOwnership, 'public'), { schoolsInScope: 5, schools: 2, topLevelInAllGroups: { schools: 0, share: 0 } })
  t.same(byKey(s.byOwnership, 'public')?.groups, [G('I', 2, { 2: 2 }, 62.35, 62.35), G('II', 2, { 2: 1, 3: 1 }, 69, 69)])

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  // public + S6 (49.47 L1 / 58 L1):
  //   I {1: 1, 2: 2}; mean (74.03 + 50.67 + 49.47)/3 = 174.17/3 = 58.0567 → 58.06; median of 49.47, 50.67, 74.03 = 50.67
  //   II {1: S6, 2: S5, 3: S1}; mean (80 + 58 + 58)/3 = 196/3 = 65.3333 → 65.33; median 58
  t.same(byKey(w.byOwnership, 'public')?.groups, [G('I', 3, { 1: 1, 2: 2 }, 58.06, 50.67), G('II', 3, { 1: 1, 2: 1, 3: 1 }, 65.33, 58)])
})

t.test('byUnit: the moved school counts under its 2024-2025 ward; a ward\'s summary has only its own schools', async (t) => {
  const s = await summary(t, 'LB', P24)
  t.same(s.byUnit.map((r: any) => r.unit), [{ code: 'LB-W1', name: 'Phường Ngọc Thụy' }, { code: 'LB-W2', name: 'Phường Thạch Bàn' }])
  // LB-W1: S1, S2, S7 → in scope 3; counted S1 only: I {2: 1} 74.03, II {3: 1} 80; not Mức 3 in both → 0 of 1
  t.match(byUnitCode(s.byUnit, 'LB-W1'), { schoolsInScope: 3, schools: 1, topLevelInAllGroups: { schools: 0, share: 0 } })
  t.same(byUnitCode(s.byUnit, 'LB-W1')?.groups, [G('I', 1, { 2: 1 }, 74.03, 74.03), G('II', 1, { 3: 1 }, 80, 80)])
  // LB-W2: S4, S5 (moved here for 2024-2025), S6, S8 → in scope 4; counted S4 (89.03 L3 / 80 L3), S5 (50.67 L2 / 58 L2):
  //   I {2: 1, 3: 1}, mean = median = (89.03 + 50.67)/2 = 139.7/2 = 69.85
  //   II {2: 1, 3: 1}, mean = median = (80 + 58)/2 = 69; Mức 3 in both: S4 → 1 of 2 = 0.5
  t.match(byUnitCode(s.byUnit, 'LB-W2'), { schoolsInScope: 4, schools: 2, topLevelInAllGroups: { schools: 1, share: 0.5 } })
  t.same(byUnitCode(s.byUnit, 'LB-W2')?.groups, [G('I', 2, { 2: 1, 3: 1 }, 69.85, 69.85), G('II', 2, { 2: 1, 3: 1 }, 69, 69)])
  t.equal(s.directlyInUnit, undefined, 'no school sits directly in LB')

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  // LB-W2 + S6 (49.47 L1 / 58 L1): I {1, 2, 3 one each}; mean (89.03 + 50.67 + 49.47)/3 = 189.17/3 = 63.0567 → 63.06;
  //   median 50.67. II {1: S6, 2: S5, 3: S4}; mean (80 + 58 + 58)/3 = 196/3 = 65.33; median 58.
  //   Mức 3 in both: S4 → 1 of 3 = 0.3333
  t.match(byUnitCode(w.byUnit, 'LB-W2'), { schoolsInScope: 4, schools: 3, topLevelInAllGroups: { schools: 1, share: 0.3333 } })
  t.same(byUnitCode(w.byUnit, 'LB-W2')?.groups, [G('I', 3, { 1: 1, 2: 1, 3: 1 }, 63.06, 50.67), G('II', 3, { 1: 1, 2: 1, 3: 1 }, 65.33, 58)])

  // The wards on their own.
  const w1 = await summary(t, 'LB-W1', P24, { key: h.keys.reviewerLB })
  t.equal(w1.schools.inScope, 3, 'LB-W1: S1, S2, S7 (not S5, which left for LB-W2)')
  t.same(w1.schools.byState, { draft: 1, submitted: 0, returned: 0, approved: 1, published: 0, none: 1 })
  t.equal(w1.schools.counted, 1)
  t.same(w1.schools.notAssessed.map((x: any) => x.moetCode), ['S2'])
  t.same(w1.overall.groups, [G('I', 1, { 2: 1 }, 74.03, 74.03), G('II', 1, { 3: 1 }, 80, 80)], 'LB-W1 overall: S1\'s recognised result')
  t.same(w1.byUnit, [], 'a ward has no child units')
  t.match(w1.directlyInUnit, { schoolsInScope: 3, schools: 1 }, 'all its schools sit directly in it')
  t.equal(w1.external.assessments, 1, 'LB-W1: S1\'s external assessment')

  const w2 = await summary(t, 'LB-W2', P24, { key: h.keys.reviewerLB })
  t.equal(w2.schools.inScope, 4, 'LB-W2: S4, S5, S6, S8')
  t.same(w2.schools.byState, { draft: 0, submitted: 1, returned: 1, approved: 0, published: 2, none: 0 })
  t.equal(w2.schools.counted, 2, 'S4 and S5')
  t.same(w2.schools.notAssessed, [])
  t.same(w2.overall.groups, [G('I', 2, { 2: 1, 3: 1 }, 69.85, 69.85), G('II', 2, { 2: 1, 3: 1 }, 69, 69)], 'the LB-W2 row of LB')
  t.equal(w2.external.assessments, 0, 'S6\'s external assessment is not counted (submitted)')
})

// ---- 5. self vs external ---------------------------------------------------------------------

t.test('external: lowered levels, the cut criteria (most cut first), per-school differences', async (t) => {
  const s = await summary(t, 'LB', P24)
  t.equal(s.external.assessments, 1, 'counted with an external assessment: S1')
  // I: S1 74.03 − 89.03 = −15, level 3 → 2 (lowered); II: 80 − 80 = 0, 3 → 3
  t.same(s.external.groups, [
    { code: 'I', schools: 1, meanDiff: -15, levelLowered: 1, levelRaised: 0 },
    { code: 'II', schools: 1, meanDiff: 0, levelLowered: 0, levelRaised: 0 },
  ])
  // S1's cuts: 1.3 30 → 18 (12), 1.3.4 6 → 0 (6), 1.3.5 6 → 0 (6), 1.6.3 4.5 → 1.5 (3); each cut in one school,
  // so ordered by points cut: 1.3 (12), 1.3.4 (6), 1.3.5 (6, code after 1.3.4), 1.6.3 (3).
  t.same(s.external.criteria.map((c: any) => [c.code, c.kind, c.groupCode, c.schools, c.cut, c.raised, c.meanDiff, c.pointsCut]), [
    ['1.3', 'scored', 'I', 1, 1, 0, -12, 12],
    ['1.3.4', 'scored', 'I', 1, 1, 0, -6, 6],
    ['1.3.5', 'scored', 'I', 1, 1, 0, -6, 6],
    ['1.6.3', 'scored', 'I', 1, 1, 0, -3, 3],
  ])
  t.same(s.external.schools, [{
    moetCode: 'S1', name: 'Trường THCS Ngọc Thụy', unitCode: 'LB-W1', totalDiff: -15, // −15 + 0
    groups: [
      { code: 'I', selfTotal: 89.03, externalTotal: 74.03, diff: -15, selfLevel: 3, externalLevel: 2 },
      { code: 'II', selfTotal: 80, externalTotal: 80, diff: 0, selfLevel: 3, externalLevel: 3 },
    ],
  }])

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  t.equal(w.external.assessments, 2, 'S1 and S6 (submitted, counted now)')
  // I: diffs −15 (S1) and 49.47 − 50.67 = −1.2 (S6) → mean (−15 − 1.2)/2 = −8.1; both levels lowered (3→2, 2→1)
  // II: diffs 0 and 0 → 0; S6's level lowered 2 → 1 by the mandatory cap although no points were lost
  t.same(w.external.groups, [
    { code: 'I', schools: 2, meanDiff: -8.1, levelLowered: 2, levelRaised: 0 },
    { code: 'II', schools: 2, meanDiff: 0, levelLowered: 1, levelRaised: 0 },
  ])
  // 1.6.3 is now cut in two schools (S1 4.5 → 1.5, S6 1.2 → 0): points cut 3 + 1.2 = 4.2, mean diff (−3 − 1.2)/2 = −2.1,
  // and comes first although 1.3 lost more points (most cut first). 1.3, 1.3.4, 1.3.5 are compared in both
  // schools but cut only in S1 (S6: 18 → 18, 0 → 0, 0 → 0): 1.3 mean diff (−12 + 0)/2 = −6; 1.3.4, 1.3.5 (−6 + 0)/2 = −3.
  // The mandatory 2.1 (met in both selves, not met in S6's external) is cut once with no points: last, mean diff null.
  t.same(w.external.criteria.map((c: any) => [c.code, c.kind, c.schools, c.cut, c.raised, c.meanDiff, c.pointsCut]), [
    ['1.6.3', 'scored', 2, 2, 0, -2.1, 4.2],
    ['1.3', 'scored', 2, 1, 0, -6, 12],
    ['1.3.4', 'scored', 2, 1, 0, -3, 6],
    ['1.3.5', 'scored', 2, 1, 0, -3, 6],
    ['2.1', 'mandatory', 2, 1, 0, null, 0],
  ])
  // Largest drop first: S1 (−15), then S6 (−1.2 + 0 = −1.2)
  t.same(w.external.schools.map((x: any) => [x.moetCode, x.totalDiff]), [['S1', -15], ['S6', -1.2]])
  t.same(w.external.schools[1]?.groups, [
    { code: 'I', selfTotal: 50.67, externalTotal: 49.47, diff: -1.2, selfLevel: 2, externalLevel: 1 },
    { code: 'II', selfTotal: 58, externalTotal: 58, diff: 0, selfLevel: 2, externalLevel: 1 },
  ])
})

// ---- 6. the previous year --------------------------------------------------------------------

t.test('previousYear: the same schools one year earlier, wherever they were', async (t) => {
  const s = await summary(t, 'LB', P24)
  // Counted now: S1, S4, S5. With a counted 2023-2024 result: S1 (LB-W1) and S5 (then LB-W1, now LB-W2);
  // S4 has none; S7 has one but is only a draft now, so it is not among "the same schools".
  t.equal(s.previousYear.schools, 2, 'S1 and S5')
  // 2023-2024, recognised: S1 50.67 L2 / 80 L3 (its external result; self II was 58 L2); S5 89.03 L3 / 80 L3
  //   I  {2: 1, 3: 1}, mean = median = (50.67 + 89.03)/2 = 139.7/2 = 69.85
  //   II {3: 2}, mean = median = (80 + 80)/2 = 80; Mức 3 in both: S5 → 1 of 2 = 0.5
  t.same(s.previousYear.previous, {
    schools: 2, groups: [G('I', 2, { 2: 1, 3: 1 }, 69.85, 69.85), G('II', 2, { 3: 2 }, 80, 80)],
    topLevelInAllGroups: { schools: 1, share: 0.5 },
  })
  // 2024-2025 (recognised) for the same two: S1 74.03 L2 / 80 L3; S5 50.67 L2 / 58 L2
  //   I  {2: 2}, mean = median = (74.03 + 50.67)/2 = 124.7/2 = 62.35
  //   II {2: 1, 3: 1}, mean = median = (80 + 58)/2 = 69; Mức 3 in both: none → 0 of 2 = 0
  t.same(s.previousYear.current, {
    schools: 2, groups: [G('I', 2, { 2: 2 }, 62.35, 62.35), G('II', 2, { 2: 1, 3: 1 }, 69, 69)],
    topLevelInAllGroups: { schools: 0, share: 0 },
  })
  // change: I 62.35 − 69.85 = −7.5; II 69 − 80 = −11; Mức 3 in both 0 − 1 = −1.
  // S1: I 2 → 2, II 3 (recognised 2023-24) → 3 → same (it would be "up" from its self II L2);
  // S5 (the moved school): I 3 → 2, II 3 → 2 → down.
  t.same(s.previousYear.change, {
    groups: [{ code: 'I', meanTotal: -7.5 }, { code: 'II', meanTotal: -11 }],
    topLevelInAllGroups: -1, schoolsUp: 0, schoolsDown: 1, schoolsSame: 1,
  })

  // S6 (counted with includeSubmitted) has no 2023-2024 result: the same two schools.
  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  t.equal(w.previousYear.schools, 2)
  t.same(w.previousYear.change, s.previousYear.change)

  // The moved school's 2023-2024 result (in LB-W1) is found from its 2024-2025 ward LB-W2.
  const w2 = await summary(t, 'LB-W2', P24)
  // LB-W2 counted now: S4 (no 2023-2024 result), S5 → 1 school: 89.03 L3 / 80 L3 then, 50.67 L2 / 58 L2 now.
  t.equal(w2.previousYear.schools, 1, 'S5, whose previous result was recorded in LB-W1')
  t.same(w2.previousYear.previous.groups, [G('I', 1, { 3: 1 }, 89.03, 89.03), G('II', 1, { 3: 1 }, 80, 80)])
  t.same(w2.previousYear.current.groups, [G('I', 1, { 2: 1 }, 50.67, 50.67), G('II', 1, { 2: 1 }, 58, 58)])
  // I 50.67 − 89.03 = −38.36; II 58 − 80 = −22; Mức 3 in both 0 − 1 = −1; S5 down
  t.same(w2.previousYear.change, {
    groups: [{ code: 'I', meanTotal: -38.36 }, { code: 'II', meanTotal: -22 }],
    topLevelInAllGroups: -1, schoolsUp: 0, schoolsDown: 1, schoolsSame: 0,
  })
  // LB-W1 counted now: S1 → its own 2023-2024 result; S5 is no longer here.
  // S1 then (recognised) 50.67 L2 / 80 L3, now 74.03 L2 / 80 L3: I 74.03 − 50.67 = 23.36, II 0; same levels
  const w1 = await summary(t, 'LB-W1', P24)
  t.equal(w1.previousYear.schools, 1, 'S1 only')
  t.same(w1.previousYear.previous.groups, [G('I', 1, { 2: 1 }, 50.67, 50.67), G('II', 1, { 3: 1 }, 80, 80)])
  t.same(w1.previousYear.change, {
    groups: [{ code: 'I', meanTotal: 23.36 }, { code: 'II', meanTotal: 0 }],
    topLevelInAllGroups: 0, schoolsUp: 0, schoolsDown: 0, schoolsSame: 1,
  })
})

// ---- 7. per-criterion attainment ---------------------------------------------------------------

t.test('criteria: attainment per criterion over the recognised results, weakest first', async (t) => {
  const s = await summary(t, 'LB', P24)
  const pick = (rows: any[], code: string) => {
    const c = rows.find((x) => x.code === code)
    return c && [c.groupCode, c.depth, c.maxPoints, c.schools, c.fullShare, c.zeroShare, c.meanPoints, c.meanShareOfMax]
  }
  // Scored criteria of QĐ 4725: group I 1.3, 1.3.1–1.3.5, 1.4, 1.5.1, 1.5.2, 1.6.1–1.6.3, 1.7.1–1.7.3 (15),
  // group II 2.3.1–2.3.8, 2.4.1–2.4.3 (11) → 26 rows (the mandatory 1.1, 1.2, 2.1, 2.2 and the info 1.3.0 are not).
  t.equal(s.criteria.length, 26)
  // Counted, recognised points (S1 external, S4 strong, S5 gdtx):
  // 2.3.6 (max 10): 0, 0, 0 → full 0/3 = 0, zero 3/3 = 1, mean 0, share 0
  t.same(pick(s.criteria, '2.3.6'), ['II', 0, 10, 3, 0, 1, 0, 0])
  // 1.6.3 (max 6): S1 1.5 (external; its own 4.5 is not used), S4 4.5, S5 1.2 → none full, none zero,
  //   mean (1.5 + 4.5 + 1.2)/3 = 7.2/3 = 2.4, share 2.4/6 = 0.4
  t.same(pick(s.criteria, '1.6.3'), ['I', 0, 6, 3, 0, 0, 2.4, 0.4])
  // 2.4.2 (max 12): S1 12, S4 12, S5 0 → full 2/3 = 0.6667, zero 1/3 = 0.3333, mean 24/3 = 8, share 8/12 = 0.6667
  t.same(pick(s.criteria, '2.4.2'), ['II', 0, 12, 3, 0.6667, 0.3333, 8, 0.6667])
  // 1.3 (max 30): S1 18 (external), S4 30, S5 18 → full 1/3 = 0.3333, zero 0, mean 66/3 = 22, share 22/30 = 0.7333
  t.same(pick(s.criteria, '1.3'), ['I', 0, 30, 3, 0.3333, 0, 22, 0.7333])
  // 1.3.4 (max 6, under 1.3 → depth 1): S1 0 (external), S4 6, S5 0 → full 1/3, zero 2/3, mean 2, share 0.3333
  t.same(pick(s.criteria, '1.3.4'), ['I', 1, 6, 3, 0.3333, 0.6667, 2, 0.3333])

  // Weakest first (ascending meanShareOfMax). Hand-worked shares of every criterion:
  //   2.3.6 0; 1.3.4, 1.3.5 2/6 = 0.3333; 1.6.3 0.4; 1.5.1 (7.5 + 7.5 + 6)/3 = 7 → 7/15 = 0.4667;
  //   then 1.5.2 (5+5+0)/3/5, 1.7.3 (5+5+0)/3/5, 2.3.3 (10+10+0)/3/10, 2.4.2 8/12 — all 0.6667 (by code);
  //   1.3 0.7333; 1.4 (8.57 + 8.57 + 5)/3 = 7.38 → 0.738; … ; the rest 1.
  t.same(s.criteria.slice(0, 9).map((c: any) => c.code), ['2.3.6', '1.3.4', '1.3.5', '1.6.3', '1.5.1', '1.5.2', '1.7.3', '2.3.3', '2.4.2'])
  const shares = s.criteria.map((c: any) => c.meanShareOfMax as number)
  t.ok(shares.every((v: number, i: number) => i === 0 || shares[i - 1] <= v), 'meanShareOfMax never decreases down the list')
  const at = (code: string) => s.criteria.findIndex((c: any) => c.code === code)
  t.ok(at('2.3.6') < at('1.6.3') && at('1.6.3') < at('2.4.2') && at('2.4.2') < at('1.3'), '2.3.6 (0) < 1.6.3 (0.4) < 2.4.2 (0.6667) < 1.3 (0.7333)')

  const w = await summary(t, 'LB', P24, { includeSubmitted: true })
  // + S6 (external: gdtx with 1.6.3 = 0; 2.1 is mandatory, not a scored row):
  // 2.3.6: 0 ×4 → ['II', 0, 10, 4, 0, 1, 0, 0]
  t.same(pick(w.criteria, '2.3.6'), ['II', 0, 10, 4, 0, 1, 0, 0])
  // 1.6.3: 1.5, 4.5, 1.2, 0 → full 0, zero 1/4 = 0.25, mean 7.2/4 = 1.8, share 1.8/6 = 0.3
  t.same(pick(w.criteria, '1.6.3'), ['I', 0, 6, 4, 0, 0.25, 1.8, 0.3])
  // 2.4.2: 12, 12, 0, 0 → full 2/4 = 0.5, zero 0.5, mean 24/4 = 6, share 6/12 = 0.5
  t.same(pick(w.criteria, '2.4.2'), ['II', 0, 12, 4, 0.5, 0.5, 6, 0.5])
  // 1.3: 18, 30, 18, 18 → full 1/4 = 0.25, zero 0, mean 84/4 = 21, share 21/30 = 0.7
  t.same(pick(w.criteria, '1.3'), ['I', 0, 30, 4, 0.25, 0, 21, 0.7])
  const wShares = w.criteria.map((c: any) => c.meanShareOfMax as number)
  t.ok(wShares.every((v: number, i: number) => i === 0 || wShares[i - 1] <= v), 'weakest first with includeSubmitted too')
  // 2.3.6 0; 1.3.4, 1.3.5 (0 + 6 + 0 + 0)/4 = 1.5 → 0.25; 1.6.3 0.3; 1.5.1 (7.5 + 7.5 + 6 + 6)/4 = 6.75 → 0.45
  t.same(w.criteria.slice(0, 5).map((c: any) => c.code), ['2.3.6', '1.3.4', '1.3.5', '1.6.3', '1.5.1'])
})

// ---- 8. units across the years ------------------------------------------------------------------

t.test('units across the years: membership by school year decides', async (t) => {
  // 2023-2024: S5 is still in LB-W1; S8 (from 2024-2025) is not in scope yet.
  const y23 = await summary(t, 'LB', P23)
  t.equal(y23.period.schoolYear, '2023-2024')
  t.equal(y23.schools.inScope, 6, 'S1, S2, S5, S7 (LB-W1) + S4, S6 (LB-W2); not S8')
  t.same(y23.schools.byState, { draft: 0, submitted: 0, returned: 0, approved: 0, published: 3, none: 3 })
  t.same(y23.schools.notAssessed.map((x: any) => x.moetCode), ['S2', 'S4', 'S6'])
  // LB-W1 in 2023-2024: S1, S2, S5, S7; counted (recognised) S1 50.67 L2 / 80 L3 (external), S5 89.03 L3 / 80 L3,
  // S7 15.68 L1 / 46 L1:
  //   I  {1, 2, 3 one each}; mean (50.67 + 89.03 + 15.68)/3 = 155.38/3 = 51.7933 → 51.79; median 50.67
  //   II {1: S7, 3: S1, S5}; mean (80 + 80 + 46)/3 = 206/3 = 68.6667 → 68.67; median 80; Mức 3 in both: S5 → 1/3
  t.match(byUnitCode(y23.byUnit, 'LB-W1'), { schoolsInScope: 4, schools: 3, topLevelInAllGroups: { schools: 1, share: 0.3333 } })
  t.same(byUnitCode(y23.byUnit, 'LB-W1')?.groups, [G('I', 3, { 1: 1, 2: 1, 3: 1 }, 51.79, 50.67), G('II', 3, { 1: 1, 3: 2 }, 68.67, 80)])
  // 2023-2024's external section: S1 II 58 → 80 (+22), level raised 2 → 3; 2.3.6 and 2.4.2 raised, none cut.
  t.same(y23.external.groups, [
    { code: 'I', schools: 1, meanDiff: 0, levelLowered: 0, levelRaised: 0 },
    { code: 'II', schools: 1, meanDiff: 22, levelLowered: 0, levelRaised: 1 },
  ])
  t.same(y23.external.criteria.map((c: any) => [c.code, c.cut, c.raised, c.meanDiff, c.pointsCut]), [
    ['2.3.6', 0, 1, 10, 0], ['2.4.2', 0, 1, 12, 0], // no cuts: by points cut (0, 0), then by code
  ])
  t.match(byUnitCode(y23.byUnit, 'LB-W2'), { schoolsInScope: 2, schools: 0 })
  t.equal(y23.previousYear.schools, 0, 'nothing assessed in 2022-2023')

  // 2024-2025 from the province: PX (a ward from 2025-2026) did not exist yet, so it is no row of HN.
  const hn = await summary(t, 'HN', P24, { key: h.keys.reviewerHN })
  t.same(hn.byUnit.map((r: any) => r.unit.code), ['LB'], 'HN\'s units in 2024-2025: LB only')
  t.match(byUnitCode(hn.byUnit, 'LB'), { schoolsInScope: 7, schools: 3 })
  t.equal(hn.schools.inScope, 7, 'every HN school of 2024-2025 is in LB (S3 joins PX in 2025-2026)')

  // PX asked about 2024-2025, before it existed: no error, simply the schools its memberships give — none.
  const px = await summary(t, 'PX', P24, { key: h.keys.reviewerHN })
  t.equal(px.schools.inScope, 0)
  t.equal(px.schools.counted, 0)
  t.same(px.overall.groups, [NONE('I'), NONE('II')])
  t.same(px.overall.topLevelInAllGroups, { schools: 0, share: null }, 'no schools: share null, not a division by zero')
  t.same(px.byUnit, [])

  // LB asked about 2025-2026, after it ceased to exist: its schools are those whose memberships still
  // point into its subtree that year (all seven: none was moved out), none assessed. Its wards ended
  // with 2024-2025 but still hold those memberships, so they keep their rows (the breakdown adds up
  // to inScope): LB-W1 S1, S2, S7 → 3; LB-W2 S4, S5, S6, S8 → 4.
  const y25 = await summary(t, 'LB', P25, { key: h.keys.reviewerHN })
  t.equal(y25.schools.inScope, 7)
  t.same(y25.schools.byState, { draft: 0, submitted: 0, returned: 0, approved: 0, published: 0, none: 7 })
  t.same(y25.schools.notAssessed.map((x: any) => [x.moetCode, x.unitCode]), [
    ['S1', 'LB-W1'], ['S2', 'LB-W1'], ['S4', 'LB-W2'], ['S5', 'LB-W2'], ['S6', 'LB-W2'], ['S7', 'LB-W1'], ['S8', 'LB-W2'],
  ])
  t.same(y25.byUnit.map((u: any) => [u.unit.code, u.schoolsInScope, u.schools]), [['LB-W1', 3, 0], ['LB-W2', 4, 0]], 'ended wards that still hold schools keep their rows')
  t.equal(y25.schools.counted, 0)
})

// ---- 9. rounding an exact half ------------------------------------------------------------------

t.test('a mean or median that is exactly half a cent is rounded like a decimal (x.xx5 → up)', async (t) => {
  // A separate harness: S1 with weak-rural-th (I 15.68 L1, II 46 L1) and S2 with gdtx-centre
  // (I 50.67 L2, II 58 L2), both published, both in LB-W1.
  const h2 = await harness(t)
  for (const [school, facts] of [['S1', WEAK], ['S2', GDTX]] as const) {
    const a = must(h2, await h2.req(h2.keys.admin, 'POST', '/v1/assessments', { schoolCode: school, periodId: h2.periodId }), 201, `${school} create`)
    let v = must(h2, await h2.req(h2.keys.admin, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts }, ifMatch(a.version)), 200, `${school} evidence`).version
    v = must(h2, await h2.req(h2.keys.admin, 'POST', `/v1/assessments/${a.id}/submit`, {}, ifMatch(v)), 200, `${school} submit`).version
    v = must(h2, await h2.req(h2.keys.reviewerLB, 'POST', `/v1/assessments/${a.id}/approve`, {}, ifMatch(v)), 200, `${school} approve`).version
    must(h2, await h2.req(h2.keys.reviewerLB, 'POST', `/v1/assessments/${a.id}/publish`, {}, ifMatch(v)), 200, `${school} publish`)
  }
  const res = await h2.req(h2.keys.reviewerLB, 'GET', `/v1/units/LB-W1/summary?period=${h2.periodId}`)
  t.equal(res.statusCode, 200)
  const s = h2.json(res)
  t.equal(s.schools.counted, 2)
  const [g1, g2] = s.overall.groups
  // II: (46 + 58)/2 = 52, median 52 (no rounding involved)
  t.same(g2, G('II', 2, { 1: 1, 2: 1 }, 52, 52))
  t.same(g1?.levels, { 1: 1, 2: 1 })
  // I: (15.68 + 50.67)/2 = 66.35/2 = 33.175 exactly → 33.18 rounded to 2 decimals (half-up, as the engine's
  // round2 rounds points "on the decimal value, not on its binary approximation"; half-even gives 33.18 too).
  t.equal(g1?.meanTotal, 33.18, 'mean of I: 33.175 → 33.18') // decimal half-up (was a bug: Math.round on the binary 33.17499… gave 33.17)
  t.equal(g1?.medianTotal, 33.18, 'median of I (even count: mean of the two): 33.175 → 33.18')
})
