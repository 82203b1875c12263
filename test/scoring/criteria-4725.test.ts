// Every criterion of QĐ 4725 (criteria/moet-4725/2022-12-30.json), full and zero/partial.
// Expected points are computed by hand from each criterion's rule; the arithmetic is beside it.
import t from 'tap'
import { score } from '../../src/scoring/index.js'
import type { CriterionDef } from '../../src/scoring/index.js'
import {
  PROV, compileFixture, criterion, fixtureSet, fullEvidence, group, load4725, type Facts,
} from '../helpers.js'

const set = load4725()

/** Scores fullEvidence with overrides and returns one criterion's result (and the result). */
function run(code: string, overrides: Facts = {}) {
  const result = score(set, fullEvidence(overrides))
  return { c: criterion(result, code), result }
}

t.test('fullEvidence covers exactly the 44 facts of the set, and is complete', async (t) => {
  const keys = Object.keys(fullEvidence().facts).sort()
  t.equal(keys.length, 44)
  t.same(keys, [...(set.def.facts.use ?? [])].sort())
  const r = score(set, fullEvidence())
  t.equal(r.complete, true)
  t.same(r.missingFacts, [])
  t.same(r.errors, [])
})

t.test('mandatory conditions 1.1, 1.2, 2.1, 2.2', async (t) => {
  const table: [string, string, string][] = [
    ['1.1', 'online_teaching_plan_issued', 'online_teaching_plan_document'],
    ['1.2', 'online_teaching_regulation_issued', 'online_teaching_regulation_document'],
    ['2.1', 'dx_steering_unit', 'dx_steering_unit_document'],
    ['2.2', 'dx_plan_issued', 'dx_plan_document'],
  ]
  for (const [code, fact, doc] of table) {
    t.test(code, async (t) => {
      const yes = run(code).c
      t.equal(yes.kind, 'mandatory')
      t.equal(yes.status, 'evaluated')
      t.equal(yes.met, true, 'met when the fact is true')
      t.equal(yes.points, undefined, 'a mandatory condition carries no points')
      t.same(yes.explanation.read, { [fact]: true }, 'explanation reads the fact with its value')
      t.equal(yes.evidenceMissing, undefined, 'document given')

      const no = run(code, { [fact]: false }).c
      t.equal(no.met, false, 'not met when the fact is false')
      t.same(no.explanation.read, { [fact]: false })

      // the document is minh chứng: reported when absent, never scored
      const { c: noDoc, result } = run(code, { [doc]: null })
      t.equal(noDoc.met, true, 'still met without the document')
      t.same(noDoc.evidenceMissing, [doc], 'the missing document is reported')
      t.equal(result.complete, true, 'a missing document does not make the result incomplete')
    })
  }
})

t.test('yes/no criteria: full points when true, 0 when false', async (t) => {
  // [code, fact, points from the rule {"if": [{"var": fact}, points, 0]}, group, group total when off]
  const table: [string, string, number, string, number][] = [
    ['1.3.1', 'live_online_teaching_software_deployed', 6, 'I', 94], // 100 − 6
    ['1.3.2', 'lms_assigns_self_study', 6, 'I', 94],
    ['1.3.3', 'lms_answers_questions', 6, 'I', 94],
    ['1.3.4', 'lms_continuous_assessment', 6, 'I', 94],
    ['1.3.5', 'lms_parent_monitoring', 6, 'I', 94],
    ['1.5.2', 'testing_software_exchanges_with_sis', 5, 'I', 95], // 100 − 5
    ['1.7.3', 'digital_content_studio', 5, 'I', 95],
    ['2.3.1', 'sis_usage_regulation_issued', 6, 'II', 84], // 90 − 6
    ['2.3.2', 'sis_student_module', 6, 'II', 84],
    ['2.3.4', 'sis_staff_module', 6, 'II', 84],
    ['2.3.5', 'sis_facilities_module', 10, 'II', 80], // 90 − 10
    ['2.3.6', 'sis_health_module', 10, 'II', 80],
    ['2.3.7', 'sis_accounting_module', 6, 'II', 84],
    ['2.3.8', 'sis_syncs_with_sector_database', 6, 'II', 84],
    ['2.4.1', 'family_school_app', 8, 'II', 82], // 90 − 8
    ['2.4.2', 'online_admission', 12, 'II', 78], // 90 − 12
    ['2.4.3', 'cashless_fee_payment', 10, 'II', 80],
  ]
  for (const [code, fact, max, g, totalOff] of table) {
    t.test(`${code} (${max})`, async (t) => {
      const on = run(code).c
      t.equal(on.kind, 'scored')
      t.equal(on.maxPoints, max)
      t.equal(on.points, max, `${fact} = true → ${max}`)
      t.equal(on.explanation.branch, 1, 'first branch of the if')
      t.same(on.explanation.condition, { var: fact })
      t.same(on.explanation.read, { [fact]: true })

      const { c: off, result } = run(code, { [fact]: false })
      t.equal(off.points, 0, `${fact} = false → 0`)
      t.equal(off.status, 'evaluated')
      t.equal(off.explanation.branch, 2, 'else branch')
      t.equal(off.explanation.condition, 'else')
      t.equal(group(result, g).totalExact, totalOff, `group ${g} total ${totalOff}`)
    })
  }
})

