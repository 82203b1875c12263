// The in-memory rollup (src/rollups) against the SQL rollup it replaces for the summary: the same
// unit summary on a generated national hierarchy and on the HTTP fixture, before and after writes of
// every kind (state changes, new points, an external result recorded and removed, a school moved,
// renamed or added), for several units and both counting rules; and each refresh reloads only the
// assessments that changed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import t from 'tap'
import { buildDataset, scoreCorpus } from '../../bench/aggregate-data.js'
import { openDatabase, closeDatabase } from '../../src/db/connection.js'
import { buildRollup } from '../../src/reports/rollup.js'
import { rollupsRepo } from '../../src/repositories/sqlite/rollups.js'
import type { AssessmentState, RollupScope, RollupsRepo } from '../../src/repositories/types.js'
import { incrementalRollups } from '../../src/rollups/incremental-repo.js'
import type { CompiledSet } from '../../src/scoring/compile-set.js'
import { loadCatalog } from '../helpers.js'
import { act, exampleFacts, harness, startAssessment } from '../http/app.js'

const FINAL: AssessmentState[] = ['approved', 'published']
const WITH_SUBMITTED: AssessmentState[] = ['submitted', 'approved', 'published']

async function rollup(repo: RollupsRepo, set: CompiledSet, scope: RollupScope) {
  const [schools, groups, stats, cuts, targets, previous, children] = await Promise.all([
    repo.schools(scope), repo.groups(scope), repo.criterionStats(scope), repo.criterionCuts(scope), repo.targets(scope), repo.previous(scope), repo.children(scope.rootUnitId),
  ])
  return buildRollup({ def: set.def, states: scope.states, schools, groups, stats, cuts, targets, previous, children, year: scope.year })
}

