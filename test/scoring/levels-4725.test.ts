// Level boundaries of both QĐ 4725 groups: Mức 1 s < 50, Mức 2 50 ≤ s ≤ 75, Mức 3 s > 75.
// Every total below is worked out by hand from the rules in criteria/moet-4725/2022-12-30.json.
// All evidence starts from zeroEvidence(): every mandatory condition met, every scored item 0.
import t, { type Test } from 'tap'
import { score } from '../../src/scoring/index.js'
import { GROUP_II_CODES, group, groupIINo, groupIIYes, load4725, fullEvidence, zeroEvidence } from '../helpers.js'

const set = load4725()

const NAME = { 1: 'Mức chưa đáp ứng', 2: 'Mức đáp ứng cơ bản', 3: 'Mức đáp ứng tốt' } as const

/** 1.3.1–1.3.5 all yes: 5 × 6 = 30. */
const ALL_13 = {
  live_online_teaching_software_deployed: true,
  lms_assigns_self_study: true,
  lms_answers_questions: true,
  lms_continuous_assessment: true,
  lms_parent_monitoring: true,
}

function expectLevel(t: Test, code: 'I' | 'II', facts: Record<string, unknown>, total: number, level: 1 | 2 | 3) {
  const g = group(score(set, zeroEvidence(facts)), code)
  t.equal(g.complete, true, 'complete evidence')
  t.equal(g.totalExact, total, `totalExact = ${total}`)
  t.equal(g.total, total, `total = ${total}`)
  t.equal(g.level, level, `level ${level}`)
  t.equal(g.levelName, NAME[level], `levelName "${NAME[level]}"`)
  t.equal(g.levelReason?.code, 'BAND', 'level from the band, no cap')
  return g
}

t.test('the shipped band names are the decision\'s wording', async (t) => {
  for (const g of set.groups) {
    t.same(g.bands?.map((b) => [b.level, b.name]), [[1, NAME[1]], [2, NAME[2]], [3, NAME[3]]], `group ${g.code}`)
  }
})

t.test('group I', async (t) => {
  t.test('0 → Mức 1', async (t) => {
    // every scored item 0: 1.3 = 0, ratios 0/whole, 1.7.2 0 computers → 0
    expectLevel(t, 'I', {}, 0, 1)
  })

  t.test('49.99 via 1.5.1 → Mức 1', async (t) => {
    // 1.3 = 5 × 6 = 30; 1.7.3 = 5; 1.5.1 = 15 × 1499/1500 = 14.99 → 30 + 5 + 14.99 = 49.99
    expectLevel(t, 'I', { ...ALL_13, digital_content_studio: true, periodic_tests_total: 1500, periodic_tests_on_computer: 1499 }, 49.99, 1)
  })

  t.test('49.99 via 1.6.1 and 1.6.3 → Mức 1', async (t) => {
    // 1.3 = 30; 1.4 = 10 × 12/12 = 10; 1.6.1 = 7 × 699/700 = 6.99; 1.6.3 = 6 × 350/700 = 3
    // → 30 + 10 + 6.99 + 3 = 49.99
    expectLevel(t, 'I', {
      ...ALL_13,
      subjects_with_digital_materials: 12,
      teachers_total: 700,
      teachers_with_online_training_account: 699,
      teachers_creating_digital_materials: 350,
    }, 49.99, 1)
  })

  t.test('exactly 50 → Mức 2', async (t) => {
    // 1.3 = 30; 1.4 = 10 × 6/12 = 5; 1.5.1 = 15 × 20/30 = 10; 1.7.1 = 8 × 5/8 = 5 → 50
    expectLevel(t, 'I', {
      ...ALL_13,
      subjects_with_digital_materials: 6,
      periodic_tests_total: 30,
      periodic_tests_on_computer: 20,
      classrooms_total: 8,
      classrooms_with_projector_and_internet: 5,
    }, 50, 2)
  })

  t.test('exactly 75 (sum of thirds) → Mức 2, not 3', async (t) => {
    // 1.3 = 30; 1.4 = 10; 1.5.1 = 15; 1.5.2 = 5; 1.7.3 = 5            → 65
    // 1.6.1 = 7 × 10/30 = 2.333…; 1.6.2 = 7 × 20/30 = 4.666…          → +7 = 72
    // 1.6.3 = 6 × 15/30 = 3                                           → 75 exactly ("trên 75" not reached)
    const g = expectLevel(t, 'I', {
      ...ALL_13,
      subjects_with_digital_materials: 12,
      periodic_tests_on_computer: 40,
      testing_software_exchanges_with_sis: true,
      digital_content_studio: true,
      teachers_total: 30,
      teachers_with_online_training_account: 10,
      teachers_using_digital_tools: 20,
      teachers_creating_digital_materials: 15,
    }, 75, 2)
    const points = Object.fromEntries(g.criteria.map((c) => [c.code, c.points]))
    t.equal(points['1.6.1'], 2.33, '1.6.1: 7 × 10/30 = 2.333… → 2.33')
    t.equal(points['1.6.2'], 4.67, '1.6.2: 7 × 20/30 = 4.666… → 4.67')
  })

  t.test('75.01 → Mức 3', async (t) => {
    // 1.3 = 30; 1.4 = 10; 1.5.2 = 5; 1.7.3 = 5; 1.6.x = 7 + 7 + 6 (40/40) → 70
    // 1.5.1 = 15 × 501/1500 = 5.01                                       → 75.01
    expectLevel(t, 'I', {
      ...ALL_13,
      subjects_with_digital_materials: 12,
      testing_software_exchanges_with_sis: true,
      digital_content_studio: true,
      teachers_with_online_training_account: 40,
      teachers_using_digital_tools: 40,
      teachers_creating_digital_materials: 40,
      periodic_tests_total: 1500,
      periodic_tests_on_computer: 501,
    }, 75.01, 3)
  })

  t.test('100 → Mức 3', async (t) => {
    // fullEvidence: 30 + 10 + 15 + 5 + 7 + 7 + 6 + 8 + 7 + 5 = 100
    const g = group(score(set, fullEvidence()), 'I')
    t.equal(g.totalExact, 100)
    t.equal(g.total, 100)
    t.equal(g.maxPoints, 100)
    t.equal(g.level, 3)
    t.equal(g.levelName, NAME[3])
  })
})

