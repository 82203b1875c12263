// src/authoring/criteria-csv.ts: a district officer's criteria table (CSV) → a draft criteria set.
// The set a small, realistic table converts to is checked field by field, then compiled and scored
// on evidence whose points are worked out by hand in the comments; then the ";" / BOM / decimal
// comma / Vietnamese header variant, the shipped example docs/examples/district-model.csv, and one
// case per problem code with its line and column.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { criteriaFromCsv, type CsvProblem, type SetMeta } from '../../src/authoring/criteria-csv.js'
import { Catalog } from '../../src/criteria/catalog.js'
import { validateSetSchema } from '../../src/criteria/schema-validation.js'
import { checkSet } from '../../src/scoring/check-set.js'
import { compileSet } from '../../src/scoring/compile-set.js'
import { score } from '../../src/scoring/evaluate.js'
import { EvidenceError } from '../../src/scoring/evidence.js'
import type { CriteriaSetDef, CriterionDef, CriterionResult, GroupResult, ScoreResult } from '../../src/scoring/types.js'
import { verifyFile } from '../../src/verify/verify.js'

const META: SetMeta = {
  id: 'test-district',
  version: '2025-09-01',
  title: 'Bộ tiêu chí kiểm thử (không phải văn bản thật)',
  document: { issuer: 'Phòng GDĐT (kiểm thử)', number: 'KT-01', date: '2025-09-01', kind: 'Ví dụ' },
  appliesTo: ['TH', 'THCS'],
  schoolYear: '2025-2026',
}

// Lines: header = 1, group I = 2 … 2.5 = 14. Every template is used at least once: levels (I, II),
// yes (1.1 mandatory, 1.3.2 scored, 2.2 target), ratio (1.2 scored, 2.1 target, 2.5 info), count
// (1.3.1), sum (1.3, a parent with children), tiers (1.4 with a decimal comma and no else; 2.4 with
// <= and else), raw json-logic (2.3).
const TABLE = [
  'code,parent,title,kind,max_points,rule,threshold,unit,facts,evidence,source,confidence',
  'I,,Chuyển đổi số trong dạy và học,group,,"levels(Mức 1: >=0; Mức 2: >=20; Mức 3: >25)",,,,,"Kiểm thử, mục I",',
  '1.1,I,Có kế hoạch dạy học trực tuyến,mandatory,,yes(online_plan),,,online_plan = Đã ban hành kế hoạch dạy học trực tuyến,Kế hoạch dạy học trực tuyến,"Kiểm thử, mục 1.1",',
  '1.2,I,Tỉ lệ giáo viên được bồi dưỡng kỹ năng số,scored,10,ratio(teachers_trained / teachers_total),,,,Danh sách giáo viên,"Kiểm thử, mục 1.2",',
  '1.3,I,Ứng dụng hệ thống học tập trực tuyến (LMS),scored,,sum,,,,,"Kiểm thử, mục 1.3",unconfirmed',
  '1.3.1,1.3,Chức năng LMS được sử dụng,scored,5,"count(lms_homework, lms_quiz × 2, lms_parents x 2)",,,,,"Kiểm thử, mục 1.3.1",',
  '1.3.2,1.3,Có kho học liệu số,scored,5,yes(digital_library),,,,,"Kiểm thử, mục 1.3.2",',
  '1.4,I,Tỉ lệ tiết học có bài giảng điện tử,scored,10,"tiers(slides_pct; >=90: 10; >=70: 7,5; >=50: 5)",,,slides_pct = Tỉ lệ tiết học có bài giảng điện tử (%),,"Kiểm thử, mục 1.4",quy ước',
  'II,,Chuyển đổi số trong quản trị,group,,"levels(Mức 1: >=0; Mức 2: >=10; Mức 3: >15)",,,,,"Kiểm thử, mục II",',
  '2.1,II,Tỉ lệ học sinh có học bạ số,target,,ratio(students_e_transcript / students_total),>= 90,,,,"Kiểm thử, mục 2.1",',
  '2.2,II,Có cổng thông tin điện tử của trường,target,,yes(school_portal),,,,,"Kiểm thử, mục 2.2",',
  '2.3,II,Sổ điểm và học bạ điện tử,scored,12,"{""if"": [{""and"": [{""var"": ""e_gradebook""}, {""var"": ""e_transcript""}]}, 12, {""var"": ""e_gradebook""}, 6, 0]}",,,"e_gradebook: boolean = Sử dụng sổ điểm điện tử; e_transcript: có/không = Sử dụng học bạ điện tử",,"Kiểm thử, mục 2.3",',
  '2.4,II,Thời gian xử lý hồ sơ trực tuyến (ngày),scored,8,"tiers(processing_days; <=2: 8; <=5: 4; else: 0)",,,,,"Kiểm thử, mục 2.4",',
  '2.5,II,Tỉ lệ phòng học có máy chiếu,info,,ratio(classrooms_projector / classrooms_total),,,,,"Kiểm thử, mục 2.5",',
].join('\n')

function convert(csv: string, meta: SetMeta = META): CriteriaSetDef {
  const r = criteriaFromCsv(csv, meta)
  if (!r.def) throw new Error(`unexpected problems: ${JSON.stringify(r.problems, null, 1)}`)
  return r.def
}

function find(list: CriterionDef[], code: string): CriterionDef {
  for (const c of list) {
    if (c.code === code) return c
    const inner = c.children ? findOrNull(c.children, code) : null
    if (inner) return inner
  }
  throw new Error(`no criterion ${code}`)
}

function findOrNull(list: CriterionDef[], code: string): CriterionDef | null {
  try { return find(list, code) } catch { return null }
}

const criterionOf = (def: CriteriaSetDef, code: string) => find(def.groups.flatMap((g) => g.criteria), code)

