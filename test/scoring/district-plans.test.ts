// District/city plan targets (criteria/{long-bien-*,quan-3-*,sa-dec-*,hcm-540-*,tan-binh-*}):
// target values, met and gap worked out by hand from the plan thresholds, beside each assertion.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { scoreWithReferences } from '../../src/criteria/score-bundle.js'
import { score } from '../../src/scoring/index.js'
import { criterion, loadCatalog, type Facts } from '../helpers.js'

const DISTRICT_SETS = [
  'long-bien-ke-hoach-cds@2024-2025',
  'quan-3-ke-hoach-cds@2023-2024',
  'sa-dec-ke-hoach-cntt@2020-2021',
  'hcm-540-cntt@2016-2017',
  'tan-binh-ke-hoach-cds@2023-2024',
]

const example = (path: string): { facts: Facts } =>
  JSON.parse(readFileSync(new URL(`../../criteria/${path}`, import.meta.url), 'utf8')) as { facts: Facts }

t.test('district sets are targets only: no points, no levels, a targets summary', async (t) => {
  const catalog = loadCatalog()
  for (const spec of DISTRICT_SETS) {
    const set = catalog.compile(spec)
    t.equal(set.status, 'published', spec)
    for (const g of set.groups) {
      t.equal(g.maxPoints, null, `${spec} group ${g.code} has no maxPoints`)
      t.equal(g.bands, null, `${spec} group ${g.code} has no level bands`)
      for (const c of g.criteria) {
        t.ok(c.kind === 'target' || c.kind === 'info', `${spec} ${c.code} is a target or info`)
        t.equal(c.def.provenance.confidence, 'confirmed', `${spec} ${c.code} provenance confirmed`)
      }
    }
  }
})

t.test('Long Biên II.6b reads the 4725 group levels of the same bundle', async (t) => {
  const catalog = loadCatalog()
  const set = catalog.compile('long-bien-ke-hoach-cds@2024-2025')
  const strong = example('moet-4725/examples/strong-thcs.json')

  // strong-thcs: Nhóm I 89.03 → Mức 3, Nhóm II 80 → Mức 3; min(3, 3) = 3 ≥ 3
  const met = criterion(scoreWithReferences(set, strong, catalog), 'II.6b')
  t.equal(met.value, 3)
  t.equal(met.met, true)
  t.equal(met.gap, 0)

  // without the facilities module (2.3.5, 10 points): Nhóm II 70 → Mức 2; min(3, 2) = 2, one level short
  const lower = criterion(scoreWithReferences(set, { facts: { ...strong.facts, sis_facilities_module: false } }, catalog), 'II.6b')
  t.same([lower.value, lower.met, lower.gap], [2, false, 1])

  // the plan's own facts beside the 4725 facts (all-met-thcs): moet-4725 reads only its own facts,
  // so II.6b is still min(3, 3) = 3, and all 8 targets are met (8/8 = 1)
  const all = scoreWithReferences(set, example('long-bien-ke-hoach-cds/examples/all-met-thcs.json'), catalog)
  t.same([criterion(all, 'II.6b').value, criterion(all, 'II.6b').met, criterion(all, 'II.6b').gap], [3, true, 0])
  t.equal(all.errors.length, 0, 'no UNKNOWN_FACT for the plan facts')
  t.equal(all.complete, true)
  t.same(all.targets, { met: 8, total: 8, share: 1, allMet: true })
  // group-ii-level-2-thcs: the same plan facts, 2.3.5 = 0 → Nhóm II 70 → Mức 2; II.6b min(3, 2) = 2, 1 short;
  // 7 of 8 met: 7/8 = 0.875 → 0.88
  const two = scoreWithReferences(set, example('long-bien-ke-hoach-cds/examples/group-ii-level-2-thcs.json'), catalog)
  t.same([criterion(two, 'II.6b').value, criterion(two, 'II.6b').met, criterion(two, 'II.6b').gap], [2, false, 1])
  t.same(two.targets, { met: 7, total: 8, share: 0.88, allMet: false })

  // a 4725 draft (both groups provisional): the target is undetermined, not scored on provisional levels
  const draft = scoreWithReferences(set, example('moet-4725/examples/draft-partial.json'), catalog)
  const undetermined = criterion(draft, 'II.6b')
  t.equal(undetermined.status, 'incomplete')
  t.equal(undetermined.met, null)
  t.same(undetermined.missingFacts, ['ref.nhom_i', 'ref.nhom_ii'])
  t.equal(draft.complete, false)
})

