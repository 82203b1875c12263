// How a whole assessment behaves: mandatory caps, partial evidence, evidence validation,
// normalisation, ignored facts, the derived overall level, result metadata and next-level hints.
// Totals are worked out by hand from criteria/moet-4725/2022-12-30.json (see test/helpers.ts for
// the full-evidence breakdown: group I = 100, group II = 90).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { Catalog } from '../../src/criteria/catalog.js'
import { EvidenceError, compileSet, score, type EvidenceIssue, type HintChange } from '../../src/scoring/index.js'
import {
  PROV, compileFixture, coreVocabulary, criterion, fixtureSet, fullEvidence, group, groupIINo, load4725, type Facts,
} from '../helpers.js'

const set = load4725()

/** The issues of the EvidenceError that scoring this bundle throws (fails the test otherwise). */
function issuesOf(t: { fail: (m: string) => unknown; ok: (v: unknown, m: string) => unknown }, bundle: unknown): EvidenceIssue[] {
  try {
    score(set, bundle)
  } catch (e) {
    t.ok(e instanceof EvidenceError, 'throws an EvidenceError')
    return (e as EvidenceError).issues
  }
  t.fail('expected an EvidenceError')
  return []
}

const codesAndPaths = (issues: EvidenceIssue[]) => issues.map((i) => [i.code, i.path])

t.test('a failed mandatory condition caps the group at Mức 1; the points still count', async (t) => {
  t.test('group I: 90 points but 1.2 not met', async (t) => {
    // 1.4 = 10 × 0/12 = 0, everything else full: 100 − 10 = 90 (Mức 3 by points)
    const r = score(set, fullEvidence({ subjects_with_digital_materials: 0, online_teaching_regulation_issued: false }))
    const g = group(r, 'I')
    t.equal(g.totalExact, 90)
    t.equal(g.total, 90, 'the points still show')
    t.equal(g.level, 1)
    t.equal(g.levelName, 'Mức chưa đáp ứng')
    t.equal(g.levelReason?.code, 'MANDATORY_CAP')
    t.same(g.levelReason?.criteria, ['1.2'])
    t.match(g.levelReason?.text, /1\.2/)
    t.same(g.mandatory, { met: ['1.1'], failed: ['1.2'], incomplete: [] })
    t.equal(r.overall?.level, 1, 'overall = min(1, 3) = 1')
    t.equal(group(r, 'II').level, 3, 'the other group is not affected')
  })

  t.test('group I: 1.1 not met at 65 points (Mức 2 by points)', async (t) => {
    // 1.5.1 = 15 × 0/40 = 0; 1.4 = 0; 1.7.3 = 0 (studio false, −5); 1.5.2 = 0 (−5): 100 − 15 − 10 − 5 − 5 = 65
    const g = group(score(set, fullEvidence({
      online_teaching_plan_issued: false,
      periodic_tests_on_computer: 0,
      subjects_with_digital_materials: 0,
      digital_content_studio: false,
      testing_software_exchanges_with_sis: false,
    })), 'I')
    t.equal(g.totalExact, 65)
    t.equal(g.level, 1)
    t.equal(g.levelReason?.code, 'MANDATORY_CAP')
    t.same(g.levelReason?.criteria, ['1.1'])
  })

  t.test('group II: 90 points but 2.1 not met', async (t) => {
    const g = group(score(set, fullEvidence({ dx_steering_unit: false })), 'II')
    t.equal(g.totalExact, 90)
    t.equal(g.level, 1)
    t.equal(g.levelName, 'Mức chưa đáp ứng')
    t.equal(g.levelReason?.code, 'MANDATORY_CAP')
    t.same(g.levelReason?.criteria, ['2.1'])
    t.same(g.mandatory.failed, ['2.1'])
  })

  t.test('group II: both 2.1 and 2.2 not met', async (t) => {
    const g = group(score(set, fullEvidence({ dx_steering_unit: false, dx_plan_issued: false })), 'II')
    t.equal(g.level, 1)
    t.same(g.levelReason?.criteria, ['2.1', '2.2'])
  })

  t.test('all conditions met: no cap', async (t) => {
    const g = group(score(set, fullEvidence()), 'II')
    t.equal(g.levelReason?.code, 'BAND')
    t.same(g.mandatory, { met: ['2.1', '2.2'], failed: [], incomplete: [] })
  })
})

