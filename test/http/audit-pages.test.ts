// The audit log of an assessment holds diffs (only the facts a change touched) and is read a page at
// a time; the document list is paged the same way and bounded per assessment. Before, every save
// stored the whole facts twice (~35 KB with large document facts) and GET …/audit sent them all at
// once: 2,506 entries exhausted the production heap.
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { AUDIT_MAX_FACTS_CHARS, AUDIT_MAX_VALUE_CHARS } from '../../src/repositories/sqlite/audit.js'
import { MAX_DOCUMENTS_PER_ASSESSMENT } from '../../src/services/documents.js'
import { exampleFacts, harness, startAssessment, type Harness } from './app.js'

const ifMatch = (v: number) => ({ 'if-match': `"${v}"` })
const auditAt = (action: string) => ({ actor: 'test', at: new Date('2025-04-15T03:00:00Z'), action })

async function auditPage(h: Harness, id: string, query = ''): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now()
  const res = await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/audit${query}`)
  return { status: res.statusCode, body: JSON.parse(res.body), ms: performance.now() - started }
}

t.test('a save that changes one fact writes an entry holding only that fact', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  const facts = exampleFacts('strong-thcs')
  t.equal(facts.teachers_total, 52, 'the example has 52 teachers')
  let res = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts, description: 'Trường THCS ví dụ' }, ifMatch(version))
  t.equal(res.statusCode, 200)
  res = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { teachers_total: 53 } }, ifMatch(version + 1))
  t.equal(res.statusCode, 200)
  const { body } = await auditPage(h, id)
  const last = body.items.at(-1)
  t.equal(last.action, 'assessment.evidence')
  t.same(last.before, { state: 'draft', version: version + 1, complete: last.before.complete, facts: { teachers_total: 52 } }, 'before: the workflow fields and the old value of the one fact')
  t.same(last.after, { state: 'draft', version: version + 2, complete: last.after.complete, facts: { teachers_total: 53 } }, 'after: its new value; the unchanged description is not repeated')

  // Removing a fact, then adding it back: a removed one is only before, an added one only after.
  res = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { teachers_total: null } }, ifMatch(version + 2))
  t.equal(res.statusCode, 200)
  const removed = (await auditPage(h, id)).body.items.at(-1)
  t.same([removed.before.facts, removed.after.facts], [{ teachers_total: 53 }, {}], 'removed: its value before, absent after')
  res = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { teachers_total: 60 } }, ifMatch(version + 3))
  t.equal(res.statusCode, 200, res.body.slice(0, 300))
  const added = (await auditPage(h, id)).body.items.at(-1)
  t.same([added.before.facts, added.after.facts], [{}, { teachers_total: 60 }], 'added: absent before, its value after')

  // The first save added every fact (and the description) to an empty assessment.
  const first = body.items.find((e: any) => e.after.version === version + 1)
  t.same(first.before.facts, {}, 'nothing before')
  t.same(first.after.facts, facts, 'every fact added')
  t.equal(first.after.description, 'Trường THCS ví dụ', 'a changed description is shown')
})

t.test('the stored entry itself holds only the changed fact', async (t) => {
  const conn = openDatabase(':memory:')
  const h = await harness(t, { store: sqliteStore(conn) })
  const { id, version } = await startAssessment(h)
  const facts = exampleFacts('strong-thcs')
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts }, ifMatch(version))).statusCode, 200)
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { teachers_total: 53 } }, ifMatch(version + 1))).statusCode, 200)
  const row = conn.sqlite.prepare('SELECT before, after FROM audit_log WHERE entity_id = ? ORDER BY id DESC LIMIT 1').get(id) as { before: string; after: string }
  t.same(JSON.parse(row.before).facts, { teachers_total: 52 }, 'stored before: one fact')
  t.same(JSON.parse(row.after).facts, { teachers_total: 53 }, 'stored after: one fact')
  t.ok(row.before.length + row.after.length < 300, `the row is small (${row.before.length + row.after.length} characters of JSON)`)
})

t.test('entries written before diffs (whole facts on both sides) read as diffs', async (t) => {
  const conn = openDatabase(':memory:')
  const h = await harness(t, { store: sqliteStore(conn) })
  const { id } = await startAssessment(h)
  const facts = exampleFacts('strong-thcs')
  const whole = (v: number, f: Record<string, unknown>) => JSON.stringify({ state: 'draft', version: v, facts: f, description: 'mô tả', complete: true, returnReason: null })
  conn.sqlite.prepare('INSERT INTO audit_log (at, actor, action, entity_type, entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(Date.parse('2025-04-15T04:00:00Z'), 'school:old', 'assessment.evidence', 'assessment', id, whole(7, facts), whole(8, { ...facts, teachers_total: 51 }))
  const old = (await auditPage(h, id)).body.items.at(-1)
  t.same(old.before, { state: 'draft', version: 7, complete: true, facts: { teachers_total: 52 } })
  t.same(old.after, { state: 'draft', version: 8, complete: true, facts: { teachers_total: 51 } })
})

t.test('what one entry can hold is bounded', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const { id, version } = await startAssessment(h)
  // Written through the store: the set's evidence schema would refuse such values over HTTP, but
  // the bound must not depend on it.
  const long = 'x'.repeat(AUDIT_MAX_VALUE_CHARS + 10)
  let out = await store.assessments.update(id, version, { facts: { note: long, small: 1 } }, auditAt('assessment.evidence'))
  t.ok(out.ok)
  let e = (await auditPage(h, id)).body.items.at(-1)
  t.equal(e.after.facts.small, 1, 'a small value is kept')
  t.same(Object.keys(e.after.facts.note), ['$omitted', 'sha256'])
  t.match(e.after.facts.note, { $omitted: JSON.stringify(long).length, sha256: /^[0-9a-f]{64}$/ }, 'a long value is a stub: its length and hash')
  // 500 facts of 1,000 characters: 500 KB, over the per-side cap, so every value is a stub.
  const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, 'y'.repeat(1000)]))
  out = await store.assessments.update(id, version + 1, { facts: many }, auditAt('assessment.evidence'))
  t.ok(out.ok)
  e = (await auditPage(h, id)).body.items.at(-1)
  t.equal(Object.keys(e.after.facts).length, 500, 'every changed fact is named')
  t.ok(JSON.stringify(e.after).length < AUDIT_MAX_FACTS_CHARS, `the side stays under ${AUDIT_MAX_FACTS_CHARS} characters (${JSON.stringify(e.after).length})`)
  t.ok(Object.values(e.after.facts).every((v: any) => typeof v.sha256 === 'string'), 'all stubs')
})

t.test('3,000 saves: the audit is read a bounded page at a time, each entry exactly once', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const { id, version } = await startAssessment(h)
  const facts = exampleFacts('strong-thcs')
  // Large document facts on every save, as in the review (each save changes one of them).
  const doc = (i: number) => ({ title: `Kế hoạch số ${i} `.padEnd(480, 'x'), url: `https://example.edu.vn/${'d'.repeat(1900)}/${i}` })
  let v = version
  for (let i = 0; i < 3000; i++) {
    const out = await store.assessments.update(id, v, { facts: { ...facts, online_teaching_plan_document: doc(i) } }, auditAt('assessment.evidence'))
    if (!out.ok) throw new Error(`save ${i} refused`)
    v++
  }
  const first = await auditPage(h, id)
  t.equal(first.status, 200)
  t.equal(first.body.items.length, 50, 'the default page holds 50 entries')
  t.equal(first.body.total, 3001, 'total: the create and 3,000 saves')
  t.equal(first.body.next, 50)
  t.ok(first.ms < 1000, `answered in ${first.ms.toFixed(0)} ms`)
  t.ok(Buffer.byteLength(JSON.stringify(first.body)) < 500_000, 'the page is small')
  const later = first.body.items[2]
  t.same(Object.keys(later.after.facts), ['online_teaching_plan_document'], 'each save logged only the document fact it changed')

  const tooBig = await auditPage(h, id, '?limit=101')
  t.equal(tooBig.status, 400)
  t.equal(tooBig.body.error.code, 'OUT_OF_RANGE')
  t.equal(tooBig.body.error.path, '/limit')

  const versions: number[] = []
  let offset: number | null = 0
  let pages = 0
  let slowest = 0
  while (offset !== null) {
    const page = await auditPage(h, id, `?limit=100&offset=${offset}`)
    t.equal(page.status, 200)
    if (page.body.items.length > 100) t.fail('a page over its limit')
    for (const e of page.body.items) versions.push(e.after.version)
    slowest = Math.max(slowest, page.ms)
    offset = page.body.next
    pages++
  }
  t.equal(pages, 31, '3,001 entries in 31 pages of 100')
  t.same(versions, Array.from({ length: 3001 }, (_, i) => version + i), 'every entry exactly once, in order')
  t.ok(slowest < 1000, `slowest page ${slowest.toFixed(0)} ms`)
})