t.test('2.3.3 needs both the electronic gradebook and the electronic transcript', async (t) => {
  // {"if": [{"and": [gradebook, transcript]}, 10, 0]}
  const cases: [boolean, boolean, number][] = [[true, true, 10], [true, false, 0], [false, true, 0], [false, false, 0]]
  for (const [gradebook, transcript, points] of cases) {
    const { c, result } = run('2.3.3', { electronic_gradebook: gradebook, electronic_transcript: transcript })
    t.equal(c.points, points, `gradebook ${gradebook}, transcript ${transcript} → ${points}`)
    t.equal(c.explanation.branch, points > 0 ? 1 : 2)
    t.equal(group(result, 'II').totalExact, 80 + points, `group II = 80 + ${points}`)
  }
  const { c } = run('2.3.3', { electronic_gradebook: true, electronic_transcript: null })
  t.equal(c.status, 'incomplete', 'transcript not given → incomplete')
  t.equal(c.points, null)
  t.same(c.missingFacts, ['electronic_transcript'])
})

t.test('ratio criteria: max × part/whole', async (t) => {
  // [code, whole fact, whole, part fact, part, points (2 decimals), group I total (2 decimals), arithmetic]
  // group I total = 100 − max of the criterion + its unrounded points
  const table: [string, string, number, string, number, number, number, string][] = [
    ['1.4', 'subjects_total', 12, 'subjects_with_digital_materials', 7, 5.83, 95.83, '10 × 7/12 = 5.833…; 90 + 5.833… = 95.83'],
    ['1.5.1', 'periodic_tests_total', 40, 'periodic_tests_on_computer', 15, 5.63, 90.63, '15 × 15/40 = 5.625 → 5.63 (half up); 85 + 5.625 = 90.625 → 90.63'],
    ['1.6.1', 'teachers_total', 40, 'teachers_with_online_training_account', 30, 5.25, 98.25, '7 × 30/40 = 5.25; 93 + 5.25 = 98.25'],
    ['1.6.2', 'teachers_total', 40, 'teachers_using_digital_tools', 13, 2.28, 95.28, '7 × 13/40 = 2.275 → 2.28 (half up on the decimal value); 93 + 2.275 = 95.275 → 95.28'],
    ['1.6.3', 'teachers_total', 40, 'teachers_creating_digital_materials', 10, 1.5, 95.5, '6 × 10/40 = 1.5; 94 + 1.5 = 95.5'],
    ['1.7.1', 'classrooms_total', 12, 'classrooms_with_projector_and_internet', 9, 6, 98, '8 × 9/12 = 6; 92 + 6 = 98'],
  ]
  const max: Record<string, number> = { '1.4': 10, '1.5.1': 15, '1.6.1': 7, '1.6.2': 7, '1.6.3': 6, '1.7.1': 8 }
  for (const [code, wholeFact, whole, partFact, part, points, total, arithmetic] of table) {
    t.test(`${code}: ${arithmetic}`, async (t) => {
      // keep the other parts of a shared whole valid (≤ whole) but otherwise at full evidence
      const shared: Facts = wholeFact === 'teachers_total'
        ? { teachers_with_online_training_account: whole, teachers_using_digital_tools: whole, teachers_creating_digital_materials: whole }
        : {}
      const full = run(code, { ...shared, [wholeFact]: whole, [partFact]: whole }).c
      t.equal(full.points, max[code], `${whole}/${whole} → ${max[code]}`)

      const { c, result } = run(code, { ...shared, [wholeFact]: whole, [partFact]: part })
      t.equal(c.points, points, arithmetic)
      t.equal(c.maxPoints, max[code])
      t.equal(c.explanation.branch, 1, `${wholeFact} > 0 → ratio branch`)
      t.same(c.explanation.read, { [wholeFact]: whole, [partFact]: part }, 'read lists both facts with values')
      t.match(c.explanation.text, new RegExp(`${partFact} = ${part}`), 'text shows the values')
      t.equal(group(result, 'I').total, total, `group I total ${total}`)

      const none = run(code, { ...shared, [wholeFact]: whole, [partFact]: 0 }).c
      t.equal(none.points, 0, `0/${whole} → 0`)
    })
  }
})

