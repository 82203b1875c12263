// Engine behaviour on small inline criteria sets (formatVersion 1, provenance on every
// criterion): clamping, rule errors, targets, sets without levels, cross-set references, and
// the two rule backends giving identical results.
import t from 'tap'
import {
  CriteriaSetError, checkSet, compileSet, referenceValues, referencedSets, score,
  type CriteriaSetDef, type CriterionDef,
} from '../../src/scoring/index.js'
import {
  PROV, THREE_BANDS, compileFixture, coreVocabulary, criterion, fixtureSet, fullEvidence, group, groupIINo,
  load4725, withoutEngine, zeroEvidence, type Facts,
} from '../helpers.js'

const scored = (code: string, maxPoints: number, rule: unknown): CriterionDef => ({ code, title: `tiêu chí ${code}`, kind: 'scored', maxPoints, rule, provenance: PROV })
const target = (code: string, rule: unknown, threshold: CriterionDef['threshold']): CriterionDef => ({ code, title: `chỉ tiêu ${code}`, kind: 'target', rule, threshold, provenance: PROV })

// ---- fixtures ----

const clampSet = fixtureSet({
  id: 'clamp',
  facts: { define: [{ key: 'x', type: 'integer', min: 0, max: 100, label: 'x' }] },
  groups: [{
    code: 'C',
    title: 'clamping',
    criteria: [
      scored('C.1', 10, { '+': [{ var: ['x', 0] }, 5] }), // x + 5
      scored('C.2', 10, { '-': [{ var: ['x', 0] }, 20] }), // x − 20
    ],
  }],
})

const errorSet = fixtureSet({
  id: 'rule-error',
  facts: { define: [{ key: 'flag', type: 'boolean', label: 'flag' }] },
  policies: { overall: { method: 'min-group-level', label: 'derived', provenance: PROV } },
  groups: [{
    code: 'E',
    title: 'errors',
    maxPoints: 100,
    levelBands: THREE_BANDS,
    criteria: [
      // a scored rule that yields a string when flag is true
      scored('E.1', 60, { if: [{ var: 'flag' }, 'có', 0] }),
      scored('E.2', 40, { if: [{ var: 'flag' }, 0, 40] }),
    ],
  }],
})

const ratio = (part: string, whole: string) => ({ if: [{ '>': [{ var: [whole, 0] }, 0] }, { '/': [{ var: [part, 0] }, { var: [whole, 0] }] }, 0] })

const targetFacts: CriteriaSetDef['facts'] = {
  define: [
    { key: 'rooms', type: 'integer', min: 0, max: 1000, label: 'phòng học' },
    { key: 'rooms_equipped', type: 'integer', min: 0, maxFact: 'rooms', label: 'phòng học có máy chiếu' },
    { key: 'pupils', type: 'integer', min: 0, max: 20000, label: 'học sinh' },
    { key: 'computers', type: 'integer', min: 0, max: 5000, label: 'máy tính' },
  ],
}

/** A district plan: targets only, no points, no levels. */
const targetsSet = fixtureSet({
  id: 'targets-only',
  facts: targetFacts,
  groups: [
    {
      code: 'A',
      title: 'phòng học',
      criteria: [
        target('A.1', ratio('rooms_equipped', 'rooms'), { op: '>=', value: 1 }), // every room equipped
        target('A.2', ratio('rooms_equipped', 'rooms'), { op: '>=', value: 0.8 }), // 80 % of rooms
      ],
    },
    {
      code: 'B',
      title: 'máy tính',
      criteria: [
        // pupils per computer at most 16 (9999 when there is no computer)
        target('B.1', { if: [{ '>': [{ var: ['computers', 0] }, 0] }, { '/': [{ var: ['pupils', 0] }, { var: ['computers', 0] }] }, 9999] }, { op: '<=', value: 16 }),
      ],
    },
  ],
})

