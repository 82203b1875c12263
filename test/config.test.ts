// loadConfig: the defaults, every environment variable, and one ConfigError that lists every
// problem at once (so an operator fixes the whole environment in one go).
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import t, { type Test } from 'tap'
import { ConfigError, ENV_DOC, loadConfig } from '../src/config.js'

const MB = 1024 * 1024

/** The ConfigError loadConfig throws for `env` (fails the test if it does not throw one). */
function configError(t: Test, env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env)
  } catch (e) {
    t.type(e, ConfigError)
    return e as ConfigError
  }
  t.fail('loadConfig did not throw')
  return new ConfigError([])
}

t.test('an empty environment gives the documented defaults', async (t) => {
  const c = loadConfig({})
  t.same(c, {
    host: '0.0.0.0',
    port: 3000,
    dataDir: resolve('data'),
    dbFile: resolve('data', 'cds.sqlite'),
    uploadsDir: resolve('data', 'uploads'),
    logLevel: 'info',
    maxUploadBytes: 20 * MB,
    bodyLimitBytes: 2 * MB,
    shutdownGraceMs: 10_000,
    authFailureLimit: 20,
    authFailureWindowS: 60,
    summaryCacheEntries: 16,
    requestTimeoutMs: 300_000,
    headersTimeoutMs: 15_000,
    connectionTimeoutMs: 30_000,
    keepAliveTimeoutMs: 72_000,
    maxConnections: 1024,
    maxConnectionsPerAddress: 128,
    trustProxy: [],
    scoreRateLimit: 60,
    scoreRateWindowS: 10,
    writeRateLimit: 60,
    writeRateWindowS: 10,
    readyMinFreeBytes: 100 * MB,
    workerThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    workerQueueMax: 64,
    summaryTimeLimitMs: 30_000,
    jobTimeLimitMs: 120_000,
    summaryStaleMs: 5000,
    sessionIdleMs: 120 * 60_000,
    sessionMaxMs: 12 * 3_600_000,
    cookieSecure: 'auto',
    loginFailuresPerAccount: 10,
    loginFailuresPerAddress: 50,
    loginFailureWindowS: 900,
    invitationTtlMs: 72 * 3_600_000,
  })
})

t.test('loadConfig() reads process.env when no environment is given', async (t) => {
  const saved = process.env.PORT
  t.teardown(() => { if (saved === undefined) delete process.env.PORT; else process.env.PORT = saved })
  process.env.PORT = '4567'
  t.equal(loadConfig().port, 4567)
})

t.test('each variable is parsed', async (t) => {
  const c = loadConfig({
    HOST: '127.0.0.1',
    PORT: '8080',
    DATA_DIR: '/srv/cds',
    LOG_LEVEL: 'debug',
    MAX_UPLOAD_MB: '5',
    BODY_LIMIT_MB: '0.5',
    SHUTDOWN_GRACE_MS: '2500',
    AUTH_FAILURE_LIMIT: '5',
    AUTH_FAILURE_WINDOW_S: '300',
    SUMMARY_CACHE_ENTRIES: '0',
  })
  t.equal(c.host, '127.0.0.1')
  t.equal(c.port, 8080)
  t.equal(c.dataDir, '/srv/cds')
  t.equal(c.dbFile, '/srv/cds/cds.sqlite', 'the database lives in DATA_DIR by default')
  t.equal(c.uploadsDir, '/srv/cds/uploads', 'uploads live in DATA_DIR by default')
  t.equal(c.logLevel, 'debug')
  t.equal(c.maxUploadBytes, 5 * MB)
  t.equal(c.bodyLimitBytes, 0.5 * MB)
  t.equal(c.shutdownGraceMs, 2500)
  t.equal(c.authFailureLimit, 5)
  t.equal(c.authFailureWindowS, 300)
  t.equal(c.summaryCacheEntries, 0, 'SUMMARY_CACHE_ENTRIES=0 turns the summary cache off')
})

t.test('DB_FILE and UPLOADS_DIR override DATA_DIR; relative paths are resolved', async (t) => {
  const c = loadConfig({ DATA_DIR: '/srv/cds', DB_FILE: 'db/main.sqlite', UPLOADS_DIR: '/mnt/evidence' })
  t.equal(c.dbFile, resolve('db/main.sqlite'))
  t.equal(c.uploadsDir, '/mnt/evidence')
  t.equal(c.dataDir, '/srv/cds')
  t.equal(loadConfig({ DB_FILE: ':memory:' }).dbFile, ':memory:', 'the in-memory database is not turned into a path')
})

t.test('every log level is accepted', async (t) => {
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(loadConfig({ LOG_LEVEL: level }).logLevel, level)
  }
})

