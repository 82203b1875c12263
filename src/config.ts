// Configuration from environment variables, checked at start with one clear message per problem.
import { isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'

export interface Config {
  host: string
  port: number
  dataDir: string
  dbFile: string
  uploadsDir: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Largest uploaded evidence document, bytes. */
  maxUploadBytes: number
  /** Largest JSON/CSV request body, bytes. */
  bodyLimitBytes: number
  /** Milliseconds graceful shutdown waits for in-flight requests. */
  shutdownGraceMs: number
  /** Failed authentications (401) one client address may make per window before 429; 0 disables. */
  authFailureLimit: number
  /** Length of that window, seconds. */
  authFailureWindowS: number
  /** Unit summaries kept for reuse until the next write; 0 disables. */
  summaryCacheEntries: number
  // ── transport limits (slow or idle clients must not hold the server's connections) ──
  /** Longest time to receive a whole request, headers and body, ms; 0 disables. */
  requestTimeoutMs: number
  /** Longest time to receive a request's headers, ms. */
  headersTimeoutMs: number
  /** A socket with no traffic either way for this long is closed, ms; 0 disables. */
  connectionTimeoutMs: number
  /** An idle keep-alive connection is closed after this long, ms. */
  keepAliveTimeoutMs: number
  /** Open connections the server accepts in all; past it new ones are dropped; 0 disables. */
  maxConnections: number
  /** Open connections from one client address (trusted proxies excepted); 0 disables. */
  maxConnectionsPerAddress: number
  /** Proxies whose X-Forwarded-For is believed (IP addresses or CIDR ranges); empty: none. */
  trustProxy: string[]
  // ── rate limits (fixed windows; 429 with Retry-After) ──
  /** POST /v1/score requests per client address per window; 0 disables. */
  scoreRateLimit: number
  scoreRateWindowS: number
  /** Writes (POST/PUT/PATCH/DELETE under /v1) per API key per window; 0 disables. */
  writeRateLimit: number
  writeRateWindowS: number
  /** /ready fails when the database's or the uploads' file system has less free space, bytes; 0 disables. */
  readyMinFreeBytes: number
  // ── heavy work off the event loop (src/workers) ──
  /** Worker threads for exports, imports and verification (the summaries have one more); 0: all in-process. */
  workerThreads: number
  /** Jobs waiting per worker pool beyond which new ones get 503 BUSY. */
  workerQueueMax: number
  /** Time limit of one unit summary, ms (503 JOB_TIMEOUT past it). */
  summaryTimeLimitMs: number
  /** Time limit of one export, import or verification, ms. */
  jobTimeLimitMs: number
  /** While a newer summary is being counted, the last one is served if it is at most this old, ms; 0: always wait. */
  summaryStaleMs: number
  // ── web console (src/console) ──
  /** A console session ends after this long without a request, ms. */
  sessionIdleMs: number
  /** …and this long after sign-in whatever happens, ms. */
  sessionMaxMs: number
  /** The session cookie's Secure flag: 'auto' sets it when the request came over https (directly
   *  or, from a TRUST_PROXY proxy, by X-Forwarded-Proto); 'always'; 'never'. */
  cookieSecure: 'auto' | 'always' | 'never'
  /** Failed sign-ins one account, and one client address, may make per window. */
  loginFailuresPerAccount: number
  loginFailuresPerAddress: number
  loginFailureWindowS: number
  /** How long an invitation link stays valid, ms. */
  invitationTtlMs: number
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const ENV_DOC: Record<string, string> = {
  HOST: 'interface to listen on (default 0.0.0.0)',
  PORT: 'TCP port (default 3000)',
  DATA_DIR: 'directory for the database and uploaded documents (default ./data)',
  DB_FILE: 'SQLite database file (default $DATA_DIR/cds.sqlite)',
  UPLOADS_DIR: 'uploaded evidence documents (default $DATA_DIR/uploads)',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')} (default info)`,
  MAX_UPLOAD_MB: 'largest uploaded document in MB (default 20)',
  BODY_LIMIT_MB: 'largest JSON or CSV request body in MB (default 2)',
  SHUTDOWN_GRACE_MS: 'time allowed for in-flight requests on shutdown (default 10000)',
  AUTH_FAILURE_LIMIT: 'failed authentications (401) one client address may make per window before it gets 429; 0 disables (default 20)',
  AUTH_FAILURE_WINDOW_S: 'the window of AUTH_FAILURE_LIMIT in seconds (default 60)',
  SUMMARY_CACHE_ENTRIES: 'unit summaries kept in memory until the next write to the database; 0 disables (default 16)',
  REQUEST_TIMEOUT_S: 'seconds allowed to receive a whole request, body included; 0 disables (default 300: a 20 MB upload at 0.6 Mbit/s)',
  HEADERS_TIMEOUT_S: 'seconds allowed to receive a request\'s headers (default 15)',
  CONNECTION_TIMEOUT_S: 'seconds a connection may pass with no traffic either way while a request is received or its answer sent (not while it is worked on); 0 disables (default 30)',
  KEEP_ALIVE_TIMEOUT_S: 'seconds an idle keep-alive connection stays open (default 72: longer than the 60 s of common reverse proxies)',
  MAX_CONNECTIONS: 'open connections in all; past it new connections are dropped; 0 disables (default 1024)',
  MAX_CONNECTIONS_PER_ADDRESS: 'open connections from one client address, trusted proxies excepted; past it new ones get 503; 0 disables (default 128)',
  TRUST_PROXY: 'comma-separated IP addresses or CIDR ranges of reverse proxies whose X-Forwarded-For gives the client address (default none: the socket address is the client)',
  SCORE_RATE_LIMIT: 'POST /v1/score requests one client address may make per window before 429; 0 disables (default 60)',
  SCORE_RATE_WINDOW_S: 'the window of SCORE_RATE_LIMIT in seconds (default 10)',
  WRITE_RATE_LIMIT: 'writes (POST, PUT, PATCH, DELETE under /v1) one API key may make per window before 429; 0 disables (default 60)',
  WRITE_RATE_WINDOW_S: 'the window of WRITE_RATE_LIMIT in seconds (default 10)',
  READY_MIN_FREE_MB: '/ready fails when the database or uploads file system has less free space, MB; 0 disables (default 100)',
  WORKER_THREADS: 'worker threads for exports, imports and criteria verification, besides the one of the unit summaries; 0 runs all of it on the main thread (default: cores − 1, at most 4, at least 1)',
  WORKER_QUEUE_MAX: 'jobs waiting per worker pool before new ones get 503 BUSY (default 64)',
  SUMMARY_TIME_LIMIT_S: 'seconds one unit summary may take before it is cancelled with 503 JOB_TIMEOUT (default 30)',
  JOB_TIME_LIMIT_S: 'seconds one export, import or criteria verification may take before it is cancelled with 503 JOB_TIMEOUT (default 120)',
  SESSION_IDLE_MIN: 'minutes without a request after which a console session ends (default 120)',
  SESSION_MAX_HOURS: 'hours after sign-in after which a console session ends in any case (default 12)',
  COOKIE_SECURE: 'the session cookie\'s Secure flag: auto (when the request came over https, directly or through a TRUST_PROXY proxy\'s X-Forwarded-Proto), always, or never (default auto)',
  LOGIN_FAILURES_PER_ACCOUNT: 'failed sign-ins one account may have per window before sign-in is refused for the rest of it (default 10)',
  LOGIN_FAILURES_PER_ADDRESS: 'failed sign-ins one client address may make per window (default 50)',
  LOGIN_FAILURE_WINDOW_S: 'the window of the two sign-in limits in seconds (default 900)',
  INVITATION_TTL_HOURS: 'hours an invitation link stays valid (default 72)',
  SUMMARY_STALE_MS: 'while a newer unit summary is being counted, the last one is served when it is at most this old, with its asOf and an Age header; 0 always waits (default 5000, at most 10000)',
}

/** An IPv4 or IPv6 address, optionally with a /prefix (TRUST_PROXY): [address, prefix] or null. */
export function parseProxyEntry(entry: string): { address: string; family: 4 | 6; prefix: number } | null {
  const [address = '', prefix, extra] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || extra !== undefined) return null
  const max = family === 4 ? 32 : 128
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN
  return Number.isInteger(bits) && bits >= 0 && bits <= max ? { address, family: family as 4 | 6, prefix: bits } : null
}

function defaultWorkerThreads(): number { return Math.max(1, Math.min(4, availableParallelism() - 1)) }

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = []
  const numeric = (kind: 'integer' | 'number') => (name: string, def: number, min: number, max: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return def
    const n = Number(raw)
    const ok = kind === 'integer' ? Number.isInteger(n) : Number.isFinite(n)
    if (!ok || n < min || n > max) { problems.push(`${name}=${JSON.stringify(raw)}: expected ${kind === 'integer' ? 'an integer' : 'a number'} from ${min} to ${max} (${ENV_DOC[name]})`); return def }
    return n
  }
  const int = numeric('integer')
  const num = numeric('number')
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL=${JSON.stringify(env.LOG_LEVEL)}: expected ${ENV_DOC.LOG_LEVEL}`)
  const dataDir = resolve(env.DATA_DIR || 'data')
  const config: Config = {
    host: env.HOST || '0.0.0.0',
    port: int('PORT', 3000, 0, 65535),
    dataDir,
    dbFile: env.DB_FILE ? (env.DB_FILE === ':memory:' ? ':memory:' : resolve(env.DB_FILE)) : resolve(dataDir, 'cds.sqlite'),
    uploadsDir: resolve(env.UPLOADS_DIR || resolve(dataDir, 'uploads')),
    logLevel,
    maxUploadBytes: Math.round(num('MAX_UPLOAD_MB', 20, 0.001, 1024) * 1024 * 1024),
    bodyLimitBytes: Math.round(num('BODY_LIMIT_MB', 2, 0.01, 100) * 1024 * 1024),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    authFailureLimit: int('AUTH_FAILURE_LIMIT', 20, 0, 1_000_000),
    authFailureWindowS: int('AUTH_FAILURE_WINDOW_S', 60, 1, 86_400),
    summaryCacheEntries: int('SUMMARY_CACHE_ENTRIES', 16, 0, 10_000),
    requestTimeoutMs: int('REQUEST_TIMEOUT_S', 300, 0, 86_400) * 1000,
    headersTimeoutMs: int('HEADERS_TIMEOUT_S', 15, 1, 3600) * 1000,
    connectionTimeoutMs: int('CONNECTION_TIMEOUT_S', 30, 0, 86_400) * 1000,
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_S', 72, 1, 3600) * 1000,
    maxConnections: int('MAX_CONNECTIONS', 1024, 0, 1_000_000),
    maxConnectionsPerAddress: int('MAX_CONNECTIONS_PER_ADDRESS', 128, 0, 1_000_000),
    trustProxy: (env.TRUST_PROXY ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''),
    scoreRateLimit: int('SCORE_RATE_LIMIT', 60, 0, 1_000_000),
    scoreRateWindowS: int('SCORE_RATE_WINDOW_S', 10, 1, 86_400),
    writeRateLimit: int('WRITE_RATE_LIMIT', 60, 0, 1_000_000),
    writeRateWindowS: int('WRITE_RATE_WINDOW_S', 10, 1, 86_400),
    readyMinFreeBytes: num('READY_MIN_FREE_MB', 100, 0, 1_048_576) * 1024 * 1024,
    workerThreads: int('WORKER_THREADS', defaultWorkerThreads(), 0, 64),
    workerQueueMax: int('WORKER_QUEUE_MAX', 64, 1, 100_000),
    summaryTimeLimitMs: int('SUMMARY_TIME_LIMIT_S', 30, 1, 3600) * 1000,
    jobTimeLimitMs: int('JOB_TIME_LIMIT_S', 120, 1, 3600) * 1000,
    summaryStaleMs: int('SUMMARY_STALE_MS', 5000, 0, 10_000),
    sessionIdleMs: int('SESSION_IDLE_MIN', 120, 1, 7 * 24 * 60) * 60_000,
    sessionMaxMs: int('SESSION_MAX_HOURS', 12, 1, 30 * 24) * 3_600_000,
    cookieSecure: (env.COOKIE_SECURE || 'auto') as Config['cookieSecure'],
    loginFailuresPerAccount: int('LOGIN_FAILURES_PER_ACCOUNT', 10, 1, 1_000_000),
    loginFailuresPerAddress: int('LOGIN_FAILURES_PER_ADDRESS', 50, 1, 1_000_000),
    loginFailureWindowS: int('LOGIN_FAILURE_WINDOW_S', 900, 1, 86_400),
    invitationTtlMs: int('INVITATION_TTL_HOURS', 72, 1, 30 * 24) * 3_600_000,
  }
  if (!['auto', 'always', 'never'].includes(config.cookieSecure)) problems.push(`COOKIE_SECURE=${JSON.stringify(env.COOKIE_SECURE)}: expected ${ENV_DOC.COOKIE_SECURE}`)
  const badProxies = config.trustProxy.filter((p) => parseProxyEntry(p) === null)
  if (badProxies.length > 0) problems.push(`TRUST_PROXY=${JSON.stringify(env.TRUST_PROXY)}: ${badProxies.map((p) => JSON.stringify(p)).join(', ')} ${badProxies.length === 1 ? 'is' : 'are'} not an IP address or CIDR range (${ENV_DOC.TRUST_PROXY})`)
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