t.test('ratio criteria: a zero whole gives 0 points, and the part is then not needed', async (t) => {
  const table: [string[], string, Facts][] = [
    [['1.4'], 'subjects_total', { subjects_with_digital_materials: null }],
    [['1.5.1'], 'periodic_tests_total', { periodic_tests_on_computer: null }],
    [['1.6.1', '1.6.2', '1.6.3'], 'teachers_total', { teachers_with_online_training_account: null, teachers_using_digital_tools: null, teachers_creating_digital_materials: null }],
    [['1.7.1'], 'classrooms_total', { classrooms_with_projector_and_internet: null }],
  ]
  for (const [codes, whole, parts] of table) {
    const result = score(set, fullEvidence({ [whole]: 0, ...parts }))
    for (const code of codes) {
      const c = criterion(result, code)
      t.equal(c.points, 0, `${code}: ${whole} = 0 → 0`)
      t.equal(c.status, 'evaluated', `${code}: evaluated, not incomplete`)
      t.equal(c.explanation.branch, 2, `${code}: else branch`)
      t.equal(c.explanation.condition, 'else')
      t.same(c.explanation.read, { [whole]: 0 }, `${code}: only the whole was read`)
    }
    t.equal(result.complete, true, `${whole} = 0: result complete without the parts`)
  }
  // zero whole with a zero part given explicitly
  t.equal(run('1.4', { subjects_total: 0, subjects_with_digital_materials: 0 }).c.points, 0, '1.4: 0/0 → 0')
})

t.test('1.7.2 Informatics computers against the 24/16/12 pupils-per-computer norm', async (t) => {
  const cases: [string, Facts, number, string][] = [
    ['TH only', { pupils_th: 480, pupils_thcs: 0, pupils_thpt: 0, informatics_computers: 15 }, 5.25,
      'needed 480/24 = 20; 7 × 15/20 = 5.25'],
    ['THCS only', { pupils_th: 0, pupils_thcs: 640, pupils_thpt: 0, informatics_computers: 32 }, 5.6,
      'needed 640/16 = 40; 7 × 32/40 = 5.6'],
    ['THPT only', { pupils_th: 0, pupils_thcs: 0, pupils_thpt: 360, informatics_computers: 10 }, 2.33,
      'needed 360/12 = 30; 7 × 10/30 = 2.333… → 2.33'],
    ['TH + THCS + THPT (liên cấp)', { pupils_th: 240, pupils_thcs: 160, pupils_thpt: 120, informatics_computers: 12 }, 2.8,
      'needed 240/24 + 160/16 + 120/12 = 10 + 10 + 10 = 30; 7 × 12/30 = 2.8'],
    ['THCS + THPT', { pupils_th: 0, pupils_thcs: 320, pupils_thpt: 240, informatics_computers: 30 }, 5.25,
      'needed 320/16 + 240/12 = 20 + 20 = 40; 7 × 30/40 = 5.25'],
    ['more computers than the norm', { pupils_th: 0, pupils_thcs: 640, pupils_thpt: 0, informatics_computers: 50 }, 7,
      'needed 40; 50/40 = 1.25, ratio capped at 1 → 7'],
    ['exactly the norm', { pupils_th: 480, pupils_thcs: 0, pupils_thpt: 0, informatics_computers: 20 }, 7,
      'needed 20; 7 × 20/20 = 7'],
    ['no computers', { pupils_th: 480, pupils_thcs: 0, pupils_thpt: 0, informatics_computers: 0 }, 0,
      '7 × 0/20 = 0'],
    ['no pupils', { pupils_th: 0, pupils_thcs: 0, pupils_thpt: 0, informatics_computers: 5 }, 0,
      'no pupils → else branch → 0'],
  ]
  for (const [name, facts, points, arithmetic] of cases) {
    const c = run('1.7.2', facts).c
    t.equal(c.points, points, `${name}: ${arithmetic}`)
  }
  const multi = run('1.7.2', cases[3]?.[1]).c
  t.equal(multi.explanation.branch, 1)
  t.same(multi.explanation.read, { pupils_th: 240, pupils_thcs: 160, pupils_thpt: 120, informatics_computers: 12 })

  const noPupils = run('1.7.2', cases[8]?.[1]).c
  t.equal(noPupils.explanation.branch, 2, 'no pupils: else branch')

  const missing = run('1.7.2', { pupils_thpt: null }).c
  t.equal(missing.status, 'incomplete', 'a pupil count not given (null) → incomplete, not 0 pupils')
  t.equal(missing.points, null)
  t.same(missing.missingFacts, ['pupils_thpt'])
})