/**
 * Long Biên-style target: "level 3 in both 4725 groups", read from the school's 4725 result.
 * Reference names are lower case (moet_level_i, not moet_level_I): the criteria-set schema only
 * allows ^[a-z][a-z0-9_]{0,63}$ as a reference name.
 */
const refSet = fixtureSet({
  id: 'district-plan',
  references: {
    moet_level_i: { set: 'moet-4725', select: { group: 'I', field: 'level' }, label: 'Mức nhóm I theo QĐ 4725' },
    moet_level_ii: { set: 'moet-4725', select: { group: 'II', field: 'level' }, label: 'Mức nhóm II theo QĐ 4725' },
    moet_total_i: { set: 'moet-4725', select: { group: 'I', field: 'total' }, label: 'Tổng điểm nhóm I theo QĐ 4725' },
    moet_172: { set: 'moet-4725', select: { criterion: '1.7.2', field: 'points' }, label: 'Điểm 1.7.2' },
  },
  groups: [{
    code: 'KH',
    title: 'Chỉ tiêu kế hoạch',
    criteria: [
      target('KH.1', { and: [{ '==': [{ var: 'ref.moet_level_i' }, 3] }, { '==': [{ var: 'ref.moet_level_ii' }, 3] }] }, { op: '==', value: true }),
      target('KH.2', { var: 'ref.moet_total_i' }, { op: '>=', value: 80 }),
      target('KH.3', { var: 'ref.moet_172' }, { op: '>=', value: 7 }),
    ],
  }],
})

// ---- tests ----

t.test('points are clamped to [0, max]', async (t) => {
  const set = compileFixture(clampSet)
  const r = score(set, { facts: { x: 10 } })
  const c1 = criterion(r, 'C.1')
  const c2 = criterion(r, 'C.2')
  t.equal(c1.points, 10, 'C.1: 10 + 5 = 15 = max + 5 → 10')
  t.match(c1.explanation.text, /\[0, 10\]/, 'the explanation says it was clamped')
  t.equal(c2.points, 0, 'C.2: 10 − 20 = −10 → 0')
  t.equal(group(r, 'C').totalExact, 10, '10 + 0')
  t.equal(group(r, 'C').level, null, 'no bands → no level')
  t.equal(group(r, 'C').levelReason, null)

  const r3 = score(set, { facts: { x: 3 } })
  t.equal(criterion(r3, 'C.1').points, 8, 'C.1: 3 + 5 = 8, inside [0, 10]')
  t.notMatch(criterion(r3, 'C.1').explanation.text, /\[0, 10\]/, 'no clamping note when not clamped')
  t.equal(criterion(r3, 'C.2').points, 0, 'C.2: 3 − 20 = −17 → 0')
})

t.test('a rule returning a non-number is an error, not 0 points', async (t) => {
  const set = compileFixture(errorSet)
  const r = score(set, { facts: { flag: true } }, { hints: true })
  const c = criterion(r, 'E.1')
  t.equal(c.status, 'error')
  t.equal(c.points, null)
  t.match(c.error, /"có"/, 'the message shows what the rule returned')
  t.same(r.errors.map((e) => e.criterion), ['E.1'])
  t.match(r.errors[0]?.message, /finite number/)
  const g = group(r, 'E')
  t.equal(g.level, null)
  t.equal(g.levelName, null)
  t.equal(g.levelReason?.code, 'RULE_ERROR')
  t.equal(g.complete, false)
  t.equal(g.nextLevel, undefined, 'no hint for a group in error')
  t.equal(r.complete, false)
  t.equal(r.overall?.level, null, 'no overall level without every group level')
  t.equal(r.overall?.reason?.code, 'NO_GROUP_LEVEL')

  // the same set with flag false is fine: E.1 = 0, E.2 = 40 → 40 < 50 → Mức 1
  const ok = score(set, { facts: { flag: false } })
  t.same(ok.errors, [])
  t.equal(group(ok, 'E').totalExact, 40)
  t.equal(group(ok, 'E').level, 1)
})

