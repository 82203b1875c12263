// A failure the service did not foresee answers 500 INTERNAL with a fixed message and the request id
// (to find the details in the server log) — never the internal error's own message, which can name
// files, SQL or library internals.
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { harness } from '../http/app.js'

t.test('an unexpected error is 500 INTERNAL without its message', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  // Pull the database from under the app: the next query throws better-sqlite3's TypeError.
  store.connection.sqlite.close()
  const res = await h.req(h.keys.admin, 'GET', '/v1/me', undefined, { 'x-request-id': 'req-masked-1' })
  t.equal(res.statusCode, 500)
  const body = h.json(res) as { error: { code: string; message: string; details?: { requestId?: string } } }
  t.equal(body.error.code, 'INTERNAL')
  t.match(body.error.message, /^internal server error/, 'a fixed message')
  t.notMatch(res.body, /database|connection|sqlite|TypeError/i, 'nothing of the internal error')
  t.equal(body.error.details?.requestId, 'req-masked-1', 'the request id, to find the log line')
})
