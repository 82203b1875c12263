// Logs are JSON lines and never carry an API key, even at trace level and on failures.
import { Writable } from 'node:stream'
import { spawnSync } from 'node:child_process'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadCatalog } from '../helpers.js'
import { childEnv, ROOT } from '../support/server-process.js'

t.test('no key in the logs', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  const app = await buildApp({ catalog: loadCatalog(), logger: { level: 'trace', stream } as never, config: { dbFile: ':memory:' } })
  t.teardown(() => app.close())
  const { key } = await app.services.keys.create(null, { role: 'admin', label: 'log test' })
  const auth = { authorization: `Bearer ${key}` }
  await app.inject({ method: 'GET', url: '/v1/me', headers: auth })
  await app.inject({ method: 'GET', url: '/v1/units/NOPE', headers: auth })
  await app.inject({ method: 'POST', url: '/v1/units', headers: auth, payload: { code: 'X' } })
  await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer cds_wrong-key-value' } })
  t.ok(lines.length >= 8, 'requests were logged')
  for (const l of lines) JSON.parse(l) // every line is JSON
  const all = lines.join('')
  t.notOk(all.includes(key), 'the valid key never appears')
  t.notOk(all.includes('cds_wrong-key-value'), 'nor a wrong one')
  t.match(all, /"reqId"/, 'lines carry the request id')
})

t.test('a bad configuration stops the server at start with every problem named', async (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, env: childEnv({ PORT: 'eighty', LOG_LEVEL: 'loud', MAX_UPLOAD_MB: '-1' }), encoding: 'utf8', timeout: 30_000,
  })
  t.equal(r.status, 2)
  t.match(r.stderr, /PORT="eighty": expected an integer/)
  t.match(r.stderr, /LOG_LEVEL="loud"/)
  t.match(r.stderr, /MAX_UPLOAD_MB="-1"/)
})
