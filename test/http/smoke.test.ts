import t from 'tap'
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
