// A set that reads another set's result (Long Biên: "mức 3 cả hai nhóm theo QĐ 4725") reads the
// school's stored 4725 assessment of the same period — the external result where recorded — and
// is re-scored when that result changes, unless it is published.
import t from 'tap'
import { exampleFacts, harness, type Harness } from './app.js'

const LB_SET = 'long-bien-ke-hoach-cds'

async function setup(t: Parameters<typeof harness>[0]) {
  const h = await harness(t)
  const period = h.json(await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Long Biên 2024-2025', criteriaSets: ['moet-4725', LB_SET], submissionDeadline: '2025-05-31T16:59:59Z',
  }))
  const start = async (set: string) => h.json(await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: period.id, criteriaSet: set }))
  return { h, period, start }
}
const get = async (h: Harness, id: string) => h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments/${id}`))
// The plan's own facts (criteria/long-bien-ke-hoach-cds/examples/all-met-thcs.json without its 4725 facts).
const PLAN_FACTS = {
  teachers_and_staff_total: 60, teachers_and_staff_with_personal_digital_signature: 60, face_recognition_attendance_linked: true,
  informatics_teachers_total: 3, informatics_teachers_trained_python: 3, cashless_fee_payment: true, cashless_payment_linked_to_databases: true,
  self_assessed_qd3229: true, meets_dx_school_criteria_qd3229: true, self_assessed_moet_4725: true, digital_materials_per_teacher_month_min: 2.5,
}
// Target II.6b of the plan (the assessment has no other facts: only II.6b is asserted).
const target = (a: any) => a.result.groups.flatMap((g: any) => g.criteria).find((c: any) => c.code === 'II.6b')

t.test('the target reads the stored 4725 result and follows it', async (t) => {
  const { h, start } = await setup(t)
  const lb = await start(LB_SET)
  t.match(target(lb), { code: 'II.6b', status: 'incomplete', met: null }, 'no 4725 assessment yet: undetermined')
  const m = await start('moet-4725')
  t.match(target(await get(h, lb.id)), { status: 'incomplete' }, 'an empty 4725 assessment gives no level')

  // strong-thcs: Nhóm I 89.03 → Mức 3, Nhóm II 80 → Mức 3 (its .expected.json); min(3, 3) = 3 ≥ 3.
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${m.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': '"1"' })
  t.equal(saved.statusCode, 200)
  const after = await get(h, lb.id)
  t.match(target(after), { status: 'evaluated', value: 3, met: true, gap: 0 })
  t.equal(after.version, lb.version + 1, 'the dependent was re-scored once')
  const audit = h.json(await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments/${lb.id}/audit`)).items
  t.equal(audit.at(-1).action, 'assessment.references-refreshed')

  // Saving 4725 again without changing its levels leaves the dependent alone.
  await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${m.id}/evidence`, { description: 'bổ sung mô tả' }, { 'if-match': '"2"' })
  t.equal((await get(h, lb.id)).version, after.version, 'levels unchanged: not re-scored')

  // The reviewers' external result lowers Nhóm II: without the family app (2.4.1, 8 points) 80 → 72 → Mức 2.
  await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${m.id}/submit`, {}, { 'if-match': '"3"' })
  const ext = await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${m.id}/external`, { facts: { family_school_app: false } }, { 'if-match': '"4"' })
  t.equal(ext.statusCode, 200)
  // min(3, 2) = 2 < 3 → not met, 1 level short.
  t.match(target(await get(h, lb.id)), { value: 2, met: false, gap: 1 }, 'the recognised (external) result is what the target reads')
})

t.test('a published dependent is final', async (t) => {
  const { h, start } = await setup(t)
  const m = await start('moet-4725')
  await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${m.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': '"1"' })
  const lb = await start(LB_SET)
  t.match(target(lb), { met: true }, 'created after 4725: reads it at once')
  // Only a complete assessment can be submitted: the plan's own facts (as in all-met-thcs).
  const own = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${lb.id}/evidence`, { facts: PLAN_FACTS }, { 'if-match': '"1"' })
  t.equal(own.statusCode, 200)
  t.equal(h.json(own).complete, true, 'the plan facts and the 4725 levels: complete')
  for (const [key, action, v] of [[h.keys.schoolS1, 'submit', 2], [h.keys.reviewerLB, 'approve', 3], [h.keys.reviewerLB, 'publish', 4]] as const) {
    t.equal((await h.req(key, 'POST', `/v1/assessments/${lb.id}/${action}`, {}, { 'if-match': `"${v}"` })).statusCode, 200, action)
  }
  await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${m.id}/submit`, {}, { 'if-match': '"2"' })
  await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${m.id}/external`, { facts: { family_school_app: false } }, { 'if-match': '"3"' })
  const after = await get(h, lb.id)
  t.equal(after.version, 5, 'not re-scored after publication')
  t.match(target(after), { met: true, value: 3 })
})
