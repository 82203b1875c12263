// buildApp(options): the whole service as a Fastify instance, used by the server and the tests.
import multipart from '@fastify/multipart'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import type { LoggerOptions } from 'pino'
import { loadConfig, type Config } from './config.js'
import { Catalog } from './criteria/catalog.js'
import { openDatabase } from './db/connection.js'
import { installAuth } from './http/plugins/auth.js'
import { installDocs } from './http/plugins/docs.js'
import { errorBody, installErrorHandling } from './http/plugins/errors.js'
import { installRateLimits } from './http/plugins/rate-limit.js'
import { installSetReload } from './http/plugins/set-reload.js'
import { FailedAuthLimiter, FixedWindowLimiter, installSecurity } from './http/plugins/security.js'
import { installConnectionCaps, installIdleTimer, requestId, transportOptions } from './http/plugins/transport.js'
import { installValidators } from './http/plugins/validation.js'
import { assessmentRoutes } from './http/routes/assessments.js'
import { keyRoutes } from './http/routes/keys.js'
import { opsRoutes } from './http/routes/ops.js'
import { reportRoutes } from './http/routes/reports.js'
import { authoringRoutes } from './http/routes/authoring.js'
import { periodRoutes } from './http/routes/periods.js'
import { schoolRoutes } from './http/routes/schools.js'
import { scoringRoutes } from './http/routes/scoring.js'
import { unitRoutes } from './http/routes/units.js'
import { consoleRoutes } from './console/index.js'
import { unitSummarySchema } from './http/schemas/summary.js'
import { SHARED_SCHEMAS } from './http/schemas/common.js'
import { criterionResultSchema, scoreResultSchema } from './http/schemas/result.js'
import { sqliteStore, type SqliteStore } from './repositories/sqlite/index.js'
import type { Store } from './repositories/types.js'
import { createServices, type Services } from './services/index.js'
import { WorkerPools } from './workers/pool.js'
import { SERVICE_VERSION } from './version.js'

export interface BuildOptions {
  config?: Partial<Config>
  /** A store to use instead of opening config.dbFile (closed with the app either way). */
  store?: Store
  catalog?: Catalog
  /** The clock (tests move it past deadlines). */
  now?: () => Date
  /** false for silence; pino options otherwise (default: JSON at config.logLevel, pretty on a TTY). */
  logger?: boolean | LoggerOptions
}

declare module 'fastify' {
  interface FastifyInstance { services: Services }
}

export function loggerOptions(config: Config): LoggerOptions {
  const pretty = process.stdout.isTTY && canResolve('pino-pretty')
  return {
    level: config.logLevel,
    // Keys are secrets: never in the log.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  }
}

function canResolve(name: string): boolean {
  try { import.meta.resolve(name); return true } catch { return false }
}

export async function buildApp(opts: BuildOptions = {}): Promise<FastifyInstance> {
  const config = { ...loadConfig(), ...opts.config }
  const catalog = opts.catalog ?? Catalog.load()
  const store = opts.store ?? sqliteStore(openDatabase(config.dbFile))
  const pools = workerPoolsFor(store, config)
  const services = createServices(store, catalog, config, opts.now, pools)
  const app = Fastify({
    logger: opts.logger === false ? false : opts.logger === true || opts.logger === undefined ? loggerOptions(config) : opts.logger,
    bodyLimit: config.bodyLimitBytes,
    ...transportOptions(config),
    // A client's (or proxy's) x-request-id is kept only when it is a plain token: it goes into every
    // log line and error body, so newlines, bidi characters or 10 KB of text never do.
    requestIdHeader: false,
    genReqId: requestId,
    return503OnClosing: true,
    // The router refuses a bad percent-encoding or an over-long path parameter before any hook or
    // error handler runs: answer those in the API's error shape too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      void reply.status(tooLong ? 414 : 400).send(errorBody(tooLong ? 'PATH_TOO_LONG' : 'INVALID_URL',
        tooLong ? 'a path segment is longer than any identifier of this API' : 'the URL is not valid (check its percent-encoding)'))
    },
  })
  installConnectionCaps(app, config)
  if (pools) pools.onError = (err) => { app.log.error({ err }, 'worker thread failed') }
  installIdleTimer(app, config.connectionTimeoutMs)
  app.decorate('services', services)
  // Sets an education office published through the API join the catalog before any request.
  await services.authoring.loadPublished()
  // …and those published later by another process on the same database, on a lookup miss.
  await services.scoring.watchPublished({ load: () => services.authoring.loadNewPublished(), version: () => store.dataVersion() })
  app.addHook('onClose', async () => { await pools?.close(); await store.close() })

  installValidators(app)
  installErrorHandling(app)
  await installSecurity(app)
  // Failed authentications per client address, on the app's clock (tests move it past the window).
  const now = opts.now
  const clock = now ? () => now().getTime() : Date.now
  const authLimiter = new FailedAuthLimiter(config.authFailureLimit, config.authFailureWindowS, clock)
  const rateLimits = { score: new FixedWindowLimiter(config.scoreRateLimit, config.scoreRateWindowS, clock), writes: new FixedWindowLimiter(config.writeRateLimit, config.writeRateWindowS, clock) }
  for (const s of [criterionResultSchema, scoreResultSchema, unitSummarySchema, ...SHARED_SCHEMAS]) app.addSchema(s)
  await installDocs(app, SERVICE_VERSION)
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes, files: 1, fields: 5, parts: 6 } })
  await app.register(opsRoutes, { store, catalog })
  await app.register(async (v1) => {
    installAuth(v1, services.keys, authLimiter)
    installRateLimits(v1, rateLimits)
    installSetReload(v1, services.scoring)
    for (const routes of [scoringRoutes, keyRoutes, unitRoutes, schoolRoutes, periodRoutes, assessmentRoutes, reportRoutes, authoringRoutes]) await v1.register(routes, { services })
  }, { prefix: '/v1' })
  // The web console (src/console): pages for people, over the same services.
  await app.register(consoleRoutes, { services, now: clock })
  return app
}

/** Worker threads read the database file on their own connections; an in-memory database (or a
 *  store that is not SQLite) keeps the work in-process. */
function workerPoolsFor(store: Store, config: Config): WorkerPools | null {
  const file = (store as Partial<SqliteStore>).connection?.file
  if (config.workerThreads === 0 || file === undefined || file === ':memory:' || file === '') return null
  const pools = new WorkerPools({ dbFile: file, threads: config.workerThreads, maxQueue: config.workerQueueMax })
  // Checkpoints move to the maintenance thread; the main connection's own threshold (1,000 pages by
  // default) becomes a safety net of 10,000 (40 MB of WAL).
  pools.startCheckpoints(1000)
  ;(store as SqliteStore).connection.sqlite.pragma('wal_autocheckpoint = 10000')
  return pools
}
