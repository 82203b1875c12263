// A district loads its own model: CSV table → draft → verifier report → publish (immutable) → a
// period pins it → a school is scored with it. Expected points are worked out by hand from the
// example table docs/examples/district-model.csv.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Catalog } from '../../src/criteria/catalog.js'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { buildApp } from '../../src/app.js'
import { harness, type Harness } from './app.js'

const CSV = readFileSync(new URL('../../docs/examples/district-model.csv', import.meta.url), 'utf8')
const META = {
  unitCode: 'LB', id: 'lb-mo-hinh-vi-du', version: '2024-2025', title: 'Bộ tiêu chí ví dụ của quận',
  document: { issuer: 'Phòng GDĐT quận Long Biên (ví dụ)', number: '01/VD-PGDĐT', date: '2024-08-05' }, appliesTo: ['TH', 'THCS'],
}
const importAs = (h: Harness, key: string, body: Record<string, unknown>) => h.req(key, 'POST', '/v1/authored-sets/import', { ...META, csv: CSV, ...body })
const fresh = (t: Tap) => harness(t, { catalog: Catalog.load() })
type Tap = Parameters<typeof harness>[0]

t.test('import → draft with the verifier report; the draft is not usable until published', async (t) => {
  const h = await fresh(t)
  const res = await importAs(h, h.keys.reviewerLB, {})
  t.equal(res.statusCode, 201)
  const body = h.json(res)
  t.match(body.set, { id: 'lb-mo-hinh-vi-du', version: '2024-2025', status: 'draft', unitCode: 'LB', title: 'Bộ tiêu chí ví dụ của quận', publishedAt: null })
  t.same(body.verification.errors, 0, 'the example table passes the verifier')
  t.equal(body.definition.status, 'draft')
  t.same(body.definition.groups.map((g: { code: string }) => g.code), ['I', 'II'])
  t.equal(body.sourceCsv, CSV, 'the officer\'s table is kept as the source')

  const again = await importAs(h, h.keys.reviewerLB, { title: 'Bộ tiêu chí ví dụ (sửa)' })
  t.equal(again.statusCode, 200, 'importing the same version again replaces the draft')
  t.equal(h.json(again).set.title, 'Bộ tiêu chí ví dụ (sửa)')

  const period = await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Mô hình quận', criteriaSets: ['lb-mo-hinh-vi-du@2024-2025'], submissionDeadline: '2025-05-31T16:59:59Z',
  })
  t.equal(period.statusCode, 404, 'a draft cannot be pinned by a period')
  t.equal(h.json(period).error.code, 'UNKNOWN_CRITERIA_SET')
  const list = h.json(await h.req(h.keys.reviewerLB, 'GET', '/v1/authored-sets'))
  t.same(list.items.map((s: { id: string; status: string }) => [s.id, s.status]), [['lb-mo-hinh-vi-du', 'draft']])
})