function resultOf(r: ScoreResult, code: string): CriterionResult {
  const walk = (list: CriterionResult[]): CriterionResult | null => {
    for (const c of list) {
      if (c.code === code) return c
      const inner = walk(c.children ?? [])
      if (inner) return inner
    }
    return null
  }
  const found = walk(r.groups.flatMap((g) => g.criteria))
  if (!found) throw new Error(`no result for ${code}`)
  return found
}

const groupOf = (r: ScoreResult, code: string) => r.groups.find((g) => g.code === code) as GroupResult

t.test('a district table converts to a valid draft set', async (t) => {
  const def = convert(TABLE)
  t.same(validateSetSchema(def), [], 'the schema accepts it')
  t.same(checkSet(def, null).findings.filter((f) => f.severity === 'error'), [], 'checkSet finds no error')
  t.same(checkSet(def, null).findings, [], 'nor any warning (every fact is read)')
  t.match(def, { formatVersion: 1, id: 'test-district', version: '2025-09-01', status: 'draft', schoolYear: '2025-2026', appliesTo: ['TH', 'THCS'] })
  t.same(def.document, META.document)
  t.same(def.groups.map((g) => [g.code, g.maxPoints, g.criteria.map((c) => c.code)]), [
    ['I', 30, ['1.1', '1.2', '1.3', '1.4']], // 10 + (5 + 5) + 10; the mandatory 1.1 has no points
    ['II', 20, ['2.1', '2.2', '2.3', '2.4', '2.5']], // 12 + 8; targets and info have no points
  ])

  t.test('levels: each band ends where the next starts', async (t) => {
    t.same(def.groups[0]?.levelBands?.bands, [
      { level: 1, name: 'Mức 1', gte: 0, lt: 20 },
      { level: 2, name: 'Mức 2', gte: 20, lte: 25 },
      { level: 3, name: 'Mức 3', gt: 25 },
    ])
    t.same(def.groups[0]?.levelBands?.provenance, { source: 'Kiểm thử, mục I', confidence: 'confirmed' })
    t.same(def.groups[1]?.levelBands?.bands.map((b) => [b.gte ?? b.gt, b.lt ?? b.lte]), [[0, 10], [10, 15], [15, undefined]])
  })

  t.test('criteria: kinds, rules, thresholds, provenance', async (t) => {
    t.same(criterionOf(def, '1.1'), {
      code: '1.1', title: 'Có kế hoạch dạy học trực tuyến', kind: 'mandatory',
      rule: { '!!': [{ var: 'online_plan' }] },
      evidence: { expected: 'Kế hoạch dạy học trực tuyến' },
      provenance: { source: 'Kiểm thử, mục 1.1', confidence: 'confirmed' },
    })
    t.same(criterionOf(def, '1.2').rule, { if: [{ '>': [{ var: ['teachers_total', 0] }, 0] }, { '*': [10, { min: [1, { '/': [{ var: ['teachers_trained', 0] }, { var: ['teachers_total', 0] }] }] }] }, 0] })
    t.equal(criterionOf(def, '1.2').ruleConvention, 'ratio')
    const parent = criterionOf(def, '1.3')
    t.equal(parent.maxPoints, 10, 'a parent\'s maximum is its children\'s sum')
    t.notOk('rule' in parent, 'a parent has no rule of its own')
    t.same(parent.children?.map((c) => c.code), ['1.3.1', '1.3.2'])
    t.equal(parent.provenance.confidence, 'unconfirmed')
    t.same(criterionOf(def, '1.3.1').rule, { min: [5, { '+': [{ if: [{ var: 'lms_homework' }, 1, 0] }, { if: [{ var: 'lms_quiz' }, 2, 0] }, { if: [{ var: 'lms_parents' }, 2, 0] }] }] })
    t.same(criterionOf(def, '1.3.2').rule, { if: [{ var: 'digital_library' }, 5, 0] })
    t.same(criterionOf(def, '1.4').rule, { if: [{ '>=': [{ var: 'slides_pct' }, 90] }, 10, { '>=': [{ var: 'slides_pct' }, 70] }, 7.5, { '>=': [{ var: 'slides_pct' }, 50] }, 5, 0] })
    t.equal(criterionOf(def, '1.4').provenance.confidence, 'convention', '"quy ước" is convention')
    t.match(criterionOf(def, '2.1'), { kind: 'target', threshold: { op: '>=', value: 90 }, unit: '%', ruleConvention: 'ratio-percent' })
    t.notOk('maxPoints' in criterionOf(def, '2.1'))
    t.match(criterionOf(def, '2.2'), { kind: 'target', rule: { '!!': [{ var: 'school_portal' }] }, threshold: { op: '==', value: true } })
    t.same(criterionOf(def, '2.3').rule, { if: [{ and: [{ var: 'e_gradebook' }, { var: 'e_transcript' }] }, 12, { var: 'e_gradebook' }, 6, 0] }, 'raw json-logic is kept as written')
    t.notOk('ruleConvention' in criterionOf(def, '2.3'))
    t.same(criterionOf(def, '2.4').rule, { if: [{ '<=': [{ var: 'processing_days' }, 2] }, 8, { '<=': [{ var: 'processing_days' }, 5] }, 4, 0] })
    t.match(criterionOf(def, '2.5'), { kind: 'info', unit: '%' })
    t.same(Object.keys(def.conventions ?? {}).sort(), ['count', 'ratio', 'ratio-percent', 'tiers', 'yes-no'])
  })

  t.test('facts: one definition each, typed by the rules that read them', async (t) => {
    const facts = new Map((def.facts.define ?? []).map((f) => [f.key, f]))
    t.same([...facts.keys()], [
      'online_plan', 'teachers_trained', 'teachers_total', 'lms_homework', 'lms_quiz', 'lms_parents', 'digital_library', 'slides_pct',
      'students_e_transcript', 'students_total', 'school_portal', 'e_gradebook', 'e_transcript', 'processing_days', 'classrooms_projector', 'classrooms_total',
    ])
    t.same(facts.get('online_plan'), { key: 'online_plan', type: 'boolean', label: 'Đã ban hành kế hoạch dạy học trực tuyến' }, 'label from the facts column')
    t.same(facts.get('teachers_trained'), { key: 'teachers_trained', type: 'integer', label: 'Tỉ lệ giáo viên được bồi dưỡng kỹ năng số — tử số', min: 0, maxFact: 'teachers_total' })
    t.same(facts.get('teachers_total'), { key: 'teachers_total', type: 'integer', label: 'Tỉ lệ giáo viên được bồi dưỡng kỹ năng số — mẫu số', min: 0 })
    t.same(facts.get('lms_quiz'), { key: 'lms_quiz', type: 'boolean', label: 'Chức năng LMS được sử dụng — nội dung 2' })
    t.same(facts.get('slides_pct'), { key: 'slides_pct', type: 'number', label: 'Tỉ lệ tiết học có bài giảng điện tử (%)' })
    t.same(facts.get('e_transcript'), { key: 'e_transcript', type: 'boolean', label: 'Sử dụng học bạ điện tử' }, 'typed in the facts column for the raw rule')
    t.same(facts.get('school_portal')?.label, 'Có cổng thông tin điện tử của trường', 'yes(): the label is the title')
  })

  t.test('the verifier accepts it (rules stay within [0, max] on both engines)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cds-csv-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'test-district.json')
    writeFileSync(file, JSON.stringify(def, null, 2))
    const reports = verifyFile(file, Catalog.load())
    t.same(reports.flatMap((r) => r.findings), [])
  })
})