t.test('generated hierarchy: the same summaries as SQL, before and after writes, reloading only what changed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-rollup-diff-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'cds.sqlite')
  const set = loadCatalog().compile('moet-4725')
  const built = buildDataset(file, 400, 4725, scoreCorpus(set, 40, 4725))
  const conn = openDatabase(file)
  t.teardown(() => closeDatabase(conn))
  const db = conn.sqlite
  const sql = rollupsRepo(db)
  const inc = incrementalRollups(db)

  const year = (db.prepare('SELECT school_year AS y FROM periods WHERE id = ?').get(built.periodId) as { y: number }).y
  const root = (db.prepare('SELECT id FROM units WHERE code = ?').get(built.rootCode) as { id: number }).id
  const province = (db.prepare('SELECT id FROM units WHERE parent_id = ? ORDER BY code LIMIT 1').get(root) as { id: number }).id
  const district = (db.prepare('SELECT id FROM units WHERE parent_id = ? ORDER BY code LIMIT 1').get(province) as { id: number }).id
  const scopes = [root, province, district].flatMap((u) => [FINAL, WITH_SUBMITTED].map((states) => ({ rootUnitId: u, year, periodId: built.periodId, setId: set.id, setVersion: set.version, states })))

  const compare = async (when: string) => {
    for (const s of scopes) t.same(await rollup(inc, set, s), await rollup(sql, set, s), `${when}: unit ${s.rootUnitId}, ${s.states.join('+')}`)
  }
  const first = await rollup(inc, set, scopes[0]!)
  t.ok(inc.lastReloaded >= built.assessments, `the first summary loads every assessment (${inc.lastReloaded})`)
  t.ok(first.schools.inScope >= 300 && first.external.assessments > 0 && first.previousYear.schools > 0, 'the dataset has schools, external results and a previous year to compare')
  await compare('as built')
  await rollup(inc, set, { ...scopes[0]!, states: ['approved'] })
  t.equal(inc.lastReloaded, 0, 'nothing written: nothing reloaded')

  // Writes as the service makes them: every change bumps the assessment's version.
  const ids = (db.prepare('SELECT id FROM assessments WHERE period_id = ? ORDER BY id').all(built.periodId) as { id: string }[]).map((r) => r.id)
  const bump = db.prepare('UPDATE assessments SET version = version + 1 WHERE id = ?')
  const write = (fn: () => void) => db.transaction(fn)()
  write(() => {
    // 1. states move (approve a submitted one, return an approved one, publish)
    for (const [i, state] of [[0, 'approved'], [1, 'returned'], [2, 'published'], [3, 'submitted']] as const) {
      db.prepare('UPDATE assessments SET state = ? WHERE id = ?').run(state, ids[i]); bump.run(ids[i])
    }
    // 2. new points and a group total for one school's own result
    db.prepare("UPDATE assessment_criteria SET points = 0 WHERE assessment_id = ? AND source = 'self' AND kind = 'scored'").run(ids[4])
    db.prepare("UPDATE assessment_groups SET total = 0, level = 1 WHERE assessment_id = ? AND source = 'self'").run(ids[4]); bump.run(ids[4])
    // 3. an external result recorded (a copy of the self rows, one criterion cut to 0) …
    db.prepare("DELETE FROM assessment_groups WHERE assessment_id = ? AND source = 'external'").run(ids[5])
    db.prepare("DELETE FROM assessment_criteria WHERE assessment_id = ? AND source = 'external'").run(ids[5])
    db.prepare(`INSERT INTO assessment_groups SELECT assessment_id, 'external', group_code, total - 5, level, complete FROM assessment_groups WHERE assessment_id = ? AND source = 'self'`).run(ids[5])
    db.prepare(`INSERT INTO assessment_criteria SELECT assessment_id, 'external', code, group_code, kind, max_points, CASE WHEN code = '1.1' THEN 0 ELSE points END, met, value, gap, status FROM assessment_criteria WHERE assessment_id = ? AND source = 'self'`).run(ids[5])
    db.prepare("UPDATE assessments SET state = 'approved' WHERE id = ?").run(ids[5]); bump.run(ids[5])
    // … and one removed
    const withExternal = (db.prepare("SELECT DISTINCT g.assessment_id AS id FROM assessment_groups g JOIN assessments a ON a.id = g.assessment_id WHERE g.source = 'external' AND a.period_id = ? AND a.id <> ? LIMIT 1").get(built.periodId, ids[5]) as { id: string }).id
    db.prepare("DELETE FROM assessment_groups WHERE assessment_id = ? AND source = 'external'").run(withExternal)
    db.prepare("DELETE FROM assessment_criteria WHERE assessment_id = ? AND source = 'external'").run(withExternal); bump.run(withExternal)
  })
  await rollup(inc, set, scopes[0]!)
  t.equal(inc.lastReloaded, 7, 'seven assessments changed: seven reloaded, not the period')
  await compare('after state, points and external writes')

  // The hierarchy: a school moves to another district from this year, one is renamed, one is new.
  const other = (db.prepare('SELECT id FROM units WHERE parent_id = ? ORDER BY code DESC LIMIT 1').get(province) as { id: number }).id
  const mover = (db.prepare('SELECT su.school_id AS id, su.from_year AS f FROM school_units su WHERE su.unit_id IN (SELECT id FROM units WHERE parent_id = ? OR id = ?) AND su.to_year IS NULL LIMIT 1').get(district, district) as { id: number; f: number })
  write(() => {
    db.prepare('UPDATE school_units SET to_year = ? WHERE school_id = ? AND from_year = ?').run(year - 1, mover.id, mover.f)
    db.prepare('INSERT INTO school_units (school_id, from_year, to_year, unit_id) VALUES (?, ?, NULL, ?)').run(mover.id, year, other)
    db.prepare("UPDATE schools SET name = name || ' (đổi tên)' WHERE id = (SELECT min(id) FROM schools)").run()
    const s = db.prepare("INSERT INTO schools (moet_code, name, name_search, levels, ownership, created_at) VALUES ('00000NEW', 'Trường Tiểu học Mới', 'trường tiểu học mới', '[\"TH\"]', 'private', 0)").run()
    db.prepare('INSERT INTO school_units (school_id, from_year, to_year, unit_id) VALUES (?, ?, NULL, ?)').run(s.lastInsertRowid, year, district)
    // It copies an existing assessment's rows, approved.
    const src = ids[6]!
    db.prepare(`INSERT INTO assessments (id, school_id, period_id, criteria_set_id, criteria_set_version, content_hash, state, version, facts, description, result, complete, created_at, updated_at)
      SELECT 'new-assessment', ?, period_id, criteria_set_id, criteria_set_version, content_hash, 'approved', 1, facts, description, result, complete, 0, 0 FROM assessments WHERE id = ?`).run(s.lastInsertRowid, src)
    db.prepare("INSERT INTO assessment_groups SELECT 'new-assessment', source, group_code, total, level, complete FROM assessment_groups WHERE assessment_id = ?").run(src)
    db.prepare("INSERT INTO assessment_criteria SELECT 'new-assessment', source, code, group_code, kind, max_points, points, met, value, gap, status FROM assessment_criteria WHERE assessment_id = ?").run(src)
  })
  await compare('after a move, a rename and a new school')
  t.equal((await rollup(inc, set, scopes[4]!)).schools.notAssessed.length, (await rollup(sql, set, scopes[4]!)).schools.notAssessed.length)

  // A deleted assessment (an operator's repair) disappears from the records too.
  write(() => {
    db.prepare("DELETE FROM assessment_groups WHERE assessment_id = 'new-assessment'").run()
    db.prepare("DELETE FROM assessment_criteria WHERE assessment_id = 'new-assessment'").run()
    db.prepare("DELETE FROM assessments WHERE id = 'new-assessment'").run()
  })
  await compare('after a deletion')
})