t.test('1.3 is the sum of 1.3.1–1.3.5 with its own level bands', async (t) => {
  const lms = ['live_online_teaching_software_deployed', 'lms_assigns_self_study', 'lms_answers_questions', 'lms_continuous_assessment', 'lms_parent_monitoring']
  // k of the five 6-point items yes → 6k points; bands: < 10 → 1, 10–20 → 2, > 20 → 3
  const expected: [number, number, number, string][] = [
    [0, 0, 1, 'Mức 1'], [1, 6, 1, 'Mức 1'], [2, 12, 2, 'Mức 2'], [3, 18, 2, 'Mức 2'], [4, 24, 3, 'Mức 3'], [5, 30, 3, 'Mức 3'],
  ]
  for (const [k, points, level, name] of expected) {
    const facts: Facts = {}
    lms.forEach((f, i) => { facts[f] = i < k })
    const { c, result } = run('1.3', facts)
    t.equal(c.points, points, `${k} × 6 = ${points}`)
    t.equal(c.maxPoints, 30)
    t.equal(c.level, level, `${points} points → level ${level}`)
    t.equal(c.levelName, name)
    t.equal(c.children?.length, 6, 'five scored children and the info item 1.3.0')
    t.equal(group(result, 'I').totalExact, 70 + points, `group I = 70 + ${points}`)
  }
  const c = run('1.3', { lms_answers_questions: false }).c
  t.match(c.explanation.text, /1\.3\.3: 0/, 'the explanation lists each child\'s points')
  t.match(c.explanation.text, /1\.3\.1: 6/)
})