t.test('the converted set scores evidence as worked out by hand', async (t) => {
  const def = convert(TABLE)
  const set = compileSet(def, null)
  const reference = compileSet(def, null, { backend: 'json-logic-js' })
  const evidence = {
    facts: {
      online_plan: true,
      teachers_trained: 18, teachers_total: 24,
      lms_homework: true, lms_quiz: false, lms_parents: true,
      digital_library: true,
      slides_pct: 72,
      students_e_transcript: 450, students_total: 500,
      school_portal: false,
      e_gradebook: true, e_transcript: false,
      processing_days: 3,
      classrooms_projector: 15, classrooms_total: 20,
    },
  }
  const r = score(set, evidence)
  t.equal(r.complete, true)
  t.same(r.errors, [])
  t.equal(resultOf(r, '1.1').met, true, '1.1 plan issued → met')
  t.equal(resultOf(r, '1.2').points, 7.5, '1.2 = 10 × 18/24 = 7.5')
  t.equal(resultOf(r, '1.3.1').points, 3, '1.3.1 = homework 1 + parents 2 = 3 (cap 5)')
  t.equal(resultOf(r, '1.3.2').points, 5, '1.3.2 = library yes → 5')
  t.equal(resultOf(r, '1.3').points, 8, '1.3 = 3 + 5 = 8')
  t.equal(resultOf(r, '1.4').points, 7.5, '1.4: 72 % → tier >=70 → 7.5')
  t.equal(groupOf(r, 'I').totalExact, 23, 'group I = 7.5 + 8 + 7.5 = 23')
  t.equal(groupOf(r, 'I').level, 2, '20 ≤ 23 ≤ 25 → Mức 2')
  t.same(groupOf(r, 'I').mandatory, { met: ['1.1'], failed: [], incomplete: [] })
  t.match(resultOf(r, '2.1'), { value: 90, met: true, gap: 0 }, '2.1 = 100 × 450/500 = 90 % ≥ 90')
  t.match(resultOf(r, '2.2'), { value: false, met: false }, '2.2 no portal → not met')
  t.equal(resultOf(r, '2.3').points, 6, '2.3 gradebook without transcript → 6')
  t.equal(resultOf(r, '2.4').points, 4, '2.4: 3 days → tier <=5 → 4')
  t.equal(resultOf(r, '2.5').value, 75, '2.5 (info) = 100 × 15/20 = 75 %')
  t.equal(groupOf(r, 'II').totalExact, 10, 'group II = 6 + 4 = 10')
  t.equal(groupOf(r, 'II').level, 2, '10 ≥ 10 → Mức 2 (the band starts at >=10)')
  t.same(groupOf(r, 'II').targets, { met: 1, total: 2, share: 0.5, allMet: false })
  const ref = score(reference, evidence)
  t.same(ref.groups.map((g) => [g.totalExact, g.level]), r.groups.map((g) => [g.totalExact, g.level]), 'json-logic-js gives the same totals and levels')

  t.test('full marks and boundaries', async (t) => {
    const full = score(set, {
      facts: {
        ...evidence.facts,
        teachers_trained: 24, // 10 × 24/24 = 10
        lms_quiz: true, // 1 + 2 + 2 = 5
        slides_pct: 90, // >=90 → 10
        school_portal: true,
        e_transcript: true, // both → 12
        processing_days: 2, // <=2 → 8
      },
    })
    t.equal(groupOf(full, 'I').totalExact, 30, 'I = 10 + 10 + 10 = 30 → Mức 3')
    t.equal(groupOf(full, 'I').level, 3)
    t.equal(groupOf(full, 'II').totalExact, 20, 'II = 12 + 8 = 20 → Mức 3')
    t.equal(groupOf(full, 'II').level, 3)
    t.equal(groupOf(full, 'II').targets?.allMet, true)
  })

  t.test('zero wholes, low tiers, missing facts', async (t) => {
    const low = score(set, {
      facts: {
        ...evidence.facts,
        teachers_trained: 0, teachers_total: 0, // whole 0 → 0 points
        slides_pct: 49.5, // below every tier, no else → 0
        processing_days: 6, // else → 0
        lms_homework: false, lms_parents: false, digital_library: false,
        e_gradebook: false, // → 0
        classrooms_total: undefined, classrooms_projector: undefined,
      },
    })
    t.equal(resultOf(low, '1.2').points, 0)
    t.equal(resultOf(low, '1.4').points, 0)
    t.equal(resultOf(low, '2.4').points, 0)
    t.equal(groupOf(low, 'I').totalExact, 0, 'I = 0 → Mức 1')
    t.equal(groupOf(low, 'I').level, 1)
    t.equal(resultOf(low, '2.5').status, 'incomplete', 'the info row misses its facts')
    t.equal(groupOf(low, 'II').complete, true, 'an incomplete info row does not make the group incomplete')
    const missing = score(set, { facts: { ...evidence.facts, slides_pct: undefined } })
    t.equal(resultOf(missing, '1.4').status, 'incomplete')
    t.same(missing.missingFacts, ['slides_pct'])
  })

  t.test('a ratio part above its whole is rejected as evidence (maxFact)', async (t) => {
    let error: unknown
    try {
      score(set, { facts: { ...evidence.facts, teachers_trained: 30 } })
    } catch (e) {
      error = e
    }
    t.ok(error instanceof EvidenceError, '30 trained of 24 teachers is refused')
    t.same((error as EvidenceError).issues.map((i) => i.code), ['EXCEEDS_WHOLE'])
  })
})

