// Shared helpers for the scoring tests: the shipped QĐ 4725 set, evidence builders whose values
// are chosen so that every expected number can be worked out by hand, and a compiler for small
// inline fixture sets (schema-checked first, exactly as the catalog would check a file).
import { Catalog } from '../src/criteria/catalog.js'
import { validateSetSchema } from '../src/criteria/schema-validation.js'
import { compileSet, type CompiledSet } from '../src/scoring/index.js'
import type { Backend } from '../src/scoring/rules/compile.js'
import type {
  CriteriaSetDef, CriterionResult, EvidenceBundle, GroupResult, Provenance, ScoreResult, Vocabulary,
} from '../src/scoring/index.js'

let catalog: Catalog | null = null

/** The catalog of criteria/ (loaded once per test process). */
export function loadCatalog(): Catalog {
  catalog ??= Catalog.load()
  return catalog
}

/** The compiled QĐ 4725 set (criteria/moet-4725/2022-12-30.json). */
export function load4725(backend: Backend = 'compiled'): CompiledSet {
  return loadCatalog().compile('moet-4725', backend)
}

export function coreVocabulary(): Vocabulary {
  const v = loadCatalog().vocabularies.get('core')
  if (!v) throw new Error('vocabulary "core" not found in criteria/facts')
  return v
}

export type Facts = Record<string, unknown>

/**
 * Complete evidence for all 44 facts of the 4725 set, every criterion at full points:
 *   Group I  = 30 (1.3: 5 × 6) + 10 (1.4: 12/12) + 15 (1.5.1: 40/40) + 5 (1.5.2)
 *            + 7 + 7 + 6 (1.6.x: 40/40 teachers) + 8 (1.7.1: 20/20)
 *            + 7 (1.7.2: 40 computers ≥ 640/16 = 40 needed) + 5 (1.7.3) = 100
 *   Group II = 6+6+10+6+10+10+6+6 (2.3.x) + 8+12+10 (2.4.x) = 90 (declared gap of 10)
 * Overrides replace values; an override of `undefined` removes the key altogether.
 */
export function fullEvidence(overrides: Facts = {}): EvidenceBundle {
  return bundle({
    online_teaching_plan_issued: true,
    online_teaching_plan_document: { title: 'Kế hoạch dạy học trực tuyến năm học 2023-2024', url: 'https://school.example/docs/ke-hoach.pdf' },
    online_teaching_regulation_issued: true,
    online_teaching_regulation_document: { title: 'Quy chế dạy học trực tuyến', ref: 'doc-0002' },
    live_online_teaching_software_deployed: true,
    live_online_teaching_software_link: { title: 'Phòng học trực tuyến', url: 'https://meet.school.example/' },
    lms_solution_name: 'LMS Trường Số',
    lms_acquisition: 'rented',
    lms_assigns_self_study: true,
    lms_answers_questions: true,
    lms_continuous_assessment: true,
    lms_parent_monitoring: true,
    subjects_total: 12,
    subjects_with_digital_materials: 12,
    periodic_tests_total: 40,
    periodic_tests_on_computer: 40,
    testing_software_exchanges_with_sis: true,
    teachers_total: 40,
    teachers_with_online_training_account: 40,
    teachers_using_digital_tools: 40,
    teachers_creating_digital_materials: 40,
    classrooms_total: 20,
    classrooms_with_projector_and_internet: 20,
    pupils_th: 0,
    pupils_thcs: 640,
    pupils_thpt: 0,
    informatics_computers: 40,
    digital_content_studio: true,
    dx_steering_unit: true,
    dx_steering_unit_document: { title: 'Quyết định thành lập Ban chỉ đạo chuyển đổi số', ref: 'doc-0003' },
    dx_plan_issued: true,
    dx_plan_document: { title: 'Kế hoạch chuyển đổi số', ref: 'doc-0004' },
    sis_usage_regulation_issued: true,
    sis_student_module: true,
    electronic_gradebook: true,
    electronic_transcript: true,
    sis_staff_module: true,
    sis_facilities_module: true,
    sis_health_module: true,
    sis_accounting_module: true,
    sis_syncs_with_sector_database: true,
    family_school_app: true,
    online_admission: true,
    cashless_fee_payment: true,
  }, overrides)
}

/**
 * Complete evidence with every scored criterion at 0 points but every mandatory condition met
 * (so no level cap applies): yes/no facts false, parts 0 of non-zero wholes, no Informatics
 * computers. Group I = 0, group II = 0. Build level fixtures on top of it.
 */