t.test('partial evidence', async (t) => {
  t.test('a missing ratio part: criterion incomplete with points null, group provisional', async (t) => {
    const r = score(set, fullEvidence({ teachers_with_online_training_account: null }))
    const c = criterion(r, '1.6.1')
    t.equal(c.status, 'incomplete')
    t.equal(c.points, null, 'null, never 0')
    t.same(c.missingFacts, ['teachers_with_online_training_account'])
    t.match(c.explanation.text, /teachers_with_online_training_account/)
    const g = group(r, 'I')
    t.equal(g.complete, false)
    t.same(g.missingFacts, ['teachers_with_online_training_account'])
    t.equal(g.totalExact, 93, 'known points: 100 − 7 = 93')
    t.equal(g.level, 3, 'level computed on known points (93 > 75)')
    t.equal(g.levelReason?.code, 'PROVISIONAL')
    t.equal(r.complete, false)
    t.same(r.missingFacts, ['teachers_with_online_training_account'])
    t.equal(group(r, 'II').complete, true, 'group II unaffected')
    t.equal(group(r, 'II').levelReason?.code, 'BAND')
    t.equal(r.overall?.level, 3)
    t.equal(r.overall?.reason?.code, 'PROVISIONAL', 'the derived level is provisional too')
  })

  t.test('a key left out altogether is the same as null', async (t) => {
    const withNull = score(set, fullEvidence({ online_admission: null }))
    const absent = score(set, fullEvidence({ online_admission: undefined }))
    t.same(absent, withNull)
    const c = criterion(absent, '2.4.2')
    t.equal(c.status, 'incomplete')
    t.equal(c.points, null)
    t.equal(group(absent, 'II').totalExact, 78, '90 − 12 = 78 known')
    t.equal(group(absent, 'II').levelReason?.code, 'PROVISIONAL')
  })

  t.test('several missing facts are listed sorted, per group and overall', async (t) => {
    const r = score(set, fullEvidence({ pupils_thcs: null, online_admission: null, lms_parent_monitoring: null }))
    t.same(group(r, 'I').missingFacts, ['lms_parent_monitoring', 'pupils_thcs'])
    t.same(group(r, 'II').missingFacts, ['online_admission'])
    t.same(r.missingFacts, ['lms_parent_monitoring', 'online_admission', 'pupils_thcs'])
    t.equal(criterion(r, '1.3.5').points, null)
    t.equal(criterion(r, '1.7.2').points, null)
    t.equal(criterion(r, '1.3').status, 'incomplete', 'a parent with an incomplete child is incomplete')
    t.same(criterion(r, '1.3').missingFacts, ['lms_parent_monitoring'])
    t.equal(criterion(r, '1.3').level, undefined, '1.3 gets no level of its own while incomplete')
    // known points: 100 − 6 (1.3.5) − 7 (1.7.2) = 87
    t.equal(group(r, 'I').totalExact, 87)
  })

  t.test('a missing mandatory fact: no cap, provisional', async (t) => {
    const g = group(score(set, fullEvidence({ online_teaching_plan_issued: null })), 'I')
    t.same(g.mandatory, { met: ['1.2'], failed: [], incomplete: ['1.1'] })
    t.equal(criterion(score(set, fullEvidence({ online_teaching_plan_issued: null })), '1.1').met, null)
    t.equal(g.complete, false)
    t.equal(g.totalExact, 100)
    t.equal(g.level, 3)
    t.equal(g.levelReason?.code, 'PROVISIONAL')
  })

  t.test('no evidence at all', async (t) => {
    const r = score(set, { facts: {} })
    t.equal(r.complete, false)
    // With no condition fact known, the branch is unknown, so every fact a rule may read is
    // missing: the 44 facts minus the 5 documents (minh chứng, never scored) and the 2 facts of
    // the information item 1.3.0 = 37.
    const notRead = new Set([
      'online_teaching_plan_document', 'online_teaching_regulation_document', 'live_online_teaching_software_link',
      'dx_steering_unit_document', 'dx_plan_document', 'lms_solution_name', 'lms_acquisition',
    ])
    const expected = (set.def.facts.use ?? []).filter((k) => !notRead.has(k)).sort()
    t.equal(expected.length, 37)
    t.same(r.missingFacts, expected)
    for (const g of r.groups) {
      t.equal(g.totalExact, 0, `group ${g.code}: no known points`)
      t.equal(g.level, 1)
      t.equal(g.levelReason?.code, 'PROVISIONAL')
    }
  })

  t.test('"" for a string fact means not given', async (t) => {
    const c = criterion(score(set, fullEvidence({ lms_solution_name: '' })), '1.3.0')
    t.same(c.value, { lms_acquisition: 'rented' })
    t.same(c.evidenceMissing, ['lms_solution_name'])
  })

  t.test('"" means not given for the other fact types too', async (t) => {
    // README and the brief: `null` or `""` means "not given yet" (e.g. a cleared form field).
    const cases: [string, string, Facts][] = [
      ['enum', '1.3.0', { lms_acquisition: '' }],
      ['integer', '1.6.1', { teachers_with_online_training_account: '' }],
      ['boolean', '2.4.2', { online_admission: '' }],
      ['document', '2.2', { dx_plan_document: '' }],
    ]
    for (const [type, code, facts] of cases) {
      let r: ReturnType<typeof score> | null = null
      try {
        r = score(set, fullEvidence(facts))
      } catch (e) {
        t.fail(`${type}: "" was rejected: ${(e as Error).message}`)
        continue
      }
      const c = criterion(r, code)
      const key = Object.keys(facts)[0] as string
      if (code === '1.3.0') t.same(c.value, { lms_solution_name: 'LMS Trường Số' }, `${type}: left out of the info value`)
      else if (code === '2.2') t.same(c.evidenceMissing, [key], `${type}: reported as missing evidence`)
      else t.same(c.missingFacts, [key], `${type}: reported as a missing fact`)
    }
  })
})