t.test('";" delimiter, BOM, CRLF, decimal commas and Vietnamese headers', async (t) => {
  const vi = '\uFEFF' + [
    'MÃ;Thuộc;Tên tiêu chí;loai;Điểm tối đa (điểm);Cách tính;Dữ kiện;Minh chứng;nguon;Độ tin cậy;Ghi chú',
    '1.;;Hạ tầng số;Nhóm;;"mức(Mức 1: ≥0; Mức 2: ≥5; Mức 3: >7,5)";;;"Kiểm thử; mục 1";;',
    '1.1;1;Có mạng Wi-Fi phủ khắp các phòng học;Tính điểm;2,5;có(wifi_coverage);;Sơ đồ mạng;"Kiểm thử; mục 1.1";Chưa xác nhận;Chờ đối chiếu bản gốc',
    '1.2;1;Tỉ lệ phòng học có máy chiếu;tính điểm;7,5 điểm;tỉ lệ(rooms_projector / rooms_total);"rooms_projector = Số phòng học có máy chiếu; rooms_total = Tổng số phòng học";;"Kiểm thử; mục 1.2";đã xác nhận;',
    ';;;;;;;;;;', // a blank spreadsheet row
  ].join('\r\n') + '\r\n'
  const en = [
    'code,parent,title,kind,max_points,rule,facts,evidence,source,confidence,note',
    '1,,Hạ tầng số,group,,"levels(Mức 1: >=0; Mức 2: >=5; Mức 3: >7.5)",,,"Kiểm thử; mục 1",,',
    '1.1,1,Có mạng Wi-Fi phủ khắp các phòng học,scored,2.5,yes(wifi_coverage),,Sơ đồ mạng,"Kiểm thử; mục 1.1",unconfirmed,Chờ đối chiếu bản gốc',
    '1.2,1,Tỉ lệ phòng học có máy chiếu,scored,7.5,ratio(rooms_projector / rooms_total),"rooms_projector = Số phòng học có máy chiếu; rooms_total = Tổng số phòng học",,"Kiểm thử; mục 1.2",confirmed,',
  ].join('\n')
  const def = convert(vi)
  t.same(def, convert(en), 'the same set as the English, comma-separated table')
  t.equal(def.groups[0]?.code, '1', 'the trailing dot of "1." is dropped')
  t.equal(def.groups[0]?.maxPoints, 10, '2,5 + 7,5 = 10')
  t.same(def.groups[0]?.levelBands?.bands[2], { level: 3, name: 'Mức 3', gt: 7.5 })
  t.match(criterionOf(def, '1.1'), { maxPoints: 2.5, rule: { if: [{ var: 'wifi_coverage' }, 2.5, 0] }, provenance: { source: 'Kiểm thử; mục 1.1', confidence: 'unconfirmed', note: 'Chờ đối chiếu bản gốc' } })
  t.equal(criterionOf(def, '1.2').maxPoints, 7.5, '"7,5 điểm"')
  // 1.1 yes → 2.5; 1.2 = 7.5 × 9/12 = 5.625; total 8.125 > 7.5 → Mức 3
  const r = score(compileSet(def, null), { facts: { wifi_coverage: true, rooms_projector: 9, rooms_total: 12 } })
  t.equal(resultOf(r, '1.2').points, 5.63, '5.625 is shown rounded half-up')
  t.equal(groupOf(r, '1').totalExact, 8.125)
  t.equal(groupOf(r, '1').level, 3)
})

t.test('docs/examples/district-model.csv converts without problems and scores', async (t) => {
  const csv = readFileSync(new URL('../../docs/examples/district-model.csv', import.meta.url), 'utf8')
  const meta: SetMeta = {
    id: 'vi-du-mo-hinh-quan', version: '2025-09-01', title: 'Mô hình đánh giá CĐS cấp quận — ví dụ minh họa',
    document: { issuer: 'Ví dụ minh họa (không phải văn bản của cơ quan nào)', number: 'VD-01', date: '2025-09-01' },
    appliesTo: ['TH', 'THCS'],
  }
  const { def, problems } = criteriaFromCsv(csv, meta)
  t.same(problems, [])
  if (!def) return
  t.same(checkSet(def, null).findings.filter((f) => f.severity === 'error'), [])
  const sources = new Set(def.groups.flatMap((g) => [g.levelBands?.provenance.source, ...g.criteria.flatMap((c) => [c.provenance.source, ...(c.children ?? []).map((ch) => ch.provenance.source)])]))
  t.same([...sources], ['Ví dụ minh họa, không phải QĐ 3229'], 'every row says it is an illustration, not QĐ 3229')
  t.same(def.groups.map((g) => [g.code, g.maxPoints, g.levelBands?.bands.length]), [['I', 30, 3], ['II', 20, 3]])
  // I: 1.2 = 10 × 30/40 = 7.5; 1.3.1 = 2 + 2 = 4; 1.3.2 = 4; 1.4: 60 % → 5 → 20.5 (Mức 2: 15 ≤ 20.5 ≤ 24)
  // II: 2.2 = 10; 2.3 one of two → 5 → 15 (Mức 2: ≤ 15); 2.1 = 100 × 380/400 = 95 % ≥ 90 met
  const r = score(compileSet(def, null), {
    facts: {
      online_teaching_plan: true, teachers_with_lms_account: 30, teachers_total: 40,
      lms_homework: true, lms_online_quiz: false, lms_parent_tracking: true, shared_digital_library: true,
      lessons_with_slides_pct: 60, students_with_digital_transcript: 380, students_total: 400,
      electronic_gradebook: true, cashless_fees: true, online_admission: false,
    },
  })
  t.same(r.groups.map((g) => [g.totalExact, g.level]), [[20.5, 2], [15, 2]])
  t.match(resultOf(r, '2.1'), { value: 95, met: true })
})