t.test('group II', async (t) => {
  // Every group II criterion is yes/no with points 6, 6, 10, 6, 10, 10, 6, 6, 8, 12, 10 (sum 90).
  // All are even, so only even totals are reachable: 49.99, 75 and 75.01 cannot be built.
  // The reachable totals nearest the bounds are 48 | 50 and 74 | 76; the maximum is 90.
  t.test('the point values this reasoning relies on', async (t) => {
    const g = set.groups.find((x) => x.code === 'II')
    t.same(
      g?.criteria.filter((c) => c.kind === 'scored').map((c) => [c.code, c.maxPoints]),
      [['2.3.1', 6], ['2.3.2', 6], ['2.3.3', 10], ['2.3.4', 6], ['2.3.5', 10], ['2.3.6', 10], ['2.3.7', 6], ['2.3.8', 6], ['2.4.1', 8], ['2.4.2', 12], ['2.4.3', 10]],
    )
  })

  t.test('0 → Mức 1', async (t) => {
    expectLevel(t, 'II', {}, 0, 1)
  })

  t.test('48 (largest reachable below 50) → Mức 1', async (t) => {
    // 2.3.1 + 2.3.2 + 2.3.4 = 6 + 6 + 6 = 18; 2.3.3 + 2.3.5 + 2.3.6 = 10 + 10 + 10 = 30 → 48
    expectLevel(t, 'II', groupIIYes(['2.3.1', '2.3.2', '2.3.4', '2.3.3', '2.3.5', '2.3.6']), 48, 1)
  })

  t.test('exactly 50 → Mức 2', async (t) => {
    // 2.4.2 + 2.4.1 + 2.3.5 + 2.3.6 + 2.4.3 = 12 + 8 + 10 + 10 + 10 = 50
    expectLevel(t, 'II', groupIIYes(['2.4.2', '2.4.1', '2.3.5', '2.3.6', '2.4.3']), 50, 2)
  })

  t.test('74 (largest reachable ≤ 75) → Mức 2', async (t) => {
    // all but 2.3.1 (6) and 2.3.3 (10): 90 − 16 = 74
    expectLevel(t, 'II', { ...groupIIYes(GROUP_II_CODES), ...groupIINo(['2.3.1', '2.3.3']) }, 74, 2)
  })

  t.test('76 (smallest reachable > 75) → Mức 3', async (t) => {
    // all but 2.3.7 (6) and 2.4.1 (8): 90 − 14 = 76
    expectLevel(t, 'II', { ...groupIIYes(GROUP_II_CODES), ...groupIINo(['2.3.7', '2.4.1']) }, 76, 3)
  })

  t.test('90 (all known items) → Mức 3, on the 0–100 scale with the declared gap', async (t) => {
    const g = expectLevel(t, 'II', groupIIYes(GROUP_II_CODES), 90, 3)
    t.equal(g.maxPoints, 100, 'group maximum stays 100')
    t.equal(g.declaredGap?.points, 10, 'the 10 missing points are declared')
    t.match(g.declaredGap?.reason, /90/, 'the reason names the known 90 points')
  })
})
