import { statfs } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { probeWritable } from '../../db/connection.js'
import type { SqliteStore } from '../../repositories/sqlite/index.js'
import type { Store } from '../../repositories/types.js'
import type { Catalog } from '../../criteria/catalog.js'

type Check = { ok: true } | { ok: false; reason: string; message: string }

export async function opsRoutes(app: FastifyInstance, opts: { store: Store; catalog: Catalog }): Promise<void> {
  const config = app.services.ctx.config
  const ok = { type: 'object', properties: { status: { type: 'string' } } } as const
  app.get('/health', { schema: { tags: ['ops'], summary: 'the process is up', security: [], response: { 200: ok } } }, async () => ({ status: 'ok' }))

  // Ready means able to take writes: the database answers and is writable, and the database's and
  // the uploads' file systems have READY_MIN_FREE_MB free (room for a few maximum-size uploads and
  // the write-ahead log between checkpoints).
  const connection = (opts.store as Partial<SqliteStore>).connection
  const dirs = [...new Set([...(config.dbFile === ':memory:' ? [] : [dirname(config.dbFile)]), config.uploadsDir])]
  const writable = (): Check => {
    if (!connection) return { ok: true }
    const w = probeWritable(connection.sqlite)
    if (w.ok) return w
    const reason = w.code === 'SQLITE_FULL' ? 'STORAGE_FULL' : w.code.startsWith('SQLITE_READONLY') ? 'STORAGE_READONLY' : 'STORAGE_ERROR'
    return { ok: false, reason, message: `the database does not take writes (${w.code}: ${w.message})` }
  }
  const freeSpace = async (): Promise<Check> => {
    if (config.readyMinFreeBytes <= 0) return { ok: true }
    for (const dir of dirs) {
      // A directory not made yet (uploads before the first one) is on its parent's file system.
      const s = await statfs(dir).catch(() => statfs(dirname(dir))).catch(() => null)
      if (s === null) continue
      const free = s.bavail * s.bsize
      if (free < config.readyMinFreeBytes) {
        return { ok: false, reason: 'STORAGE_FULL', message: `${dir} has ${Math.floor(free / 1048576)} MB free, less than READY_MIN_FREE_MB (${Math.round(config.readyMinFreeBytes / 1048576)} MB)` }
      }
    }
    return { ok: true }
  }

  app.get('/ready', {
    schema: {
      tags: ['ops'], summary: 'the database answers and takes writes, there is free disk space, and criteria sets are loaded', security: [],
      response: { 200: { type: 'object', properties: { status: { type: 'string' }, criteriaSets: { type: 'integer' } } }, 503: { $ref: 'Error#' } },
    },
  }, async (_req, reply) => {
    const notReady = (reason: string, message: string) => reply.status(503).send({ error: { code: 'NOT_READY', message, details: { reason } } })
    const dbOk = await opts.store.ping().catch(() => false)
    if (!dbOk) return notReady('DATABASE_DOWN', 'the database does not answer')
    const sets = opts.catalog.sets.size
    if (sets === 0) return notReady('NO_CRITERIA_SETS', 'no criteria sets are loaded')
    for (const check of [writable(), await freeSpace()]) if (!check.ok) return notReady(check.reason, check.message)
    return { status: 'ready', criteriaSets: sets }
  })
}