t.test('target criteria', async (t) => {
  const set = compileFixture(targetsSet)

  t.test('met: every room equipped (12/12 = 1 ≥ 1)', async (t) => {
    const c = criterion(score(set, { facts: { rooms: 12, rooms_equipped: 12, pupils: 400, computers: 25 } }), 'A.1')
    t.equal(c.kind, 'target')
    t.equal(c.value, 1)
    t.equal(c.met, true)
    t.equal(c.gap, 0)
    t.same(c.threshold, { op: '>=', value: 1 })
    t.equal(c.points, undefined, 'a target has no points')
  })

  t.test('not met, with the gap (9/12 = 0.75)', async (t) => {
    const r = score(set, { facts: { rooms: 12, rooms_equipped: 9, pupils: 400, computers: 20 } })
    const a1 = criterion(r, 'A.1')
    t.equal(a1.value, 0.75)
    t.equal(a1.met, false)
    t.equal(a1.gap, 0.25, '1 − 0.75 = 0.25')
    const a2 = criterion(r, 'A.2')
    t.equal(a2.met, false)
    t.equal(a2.gap, 0.05, '0.8 − 0.75 = 0.05')
    const b1 = criterion(r, 'B.1')
    t.equal(b1.value, 20, '400 pupils / 20 computers = 20 per computer')
    t.equal(b1.met, false, '20 > 16')
    t.equal(b1.gap, 4, '20 − 16 = 4 too many pupils per computer')
  })

  t.test('incomplete when a fact is missing', async (t) => {
    const c = criterion(score(set, { facts: { rooms: 12, pupils: 400, computers: 25 } }), 'A.1')
    t.equal(c.status, 'incomplete')
    t.equal(c.met, null)
    t.same(c.missingFacts, ['rooms_equipped'])
  })
})

t.test('a set with targets only: counts instead of levels', async (t) => {
  const set = compileFixture(targetsSet)
  const cases: [Facts, [number, number, boolean], [number, number, boolean], [number, number, number, boolean], string][] = [
    // [facts, group A met/total/allMet, group B, overall met/total/share/allMet, why]
    [{ rooms: 12, rooms_equipped: 12, pupils: 400, computers: 25 }, [2, 2, true], [1, 1, true], [3, 3, 1, true],
      '12/12 = 1 meets ≥ 1 and ≥ 0.8; 400/25 = 16 ≤ 16'],
    [{ rooms: 12, rooms_equipped: 10, pupils: 400, computers: 25 }, [1, 2, false], [1, 1, true], [2, 3, 0.67, false],
      '10/12 = 0.83: < 1, ≥ 0.8; 16 ≤ 16 → 2 of 3, share 0.67'],
    [{ rooms: 12, rooms_equipped: 12, pupils: 400, computers: 20 }, [2, 2, true], [0, 1, false], [2, 3, 0.67, false],
      '400/20 = 20 > 16 → 2 of 3'],
    [{ rooms: 12, rooms_equipped: 6, pupils: 400, computers: 0 }, [0, 2, false], [0, 1, false], [0, 3, 0, false],
      '6/12 = 0.5 meets neither; no computer → 9999 > 16 → 0 of 3'],
  ]
  for (const [facts, a, b, all, why] of cases) {
    const r = score(set, { facts })
    t.same(group(r, 'A').targets, { met: a[0], total: a[1], share: a[0] / a[1], allMet: a[2] }, `A: ${why}`)
    t.same(group(r, 'B').targets, { met: b[0], total: b[1], share: b[0] / b[1], allMet: b[2] }, `B: ${why}`)
    t.same(r.targets, { met: all[0], total: all[1], share: all[2], allMet: all[3] }, `overall: ${why}`)
    for (const g of r.groups) {
      t.equal(g.level, null, `${g.code}: no level`)
      t.equal(g.levelReason, null)
    }
    t.equal(r.overall, null, 'no overall policy → no overall view')
  }
  t.equal(score(load4725(), fullEvidence()).targets, undefined, '4725 has no targets')
})