t.test('Long Biên ratio and number targets keep the actual value and the gap', async (t) => {
  const set = loadCatalog().compile('long-bien-ke-hoach-cds@2024-2025')
  const r = score(set, example('long-bien-ke-hoach-cds/examples/several-missing-thcs.json'))
  // II.1: 42/48 × 100 = 87.5, 12.5 short of 100
  t.same([criterion(r, 'II.1').value, criterion(r, 'II.1').gap, criterion(r, 'II.1').met], [87.5, 12.5, false])
  // III.2: 1.5 products/teacher/month, 0.5 short of 2
  t.same([criterion(r, 'III.2').value, criterion(r, 'III.2').gap], [1.5, 0.5])
  // II.6b: no 4725 result to read (no references given) → undetermined; 2 of 8 met: 2/8 = 0.25
  t.same([criterion(r, 'II.6b').status, criterion(r, 'II.6b').met], ['incomplete', null])
  t.equal(r.complete, false)
  t.same(r.targets, { met: 2, total: 8, share: 0.25, allMet: false })
})

t.test('computer norm 24/16/12 pupils per computer (540/GDĐT-TTTT II.7, Sa Đéc II.3.d)', async (t) => {
  const catalog = loadCatalog()
  const hcm = catalog.compile('hcm-540-cntt@2016-2017')
  const facts = (f: Facts) => ({ facts: f })
  // THCS 480 + THPT 600: needed 480/16 + 600/12 = 30 + 50 = 80; 80 computers → 100% → met
  const mixed = score(hcm, facts({ pupils_th: 0, pupils_thcs: 480, pupils_thpt: 600, informatics_computers: 80 }))
  t.same([criterion(mixed, 'II.7.c1').value, criterion(mixed, 'II.7.c1').met], [100, true])
  t.equal(criterion(mixed, 'II.7.c0').value, 13.5, '1080 pupils / 80 computers')
  // TH 720: needed 720/24 = 30; 24 computers → 80%, 20 short; 30 pupils per computer (> 24)
  const th = score(hcm, facts({ pupils_th: 720, pupils_thcs: 0, pupils_thpt: 0, informatics_computers: 24 }))
  t.same([criterion(th, 'II.7.c1').value, criterion(th, 'II.7.c1').gap, criterion(th, 'II.7.c1').met], [80, 20, false])
  t.equal(criterion(th, 'II.7.c0').value, 30)
  // no computers at all: 0% of the norm, and no pupils-per-computer value
  const none = score(hcm, facts({ pupils_th: 0, pupils_thcs: 320, pupils_thpt: 0, informatics_computers: 0 }))
  t.same([criterion(none, 'II.7.c1').value, criterion(none, 'II.7.c1').met], [0, false])
  t.equal(criterion(none, 'II.7.c0').value, null)

  // Sa Đéc: the same norm; THCS 800 pupils, 40 computers → needed 50 → 80%
  const sd = score(catalog.compile('sa-dec-ke-hoach-cntt@2020-2021'), facts({ pupils_th: 0, pupils_thcs: 800, pupils_thpt: 0, informatics_computers: 40 }))
  t.same([criterion(sd, 'II.3.d1').value, criterion(sd, 'II.3.d1').met], [80, false])
})

t.test('Quận 3 online share: two thresholds by level on one figure', async (t) => {
  const set = loadCatalog().compile('quan-3-ke-hoach-cds@2023-2024')
  // 16%: meets the TH minimum 15%, 1.5 short of the THCS minimum 17.5%
  const r = score(set, { facts: { online_programme_share: 16 } })
  t.same([criterion(r, 'II.11a').met, criterion(r, 'II.11a').gap], [true, 0])
  t.same([criterion(r, 'II.11b').met, criterion(r, 'II.11b').gap], [false, 1.5])
  // 40% of TH + THCS pupils in international informatics: 450 / (600 + 400) = 45% → met
  const s = score(set, { facts: { pupils_th: 600, pupils_thcs: 400, pupils_international_informatics: 450 } })
  t.same([criterion(s, 'II.10b').value, criterion(s, 'II.10b').met], [45, true])
})