t.test('the HTTP fixture: the same summary as SQL through a whole workflow', async (t) => {
  const h = await harness(t)
  const db = (h.app.services.ctx.store as unknown as { connection: { sqlite: Database.Database } }).connection.sqlite
  const set = h.app.services.scoring.compile('moet-4725')
  const sql = rollupsRepo(db)
  const inc = incrementalRollups(db)
  const unit = async (code: string) => (await h.app.services.ctx.store.units.byCode(code))!.id
  const scopes = await Promise.all(['HN', 'LB', 'LB-W1'].map(async (c) => ({ rootUnitId: await unit(c), year: 2024, periodId: h.periodId, setId: set.id, setVersion: set.version, states: WITH_SUBMITTED })))
  const compare = async (when: string) => { for (const s of scopes) t.same(await rollup(inc, set, s), await rollup(sql, set, s), `${when}: unit ${s.rootUnitId}`) }
  await compare('no assessments')
  const a = await startAssessment(h)
  const b = await startAssessment(h, h.keys.schoolS2, 'S2')
  await compare('two drafts')
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${a.version}"` })).statusCode, 200)
  t.equal((await h.req(h.keys.schoolS2, 'PATCH', `/v1/assessments/${b.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${b.version}"` })).statusCode, 200)
  t.equal((await act(h, h.keys.schoolS1, a.id, a.version + 1, 'submit')).statusCode, 200)
  t.equal((await act(h, h.keys.schoolS2, b.id, b.version + 1, 'submit')).statusCode, 200)
  await compare('two submitted')
  t.equal((await act(h, h.keys.reviewerLB, a.id, a.version + 2, 'approve')).statusCode, 200)
  const ext = await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${a.id}/external`, { facts: { sis_facilities_module: false } }, { 'if-match': `"${a.version + 3}"` })
  t.equal(ext.statusCode, 200, 'external recorded')
  await compare('one approved with an external result')
  const hn = await rollup(inc, set, scopes[0]!)
  // strong-thcs: Nhóm II 80 by the school; the reviewer's 2.3.5 (10 points) missing → 70, Mức 2.
  t.same(hn.external.groups.find((g) => g.code === 'II'), { code: 'II', schools: 1, meanDiff: -10, levelLowered: 1, levelRaised: 0 }, 'the external cut counted by hand: 70 − 80 = −10, Mức 3 → 2')
})