t.test('cross-set references: "Mức 3 in both 4725 groups"', async (t) => {
  const moet = load4725()
  const plan = compileFixture(refSet)
  t.same(referencedSets(plan), [{ id: 'moet-4725' }])
  const planFor = (moetResult: ReturnType<typeof score>) => score(plan, { facts: {} }, { references: referenceValues(plan, { 'moet-4725': moetResult }) })

  t.test('level 3 / 3 → met', async (t) => {
    const m = score(moet, fullEvidence()) // I = 100 → 3; II = 90 → 3; 1.7.2 = 7
    t.same(referenceValues(plan, { 'moet-4725': m }), { moet_level_i: 3, moet_level_ii: 3, moet_total_i: 100, moet_172: 7 })
    const r = planFor(m)
    const c = criterion(r, 'KH.1')
    t.equal(c.status, 'evaluated')
    t.equal(c.value, true)
    t.equal(c.met, true)
    t.same(c.explanation.read, { 'ref.moet_level_i': 3, 'ref.moet_level_ii': 3 })
    t.equal(criterion(r, 'KH.2').met, true, 'group I total 100 ≥ 80')
    t.equal(criterion(r, 'KH.3').met, true, '1.7.2 = 7 ≥ 7')
    t.same(r.targets, { met: 3, total: 3, share: 1, allMet: true })
  })

  t.test('level 3 / 2 → not met', async (t) => {
    // group II without 2.4.2 (12), 2.3.7 (6), 2.4.1 (8): 90 − 26 = 64 → Mức 2
    // group I: 1.7.2 with 30 of 40 computers = 7 × 30/40 = 5.25 → 100 − 7 + 5.25 = 98.25
    const m = score(moet, fullEvidence({ ...groupIINo(['2.4.2', '2.3.7', '2.4.1']), informatics_computers: 30 }))
    t.same(referenceValues(plan, { 'moet-4725': m }), { moet_level_i: 3, moet_level_ii: 2, moet_total_i: 98.25, moet_172: 5.25 })
    const r = planFor(m)
    const c = criterion(r, 'KH.1')
    t.equal(c.status, 'evaluated')
    t.equal(c.met, false)
    t.equal(c.value, false)
    t.equal(criterion(r, 'KH.2').met, true, '98.25 ≥ 80')
    const k3 = criterion(r, 'KH.3')
    t.equal(k3.met, false, '5.25 < 7')
    t.equal(k3.gap, 1.75, '7 − 5.25 = 1.75')
    t.same(r.targets, { met: 1, total: 3, share: 0.33, allMet: false })
  })

  t.test('group II incomplete in 4725 → the target is incomplete, not failed', async (t) => {
    const m = score(moet, fullEvidence({ online_admission: null }))
    t.equal(group(m, 'II').complete, false)
    const values = referenceValues(plan, { 'moet-4725': m })
    t.notOk('moet_level_ii' in values, 'a provisional level is not passed on')
    t.equal(values.moet_level_i, 3, 'group I is complete and passed on')
    const r = planFor(m)
    const c = criterion(r, 'KH.1')
    t.equal(c.status, 'incomplete')
    t.equal(c.met, null)
    t.ok(c.missingFacts?.includes('ref.moet_level_ii'), 'ref.moet_level_ii is missing')
    t.notOk(c.missingFacts?.includes('ref.moet_level_i'))
    t.equal(r.complete, false)
  })

  t.test('no 4725 result at all, or a result of another pinned version', async (t) => {
    t.same(referenceValues(plan, {}), {})
    const r = score(plan, { facts: {} })
    t.same(criterion(r, 'KH.1').missingFacts?.slice().sort(), ['ref.moet_level_i', 'ref.moet_level_ii'])
    const pinned = compileFixture({
      ...refSet,
      id: 'district-plan-pinned',
      references: { moet_level_i: { set: 'moet-4725', version: '2099-01-01', select: { group: 'I', field: 'level' }, label: 'x' } },
      groups: [{ code: 'KH', title: 'x', criteria: [target('KH.1', { '==': [{ var: 'ref.moet_level_i' }, 3] }, { op: '==', value: true })] }],
    })
    t.same(referenceValues(pinned, { 'moet-4725': score(moet, fullEvidence()) }), {}, 'version 2022-12-30 ≠ pinned 2099-01-01')
    t.same(referencedSets(pinned), [{ id: 'moet-4725', version: '2099-01-01' }])
  })
})