t.test('1.3 bands at exactly 10 and 20 (the 4725 band definition on a fixture parent)', async (t) => {
  // 4725's own children are worth 6 each, so 1.3 can only be 0, 6, 12, 18, 24 or 30 there.
  // To test the inclusive bounds, the very band object of 4725's 1.3 is put on a fixture parent
  // whose children are: a (10, yes/no), b (10, yes/no), c (10 × part/1000).
  const bands = set.def.groups[0]?.criteria.find((c) => c.code === '1.3')?.levelBands
  t.ok(bands, '1.3 has level bands in the file')
  const child = (code: string, rule: unknown): CriterionDef => ({ code, title: code, kind: 'scored', maxPoints: 10, rule, provenance: PROV })
  const def = fixtureSet({
    facts: {
      define: [
        { key: 'a', type: 'boolean', label: 'a' },
        { key: 'b', type: 'boolean', label: 'b' },
        { key: 'part', type: 'integer', min: 0, max: 1000, label: 'part' },
      ],
    },
    groups: [{
      code: 'G',
      title: 'G',
      criteria: [{
        code: 'P', title: 'parent', kind: 'scored', maxPoints: 30, levelBands: bands, provenance: PROV,
        children: [
          child('P.a', { if: [{ var: 'a' }, 10, 0] }),
          child('P.b', { if: [{ var: 'b' }, 10, 0] }),
          child('P.c', { '*': [10, { '/': [{ var: ['part', 0] }, 1000] }] }),
        ],
      }],
    }],
  })
  const fixture = compileFixture(def)
  const cases: [Facts, number, number, string][] = [
    [{ a: false, b: false, part: 999 }, 9.99, 1, '10 × 999/1000 = 9.99 < 10 → Mức 1'],
    [{ a: true, b: false, part: 0 }, 10, 2, '10 exactly → Mức 2'],
    [{ a: true, b: false, part: 1 }, 10.01, 2, '10 + 10 × 1/1000 = 10.01 → Mức 2'],
    [{ a: true, b: true, part: 0 }, 20, 2, '20 exactly → Mức 2'],
    [{ a: true, b: true, part: 1 }, 20.01, 3, '20 + 0.01 = 20.01 > 20 → Mức 3'],
    [{ a: true, b: true, part: 1000 }, 30, 3, '30 → Mức 3'],
  ]
  for (const [facts, points, level, why] of cases) {
    const c = criterion(score(fixture, { facts }), 'P')
    t.equal(c.points, points, why)
    t.equal(c.level, level, why)
    t.equal(c.levelName, `Mức ${level}`)
  }
})

t.test('1.3.0 is information only: no points, its value echoes the LMS facts', async (t) => {
  const { c, result } = run('1.3.0', { lms_solution_name: 'K12Online', lms_acquisition: 'purchased' })
  t.equal(c.kind, 'info')
  t.equal(c.status, 'evaluated')
  t.equal(c.points, undefined, 'no points')
  t.equal(c.maxPoints, undefined, 'no maximum')
  t.same(c.value, { lms_solution_name: 'K12Online', lms_acquisition: 'purchased' })
  t.same(c.explanation.read, { lms_solution_name: 'K12Online', lms_acquisition: 'purchased' })
  t.equal(criterion(result, '1.3').points, 30, '1.3 stays 30: the info item adds nothing')

  const { c: empty, result: r2 } = run('1.3.0', { lms_solution_name: null, lms_acquisition: undefined })
  t.same(empty.value, {}, 'nothing given → empty value')
  t.same(empty.evidenceMissing, ['lms_solution_name', 'lms_acquisition'])
  t.equal(empty.status, 'evaluated', 'an info item is never incomplete')
  t.equal(group(r2, 'I').complete, true, 'missing info facts do not make the group incomplete')
  t.equal(group(r2, 'I').totalExact, 100)
})

t.test('explanations', async (t) => {
  t.test('if-rule: branch number, condition, read facts with values, text', async (t) => {
    const c = run('1.6.1', { teachers_total: 40, teachers_with_online_training_account: 30 }).c
    t.equal(c.explanation.branch, 1)
    t.same(c.explanation.condition, { '>': [{ var: ['teachers_total', 0] }, 0] }, 'the condition as written in the file')
    t.same(c.explanation.read, { teachers_total: 40, teachers_with_online_training_account: 30 })
    t.match(c.explanation.text, /teachers_total = 40/)
    t.match(c.explanation.text, /5\.25\/7/, '7 × 30/40 = 5.25 of 7')
  })
  t.test('non-if rule (mandatory): no branch', async (t) => {
    const c = run('1.1').c
    t.equal(c.explanation.branch, undefined)
    t.same(c.explanation.read, { online_teaching_plan_issued: true })
    t.type(c.explanation.text, 'string')
    t.not(c.explanation.text, '')
  })
  t.test('every criterion has an explanation and its provenance', async (t) => {
    const r = score(set, fullEvidence())
    const all = r.groups.flatMap((g) => g.criteria).flatMap((c) => [c, ...(c.children ?? [])])
    t.equal(all.length, 31, 'group I: 12 top-level + 6 under 1.3; group II: 13')
    for (const c of all) {
      t.ok(c.explanation.text.length > 0, `${c.code}: explanation text`)
      t.match(c.provenance, { source: String, confidence: /^(confirmed|unconfirmed|convention)$/ }, `${c.code}: provenance`)
    }
  })
})
