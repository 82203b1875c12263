// API keys at rest: the database holds each key's sha256, never the key itself — not in api_keys,
// not in the audit log, not in any other table. (test/http/auth-matrix.test.ts checks that no
// response carries a key or its hash; this file checks what is stored.)
import { createHash } from 'node:crypto'
import t from 'tap'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { harness } from '../http/app.js'

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex')

t.test('no table holds a key secret; api_keys holds its sha256', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  // The harness issues the admin key as the CLI does (no actor) and the others through POST /v1/keys.
  const h = await harness(t, { store })
  const db = store.connection.sqlite
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
  t.ok(tables.includes('api_keys') && tables.includes('audit_log'), `tables: ${tables.join(', ')}`)
  const dump = tables.map((name) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n')
  const hashes = (db.prepare('SELECT hash FROM api_keys').all() as { hash: string }[]).map((r) => r.hash)
  t.equal(hashes.length, Object.keys(h.keys).length, 'one row per issued key')
  for (const [who, key] of Object.entries(h.keys)) {
    t.notOk(dump.includes(key), `${who}: the key is in no table`)
    t.ok(hashes.includes(sha256(key)), `${who}: api_keys holds sha256(key)`)
  }
  const me = await h.req(h.keys.schoolS1, 'GET', '/v1/me')
  t.equal(me.statusCode, 200, 'and the key still authenticates')
})