t.test('sets that must not compile', async (t) => {
  const bad = (parts: Partial<CriteriaSetDef>, code: string) => {
    const def = fixtureSet({ id: 'bad', facts: { define: [{ key: 'n', type: 'integer', min: 0, max: 10, label: 'n' }] }, groups: [], ...parts })
    try {
      compileSet(def, null)
      t.fail(`${code}: compiled`)
    } catch (e) {
      t.ok(e instanceof CriteriaSetError, `${code}: CriteriaSetError`)
      t.equal((e as CriteriaSetError).code, 'INVALID_CRITERIA_SET')
      t.ok((e as CriteriaSetError).findings.some((f) => f.severity === 'error' && f.code === code), `${code} is among the findings`)
    }
  }
  const g = (criteria: CriterionDef[], extra: object = {}) => [{ code: 'G', title: 'G', criteria, ...extra }]
  bad({ groups: g([scored('1', 10, { '*': [10, { var: ['m', 0] }] })]) }, 'UNKNOWN_VAR')
  bad({ groups: g([scored('1', 10, { log: 1 })]) }, 'UNKNOWN_OPERATOR')
  bad({ groups: g([scored('1', 10, { var: ['n', 0] }), scored('1', 5, 0)]) }, 'DUPLICATE_CODE')
  bad({ groups: g([scored('1', 10, { var: ['n', 0] })], { maxPoints: 100 }) }, 'GROUP_MAX_MISMATCH')
  bad({ groups: g([scored('1', 100, { var: ['n', 0] })], { maxPoints: 100, levelBands: { bands: [{ level: 1, name: 'a', lt: 50 }, { level: 2, name: 'b', gt: 50 }], provenance: PROV } }) }, 'BANDS_GAP')
  bad({ groups: g([{ code: 'P', title: 'P', kind: 'scored', maxPoints: 30, provenance: PROV, children: [scored('P.1', 10, 10)] }]) }, 'MAX_MISMATCH')
  bad({ groups: g([{ code: 'M', title: 'M', kind: 'mandatory', provenance: PROV }]) }, 'MISSING_RULE')
  bad({ groups: g([scored('1', 10, { if: [{ var: 'constructor' }, 10, 0] })]) }, 'UNKNOWN_VAR')
})

t.test('a reference name that is an Object.prototype key is an unknown var, not a crash', async (t) => {
  // With any reference declared, {"var": "ref.constructor"} must be reported like any other
  // undeclared reference (UNKNOWN_VAR in a CriteriaSetError), never throw a TypeError.
  for (const name of ['ref.constructor', 'ref.__proto__', 'ref.toString']) {
    const def = fixtureSet({
      id: 'proto-ref',
      references: { lvl: { set: 'moet-4725', select: { group: 'I', field: 'level' }, label: 'Mức nhóm I' } },
      groups: [{
        code: 'G',
        title: 'G',
        criteria: [
          target('G.1', { '==': [{ var: 'ref.lvl' }, 3] }, { op: '==', value: true }),
          target('G.2', { '==': [{ var: name }, 3] }, { op: '==', value: true }),
        ],
      }],
    })
    let thrown: unknown = null
    try {
      compileSet(def, null)
    } catch (e) {
      thrown = e
    }
    t.ok(thrown instanceof CriteriaSetError, `${name}: CriteriaSetError (got ${thrown instanceof Error ? `${thrown.constructor.name}: ${thrown.message}` : String(thrown)})`)
    if (thrown instanceof CriteriaSetError) {
      t.ok(thrown.findings.some((f) => f.code === 'UNKNOWN_VAR' && f.criterion === 'G.2'), `${name}: UNKNOWN_VAR on G.2`)
    }
  }
})