// ---- problems ----

const HEAD = 'code,parent,title,kind,max_points,rule,threshold,unit,facts,evidence,source,confidence'
const GROUP = 'I,,Nhóm I,,,,,,,,,' // line 2
const OK_ROW = '1.1,I,Tiêu chí hợp lệ,scored,10,yes(ok_fact),,,,,Nguồn,' // a valid criterion

/** [code, line, column] of every problem of a table: header, the group (line 2), then the rows. */
function problemsOf(rows: string[], head = HEAD, group: string | null = GROUP): [string, number, string | undefined][] {
  const csv = [head, ...(group === null ? [] : [group]), ...rows].join('\n')
  const r = criteriaFromCsv(csv, META)
  if (r.problems.length > 0) t.equal(r.def, undefined, 'no set when there are problems')
  for (const p of r.problems) checkWording(p)
  return r.problems.map((p) => [p.code, p.line, p.column])
}

function checkWording(p: CsvProblem): void {
  if (!/^[A-Z][A-Z_]+$/.test(p.code) || p.message === '' || !p.fix) t.fail(`problem without a stable code, message or fix: ${JSON.stringify(p)}`)
}

t.test('problems of the file and its header', async (t) => {
  t.same(criteriaFromCsv('', META).problems.map((p) => p.code), ['EMPTY_FILE'])
  t.same(criteriaFromCsv('\uFEFF  \n', META).problems.map((p) => p.code), ['EMPTY_FILE'])
  t.same(problemsOf([], HEAD, null), [['NO_ROWS', 2, undefined]])
  const cp1258 = Buffer.concat([Buffer.from(`${HEAD}\n${GROUP}\n1.1,I,T`), Buffer.from([0xea, 0x6e]), Buffer.from(',scored,10,yes(a),,,,,x,\n')])
  t.same(criteriaFromCsv(cp1258.toString('utf8'), META).problems.map((p) => [p.code, p.line]), [['NOT_UTF8', 3]], 'a Windows code page file')
  t.same(problemsOf(['1.1,I,"Tên chưa đóng ngoặc kép,scored,10,,,,,,x,'], HEAD), [['CSV_SYNTAX', 3, undefined]])
  t.same(problemsOf([OK_ROW], 'code,title,max_points,rule'), [['MISSING_COLUMN', 1, 'source']], 'source is required')
  t.same(problemsOf([OK_ROW], 'parent,kind'), [['MISSING_COLUMN', 1, 'code'], ['MISSING_COLUMN', 1, 'title'], ['MISSING_COLUMN', 1, 'source']])
  t.same(problemsOf([OK_ROW], `${HEAD},Điểm tự chấm`), [['UNKNOWN_COLUMN', 1, 'Điểm tự chấm']])
  t.same(problemsOf([OK_ROW], `${HEAD},Tên`), [['DUPLICATE_COLUMN', 1, 'Tên']], '"title" and "Tên" are the same column')
  t.same(problemsOf(['1.1,I,Có kế hoạch, quy chế,scored,10,yes(plan),,,,,Nguồn,']), [['EXTRA_CELLS', 3, '#13']], 'an unquoted comma splits a cell')
  t.same(problemsOf([`${OK_ROW},,Ghi chú`]), [['EXTRA_CELLS', 3, '#14']], 'text beyond the header')
  t.same(problemsOf([OK_ROW], `${HEAD},`), [], 'an empty trailing header cell is fine')
  t.same(problemsOf([`${OK_ROW},Ghi chú lạc`], `${HEAD},`), [['EXTRA_CELLS', 3, '#13']], 'text under an empty header cell')
  const many = Array.from({ length: 2001 }, (_, i) => `1.${i},I,Tiêu chí,scored,1,yes(f${i}),,,,,Nguồn,`)
  t.same(problemsOf(many), [['TOO_MANY_ROWS', 2002, undefined]])
})