t.test('sizes in MB become bytes (rounded), fractions allowed', async (t) => {
  t.equal(loadConfig({ MAX_UPLOAD_MB: '0.001' }).maxUploadBytes, Math.round(0.001 * MB))
  t.equal(loadConfig({ MAX_UPLOAD_MB: '1024' }).maxUploadBytes, 1024 * MB)
  t.equal(loadConfig({ BODY_LIMIT_MB: '100' }).bodyLimitBytes, 100 * MB)
  t.equal(loadConfig({ BODY_LIMIT_MB: '0.01' }).bodyLimitBytes, Math.round(0.01 * MB))
})

t.test('port and grace period bounds are inclusive', async (t) => {
  t.equal(loadConfig({ PORT: '0' }).port, 0)
  t.equal(loadConfig({ PORT: '65535' }).port, 65535)
  t.equal(loadConfig({ SHUTDOWN_GRACE_MS: '0' }).shutdownGraceMs, 0)
  t.equal(loadConfig({ SHUTDOWN_GRACE_MS: '600000' }).shutdownGraceMs, 600_000)
})

t.test('the failed-authentication limit: 0 disables it; bounds are inclusive', async (t) => {
  t.equal(loadConfig({ AUTH_FAILURE_LIMIT: '0' }).authFailureLimit, 0)
  t.equal(loadConfig({ AUTH_FAILURE_LIMIT: '1000000' }).authFailureLimit, 1_000_000)
  t.equal(loadConfig({ AUTH_FAILURE_WINDOW_S: '1' }).authFailureWindowS, 1)
  t.equal(loadConfig({ AUTH_FAILURE_WINDOW_S: '86400' }).authFailureWindowS, 86_400)
})

t.test('an empty variable counts as unset', async (t) => {
  const c = loadConfig({
    HOST: '', PORT: '', DATA_DIR: '', DB_FILE: '', UPLOADS_DIR: '',
    MAX_UPLOAD_MB: '', BODY_LIMIT_MB: '', SHUTDOWN_GRACE_MS: '', AUTH_FAILURE_LIMIT: '', AUTH_FAILURE_WINDOW_S: '', SUMMARY_CACHE_ENTRIES: '',
  })
  t.same(c, loadConfig({}))
})

// Every other variable treats "" as unset (compose files and .env templates often have `LOG_LEVEL=`).
t.test('an empty LOG_LEVEL counts as unset too, like every other variable', async (t) => {
  t.equal(loadConfig({ LOG_LEVEL: '' }).logLevel, 'info')
})

t.test('bad PORT, LOG_LEVEL and MAX_UPLOAD_MB are all reported in one ConfigError', async (t) => {
  const e = configError(t, { PORT: 'abc', LOG_LEVEL: 'loud', MAX_UPLOAD_MB: '0' })
  t.equal(e.problems.length, 3, 'one problem per bad variable')
  const byVar = (name: string) => e.problems.filter((p) => p.startsWith(`${name}=`))
  t.equal(byVar('PORT').length, 1)
  t.equal(byVar('LOG_LEVEL').length, 1)
  t.equal(byVar('MAX_UPLOAD_MB').length, 1)
  t.match(byVar('PORT')[0], /"abc"/, 'the bad value is quoted')
  t.match(byVar('LOG_LEVEL')[0], /"loud"/)
  t.match(byVar('MAX_UPLOAD_MB')[0], /"0"/)
  for (const p of e.problems) t.ok(e.message.includes(p), 'the message lists every problem')
  t.match(e.message, /^invalid configuration/)
})

t.test('each bad value is refused with a reason', async (t) => {
  const cases: [string, string][] = [
    ['PORT', '70000'], ['PORT', '-1'], ['PORT', '80.5'], ['PORT', 'http'],
    ['MAX_UPLOAD_MB', '2000'], ['MAX_UPLOAD_MB', '-5'], ['MAX_UPLOAD_MB', 'lots'], ['MAX_UPLOAD_MB', 'Infinity'],
    ['BODY_LIMIT_MB', '0'], ['BODY_LIMIT_MB', '101'],
    ['SHUTDOWN_GRACE_MS', '600001'], ['SHUTDOWN_GRACE_MS', '1.5'],
    ['LOG_LEVEL', 'INFO'], ['LOG_LEVEL', 'verbose'],
    ['AUTH_FAILURE_LIMIT', '-1'], ['AUTH_FAILURE_LIMIT', '2.5'], ['AUTH_FAILURE_LIMIT', 'many'], ['AUTH_FAILURE_LIMIT', '1000001'],
    ['AUTH_FAILURE_WINDOW_S', '0'], ['AUTH_FAILURE_WINDOW_S', '86401'], ['AUTH_FAILURE_WINDOW_S', '1m'],
    ['SUMMARY_CACHE_ENTRIES', '-1'], ['SUMMARY_CACHE_ENTRIES', '10001'], ['SUMMARY_CACHE_ENTRIES', '1.5'],
  ]
  for (const [name, value] of cases) {
    const e = configError(t, { [name]: value })
    t.equal(e.problems.length, 1, `${name}=${value}: one problem`)
    t.ok(e.problems[0]?.startsWith(`${name}=${JSON.stringify(value)}`), `${name}=${value}: names the variable and value`)
    t.ok(e.problems[0]?.includes(ENV_DOC[name] as string), `${name}=${value}: explains what is expected`)
  }
})