t.test('checkSet on the shipped 4725 set: no errors, the group II gap acknowledged', async (t) => {
  const moet = load4725()
  const { findings } = checkSet(moet.def, coreVocabulary())
  t.same(findings.filter((f) => f.severity === 'error'), [])
  const gap = findings.filter((f) => f.code === 'DECLARED_GAP')
  t.equal(gap.length, 1)
  t.equal(gap[0]?.severity, 'acknowledged')
  t.equal(gap[0]?.path, '/groups/1/declaredGap')
})

t.test('the json-logic-js backend gives the same results as the compiled one', async (t) => {
  const vocab = coreVocabulary()
  const moetDef = load4725().def
  const compiled = compileSet(moetDef, vocab)
  const reference = compileSet(moetDef, vocab, { backend: 'json-logic-js' })
  t.equal(compiled.engine.backend, 'compiled')
  t.equal(reference.engine.backend, 'json-logic-js')

  const bundles: [string, unknown][] = [
    ['full', fullEvidence()],
    ['zero', zeroEvidence()],
    ['empty', { facts: {} }],
    ['thirds (75)', zeroEvidence({ teachers_total: 30, teachers_with_online_training_account: 10, teachers_using_digital_tools: 20, teachers_creating_digital_materials: 15 })],
    ['liên cấp 1.7.2', fullEvidence({ pupils_th: 240, pupils_thcs: 160, pupils_thpt: 120, informatics_computers: 12 })],
    ['zero wholes', fullEvidence({ subjects_total: 0, subjects_with_digital_materials: 0, teachers_total: 0, teachers_with_online_training_account: 0, teachers_using_digital_tools: 0, teachers_creating_digital_materials: 0, classrooms_total: 0, classrooms_with_projector_and_internet: 0 })],
    ['partial + cap', fullEvidence({ online_teaching_regulation_issued: false, lms_parent_monitoring: null, electronic_transcript: false, dx_plan_issued: null })],
  ]
  for (const [name, bundle] of bundles) {
    const a = score(compiled, bundle, { hints: true })
    const b = score(reference, bundle, { hints: true })
    t.same(withoutEngine(b), withoutEngine(a), `4725, ${name}`)
  }

  const fixtures: [CriteriaSetDef, Facts[]][] = [
    [clampSet, [{ x: 0 }, { x: 3 }, { x: 10 }, { x: 100 }, {}]],
    [errorSet, [{ flag: true }, { flag: false }, {}]],
    [targetsSet, [{ rooms: 12, rooms_equipped: 10, pupils: 400, computers: 25 }, { rooms: 0, pupils: 0, computers: 0 }, {}]],
  ]
  for (const [def, factSets] of fixtures) {
    const a = compileFixture(def)
    const b = compileFixture(def, { backend: 'json-logic-js' })
    for (const facts of factSets) {
      t.same(withoutEngine(score(b, { facts }, { hints: true })), withoutEngine(score(a, { facts }, { hints: true })), `${def.id} ${JSON.stringify(facts)}`)
    }
  }

  const planA = compileFixture(refSet)
  const planB = compileFixture(refSet, { backend: 'json-logic-js' })
  for (const m of [fullEvidence(), fullEvidence(groupIINo(['2.4.2', '2.3.7', '2.4.1'])), fullEvidence({ online_admission: null })]) {
    const refs = referenceValues(planA, { 'moet-4725': score(compiled, m) })
    t.same(withoutEngine(score(planB, { facts: {} }, { references: refs })), withoutEngine(score(planA, { facts: {} }, { references: refs })), `references ${JSON.stringify(refs)}`)
  }
})