t.test('problems of rows and structure', async (t) => {
  const cases: [string, string[], [string, number, string | undefined][]][] = [
    ['missing code', [',I,Tên,scored,10,yes(a),,,,,Nguồn,'], [['MISSING_VALUE', 3, 'code']]],
    ['missing title', ['1.1,I,,scored,10,yes(a),,,,,Nguồn,'], [['MISSING_VALUE', 3, 'title']]],
    ['missing source', ['1.1,I,Tên,scored,10,yes(a),,,,,,'], [['MISSING_VALUE', 3, 'source']]],
    ['missing points', ['1.1,I,Tên,scored,,yes(a),,,,,Nguồn,'], [['MISSING_VALUE', 3, 'max_points']]],
    ['unknown kind', ['1.1,I,Tên,điểm thưởng,10,yes(a),,,,,Nguồn,'], [['UNKNOWN_KIND', 3, 'kind']]],
    ['bad number', ['1.1,I,Tên,scored,mười,yes(a),,,,,Nguồn,'], [['BAD_NUMBER', 3, 'max_points']]],
    ['zero points', ['1.1,I,Tên,scored,0,yes(a),,,,,Nguồn,'], [['BAD_NUMBER', 3, 'max_points']]],
    ['unknown confidence', ['1.1,I,Tên,scored,10,yes(a),,,,,Nguồn,chắc chắn'], [['UNKNOWN_CONFIDENCE', 3, 'confidence']]],
    ['duplicate code', [OK_ROW, '1.1,I,Tên khác,scored,5,yes(b),,,,,Nguồn,'], [['DUPLICATE_CODE', 4, 'code']]],
    ['bad criterion code', ['1.1 a,I,Tên,scored,10,yes(a),,,,,Nguồn,'], [['BAD_CODE', 3, 'code']]],
    ['bad group code', [OK_ROW, 'II.1,,Nhóm,,,,,,,,,'], [['BAD_CODE', 4, 'code'], ['EMPTY_GROUP', 4, 'code']]],
    ['group with a parent', [OK_ROW, 'II,I,Nhóm,group,,,,,,,,', '2.1,II,Tên,scored,5,yes(b),,,,,Nguồn,'], [['GROUP_HAS_PARENT', 4, 'parent']]],
    ['criterion without group', [OK_ROW, '2.1,,Tên,scored,10,yes(b),,,,,Nguồn,'], [['NO_GROUP', 4, 'parent']]],
    ['unknown parent', [OK_ROW, '2.1,II,Tên,scored,10,yes(b),,,,,Nguồn,'], [['UNKNOWN_PARENT', 4, 'parent']]],
    ['parent cycle', [OK_ROW, '3.1,3.2,A,scored,5,yes(a),,,,,Nguồn,', '3.2,3.1,B,scored,5,yes(b),,,,,Nguồn,'], [['PARENT_CYCLE', 4, 'parent'], ['PARENT_CYCLE', 5, 'parent']]],
    ['child of a mandatory criterion', ['1.1,I,Tên,mandatory,,yes(a),,,,,Nguồn,', '1.1.1,1.1,Con,scored,5,yes(b),,,,,Nguồn,'], [['BAD_PARENT', 4, 'parent']]],
    ['children of a mandatory sum', ['1.1,I,Tên,mandatory,,sum,,,,,Nguồn,', '1.1.1,1.1,Con,scored,5,yes(b),,,,,Nguồn,'], [['BAD_PARENT', 4, 'parent']]],
    ['empty group', [OK_ROW, 'II,,Nhóm II,,,,,,,,,'], [['EMPTY_GROUP', 4, 'code']]],
    ['too long unit', [`1.1,I,Tên,target,,yes(a),,${'x'.repeat(41)},,,Nguồn,`], [['TOO_LONG', 3, 'unit']]],
  ]
  for (const [name, rows, expected] of cases) t.same(problemsOf(rows), expected, name)
  t.same(problemsOf([OK_ROW], HEAD, 'I,,Nhóm I,,,,>= 50,điểm,,Biên bản,,'), [['NOT_FOR_GROUP', 2, 'threshold'], ['NOT_FOR_GROUP', 2, 'unit'], ['NOT_FOR_GROUP', 2, 'evidence']], 'cells a group row has no use for')
  t.same(problemsOf([OK_ROW], HEAD, `I,,${'x'.repeat(501)},,,,,,,,,`), [['TOO_LONG', 2, 'title']], 'a group title is at most 500 characters')
  t.same(problemsOf([`1.1,I,${'x'.repeat(1000)},scored,10,yes(a),,,,,Nguồn,`]), [], 'a criterion title up to 1000')
})