t.test('strings are NFC-normalised', async (t) => {
  const nfc = 'Hệ thống học tập Trường Số Việt'
  const nfd = nfc.normalize('NFD')
  t.not(nfd, nfc, 'the input really is decomposed')
  const c = criterion(score(set, fullEvidence({ lms_solution_name: nfd })), '1.3.0')
  t.equal((c.value as Facts).lms_solution_name, nfc)
  t.equal(((c.value as Facts).lms_solution_name as string).length, nfc.length)
})

t.test('evidence validation', async (t) => {
  t.test('an unknown key', async (t) => {
    const issues = issuesOf(t, fullEvidence({ teachers_count: 5 }))
    t.same(codesAndPaths(issues), [['UNKNOWN_FACT', '/facts/teachers_count']])
    t.match(issues[0]?.message, /teachers_count/)
    t.throws(() => score(set, fullEvidence({ teachers_count: 5 })), { code: 'INVALID_EVIDENCE' })
  })

  t.test('an unknown key with a slash is escaped in the JSON pointer', async (t) => {
    t.same(codesAndPaths(issuesOf(t, { facts: { 'a/b~c': 1 } })), [['UNKNOWN_FACT', '/facts/a~1b~0c']])
  })

  t.test('no coercion: "12" is not 12', async (t) => {
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ teachers_total: '12' }))), [['INVALID_TYPE', '/facts/teachers_total']])
  })

  t.test('a boolean for an integer, a string for a boolean, a fraction for an integer', async (t) => {
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ subjects_total: true }))), [['INVALID_TYPE', '/facts/subjects_total']])
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ online_admission: 'true' }))), [['INVALID_TYPE', '/facts/online_admission']])
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ informatics_computers: 12.5 }))), [['INVALID_TYPE', '/facts/informatics_computers']])
  })

  t.test('out of range', async (t) => {
    // subjects_total: max 100; pupils_th: min 0
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ subjects_total: 101, subjects_with_digital_materials: 0 }))), [['OUT_OF_RANGE', '/facts/subjects_total']])
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ pupils_th: -1 }))), [['OUT_OF_RANGE', '/facts/pupils_th']])
  })

  t.test('not one of the enum values', async (t) => {
    const issues = issuesOf(t, fullEvidence({ lms_acquisition: 'leased' }))
    t.same(codesAndPaths(issues), [['INVALID_VALUE', '/facts/lms_acquisition']])
    t.match(issues[0]?.message, /self_built/, 'the allowed values are named')
  })

  t.test('a part larger than its whole', async (t) => {
    const issues = issuesOf(t, fullEvidence({ teachers_total: 40, teachers_with_online_training_account: 41 }))
    t.same(codesAndPaths(issues), [['EXCEEDS_WHOLE', '/facts/teachers_with_online_training_account']])
    t.match(issues[0]?.message, /teachers_total/)
    // equal is fine (fullEvidence has 40/40)
    t.doesNotThrow(() => score(set, fullEvidence({ teachers_total: 40, teachers_with_online_training_account: 40 })))
  })

  t.test('a document without url or ref, or with a non-http link', async (t) => {
    const issues = issuesOf(t, fullEvidence({ dx_plan_document: { title: 'Kế hoạch' } }))
    t.ok(issues.length > 0)
    for (const i of issues) t.match(i.path, /^\/facts\/dx_plan_document(\/|$)/, `${i.code} at ${i.path} names the document`)
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ dx_plan_document: { title: 'Kế hoạch', url: 'ftp://school.example/kh.pdf' } }))),
      [['INVALID_FORMAT', '/facts/dx_plan_document/url']], 'only http(s) links')
  })

  t.test('a string longer than its maxLength', async (t) => {
    t.same(codesAndPaths(issuesOf(t, fullEvidence({ lms_solution_name: 'x'.repeat(201) }))), [['TOO_LONG', '/facts/lms_solution_name']])
  })

  t.test('every bad field is reported', async (t) => {
    const issues = issuesOf(t, fullEvidence({ nope: 1, teachers_total: '40', online_admission: 1 }))
    t.same(codesAndPaths(issues).sort(), [
      ['INVALID_TYPE', '/facts/online_admission'],
      ['INVALID_TYPE', '/facts/teachers_total'],
      ['UNKNOWN_FACT', '/facts/nope'],
    ])
  })

  t.test('keys named like Object.prototype members are unknown facts', async (t) => {
    const bundle = JSON.parse('{"facts": {"__proto__": {"teachers_total": 1}, "constructor": 1}}')
    t.same(codesAndPaths(issuesOf(t, bundle)).sort(), [['UNKNOWN_FACT', '/facts/__proto__'], ['UNKNOWN_FACT', '/facts/constructor']])
  })

  t.test('school and description beside the facts are context, not scored', async (t) => {
    const r = score(set, { ...fullEvidence(), school: { name: 'Trường THCS Ví Dụ', levels: ['THCS'] }, description: 'tự đánh giá 2024' })
    t.equal(group(r, 'I').totalExact, 100)
    t.same(r.ignoredFacts, [])
  })

  t.test('facts that are not an object', async (t) => {
    t.same(codesAndPaths(issuesOf(t, { facts: [] })), [['INVALID_TYPE', '/facts']])
    t.same(codesAndPaths(issuesOf(t, { facts: 'teachers_total=40' })), [['INVALID_TYPE', '/facts']])
    t.same(codesAndPaths(issuesOf(t, { facts: null })), [['INVALID_TYPE', '/facts']])
    t.same(codesAndPaths(issuesOf(t, {})), [['REQUIRED', '/facts']])
    t.same(codesAndPaths(issuesOf(t, null)), [['INVALID_TYPE', '']])
    t.same(codesAndPaths(issuesOf(t, [fullEvidence()])), [['INVALID_TYPE', '']])
  })
})

