// Migration 0001 backfills per-criterion rows of results stored before it, from the stored result
// JSON. The rows it writes must be exactly those the service writes for a new result.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { harness } from '../http/app.js'

const backfill = readFileSync(join(MIGRATIONS_DIR, '0001_aggregation.sql'), 'utf8').split('--> statement-breakpoint').at(-1) as string

t.test('the backfill statement rebuilds the per-criterion rows the service writes', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const sqlite = store.connection.sqlite
  const key = h.keys.schoolS1
  const created = h.json(await h.req(key, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: h.periodId }))
  const evidence = JSON.parse(readFileSync('criteria/moet-4725/examples/gdtx-centre.json', 'utf8')) as { facts: Record<string, unknown> }
  const saved = await h.req(key, 'PATCH', `/v1/assessments/${created.id}/evidence`, { facts: evidence.facts }, { 'if-match': '"1"' })
  t.equal(saved.statusCode, 200, "evidence saved")
  const submitted = await h.req(key, 'POST', `/v1/assessments/${created.id}/submit`, {}, { 'if-match': '"2"' })
  t.equal(submitted.statusCode, 200, "submitted")
  const ext = await h.req(h.keys.reviewerLB, 'PUT', `/v1/assessments/${created.id}/external`, { facts: {} }, { 'if-match': '"3"' })
  t.equal(ext.statusCode, 200, "external recorded")

  const rows = () => sqlite.prepare('SELECT * FROM assessment_criteria ORDER BY assessment_id, source, code').all()
  const written = rows()
  t.ok(written.length > 40, `the service wrote a row per criterion (${written.length})`)
  t.ok((written as { code: string }[]).some((r) => r.code === '1.3.1'), 'children are included')
  sqlite.exec('DELETE FROM assessment_criteria')
  sqlite.exec(backfill)
  t.same(rows(), written, 'the backfill yields the same rows')
})