t.test('problems of rules, points and facts', async (t) => {
  const cases: [string, string[], [string, number, string | undefined][]][] = [
    ['unknown template', ['1.1,I,Tên,scored,10,maybe(a),,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['template without brackets', ['1.1,I,Tên,scored,10,yes,,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['ratio without /', ['1.1,I,Tên,scored,10,ratio(a),,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['ratio of a fact by itself', ['1.1,I,Tên,scored,10,ratio(a / a),,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['tier without points', ['1.1,I,Tên,scored,10,"tiers(a; >=90)",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['tier condition', ['1.1,I,Tên,scored,10,"tiers(a; khoảng 90: 10)",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['else not last', ['1.1,I,Tên,scored,10,"tiers(a; else: 0; >=90: 10)",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['no tiers', ['1.1,I,Tên,scored,10,tiers(a),,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['count weight', ['1.1,I,Tên,scored,10,"count(a × hai, b)",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['count with an empty item', ['1.1,I,Tên,scored,2,"count(a, , b)",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['count twice', ['1.1,I,Tên,scored,2,"count(a, a)",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['sum with arguments', ['1.1,I,Tên,scored,10,sum(a),,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['invalid json-logic', ['1.1,I,Tên,scored,10,"{""if"": [}",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['json-logic operator', ['1.1,I,Tên,scored,10,"{""log"": [{""var"": ""a""}]}",,,a: integer = A,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['json-logic arithmetic on yes/no', ['1.1,I,Tên,scored,10,"{""*"": [10, {""var"": [""a"", 0]}]}",,,a: có/không = A,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['json-logic reference', ['1.1,I,Tên,scored,10,"{""var"": ""ref.other""}",,,,,Nguồn,'], [['BAD_RULE', 3, 'rule']]],
    ['bad fact key', ['1.1,I,Tên,scored,10,yes(Có kế hoạch),,,,,Nguồn,'], [['BAD_FACT_KEY', 3, 'rule']]],
    ['reserved fact key', ['1.1,I,Tên,scored,10,yes(constructor),,,,,Nguồn,'], [['BAD_FACT_KEY', 3, 'rule']]],
    ['bad fact key in json-logic', ['1.1,I,Tên,scored,10,"{""var"": ""a.b""}",,,,,Nguồn,'], [['BAD_FACT_KEY', 3, 'rule']]],
    ['bad fact key in facts', ['1.1,I,Tên,scored,10,yes(a),,,Số GV = Số giáo viên,,Nguồn,'], [['BAD_FACT_KEY', 3, 'facts']]],
    ['bad facts entry', ['1.1,I,Tên,scored,10,yes(a),,,a: chữ = A,,Nguồn,'], [['BAD_FACTS', 3, 'facts']]],
    ['facts entry without label or type', ['1.1,I,Tên,scored,10,yes(a),,,a,,Nguồn,'], [['BAD_FACTS', 3, 'facts']]],
    ['levels on a criterion', ['1.1,I,Tên,scored,10,"levels(Mức 1: >=0; Mức 2: >=5)",,,,,Nguồn,'], [['LEVELS_ON_CRITERION', 3, 'rule']]],
    ['rule on a group', [OK_ROW, 'II,,Nhóm II,,,yes(b),,,,,,', '2.1,II,Tên,scored,5,yes(c),,,,,Nguồn,'], [['RULE_ON_GROUP', 4, 'rule']]],
    ['parent with a rule', ['1.1,I,Cha,scored,,yes(a),,,,,Nguồn,', '1.1.1,1.1,Con,scored,5,yes(b),,,,,Nguồn,'], [['PARENT_WITH_RULE', 3, 'rule']]],
    ['sum without children', ['1.1,I,Tên,scored,10,sum,,,,,Nguồn,'], [['SUM_WITHOUT_CHILDREN', 3, 'rule']]],
    ['missing rule', ['1.1,I,Tên,mandatory,,,,,,,Nguồn,'], [['MISSING_RULE', 3, 'rule']]],
    ['tiers on a mandatory row', ['1.1,I,Tên,mandatory,,"tiers(a; >=1: 1)",,,,,Nguồn,'], [['RULE_NOT_FOR_KIND', 3, 'rule']]],
    ['count on a target', ['1.1,I,Tên,target,,"count(a, b)",>= 1,,,,Nguồn,'], [['RULE_NOT_FOR_KIND', 3, 'rule']]],
    ['points on a mandatory row', ['1.1,I,Tên,mandatory,5,yes(a),,,,,Nguồn,'], [['POINTS_NOT_ALLOWED', 3, 'max_points']]],
    ['parent maximum', ['1.1,I,Cha,scored,10,,,,,,Nguồn,', '1.1.1,1.1,Con,scored,4,yes(a),,,,,Nguồn,', '1.1.2,1.1,Con,scored,5,yes(b),,,,,Nguồn,'], [['MAX_MISMATCH', 3, 'max_points']]],
    ['parent without scored children', ['1.1,I,Cha,scored,,,,,,,Nguồn,', '1.1.1,1.1,Con,mandatory,,yes(a),,,,,Nguồn,'], [['NO_SCORED_CHILDREN', 3, 'max_points']]],
    ['tier above the maximum', ['1.1,I,Tên,scored,10,"tiers(a; >=90: 12; else: 0)",,,,,Nguồn,'], [['TIER_ABOVE_MAX', 3, 'rule']]],
    ['else above the maximum', ['1.1,I,Tên,scored,10,"tiers(a; >=90: 10; else: 11)",,,,,Nguồn,'], [['TIER_ABOVE_MAX', 3, 'rule']]],
    ['tiers below the maximum', ['1.1,I,Tên,scored,10,"tiers(a; >=90: 8; else: 0)",,,,,Nguồn,'], [['MAX_UNREACHABLE', 3, 'rule']]],
    ['count below the maximum', ['1.1,I,Tên,scored,10,"count(a, b × 2)",,,,,Nguồn,'], [['MAX_UNREACHABLE', 3, 'rule']]],
    ['threshold on a scored row', ['1.1,I,Tên,scored,10,yes(a),>= 1,,,,Nguồn,'], [['THRESHOLD_NOT_FOR_KIND', 3, 'threshold']]],
    ['unreadable threshold', ['1.1,I,Tên,target,,"ratio(a / b)",khoảng 90,,,,Nguồn,'], [['BAD_THRESHOLD', 3, 'threshold']]],
    ['numeric threshold on yes()', ['1.1,I,Tên,target,,yes(a),>= 90,,,,Nguồn,'], [['BAD_THRESHOLD', 3, 'threshold']]],
    ['yes/no threshold on ratio()', ['1.1,I,Tên,target,,ratio(a / b),== true,,,,Nguồn,'], [['BAD_THRESHOLD', 3, 'threshold']]],
    ['ordering a yes/no', ['1.1,I,Tên,target,,yes(a),>= có,,,,Nguồn,'], [['BAD_THRESHOLD', 3, 'threshold']]],
    ['json-logic target without threshold', ['1.1,I,Tên,target,,"{""var"": ""a""}",,,a: integer = A,,Nguồn,'], [['MISSING_VALUE', 3, 'threshold']]],
    ['label of a fact the rule does not read', ['1.1,I,Tên,scored,10,yes(a),,,b = Nhãn B,,Nguồn,'], [['FACT_NOT_IN_RULE', 3, 'facts']]],
    ['one fact, two types', [OK_ROW, '1.2,I,Tên,scored,10,"tiers(ok_fact; >=1: 10)",,,,,Nguồn,'], [['FACT_TYPE_CLASH', 4, 'rule']]],
    ['type in facts against the rule', ['1.1,I,Tên,scored,10,yes(a),,,a: integer = A,,Nguồn,'], [['FACT_TYPE_CLASH', 3, 'facts']]],
    ['untyped fact of json-logic', ['1.1,I,Tên,mandatory,,"{""var"": ""a""}",,,,,Nguồn,'], [['UNTYPED_FACT', 3, 'facts']]],
  ]
  for (const [name, rows, expected] of cases) t.same(problemsOf(rows), expected, name)
  t.same(problemsOf([OK_ROW], HEAD, 'I,,Nhóm I,,100,,,,,,,'), [['GROUP_MAX_MISMATCH', 2, 'max_points']], 'group maximum')
  t.same(problemsOf([OK_ROW], HEAD, 'I,,Nhóm I,,10,,,,,,,'), [], 'a group maximum that agrees')

  t.test('a json-logic fact typed by another row needs no type', async (t) => {
    t.same(problemsOf([OK_ROW, '1.2,I,Tên,mandatory,,"{""!"": [{""var"": ""ok_fact""}]}",,,,,Nguồn,']), [])
  })
  t.test('tiers accept a count fact: ratio makes it integer', async (t) => {
    const def = convert([HEAD, GROUP, '1.1,I,A,scored,10,ratio(a / b),,,,,Nguồn,', '1.2,I,B,scored,5,"tiers(b; >=10: 5)",,,,,Nguồn,'].join('\n'))
    t.equal(def.facts.define?.find((f) => f.key === 'b')?.type, 'integer')
  })
})

t.test('problems of level bands', async (t) => {
  const group = (levels: string) => `I,,Nhóm I,,,"${levels}",,,,,Nguồn,`
  t.same(problemsOf([OK_ROW], HEAD, group('levels(Mức 1: >=0; Mức 2: >=5; Mức 3: >8)')), [], 'valid bands')
  t.same(problemsOf([OK_ROW], HEAD, group('levels(Mức 1: >0; Mức 2: >=5)')), [['BAD_LEVELS', 2, 'rule']], '0 falls in no band')
  t.same(problemsOf([OK_ROW], HEAD, group('levels(Mức 1: >=0; Mức 2: >=5; Mức 3: >=5)')), [['BAD_LEVELS', 2, 'rule']], 'an empty band')
  t.same(problemsOf([OK_ROW], HEAD, group('levels(Mức 1: >=0; Mức 2: >=5; Mức 3: >10)')), [['BAD_LEVELS', 2, 'rule']], 'above the group maximum 10')
  t.same(problemsOf([OK_ROW], HEAD, group('levels(Mức 1: <50)')), [['BAD_RULE', 2, 'rule']], 'upper bounds are not the grammar')
  t.same(problemsOf([OK_ROW], HEAD, group('levels()')), [['BAD_RULE', 2, 'rule']])
  const ten = Array.from({ length: 10 }, (_, i) => `L${i}: >=${i}`).join('; ')
  t.same(problemsOf([OK_ROW], HEAD, group(`levels(${ten})`)), [['BAD_LEVELS', 2, 'rule']], 'at most 9 levels')
  t.same(problemsOf([OK_ROW], HEAD, 'I,,Nhóm I,,,"levels(Mức 1: >=0; Mức 2: >=5)",,,,,,'), [['MISSING_VALUE', 2, 'source']], 'levels need a source')
  t.same(problemsOf(['1.1,I,Tên,mandatory,,yes(a),,,,,Nguồn,'], HEAD, group('levels(Mức 1: >=0; Mức 2: >=5)')), [['LEVELS_WITHOUT_POINTS', 2, 'rule']])
})

t.test('problems point at the line a row starts on, with the header as written', async (t) => {
  const head = 'Mã;Thuộc;Tên;Loại;Điểm tối đa;Cách tính;Nguồn'
  const csv = [
    head,
    'I;;Nhóm I;;;;',
    '1.1;I;"Tên có\r\nxuống dòng\r\nhai lần";tính điểm;10;yes(a);Nguồn', // lines 3–5
    '',
    '1.2;I;Tên;tính điểm;10;không rõ(a);Nguồn', // line 7
  ].join('\r\n')
  t.same(criteriaFromCsv(csv, META).problems.map((p) => [p.code, p.line, p.column]), [['BAD_RULE', 7, 'Cách tính']])
  const lf = csv.replace(/\r\n/g, '\n').replace('yes(a)', 'maybe(a)')
  t.same(criteriaFromCsv(lf, META).problems.map((p) => [p.line, p.column]), [[3, 'Cách tính'], [7, 'Cách tính']])
})

t.test('messages quote the input and say how to fix it', async (t) => {
  const [p] = criteriaFromCsv([HEAD, GROUP, '1.1,I,Tên,điểm thưởng,10,yes(a),,,,,Nguồn,'].join('\n'), META).problems
  t.match(p, { line: 3, column: 'kind', code: 'UNKNOWN_KIND', message: /"điểm thưởng"/, fix: /tính điểm/ })
  const [k] = criteriaFromCsv([HEAD, GROUP, '1.1,I,Tên,scored,10,yes(Số GV),,,,,Nguồn,'].join('\n'), META).problems
  t.match(k?.fix, /"so_gv"/, 'a valid key is suggested')
})

t.test('every problem is collected, in line order', async (t) => {
  const r = criteriaFromCsv([HEAD, GROUP, '1.1,I,,scored,mười,yes(a),,,,,,', '1.1,X,Tên,loại lạ,10,yes(b),,,,,Nguồn,'].join('\n'), META)
  t.same(r.problems.map((p) => [p.code, p.line]), [
    ['MISSING_VALUE', 3], ['BAD_NUMBER', 3], ['MISSING_VALUE', 3], ['UNKNOWN_KIND', 4], ['DUPLICATE_CODE', 4], ['UNKNOWN_PARENT', 4],
  ])
})

t.test('the set details are schema-checked too (line 0)', async (t) => {
  const r = criteriaFromCsv([HEAD, GROUP, OK_ROW].join('\n'), { ...META, id: 'Phòng GD Long Biên', appliesTo: ['THCS', 'ĐH'] })
  t.equal(r.def, undefined)
  t.ok(r.problems.length >= 2)
  t.ok(r.problems.every((p) => p.code === 'SCHEMA_INVALID' && p.line === 0 && p.fix), 'each finding becomes a line-0 problem')
  t.match(r.problems.map((p) => p.message).join('\n'), /\/id/)
})