t.test('publish → immutable, in the catalog, pinned by a period, scored as the table says', async (t) => {
  const h = await fresh(t)
  t.equal((await importAs(h, h.keys.reviewerLB, {})).statusCode, 201)
  const pub = await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025/publish', {})
  t.equal(pub.statusCode, 200)
  t.equal(h.json(pub).set.status, 'published')
  t.equal(h.json(pub).definition.status, 'published')

  const again = await importAs(h, h.keys.reviewerLB, {})
  t.equal(again.statusCode, 409, 'a published version never changes')
  t.equal(h.json(again).error.code, 'CRITERIA_SET_PUBLISHED')
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025/publish', {})).statusCode, 409)

  const set = await h.req(null, 'GET', '/v1/criteria-sets/lb-mo-hinh-vi-du')
  t.equal(set.statusCode, 200, 'the public criteria endpoint serves it')
  t.equal(h.json(set).document.number, '01/VD-PGDĐT')

  const period = h.json(await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Mô hình quận', criteriaSets: ['lb-mo-hinh-vi-du'], submissionDeadline: '2025-05-31T16:59:59Z',
  }))
  t.same(period.criteriaSets, ['lb-mo-hinh-vi-du@2024-2025'])
  const a = h.json(await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: period.id }))
  const facts = {
    online_teaching_plan: true,
    teachers_with_lms_account: 18, teachers_total: 24,
    lms_homework: true, lms_online_quiz: false, lms_parent_tracking: true,
    shared_digital_library: true,
    lessons_with_slides_pct: 60,
    students_with_digital_transcript: 450, students_total: 500,
    electronic_gradebook: true,
    cashless_fees: true, online_admission: false,
  }
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts }, { 'if-match': '"1"' })
  t.equal(saved.statusCode, 200)
  const r = h.json(saved).result
  const crit = (code: string) => r.groups.flatMap((g: any) => g.criteria.flatMap((c: any) => [c, ...(c.children ?? [])])).find((c: any) => c.code === code)
  // 1.2 ratio: 10 × 18/24 = 7.5; 1.3.1 count: (true + false + true) × 2 = 4; 1.3.2 yes: 4; 1.3 = 4 + 4 = 8;
  // 1.4 tiers: 60 ≥ 50 → 5. Nhóm I = 7.5 + 8 + 5 = 20.5; bands ≥15 (Mức 2), >24 (Mức 3) → Mức 2.
  t.equal(crit('1.2').points, 7.5)
  t.equal(crit('1.3.1').points, 4)
  t.equal(crit('1.3').points, 8)
  t.equal(crit('1.4').points, 5)
  t.match(r.groups[0], { code: 'I', total: 20.5, level: 2, complete: true })
  // 2.1 target: 100 × 450/500 = 90 %, ≥ 90 → met, gap 0. 2.2 yes: 10. 2.3 raw json-logic: one of two → 5.
  // Nhóm II = 10 + 5 = 15; Mức 3 needs > 15 → Mức 2.
  t.match(crit('2.1'), { kind: 'target', value: 90, met: true, gap: 0 })
  t.equal(crit('2.3').points, 5)
  t.match(r.groups[1], { code: 'II', total: 15, level: 2 })
})

