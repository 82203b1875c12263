// Configuration from environment variables, checked at start with one clear message per problem.
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
}

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
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