t.test('ignored facts', async (t) => {
  t.same(score(set, fullEvidence()).ignoredFacts, [], '4725 reads all 44 facts of the core vocabulary')
  // a set that reads one fact of the core vocabulary: the other 43 are ignored, not rejected
  const one = compileFixture(fixtureSet({
    id: 'one-fact',
    vocabulary: 'core',
    facts: { use: ['dx_plan_issued'] },
    groups: [{
      code: 'A',
      title: 'A',
      criteria: [{ code: 'A.1', title: 'plan', kind: 'scored', maxPoints: 1, rule: { if: [{ var: 'dx_plan_issued' }, 1, 0] }, provenance: PROV }],
    }],
  }), { vocabulary: coreVocabulary() })
  const r = score(one, fullEvidence())
  const expected = Object.keys(fullEvidence().facts).filter((k) => k !== 'dx_plan_issued').sort()
  t.equal(expected.length, 43)
  t.same([...r.ignoredFacts].sort(), expected)
  t.equal(criterion(r, 'A.1').points, 1)
  t.equal(r.complete, true)
  // ignored facts are not validated against this set, but unknown keys still are errors
  t.doesNotThrow(() => score(one, { facts: { dx_plan_issued: true, teachers_total: 'many' } }))
  t.throws(() => score(one, { facts: { dx_plan_issued: true, not_a_fact: 1 } }), { code: 'INVALID_EVIDENCE', issues: [{ code: 'UNKNOWN_FACT', path: '/facts/not_a_fact' }] })
})

