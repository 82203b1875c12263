// The assessment write is a compare-and-set: the UPDATE carries the expected version in its WHERE
// clause, so a writer holding a stale version is refused by the store itself — whatever the service
// checked before (over HTTP the service's own If-Match check usually answers first, and the real
// server runs each request to its write without yielding, so only the store can show this).
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { harness, startAssessment } from '../http/app.js'

t.test('an update with a stale expected version is refused by the store', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const { id, version } = await startAssessment(h)
  const read = await store.assessments.byId(id) // what two writers both read
  t.equal(read?.version, version)
  const audit = (action: string) => ({ actor: 'test', at: new Date('2025-04-15T03:00:00Z'), action })

  const first = await store.assessments.update(id, version, { description: 'first' }, audit('first'))
  t.ok(first.ok, 'the first writer wins')
  const second = await store.assessments.update(id, version, { description: 'second' }, audit('second'))
  t.notOk(second.ok, 'the second writer, at the same version, is refused')
  const third = await store.assessments.update(id, version, { description: 'third' }, audit('third'), read ?? undefined)
  t.notOk(third.ok, 'also when it hands over its (stale) copy of the row')

  const now = await store.assessments.byId(id)
  t.same([now?.version, now?.description], [version + 1, 'first'], 'only the first write is stored')
  const log = (await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/audit`)).body
  t.notMatch(log, /"second"|"third"/, 'and only the first is audited')
})
