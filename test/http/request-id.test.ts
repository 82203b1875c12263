// x-request-id: a client's (or proxy's) id is kept only when it is a plain token of at most 64
// characters ([A-Za-z0-9._:-]); anything else (newlines, 10 KB, bidi overrides, quotes) is replaced
// by a fresh UUID, so it never reaches a log line, an error body or a response header.
import { Writable } from 'node:stream'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadCatalog } from '../helpers.js'
import { LIMITS_OFF } from './app.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

async function loggedApp(t: Test) {
  const lines: string[] = []
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
  const app = await buildApp({ catalog: loadCatalog(), logger: { level: 'info', stream } as never, config: { dbFile: ':memory:', ...LIMITS_OFF } })
  t.teardown(() => app.close())
  return { app, lines }
}

const HOSTILE: [string, string][] = [
  ['a newline and a forged log line', 'abc\n{"level":60,"msg":"forged"}'],
  ['CR LF and a header', 'abc\r\nset-cookie: x=1'],
  ['10 KB', 'A'.repeat(10_240)],
  ['a bidi override', 'req-\u202Efdp.exe'],
  ['quotes and braces', 'x","admin":true,"y":"'],
  ['65 characters', 'b'.repeat(65)],
  ['spaces', 'req 1'],
]

t.test('a hostile x-request-id is replaced by a fresh UUID: not in the logs, the error body or the headers', async (t) => {
  const { app, lines } = await loggedApp(t)
  const usual = (await app.inject({ method: 'GET', url: '/v1/units/NOPE' })).statusCode
  for (const [what, id] of HOSTILE) {
    lines.length = 0
    const res = await app.inject({ method: 'GET', url: '/v1/units/NOPE', headers: { 'x-request-id': id } })
    t.equal(res.statusCode, usual, `${what}: answered as usual (${usual})`)
    const logged = lines.map((l) => JSON.parse(l) as { reqId?: string })
    t.ok(logged.length >= 2, `${what}: the request was logged`)
    const ids = new Set(logged.map((l) => l.reqId))
    t.equal(ids.size, 1, `${what}: one id on every line of the request`)
    t.match([...ids][0], UUID, `${what}: a generated UUID`)
    const probe = id.length > 40 ? id.slice(0, 40) : id
    t.notOk(lines.join('').includes(JSON.stringify(probe).slice(1, -1)), `${what}: the id is nowhere in the log`)
    t.notOk(res.body.includes(probe), `${what}: nor in the body`)
    for (const [name, value] of Object.entries(res.headers)) t.notOk(String(value).includes(probe), `${what}: nor in header ${name}`)
  }
})

t.test('a plain id from a proxy is kept in the log lines', async (t) => {
  const { app, lines } = await loggedApp(t)
  const id = 'trace-2025.04.15:abcDEF-0_9'
  await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } })
  t.ok(lines.some((l) => (JSON.parse(l) as { reqId?: string }).reqId === id), 'the log lines carry it')
  const max = 'c'.repeat(64)
  lines.length = 0
  await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': max } })
  t.ok(lines.some((l) => (JSON.parse(l) as { reqId?: string }).reqId === max), '64 characters are still kept')
  lines.length = 0
  await app.inject({ method: 'GET', url: '/health' })
  const generated = lines.map((l) => (JSON.parse(l) as { reqId?: string }).reqId)
  t.match(generated[0], UUID, 'without one, a UUID')
})