t.test('the overall level is derived: min of the group levels', async (t) => {
  // group I full (100 → 3); group II without 2.4.2 (12) and 2.3.7 (6) and 2.4.1 (8): 90 − 26 = 64 → 2
  const r = score(set, fullEvidence(groupIINo(['2.4.2', '2.3.7', '2.4.1'])))
  t.equal(group(r, 'I').level, 3)
  t.equal(group(r, 'II').totalExact, 64)
  t.equal(group(r, 'II').level, 2)
  t.equal(r.overall?.level, 2)
  t.equal(r.overall?.levelName, 'Mức đáp ứng cơ bản')
  t.equal(r.overall?.derived, true)
  t.equal(r.overall?.label, set.def.policies?.overall?.label)
  t.match(r.overall?.label, /derived/)
  t.equal(r.overall?.reason?.code, 'MIN_GROUP_LEVEL')

  const both3 = score(set, fullEvidence())
  t.equal(both3.overall?.level, 3)
  t.equal(both3.overall?.levelName, 'Mức đáp ứng tốt')
})

t.test('result metadata: engine and set', async (t) => {
  const r = score(set, fullEvidence())
  const installed = JSON.parse(readFileSync(new URL('../../node_modules/json-logic-js/package.json', import.meta.url), 'utf8')).version
  t.equal(r.engine.name, 'cds-rules')
  t.match(r.engine.version, /^\d+\.\d+\.\d+$/)
  t.equal(r.engine.backend, 'compiled')
  t.equal(r.engine.semantics, `json-logic-js@${installed}`, 'semantics names the json-logic-js version actually installed')
  t.equal(score(load4725('json-logic-js'), fullEvidence()).engine.backend, 'json-logic-js')

  t.equal(r.set.id, 'moet-4725')
  t.equal(r.set.version, '2022-12-30')
  t.equal(r.set.status, 'published')
  t.equal(r.set.title, set.def.title)
  t.match(r.set.contentHash, /^[0-9a-f]{64}$/)

  // two independent loads and compiles give the same hash; so does the other backend
  const again = Catalog.load().compile('moet-4725')
  t.not(again, set, 'really a second compile')
  t.equal(again.contentHash, r.set.contentHash)
  t.equal(load4725('json-logic-js').contentHash, r.set.contentHash)

  // the hash follows the content, not the formatting: key order does not matter, a title does,
  // and so does a label of a fact the set uses (the vocabulary is part of the content)
  const vocab = coreVocabulary()
  const reordered = JSON.parse(JSON.stringify(set.def, Object.keys(set.def).reverse().concat(allKeys(set.def))))
  t.not(Object.keys(reordered)[0], Object.keys(set.def)[0], 'really reordered')
  t.equal(compileSet(reordered, vocab).contentHash, r.set.contentHash, 'same content, other key order → same hash')
  const retitled = structuredClone(set.def)
  retitled.groups[0]!.criteria[0]!.title += ' (sửa)'
  t.not(compileSet(retitled, vocab).contentHash, r.set.contentHash, 'a changed title → another hash')
  const relabelled = structuredClone(vocab)
  relabelled.facts.find((f) => f.key === 'teachers_total')!.label += ' (sửa)'
  t.not(compileSet(set.def, relabelled).contentHash, r.set.contentHash, 'a changed fact label → another hash')
})

