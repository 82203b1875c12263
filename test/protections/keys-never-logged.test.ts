// Keys never reach the log, even where request headers are logged. Fastify's request serializer
// leaves headers out, so test/http/logging.test.ts (its own logger options) sees no key either way;
// what guards a future change that logs headers — a debugging serializer, a `{ headers }` field —
// is the redaction in the logger options the service starts with (loggerOptions). Checked here.
import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import type { FastifyRequest } from 'fastify'
import { buildApp, loggerOptions } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { loadCatalog } from '../helpers.js'

function collector(): { lines: string[]; stream: Writable } {
  const lines: string[] = []
  return { lines, stream: new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb() } }) }
}

/** The production options, at trace level, without the pretty transport (a TTY only). */
function production() {
  const { transport: _pretty, ...options } = loggerOptions({ ...loadConfig({}), logLevel: 'trace' })
  return options
}

t.test('a request serializer that logs headers: Authorization is redacted', async (t) => {
  const { lines, stream } = collector()
  const logger = {
    ...production(), stream,
    serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: req.url, headers: req.headers }) },
  }
  const app = await buildApp({ catalog: loadCatalog(), logger: logger as never, config: { dbFile: ':memory:', authFailureLimit: 0 } })
  t.teardown(() => app.close())
  const { key } = await app.services.keys.create(null, { role: 'admin', label: 'log test' })
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${key}` } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer cds_wrong-key-value', cookie: 'session=s3cret' } })).statusCode, 401)
  const all = lines.join('')
  t.match(all, /"headers":\{[^}]*"authorization":"\[redacted\]"/, 'the headers were logged, Authorization redacted')
  t.notOk(all.includes(key), 'the valid key never appears')
  t.notOk(all.includes('cds_wrong-key-value'), 'nor a wrong one')
  t.notOk(all.includes('s3cret'), 'nor a cookie')
})

t.test('a log line with a headers field: Authorization is redacted', async (t) => {
  const { lines, stream } = collector()
  const log = pino(production(), stream)
  log.info({ headers: { authorization: 'Bearer cds_in-a-field', host: 'x' } }, 'debugging')
  log.info({ req: { headers: { authorization: 'Bearer cds_in-req' } } }, 'debugging')
  const all = lines.join('')
  t.notOk(all.includes('cds_in-a-field'), '{ headers } redacted')
  t.notOk(all.includes('cds_in-req'), '{ req: { headers } } redacted')
  t.match(all, /\[redacted\]/)
})