t.test('bad tables and verifier errors are refused with what to fix; nothing is stored', async (t) => {
  const h = await fresh(t)
  const broken = 'Mã;Thuộc;Tên;Loại;Điểm tối đa;Cách tính;Nguồn\nI;;Nhóm một;nhóm;;;\n1.1;I;Tiêu chí;tính điểm;10;yes(;QĐ 01 mục 1\n1.2;X;Tiêu chí hai;tính điểm;5;yes(a);QĐ 01 mục 2\n'
  const res = await importAs(h, h.keys.reviewerLB, { csv: broken })
  t.equal(res.statusCode, 400)
  const err = h.json(res).error
  t.equal(err.code, 'INVALID_CRITERIA_TABLE')
  t.equal(err.path, '/csv')
  const lines = err.details.problems.map((p: { line: number }) => p.line)
  t.ok(lines.includes(3), 'the bad rule on line 3 is reported')
  t.ok(lines.includes(4), 'the unknown parent on line 4 is reported')
  t.equal((await h.req(h.keys.reviewerLB, 'GET', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025')).statusCode, 404, 'nothing was stored')

  // Converts (the table is well-formed), but the verifier finds rule 2.3 can give 15 of its 10 points.
  const above = CSV.replace('{""var"": ""online_admission""}]}, 10,', '{""var"": ""online_admission""}]}, 15,')
  t.not(above, CSV, 'the fixture edit applied')
  const draft = await importAs(h, h.keys.reviewerLB, { csv: above })
  t.equal(draft.statusCode, 201, 'the draft is stored so the officer can read the report')
  const findings = h.json(draft).verification.findings
  t.match(findings, [{ severity: 'error', code: 'RULE_ABOVE_MAX', criterion: '2.3' }])
  const pub = await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025/publish', {})
  t.equal(pub.statusCode, 409)
  t.equal(h.json(pub).error.code, 'VERIFICATION_FAILED')
  t.match(h.json(pub).error.details.findings, [{ code: 'RULE_ABOVE_MAX' }])
  const fixed = await importAs(h, h.keys.reviewerLB, {})
  t.equal(h.json(fixed).verification.errors, 0, 'the corrected table replaces the draft')
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025/publish', {})).statusCode, 200, 'and publishes')
})

t.test('who may author: reviewers for their subtree, admins; ids are owned', async (t) => {
  const h = await fresh(t)
  t.equal((await importAs(h, h.keys.schoolS1, {})).statusCode, 403, 'a school key cannot')
  t.equal((await importAs(h, h.keys.reviewerQN, {})).statusCode, 404, 'another province does not see LB')
  const taken = await importAs(h, h.keys.reviewerLB, { id: 'moet-4725' })
  t.equal(taken.statusCode, 409)
  t.equal(h.json(taken).error.code, 'CRITERIA_SET_ID_TAKEN')
  t.equal((await importAs(h, h.keys.reviewerLB, {})).statusCode, 201)
  const other = await importAs(h, h.keys.reviewerQN, { unitCode: 'QN', version: '2025-2026' })
  t.equal(other.statusCode, 409, 'another unit cannot add versions to LB\'s set id')
  t.equal((await h.req(h.keys.reviewerQN, 'GET', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025')).statusCode, 404)
  t.equal(h.json(await h.req(h.keys.reviewerQN, 'GET', '/v1/authored-sets')).items.length, 0)
  t.equal((await h.req(h.keys.reviewerHN, 'GET', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025')).statusCode, 200, 'the province above sees it')
  t.equal((await importAs(h, h.keys.admin, { version: '2025-2026' })).statusCode, 201, 'an admin authors for any unit')
})

t.test('published sets are back in the catalog after a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-authoring-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'cds.sqlite')
  const h = await harness(t, { catalog: Catalog.load(), store: sqliteStore(openDatabase(file)) })
  await importAs(h, h.keys.reviewerLB, {})
  t.equal((await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025/publish', {})).statusCode, 200)
  await h.app.close()
  const app = await buildApp({ logger: false, catalog: Catalog.load(), config: { dbFile: file, uploadsDir: dir } })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/v1/criteria-sets/lb-mo-hinh-vi-du@2024-2025' })
  t.equal(res.statusCode, 200)
  t.equal(JSON.parse(res.body).status, 'published')
})

// ---- withdrawing a published set (issue 11, H3: no way to withdraw one) ----

const SET_URL = '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025'
const withdraw = (h: Harness, key: string | null, body: unknown = { reason: 'Bảng tiêu chí có sai sót ở mục 2.3' }) => h.req(key, 'POST', `${SET_URL}/withdraw`, body)

/** LB's example set published, a period pinning it, S1's assessment in it with evidence saved. */
async function publishedAndPinned(t: Test, h: Harness) {
  t.equal((await importAs(h, h.keys.reviewerLB, {})).statusCode, 201)
  t.equal((await h.req(h.keys.reviewerLB, 'POST', `${SET_URL}/publish`, {})).statusCode, 200)
  const period = h.json(await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Mô hình quận', criteriaSets: ['lb-mo-hinh-vi-du@2024-2025'], submissionDeadline: '2025-05-31T16:59:59Z',
  }))
  const a = h.json(await h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: period.id }))
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: { online_teaching_plan: true, electronic_gradebook: true } }, { 'if-match': '"1"' })
  t.equal(saved.statusCode, 200)
  return { periodId: period.id as string, assessmentId: a.id as string, result: h.json(saved).result }
}

t.test('withdraw: state, audit with the reason; gone for new use; pinned assessments keep their results', async (t) => {
  const db = openDatabase(':memory:')
  const h = await harness(t, { catalog: Catalog.load(), store: sqliteStore(db) })
  const pinned = await publishedAndPinned(t, h)

  const res = await withdraw(h, h.keys.reviewerLB)
  t.equal(res.statusCode, 200)
  t.equal(h.json(res).set.status, 'withdrawn')
  t.equal(h.json(res).definition.status, 'published', 'the definition itself is unchanged (its content hash too)')
  const audit = db.sqlite.prepare("SELECT action, actor, before, after FROM audit_log WHERE entity_type = 'criteria-set' ORDER BY id").all() as { action: string; before: string; after: string }[]
  t.same(audit.map((e) => e.action), ['criteria-set.import', 'criteria-set.publish', 'criteria-set.withdraw'])
  const last = audit[2] as { before: string; after: string }
  t.match(JSON.parse(last.before), { status: 'published' })
  t.match(JSON.parse(last.after), { status: 'withdrawn', reason: 'Bảng tiêu chí có sai sót ở mục 2.3' })

  // Gone for anything new.
  const score = await h.req(null, 'POST', '/v1/score', { criteriaSet: 'lb-mo-hinh-vi-du@2024-2025', evidence: { facts: {} }, hints: true })
  t.equal(score.statusCode, 409, 'anonymous scoring with the withdrawn version')
  t.equal(h.json(score).error.code, 'CRITERIA_SET_WITHDRAWN')
  t.equal(h.json(score).error.path, '/criteriaSet')
  const byId = await h.req(null, 'POST', '/v1/score', { criteriaSet: 'lb-mo-hinh-vi-du', evidence: { facts: {} } })
  t.equal(byId.statusCode, 404, 'by id alone there is no published version left')
  const list = h.json(await h.req(null, 'GET', '/v1/criteria-sets')).items.map((s: { id: string }) => s.id)
  t.notOk(list.includes('lb-mo-hinh-vi-du'), 'not in the public catalog')
  const period = await h.req(h.keys.reviewerLB, 'POST', '/v1/periods', {
    unitCode: 'LB', schoolYear: '2024-2025', title: 'Đợt mới', criteriaSets: ['moet-4725', 'lb-mo-hinh-vi-du@2024-2025'], submissionDeadline: '2025-05-31T16:59:59Z',
  })
  t.equal(period.statusCode, 409, 'no new period can pin it')
  t.match(h.json(period).error, { code: 'CRITERIA_SET_WITHDRAWN', path: '/criteriaSets/1' })
  const s2 = await h.req(h.keys.schoolS2, 'POST', '/v1/assessments', { schoolCode: 'S2', periodId: pinned.periodId })
  t.equal(s2.statusCode, 409, 'no new assessment in the period that pinned it')
  t.equal(h.json(s2).error.code, 'CRITERIA_SET_WITHDRAWN')
  const again = await importAs(h, h.keys.reviewerLB, {})
  t.equal(again.statusCode, 409, 'the withdrawn version cannot be re-imported')
  t.equal(h.json(again).error.code, 'CRITERIA_SET_WITHDRAWN')
  t.equal(h.json(await withdraw(h, h.keys.admin)).error.code, 'CRITERIA_SET_WITHDRAWN', 'withdrawing twice: 409')

  // The assessment pinned to it is still readable, with its stored result, its sheet and audit.
  const a = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${pinned.assessmentId}`)
  t.equal(a.statusCode, 200)
  t.same(h.json(a).result.groups.map((g: { total: number }) => g.total), pinned.result.groups.map((g: { total: number }) => g.total))
  t.equal((await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${pinned.assessmentId}/sheet`)).statusCode, 200)
  t.equal((await h.req(h.keys.reviewerLB, 'GET', `/v1/units/LB/summary?period=${pinned.periodId}`)).statusCode, 200, 'the period\'s summary still works')
  t.equal((await h.req(null, 'GET', '/v1/criteria-sets/lb-mo-hinh-vi-du@2024-2025')).statusCode, 200, 'the definition stays readable by version')
  t.equal(h.json(await h.req(h.keys.reviewerLB, 'GET', SET_URL)).set.status, 'withdrawn')
})

t.test('withdraw: who may (admin, the owning unit, a unit above it) and who may not', async (t) => {
  for (const [who, status, code] of [
    ['schoolS1', 403, 'FORBIDDEN'], ['reviewerQN', 404, 'NOT_FOUND'], [null, 401, undefined],
    ['reviewerHN', 200, undefined],
  ] as const) {
    const h = await fresh(t)
    await publishedAndPinned(t, h)
    const res = await withdraw(h, who === null ? null : h.keys[who])
    t.equal(res.statusCode, status, `${who ?? 'no key'}: ${status}`)
    if (code) t.equal(h.json(res).error.code, code)
    const state = h.json(await h.req(h.keys.admin, 'GET', SET_URL)).set.status
    t.equal(state, status === 200 ? 'withdrawn' : 'published', `${who ?? 'no key'}: state ${state}`)
  }
  const h = await fresh(t)
  await publishedAndPinned(t, h)
  const noReason = await withdraw(h, h.keys.admin, {})
  t.equal(noReason.statusCode, 400, 'a reason is required')
  const blank = await withdraw(h, h.keys.admin, { reason: '   ' })
  t.match(h.json(blank).error, { code: 'MISSING_REASON', path: '/reason' })
  t.equal((await withdraw(h, h.keys.admin)).statusCode, 200, 'an admin may')
  const draft = await importAs(h, h.keys.reviewerLB, { version: '2025-2026' })
  t.equal(draft.statusCode, 201)
  const d = await h.req(h.keys.reviewerLB, 'POST', '/v1/authored-sets/lb-mo-hinh-vi-du/2025-2026/withdraw', { reason: 'x' })
  t.equal(d.statusCode, 409)
  t.equal(h.json(d).error.code, 'CRITERIA_SET_NOT_PUBLISHED', 'a draft is not withdrawn')
})

t.test('a withdrawn set stays withdrawn after a restart, and readable for its assessments', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-authoring-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'cds.sqlite')
  const h = await harness(t, { catalog: Catalog.load(), store: sqliteStore(openDatabase(file)) })
  const pinned = await publishedAndPinned(t, h)
  t.equal((await withdraw(h, h.keys.reviewerLB)).statusCode, 200)
  await h.app.close()
  const app = await buildApp({ logger: false, catalog: Catalog.load(), config: { dbFile: file, uploadsDir: dir } })
  t.teardown(() => app.close())
  const score = await app.inject({ method: 'POST', url: '/v1/score', payload: { criteriaSet: 'lb-mo-hinh-vi-du@2024-2025', evidence: { facts: {} } } })
  t.equal(score.statusCode, 409)
  t.equal((await app.inject({ method: 'GET', url: `/v1/assessments/${pinned.assessmentId}/sheet`, headers: { authorization: `Bearer ${h.keys.schoolS1}` } })).statusCode, 200)
})

