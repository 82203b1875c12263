// A database that cannot take writes: /ready says so, and writes answer 503 with a stable code
// (STORAGE_READONLY, STORAGE_FULL) instead of 500, leaving nothing half-written; reads go on.
//   - read-only: the store opened with better-sqlite3 { readonly: true } (the tests run as root,
//     and root writes a chmod 444 file anyway);
//   - full: PRAGMA max_page_count at the current size makes SQLite answer SQLITE_FULL, as a full
//     disk does;
//   - low free space: READY_MIN_FREE_MB above what the file system has.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { Catalog } from '../../src/criteria/catalog.js'
import { openDatabase } from '../../src/db/connection.js'
import * as schema from '../../src/db/schema.js'
import { storageFailure } from '../../src/http/plugins/errors.js'
import { sqliteStore, type SqliteStore } from '../../src/repositories/sqlite/index.js'
import { harness, LIMITS_OFF } from './app.js'

function storageError(t: Test, res: LightMyRequestResponse, code: string, what: string): void {
  t.equal(res.statusCode, 503, `${what}: 503, not 500`)
  t.equal(res.headers['retry-after'], '60', `${what}: Retry-After`)
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['error'])
  t.equal(body.error.code, code, `${what}: ${code}`)
  t.match(body.error.message, /chưa được lưu/, `${what}: says, in Vietnamese, that nothing was saved`)
  t.type(body.error.details?.requestId, 'string', `${what}: the request id, to find the log line`)
}

const notReady = async (t: Test, inject: (o: object) => Promise<LightMyRequestResponse>, reason: string) => {
  const res = await inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 503, `/ready: 503 (${reason})`)
  const body = JSON.parse(res.body)
  t.equal(body.error.code, 'NOT_READY')
  t.equal(body.error.details?.reason, reason)
  return body.error.message as string
}

t.test('a read-only database: /ready fails, writes answer 503 STORAGE_READONLY, reads go on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-readonly-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'cds.sqlite')
  // A writer sets the database up (and stays open, as another process would).
  const writer = await harness(t, { catalog: Catalog.load(), store: sqliteStore(openDatabase(file)) })
  const sqlite = new Database(file, { readonly: true })
  const app = await buildApp({ logger: false, catalog: Catalog.load(), store: sqliteStore({ sqlite, db: drizzle(sqlite, { schema }), file }), config: { dbFile: file, uploadsDir: dir, ...LIMITS_OFF } })
  t.teardown(() => app.close())
  const as = (method: string, url: string, payload?: object) => app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${writer.keys.admin}` }, ...(payload ? { payload } : {}) })

  t.match(await notReady(t, (o) => app.inject(o as never), 'STORAGE_READONLY'), /does not take writes/)
  storageError(t, await as('POST', '/v1/units', { code: 'RO', name: 'Tỉnh chỉ đọc', type: 'province', fromYear: '2020-2021' }), 'STORAGE_READONLY', 'a new unit')
  storageError(t, await as('PATCH', '/v1/units/HN', { name: 'Đổi tên' }), 'STORAGE_READONLY', 'a rename')
  t.equal((await as('GET', '/v1/units/HN')).statusCode, 200, 'reads go on')
  t.equal(JSON.parse((await as('GET', '/v1/units/HN')).body).name, 'Thành phố Hà Nội', 'nothing changed')
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the process is up')
  t.equal((await writer.req(null, 'GET', '/ready')).statusCode, 200, 'the writer itself is ready')
})

t.test('a full database: /ready fails, writes answer 503 STORAGE_FULL and change nothing; room again, all is well', async (t) => {
  const h = await harness(t)
  const sqlite = (h.app.services.ctx.store as SqliteStore).connection.sqlite
  t.equal((await h.req(null, 'GET', '/ready')).statusCode, 200)
  const pages = sqlite.pragma('page_count', { simple: true }) as number
  sqlite.pragma(`max_page_count = ${pages}`)
  await notReady(t, (o) => h.app.inject(o as never), 'STORAGE_FULL')

  // Small writes may still fit in pages with room; keep writing until one needs a new page.
  let refused: LightMyRequestResponse | undefined
  let code = ''
  for (let i = 0; i < 400 && !refused; i++) {
    code = `F${i}`
    const res = await h.req(h.keys.admin, 'POST', '/v1/units', { code, name: `Tỉnh đầy ${'x'.repeat(150)} ${i}`, type: 'province', fromYear: '2020-2021' })
    if (res.statusCode !== 201) refused = res
  }
  t.ok(refused, 'a write that needs a new page is refused')
  storageError(t, refused!, 'STORAGE_FULL', 'the write past the limit')
  t.equal((await h.req(h.keys.admin, 'GET', `/v1/units/${code}`)).statusCode, 404, 'the refused unit is not there')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/units/HN')).statusCode, 200, 'reads go on')

  sqlite.pragma(`max_page_count = ${pages + 10_000}`)
  t.equal((await h.req(null, 'GET', '/ready')).statusCode, 200, 'room again: ready, without a restart')
  t.equal((await h.req(h.keys.admin, 'POST', '/v1/units', { code, name: 'Tỉnh đầy', type: 'province', fromYear: '2020-2021' })).statusCode, 201, 'and the write goes through')
})

t.test('less free disk space than READY_MIN_FREE_MB: /ready fails; 0 turns the check off', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-space-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const build = async (readyMinFreeBytes: number) => {
    const app = await buildApp({ logger: false, config: { dbFile: join(dir, `cds-${readyMinFreeBytes}.sqlite`), uploadsDir: join(dir, 'uploads'), readyMinFreeBytes, ...LIMITS_OFF } })
    t.teardown(() => app.close())
    return app
  }
  const greedy = await build(2 ** 62)
  t.match(await notReady(t, (o) => greedy.inject(o as never), 'STORAGE_FULL'), /MB free, less than READY_MIN_FREE_MB/)
  t.equal((await (await build(0)).inject({ method: 'GET', url: '/ready' })).statusCode, 200)
  t.equal((await (await build(1024 * 1024)).inject({ method: 'GET', url: '/ready' })).statusCode, 200, '1 MB is there')
})

t.test('storage failures are recognised through drizzle\'s wrapper and from the file system', async (t) => {
  const wrapped = Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }) })
  t.equal(storageFailure(wrapped)?.code, 'STORAGE_IO_ERROR')
  t.equal(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_READONLY_DBMOVED' }))?.code, 'STORAGE_READONLY')
  t.equal(storageFailure(Object.assign(new Error('x'), { code: 'ENOSPC' }))?.code, 'STORAGE_FULL')
  t.equal(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))?.retryAfterS, 1)
  t.equal(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' })), null, 'a constraint is not a storage failure')
  t.equal(storageFailure(new Error('plain')), null)
})