t.test('transport limits, rate limits and TRUST_PROXY are parsed; a bad proxy entry is refused', async (t) => {
  const c = loadConfig({
    REQUEST_TIMEOUT_S: '600', HEADERS_TIMEOUT_S: '5', CONNECTION_TIMEOUT_S: '0', KEEP_ALIVE_TIMEOUT_S: '5', MAX_CONNECTIONS: '0', MAX_CONNECTIONS_PER_ADDRESS: '16',
    TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1', SCORE_RATE_LIMIT: '0', SCORE_RATE_WINDOW_S: '60', WRITE_RATE_LIMIT: '30', WRITE_RATE_WINDOW_S: '1', READY_MIN_FREE_MB: '0',
  })
  t.match(c, {
    requestTimeoutMs: 600_000, headersTimeoutMs: 5000, connectionTimeoutMs: 0, keepAliveTimeoutMs: 5000, maxConnections: 0, maxConnectionsPerAddress: 16,
    trustProxy: ['127.0.0.1', '10.0.0.0/8', '::1'], scoreRateLimit: 0, scoreRateWindowS: 60, writeRateLimit: 30, writeRateWindowS: 1, readyMinFreeBytes: 0,
  })
  for (const bad of ['localhost', '10.0.0.0/33', '300.1.1.1', '::1/129', '10.0.0.1/8/1']) {
    const e = configError(t, { TRUST_PROXY: `127.0.0.1,${bad}` })
    t.equal(e.problems.length, 1, `TRUST_PROXY with ${bad}: one problem`)
    t.ok(e.problems[0]?.includes(JSON.stringify(bad)), `names ${bad}`)
  }
  for (const [name, value] of [['HEADERS_TIMEOUT_S', '0'], ['SCORE_RATE_WINDOW_S', '0'], ['WRITE_RATE_LIMIT', '-1'], ['REQUEST_TIMEOUT_S', '1.5'], ['COOKIE_SECURE', 'sometimes'], ['SESSION_IDLE_MIN', '0']]) {
    t.equal(configError(t, { [name as string]: value as string }).problems.length, 1, `${name}=${value} refused`)
  }
})

t.test('ENV_DOC documents every variable loadConfig reads', async (t) => {
  t.same(Object.keys(ENV_DOC).sort(), ['AUTH_FAILURE_LIMIT', 'AUTH_FAILURE_WINDOW_S', 'BODY_LIMIT_MB', 'CONNECTION_TIMEOUT_S', 'COOKIE_SECURE', 'DATA_DIR', 'DB_FILE', 'HEADERS_TIMEOUT_S', 'HOST', 'INVITATION_TTL_HOURS', 'JOB_TIME_LIMIT_S',
    'KEEP_ALIVE_TIMEOUT_S', 'LOGIN_FAILURES_PER_ACCOUNT', 'LOGIN_FAILURES_PER_ADDRESS', 'LOGIN_FAILURE_WINDOW_S', 'LOG_LEVEL', 'MAX_CONNECTIONS', 'MAX_CONNECTIONS_PER_ADDRESS', 'MAX_UPLOAD_MB', 'PORT', 'READY_MIN_FREE_MB', 'REQUEST_TIMEOUT_S',
    'SCORE_RATE_LIMIT', 'SCORE_RATE_WINDOW_S', 'SESSION_IDLE_MIN', 'SESSION_MAX_HOURS', 'SHUTDOWN_GRACE_MS', 'SUMMARY_CACHE_ENTRIES', 'SUMMARY_STALE_MS', 'SUMMARY_TIME_LIMIT_S', 'TRUST_PROXY', 'UPLOADS_DIR',
    'WORKER_QUEUE_MAX', 'WORKER_THREADS', 'WRITE_RATE_LIMIT', 'WRITE_RATE_WINDOW_S'])
})

t.test('the V8 heap caps are the same in npm start, npm run start:prod and the Dockerfile', async (t) => {
  const root = new URL('../', import.meta.url)
  const scripts = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts
  const flags = (cmd: string) => cmd.split(/\s+/).filter((a) => a.startsWith('--max-'))
  const start = flags(scripts.start as string)
  // V8 applies these to every isolate, worker threads included (their resourceLimits do not
  // override them): 256/16 lets the summary thread hold a national snapshot without collecting
  // garbage for half of each summary (bench/mixed.ts).
  t.same(start, ['--max-old-space-size=256', '--max-semi-space-size=16'], 'npm start caps the heap of each thread')
  t.same(flags(scripts['start:prod'] as string), start, 'start:prod')
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(new URL('Dockerfile', root), 'utf8'))
  t.ok(cmd, 'the Dockerfile has a CMD in exec form')
  t.same(flags((JSON.parse(cmd?.[1] ?? '[]') as string[]).join(' ')), start, 'the Dockerfile CMD')
})