// ---- the verifier's report by content (issue 11, H3: every GET re-verified) ----

t.test('the verifier runs once per content: GET and publish reuse the import\'s report', async (t) => {
  const h = await fresh(t)
  const runs = () => h.app.services.authoring.verifierRuns
  const before = runs()
  const imported = await importAs(h, h.keys.reviewerLB, {})
  t.equal(runs(), before + 1, 'the import verifies')
  for (let i = 0; i < 3; i++) {
    const got = await h.req(h.keys.reviewerLB, 'GET', SET_URL)
    t.same(h.json(got).verification, h.json(imported).verification, `GET ${i + 1}: the same report`)
  }
  t.equal(runs(), before + 1, 'three GETs, no new verification')
  t.equal((await h.req(h.keys.reviewerLB, 'POST', `${SET_URL}/publish`, {})).statusCode, 200)
  t.equal(runs(), before + 1, 'publish reuses the draft\'s report')
  await h.req(h.keys.reviewerLB, 'GET', SET_URL)
  t.equal(runs(), before + 2, 'the published definition (status "published") is new content: verified once')
  await h.req(h.keys.reviewerLB, 'GET', SET_URL)
  t.equal(runs(), before + 2)
  // A changed table is new content.
  await importAs(h, h.keys.reviewerLB, { version: '2025-2026', title: 'Bản khác' })
  t.equal(runs(), before + 3)
  t.equal(h.app.services.authoring.verifyCache.hits, 5, 'answered from the cache: 3 GETs of the draft, the publish, the 2nd GET of the published set')
})
