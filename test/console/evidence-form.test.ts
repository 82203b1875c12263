// The evidence form parser: urlencoded fields → typed facts per the set's FactDefs, hand-made cases.
import t from 'tap'
import type { CompiledSet } from '../../src/scoring/compile-set.js'
import type { FactDef } from '../../src/scoring/types.js'
import { factFieldId, parseEvidenceForm } from '../../src/console/forms/evidence-form.js'
import { factsByCriterion, factInputs } from '../../src/console/views/evidence-fields.js'
import { loadCatalog } from '../helpers.js'

const defs: FactDef[] = [
  { key: 'ratio', type: 'number', label: 'Tỉ lệ phòng học', min: 0, max: 100, unit: '%' },
  { key: 'teachers', type: 'integer', label: 'Số giáo viên', min: 0, max: 500 },
  { key: 'studio', type: 'boolean', label: 'Có phòng studio' },
  { key: 'lms', type: 'enum', label: 'Hình thức triển khai', values: [{ value: 'rented', label: 'Thuê' }, { value: 'purchased', label: 'Mua' }] },
  { key: 'name', type: 'string', label: 'Tên giải pháp', maxLength: 5 },
  { key: 'issued', type: 'date', label: 'Ngày ban hành' },
  { key: 'plan', type: 'document', label: 'Văn bản kế hoạch' },
]
const set = { facts: new Map(defs.map((d) => [d.key, d])) } as unknown as CompiledSet
const id = factFieldId

t.equal(factFieldId('dx_plan'), 'fact-dx_plan')

t.test('good values, typed', async (t) => {
  const { facts, errors } = parseEvidenceForm(set, {
    [id('ratio')]: '12,5', [id('teachers')]: ' 52 ', [id('studio')]: 'false', [id('lms')]: 'rented', [id('name')]: 'K12', [id('issued')]: '2024-09-05',
    [`${id('plan')}-title`]: 'Kế hoạch CĐS', [`${id('plan')}-url`]: 'https://truong.edu.vn/kh.pdf',
  })
  t.same(errors, [])
  t.same(facts, { ratio: 12.5, teachers: 52, studio: false, lms: 'rented', name: 'K12', issued: '2024-09-05', plan: { title: 'Kế hoạch CĐS', url: 'https://truong.edu.vn/kh.pdf' } })
})

t.test('blank fields are null (a partial draft); absent non-boolean fields are left out', async (t) => {
  const { facts, errors } = parseEvidenceForm(set, { [id('ratio')]: '', [id('lms')]: '', [`${id('plan')}-title`]: '', [`${id('plan')}-url`]: '  ' })
  t.same(errors, [])
  t.same(facts, { ratio: null, studio: null, lms: null, plan: null }, 'an unchecked boolean is null too')
})

t.test('only the given keys', async (t) => {
  const { facts } = parseEvidenceForm(set, { [id('ratio')]: '7', [id('teachers')]: '3', [id('studio')]: 'true' }, ['teachers', 'studio'])
  t.same(facts, { teachers: 3, studio: true })
})

t.test('errors name the field and the label, in Vietnamese', async (t) => {
  const { facts, errors } = parseEvidenceForm(set, {
    [id('ratio')]: '100,5', [id('teachers')]: '-1', [id('studio')]: 'maybe', [id('lms')]: 'stolen', [id('name')]: 'quá dài', [id('issued')]: '2025-02-30',
    [`${id('plan')}-title`]: 'Kế hoạch', [`${id('plan')}-url`]: 'ftp://x',
  })
  t.same(facts, {})
  t.same(errors.map((e) => e.field), [id('ratio'), id('teachers'), id('studio'), id('lms'), id('name'), id('issued'), `${id('plan')}-url`])
  t.match(errors[0]!.text, /Tỉ lệ phòng học.*không được lớn hơn 100 %/)
  t.match(errors[1]!.text, /Số giáo viên.*không được nhỏ hơn 0/)
  t.match(errors[2]!.text, /Có hoặc Không.*Có phòng studio/)
  t.match(errors[3]!.text, /Hình thức triển khai.*Thuê, Mua/)
  t.match(errors[4]!.text, /Tên giải pháp.*5 ký tự/)
  t.match(errors[5]!.text, /Ngày ban hành/)
  t.match(errors[6]!.text, /Văn bản kế hoạch/)
})

t.test('numbers: not a number, a fraction for an integer, a dot decimal', async (t) => {
  const r = parseEvidenceForm(set, { [id('ratio')]: '12.25', [id('teachers')]: '3,5' })
  t.same(r.facts, { ratio: 12.25, studio: null })
  t.match(r.errors, [{ field: id('teachers'), text: /số nguyên/ }])
  t.match(parseEvidenceForm(set, { [id('ratio')]: 'mười' }).errors, [{ field: id('ratio'), text: /Tỉ lệ phòng học.*phải là một số/ }])
})

t.test('documents: a title without a link, a link without a title, an uploaded file', async (t) => {
  t.match(parseEvidenceForm(set, { [`${id('plan')}-title`]: 'Kế hoạch' }).errors, [{ field: `${id('plan')}-url` }])
  t.match(parseEvidenceForm(set, { [`${id('plan')}-url`]: 'https://a.vn/x' }).errors, [{ field: `${id('plan')}-title` }])
  t.same(parseEvidenceForm(set, { [`${id('plan')}-title`]: 'Kế hoạch', [`${id('plan')}-ref`]: 'doc-1' }).facts, { plan: { title: 'Kế hoạch', ref: 'doc-1' }, studio: null })
})

t.test('the 4725 set: each fact asked once, at the first criterion reading it; inputs labelled', async (t) => {
  const real = loadCatalog().compile('moet-4725')
  const by = factsByCriterion(real)
  t.same(by.get('1.1'), ['online_teaching_plan_issued', 'online_teaching_plan_document'])
  t.same(by.get('1.6.1'), ['teachers_total', 'teachers_with_online_training_account'])
  t.same(by.get('1.6.2'), ['teachers_using_digital_tools'], 'teachers_total is asked at 1.6.1 only')
  const all = [...by.values()].flat()
  t.equal(all.length, new Set(all).size, 'no fact twice')
  t.equal(all.length, real.facts.size, 'every fact asked')
  const out = factInputs(real, { teachers_total: 52, dx_plan_issued: true }, [{ field: 'fact-teachers_total', text: 'Lỗi' }], ['teachers_total', 'dx_plan_issued']).value
  t.match(out, /<label for="fact-teachers_total">/)
  t.match(out, /value="52"/)
  t.match(out, /inputmode="numeric"/)
  t.match(out, /class="field-error" id="fact-teachers_total-error">Lỗi/)
  t.match(out, /<legend>Có kế hoạch ứng dụng CNTT, chuyển đổi số<\/legend>/)
  t.match(out, /value="true" checked/)
})