/** Every key used anywhere in a JSON value (for JSON.stringify's key list, which also orders). */
function allKeys(v: unknown, acc: Set<string> = new Set()): string[] {
  if (Array.isArray(v)) v.forEach((x) => allKeys(x, acc))
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { acc.add(k); allKeys(x, acc) }
  return [...acc]
}

t.test('next-level hints', async (t) => {
  t.test('group II at 72: the 12-point item first; applying it reaches Mức 3', async (t) => {
    // all but 2.4.2 (12) and 2.3.1 (6): 90 − 18 = 72 → Mức 2; Mức 3 needs > 75, i.e. 3 more
    const before = fullEvidence(groupIINo(['2.4.2', '2.3.1']))
    const r = score(set, before, { hints: true })
    const g = group(r, 'II')
    t.equal(g.totalExact, 72)
    t.equal(g.level, 2)
    const hint = g.nextLevel
    t.ok(hint, 'a hint is given')
    if (!hint) return
    t.equal(hint.targetLevel, 3)
    t.equal(hint.targetLevelName, 'Mức đáp ứng tốt')
    t.equal(hint.pointsNeeded, 3, '75 − 72 = 3, and the total must exceed 75')
    t.equal(hint.mustExceed, true)
    t.same(hint.mandatory, [])
    t.same(hint.criteria.map((i) => [i.criterion, i.gain, i.available]), [['2.4.2', 12, 12], ['2.3.1', 6, 6]])
    t.match(hint.criteria[0]?.changes, [{ fact: 'online_admission', from: false, to: true }])
    t.equal(hint.criteria[0]?.changes.length, 1)
    t.equal(hint.sufficient, true)

    const after = score(set, apply(before, hint.criteria[0]?.changes ?? []))
    t.equal(group(after, 'II').totalExact, 84, '72 + 12 = 84')
    t.equal(group(after, 'II').level, 3)
  })

  t.test('group I at 70 with ratio items: the largest gain first; applying it reaches Mức 3', async (t) => {
    // 1.5.1 = 15 × 0/40 = 0 (−15); 1.4 = 10 × 0/12 = 0 (−10); 1.7.3 = 0 (−5): 100 − 30 = 70 → Mức 2
    const before = fullEvidence({ periodic_tests_on_computer: 0, subjects_with_digital_materials: 0, digital_content_studio: false })
    const g = group(score(set, before, { hints: true }), 'I')
    t.equal(g.totalExact, 70)
    t.equal(g.level, 2)
    const hint = g.nextLevel
    if (!hint) { t.fail('no hint'); return }
    t.equal(hint.pointsNeeded, 5, '75 − 70 = 5 (must exceed)')
    t.same(hint.criteria.map((i) => [i.criterion, i.gain]), [['1.5.1', 15], ['1.4', 10], ['1.7.3', 5]])
    t.match(hint.criteria[0]?.changes, [{ fact: 'periodic_tests_on_computer', from: 0, to: 40 }], 'all 40 periodic tests on computer')
    t.match(hint.criteria[1]?.changes, [{ fact: 'subjects_with_digital_materials', from: 0, to: 12 }])
    const after = group(score(set, apply(before, hint.criteria[0]?.changes ?? [])), 'I')
    t.equal(after.totalExact, 85, '70 + 15 = 85')
    t.equal(after.level, 3)
  })

  t.test('a count is raised only as far as needed (1.7.2 computers)', async (t) => {
    // 1.7.2 = 7 × 25/40 = 4.375 (640 THCS pupils need 640/16 = 40 computers); 1.5.1 = 0; 1.4 = 0
    // group I = 100 − 7 + 4.375 − 15 − 10 = 72.375 → Mức 2; Mức 3 needs > 75: 75 − 72.375 = 2.625 → 2.63
    const before = fullEvidence({ informatics_computers: 25, periodic_tests_on_computer: 0, subjects_with_digital_materials: 0 })
    const g = group(score(set, before, { hints: true }), 'I')
    t.equal(g.totalExact, 72.375)
    t.equal(g.total, 72.38, '72.375 → 72.38 (half up)')
    t.equal(g.level, 2)
    const hint = g.nextLevel
    if (!hint) { t.fail('no hint'); return }
    t.equal(hint.pointsNeeded, 2.63)
    // gains: 1.5.1 15, 1.4 10, 1.7.2 7 − 4.375 = 2.625 → 2.63
    t.same(hint.criteria.map((i) => [i.criterion, i.gain]), [['1.5.1', 15], ['1.4', 10], ['1.7.2', 2.63]])
    t.same(hint.criteria[2]?.changes.map((c) => [c.fact, c.from, c.to]), [['informatics_computers', 25, 40]], '40 computers, not the 5000 upper bound')
    const after = group(score(set, apply(before, hint.criteria[2]?.changes ?? [])), 'I')
    t.equal(after.totalExact, 75, '72.375 + 2.625 = 75: the 1.7.2 change alone is not enough (75 is Mức 2)')
    t.equal(after.level, 2)
  })

  t.test('a capped group: the mandatory condition comes first', async (t) => {
    const before = fullEvidence({ dx_plan_issued: false })
    const g = group(score(set, before, { hints: true }), 'II')
    t.equal(g.level, 1)
    const hint = g.nextLevel
    if (!hint) { t.fail('no hint'); return }
    t.equal(hint.targetLevel, 2)
    t.same(hint.mandatory.map((m) => m.criterion), ['2.2'])
    t.match(hint.mandatory[0]?.changes, [{ fact: 'dx_plan_issued', from: false, to: true }])
    t.same(hint.criteria, [], 'no points left to gain: 90 of the 90 known')
    const after = group(score(set, apply(before, hint.mandatory[0]?.changes ?? [])), 'II')
    t.equal(after.level, 3, 'cap lifted: 90 > 75')
  })

  t.test('no hint at the top level, and none unless asked', async (t) => {
    t.equal(group(score(set, fullEvidence(), { hints: true }), 'I').nextLevel, null)
    t.equal(group(score(set, fullEvidence()), 'I').nextLevel, undefined)
  })
})

function apply(bundle: { facts: Facts }, changes: HintChange[]): { facts: Facts } {
  const facts = { ...bundle.facts }
  for (const c of changes) facts[c.fact] = c.to
  return { facts }
}