t.test('the document list is paged and an assessment holds at most 500 documents', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  t.equal(MAX_DOCUMENTS_PER_ASSESSMENT, 500)
  const res = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Minh chứng 0', url: 'https://example.edu.vn/mc/0' })
  t.equal(res.statusCode, 201)
  // The other 499 through the store (as the route would add them, quicker).
  const store = h.app.services.ctx.store
  for (let i = 1; i < 500; i++) {
    const out = await store.documents.add({
      id: `doc-${i}`, assessmentId: id, kind: 'link', title: `Minh chứng ${i}`, url: `https://example.edu.vn/mc/${i}`,
      fileName: null, mediaType: null, size: null, sha256: null, createdBy: 'test', createdAt: new Date(Date.parse('2025-04-15T03:00:00Z') + i),
    }, auditAt('document.link'), { states: ['draft'], maxDocuments: MAX_DOCUMENTS_PER_ASSESSMENT })
    if (!out.ok) throw new Error(`document ${i}: ${out.reason}`)
  }
  const over = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Một cái nữa', url: 'https://example.edu.vn/mc/500' })
  t.equal(over.statusCode, 409)
  t.equal(JSON.parse(over.body).error.code, 'TOO_MANY_DOCUMENTS')

  const list = (q: string) => h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents${q}`).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }))
  const first = await list('')
  t.equal(first.body.items.length, 100, 'the default page holds 100')
  t.equal(first.body.total, 500)
  t.equal(first.body.next, 100)
  t.equal((await list('?limit=501')).status, 400, 'at most 500 a page')
  const titles: string[] = []
  let offset: number | null = 0
  let pages = 0
  while (offset !== null) {
    const page = await list(`?limit=37&offset=${offset}`)
    for (const d of page.body.items) titles.push(d.title)
    offset = page.body.next
    pages++
  }
  t.equal(pages, 14, '500 documents in 14 pages of 37')
  t.equal(titles.length, 500)
  t.equal(new Set(titles).size, 500, 'each document exactly once')
})