export function zeroEvidence(overrides: Facts = {}): EvidenceBundle {
  const zero: Facts = {}
  for (const [k, v] of Object.entries(fullEvidence().facts)) {
    zero[k] = typeof v === 'boolean' ? false : v
  }
  Object.assign(zero, {
    online_teaching_plan_issued: true,
    online_teaching_regulation_issued: true,
    dx_steering_unit: true,
    dx_plan_issued: true,
    subjects_with_digital_materials: 0,
    periodic_tests_on_computer: 0,
    teachers_with_online_training_account: 0,
    teachers_using_digital_tools: 0,
    teachers_creating_digital_materials: 0,
    classrooms_with_projector_and_internet: 0,
    informatics_computers: 0,
  })
  return bundle(zero, overrides)
}

function bundle(base: Facts, overrides: Facts): EvidenceBundle {
  const facts: Facts = { ...base }
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete facts[k]
    else facts[k] = v
  }
  return { facts }
}

/** Group II facts by criterion, for building group II totals from yes/no items. */
export const GROUP_II_FACTS = {
  '2.3.1': ['sis_usage_regulation_issued'],
  '2.3.2': ['sis_student_module'],
  '2.3.3': ['electronic_gradebook', 'electronic_transcript'],
  '2.3.4': ['sis_staff_module'],
  '2.3.5': ['sis_facilities_module'],
  '2.3.6': ['sis_health_module'],
  '2.3.7': ['sis_accounting_module'],
  '2.3.8': ['sis_syncs_with_sector_database'],
  '2.4.1': ['family_school_app'],
  '2.4.2': ['online_admission'],
  '2.4.3': ['cashless_fee_payment'],
} as const

export type GroupIICode = keyof typeof GROUP_II_FACTS
export const GROUP_II_CODES = Object.keys(GROUP_II_FACTS) as GroupIICode[]

/** Facts that turn the given group II criteria on (true); the rest stay as in the base. */
export function groupIIYes(codes: GroupIICode[]): Facts {
  const out: Facts = {}
  for (const c of codes) for (const f of GROUP_II_FACTS[c]) out[f] = true
  return out
}

/** Facts that turn the given group II criteria off (false). */
export function groupIINo(codes: GroupIICode[]): Facts {
  const out: Facts = {}
  for (const c of codes) for (const f of GROUP_II_FACTS[c]) out[f] = false
  return out
}

// ---- finding things in results ----

export function group(result: ScoreResult, code: string): GroupResult {
  const g = result.groups.find((x) => x.code === code)
  if (!g) throw new Error(`no group ${code} in the result`)
  return g
}

export function criterion(result: ScoreResult, code: string): CriterionResult {
  const find = (list: CriterionResult[]): CriterionResult | undefined => {
    for (const c of list) {
      if (c.code === code) return c
      const inner = c.children ? find(c.children) : undefined
      if (inner) return inner
    }
    return undefined
  }
  const c = find(result.groups.flatMap((g) => g.criteria))
  if (!c) throw new Error(`no criterion ${code} in the result`)
  return c
}

/** The result as JSON without the `engine` block (to compare backends). */
export function withoutEngine(result: ScoreResult): unknown {
  const { engine: _engine, ...rest } = result
  return JSON.parse(JSON.stringify(rest))
}

// ---- inline fixture sets ----

export const PROV: Provenance = { source: 'test fixture (test/)', confidence: 'convention' }

export const THREE_BANDS = {
  bands: [
    { level: 1, name: 'Mức chưa đáp ứng', lt: 50 },
    { level: 2, name: 'Mức đáp ứng cơ bản', gte: 50, lte: 75 },
    { level: 3, name: 'Mức đáp ứng tốt', gt: 75 },
  ],
  provenance: PROV,
}

/** A fixture set with the boilerplate filled in; pass groups, facts and the rest. */
export function fixtureSet(parts: Partial<CriteriaSetDef> & Pick<CriteriaSetDef, 'groups'>): CriteriaSetDef {
  return {
    formatVersion: 1,
    id: 'test-fixture',
    version: '1',
    status: 'draft',
    document: { issuer: 'Test', number: '1/TEST', date: '2024-01-01' },
    title: 'Fixture set',
    appliesTo: ['TH'],
    facts: {},
    ...parts,
  }
}

/**
 * Schema-checks a fixture set the way the catalog checks a file, then compiles it.
 * Throws if the fixture itself is not a valid criteria file (a broken fixture proves nothing).
 */
export function compileFixture(def: CriteriaSetDef, opts: { vocabulary?: Vocabulary | null; backend?: Backend } = {}): CompiledSet {
  const problems = validateSetSchema(def)
  if (problems.length > 0) {
    throw new Error(`fixture ${def.id} is not schema-valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`)
  }
  return compileSet(def, opts.vocabulary ?? null, opts.backend ? { backend: opts.backend } : {})
}
