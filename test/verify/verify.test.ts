import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { Catalog } from '../../src/criteria/catalog.js'
import { verifyCatalog, verifyFile } from '../../src/verify/verify.js'
import { formatReport, totals } from '../../src/verify/report.js'

const broken = (name: string) => fileURLToPath(new URL(`../fixtures/broken/${name}.json`, import.meta.url))
const errorsOf = (name: string) => verifyFile(broken(name), Catalog.load()).flatMap((r) => r.findings).filter((f) => f.severity === 'error')

t.test('the shipped criteria/ pass, with the Nhóm II gap acknowledged, not hidden', async (t) => {
  const reports = verifyCatalog(Catalog.load())
  const sum = totals(reports)
  t.equal(sum.errors, 0, formatReport(reports))
  const gap = reports.flatMap((r) => r.findings).find((f) => f.code === 'DECLARED_GAP')
  t.ok(gap, 'the gap is reported')
  t.equal(gap?.severity, 'acknowledged')
  t.match(gap?.message, /90 of 100; 10 points/)
  t.ok(reports.some((r) => r.file.endsWith('examples/strong-thcs.json')), 'examples are scored')
})

const cases: [string, string, string | undefined, RegExp][] = [
  ['unknown-var', 'UNKNOWN_VAR', '1', /did you mean "teachers_with_online_training_account"/],
  ['rule-above-max', 'RULE_ABOVE_MAX', '1', /above the maximum 7/],
  ['duplicate-codes', 'DUPLICATE_CODE', '1', /used twice/],
  ['missing-provenance', 'SCHEMA', '2', /"provenance": \{"source"/],
  ['malicious-depth', 'RULE_TOO_DEEP', '2', /flatten/],
  ['unknown-operator', 'UNKNOWN_OPERATOR', '2', /use one of/],
  ['prototype-var', 'UNKNOWN_VAR', '2', /facts\.use/],
  ['unguarded-division', 'RULE_NON_FINITE', '1', /guard divisions/],
  ['max-mismatch', 'GROUP_MAX_MISMATCH', undefined, /declaredGap/],
  ['bands-gap', 'BANDS_GAP', undefined, /cover 0…max/],
  ['boolean-arithmetic', 'NON_NUMERIC_OPERAND', '1', /\{"if": \[\{"var": "digital_content_studio"\}, 1, 0\]\}/],
  ['not-json', 'INVALID_JSON', undefined, /commas, quotes/],
]

for (const [name, code, criterion, fix] of cases) {
  t.test(`broken fixture ${name} is rejected with ${code}`, async (t) => {
    const errors = errorsOf(name)
    const hit = errors.find((f) => f.code === code)
    t.ok(hit, `${code} among ${errors.map((e) => e.code).join(', ')}`)
    t.equal(hit?.criterion, criterion, 'names the criterion')
    t.match(`${hit?.message} → ${hit?.fix}`, fix, 'says what is wrong and how to fix it')
  })
}

t.test('a hand-worked expectation that disagrees is an error naming the criterion', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-verify-'))
  const root = fileURLToPath(new URL('../../criteria/', import.meta.url))
  cpSync(root, dir, { recursive: true })
  writeFileSync(join(dir, 'moet-4725/examples/strong-thcs.expected.json'), JSON.stringify({ groups: { I: { total: 90, level: 3 } }, criteria: { '1.7.2': 6 } }))
  const reports = verifyCatalog(Catalog.load(dir))
  const mismatches = reports.flatMap((r) => r.findings).filter((f) => f.code === 'EXAMPLE_MISMATCH')
  t.equal(mismatches.length, 2)
  t.match(mismatches[0]?.message, /group I total: expected 90, got 89.03/)
  t.equal(mismatches[1]?.criterion, '1.7.2')
})

t.test('references must name a known set and group', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-verify-'))
  const file = join(dir, 'ref.json')
  const prov = { source: 'test', confidence: 'convention' }
  writeFileSync(file, JSON.stringify({
    formatVersion: 1, id: 'ref-test', version: '1', status: 'draft',
    document: { issuer: 'Test', number: '1/T', date: '2026-01-01' }, title: 'Ref', appliesTo: ['TH'], facts: {},
    references: {
      a: { set: 'moet-4725', select: { group: 'III', field: 'level' }, label: 'no such group' },
      b: { set: 'no-such-set', select: { group: 'I', field: 'level' }, label: 'no such set' },
      c: { set: 'moet-4725', select: { criterion: '9.9', field: 'points' }, label: 'no such criterion' },
      d: { set: 'moet-4725', select: { criterion: '1.3.2', field: 'points' }, label: 'a nested criterion' },
    },
    groups: [{ code: 'I', title: 'T', criteria: [{ code: '1', title: 'both', kind: 'target', rule: { and: [{ '==': [{ var: 'ref.a' }, 3] }, { '==': [{ var: 'ref.b' }, 3] }, { '>': [{ var: ['ref.c', 0] }, 0] }, { '>': [{ var: ['ref.d', 0] }, 0] }] }, threshold: { op: '==', value: true }, provenance: prov }] }],
  }))
  const findings = verifyFile(file, Catalog.load()).flatMap((r) => r.findings)
  const at = (code: string) => findings.filter((f) => f.code === code).map((f) => f.path)
  t.same(at('UNKNOWN_REFERENCED_GROUP'), ['/references/a/select/group'])
  t.same(at('UNKNOWN_REFERENCED_SET'), ['/references/b'])
  t.same(at('UNKNOWN_REFERENCED_CRITERION'), ['/references/c/select/criterion'], 'a nested criterion (1.3.2) is found')
})

t.test('re-adding a changed set file replaces its compiled form', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-catalog-'))
  const file = join(dir, 'set.json')
  const prov = { source: 'test', confidence: 'convention' }
  const def = (max: number) => ({
    formatVersion: 1, id: 'recompile', version: '1', status: 'draft',
    document: { issuer: 'Test', number: '1/T', date: '2026-01-01' }, title: 'R', appliesTo: ['TH'],
    vocabulary: 'core', facts: { use: ['digital_content_studio'] },
    groups: [{ code: 'I', title: 'T', criteria: [{ code: '1', title: 'studio', kind: 'scored', maxPoints: max, rule: { if: [{ var: 'digital_content_studio' }, max, 0] }, provenance: prov }] }],
  })
  const catalog = Catalog.load()
  writeFileSync(file, JSON.stringify(def(5)))
  catalog.addSetFile(file)
  t.equal(catalog.compile('recompile@1').groups[0]?.criteria[0]?.maxPoints, 5)
  writeFileSync(file, JSON.stringify(def(8)))
  catalog.addSetFile(file)
  t.equal(catalog.compile('recompile@1').groups[0]?.criteria[0]?.maxPoints, 8, 'not the stale compiled set')
})
