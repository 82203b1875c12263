import t from 'tap'
import { buildApp } from '../../src/app.js'
import { DuplicateKeyError } from '../../src/repositories/types.js'
import { act, exampleFacts, harness, startAssessment } from './app.js'

t.test('a school walks an assessment from draft to published', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  const save = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })
  t.equal(save.statusCode, 200)
  const saved = h.json(save)
  t.equal(save.headers.etag, '"2"')
  t.same(saved.levels.map((l: any) => [l.group, l.total, l.level]), [['I', 89.03, 3], ['II', 80, 3]])
  t.equal((await act(h, h.keys.schoolS1, id, 2, 'submit')).statusCode, 200)
  t.equal((await act(h, h.keys.reviewerLB, id, 3, 'approve')).statusCode, 200)
  const pub = await act(h, h.keys.reviewerHN, id, 4, 'publish')
  t.equal(pub.statusCode, 200)
  t.equal(h.json(pub).state, 'published')
})

t.test('GET ?hints=true adds next-level hints without storing them', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  // weak-rural-th: Nhóm I 15.68 (Mức 1) — the next level (Mức 2) starts at 50, so 34.32 points are needed.
  await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('weak-rural-th') }, { 'if-match': `"${version}"` })
  const plain = h.json(await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}`))
  t.equal(plain.result.groups[0].nextLevel, undefined, 'not in the stored result')
  const res = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}?hints=true`)
  t.equal(res.statusCode, 200)
  const g = h.json(res).result.groups[0]
  t.equal(g.total, 15.68)
  t.equal(g.nextLevel.targetLevel, 2)
  t.equal(g.nextLevel.pointsNeeded, 34.32)
  t.equal(h.json(res).version, 2, 'reading with hints writes nothing')
})

t.test('a unique key hit by a concurrent create is a 409, never a 500', async (t) => {
  const h = await harness(t, { seed: false })
  const store = h.app.services.ctx.store
  const audit = { actor: 'test', at: new Date(), action: 'unit.create' }
  await store.units.create({ code: 'X', name: 'X', type: 'province', parentId: null, fromYear: 2024, toYear: null }, audit)
  // The service checks for duplicates first; the store is the last line when two requests race.
  await t.rejects(store.units.create({ code: 'X', name: 'X', type: 'province', parentId: null, fromYear: 2024, toYear: null }, audit), { name: 'DuplicateKeyError', entity: 'unit' })
  const app = await buildApp({ logger: false, config: { dbFile: ':memory:' } })
  t.teardown(() => app.close())
  app.get('/race', async () => { throw new DuplicateKeyError('school', 'UNIQUE constraint failed: schools.moet_code') })
  const res = await app.inject({ method: 'GET', url: '/race' })
  t.equal(res.statusCode, 409)
  t.equal(JSON.parse(res.body).error.code, 'SCHOOL_EXISTS')
})

t.test('three requests starting the same assessment: one 201, two 409', async (t) => {
  const h = await harness(t)
  const start = () => h.req(h.keys.schoolS1, 'POST', '/v1/assessments', { schoolCode: 'S1', periodId: h.periodId })
  const codes = (await Promise.all([start(), start(), start()])).map((r) => r.statusCode).sort()
  t.same(codes, [201, 409, 409])
  const list = h.json(await h.req(h.keys.admin, 'GET', '/v1/assessments?school=S1'))
  t.equal(list.items.length, 1, 'exactly one stored')
})

t.test('POST /v1/periods/{id}/publish publishes the approved assessments in the key\'s scope only', async (t) => {
  const h = await harness(t)
  const ready = async (key: string, code: string, approveWith: string) => {
    const { id, version } = await startAssessment(h, key, code)
    await h.req(key, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })
    await act(h, key, id, 2, 'submit')
    await act(h, approveWith, id, 3, 'approve')
    return id
  }
  const s1 = await ready(h.keys.schoolS1, 'S1', h.keys.reviewerLB)
  const s2 = await ready(h.keys.schoolS2, 'S2', h.keys.reviewerLB)
  t.equal((await h.req(h.keys.schoolS1, 'POST', `/v1/periods/${h.periodId}/publish`)).statusCode, 403, 'not a school key')
  t.equal((await h.req(h.keys.reviewerQN, 'POST', `/v1/periods/${h.periodId}/publish`)).statusCode, 404, 'not another province')
  const res = await h.req(h.keys.reviewerLB, 'POST', `/v1/periods/${h.periodId}/publish`)
  t.equal(res.statusCode, 200)
  t.same(h.json(res).published.sort(), [s1, s2].sort())
  t.same(h.json(res).skipped, [])
  for (const id of [s1, s2]) {
    const a = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`))
    t.equal(a.state, 'published')
    t.equal(a.version, 5)
  }
  const again = h.json(await h.req(h.keys.reviewerLB, 'POST', `/v1/periods/${h.periodId}/publish`))
  t.same(again, { published: [], skipped: [] }, 'nothing left to publish')
  const audit = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${s1}/audit`)).items
  t.equal(audit.at(-1).action, 'assessment.publish', 'each one audited')
})
