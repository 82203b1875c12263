// Transport limits against a real listening server (app.listen on a free port, raw sockets):
//   1. slow or silent clients are closed: incomplete headers (HEADERS_TIMEOUT_S), a body announced
//      as 1,000,000 bytes that stops (CONNECTION_TIMEOUT_S), a body dripped a byte at a time so the
//      idle timer never fires (REQUEST_TIMEOUT_S); a normal request still gets through, and a
//      request the service works on for longer than the idle timeout is not cut;
//   2. MAX_CONNECTIONS_PER_ADDRESS: one address's connections past the cap get 503
//      TOO_MANY_CONNECTIONS and are closed, while another address gets in; a trusted proxy is exempt;
//   3. MAX_CONNECTIONS: past it, new connections are dropped; once one closes, requests go through.
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { loadCatalog } from '../helpers.js'
import { LIMITS_OFF } from './app.js'

async function listening(t: Test, config: Partial<Config>, extra?: (app: FastifyInstance) => void): Promise<{ app: FastifyInstance; port: number }> {
  const uploadsDir = mkdtempSync(join(tmpdir(), 'cds-transport-'))
  const app = await buildApp({ logger: false, catalog: loadCatalog(), config: { dbFile: ':memory:', uploadsDir, ...LIMITS_OFF, ...config } })
  extra?.(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close(); rmSync(uploadsDir, { recursive: true, force: true }) })
  return { app, port: (app.server.address() as { port: number }).port }
}

interface Raw { socket: Socket; opened: Promise<void>; closed: Promise<number>; received(): string }

/** A raw connection; `closed` resolves with the ms from opening to the server closing it. */
function raw(t: Test, port: number, localAddress = '127.0.0.1'): Raw {
  const start = Date.now()
  const socket = connect({ port, host: '127.0.0.1', localAddress })
  let data = ''
  socket.on('data', (b) => { data += b.toString() })
  socket.on('error', () => {})
  const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - start)))
  t.teardown(() => { socket.destroy() })
  return { socket, opened, closed, received: () => data }
}

/** A plain GET through a fresh connection: the status code, or the error. */
function get(port: number, path: string, localAddress = '127.0.0.1'): Promise<number | string> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1', localAddress }, () => s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`))
    let data = ''
    s.on('data', (b) => { data += b.toString() })
    s.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code}`))
    s.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? NaN) || `closed with ${JSON.stringify(data.slice(0, 60))}`))
  })
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still open'> => Promise.race([p, sleep(ms).then(() => 'still open' as const)])

t.test('20 slow or silent clients are closed within the timeouts; normal and long-running requests are served', async (t) => {
  const timeouts = { headersTimeoutMs: 600, connectionTimeoutMs: 800, requestTimeoutMs: 1500, maxConnectionsPerAddress: 0 }
  const { port } = await listening(t, timeouts, (app) => {
    // Works for twice the idle timeout without a byte on the socket, like a long export.
    app.get('/test-slow-job', async () => { await sleep(1700); return { done: true } })
  })
  const head = 'POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n'
  const partial = Array.from({ length: 7 }, () => raw(t, port))
  const stalled = Array.from({ length: 7 }, () => raw(t, port))
  const drip = Array.from({ length: 6 }, () => raw(t, port))
  await Promise.all([...partial, ...stalled, ...drip].map((c) => c.opened))
  for (const c of partial) c.socket.write('POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Le')
  for (const c of stalled) c.socket.write(`${head}{"criteriaSet":`)
  for (const c of drip) c.socket.write(head)
  const dripper = setInterval(() => { for (const c of drip) if (!c.socket.destroyed) c.socket.write(' ') }, 150)
  t.teardown(() => clearInterval(dripper))
  const slowJob = get(port, '/test-slow-job')

  // The checks run every connectionsCheckingInterval (here 150 ms): bounds with that margin and more.
  const limit = { partial: 600 + 1000, stalled: 800 + 1000, drip: 1500 + 1000 }
  for (const [name, group] of [['partial', partial], ['stalled', stalled], ['drip', drip]] as const) {
    const times = await Promise.all(group.map((c) => within(c.closed, 5000)))
    t.ok(times.every((ms) => typeof ms === 'number' && ms <= limit[name]), `${name}: all ${group.length} closed within ${limit[name]} ms (${times.join(', ')})`)
    if (name === 'drip') t.ok(times.every((ms) => typeof ms === 'number' && ms >= 1500 - 50), 'the dripping ones only by the request timeout (they were never idle)')
  }
  t.match(partial[0]!.received(), /^HTTP\/1\.1 408/, 'incomplete headers: Node answers 408 before closing')
  t.equal(await get(port, '/health'), 200, 'a normal request meanwhile and after')
  t.equal(await slowJob, 200, 'a request worked on for 1.7 s (over the 0.8 s idle timeout) is answered, not cut')
})

t.test('MAX_CONNECTIONS_PER_ADDRESS: past the cap one address gets 503 and is closed; another address and a trusted proxy get in', async (t) => {
  const { port } = await listening(t, { maxConnectionsPerAddress: 3 })
  const held = Array.from({ length: 3 }, () => raw(t, port))
  await Promise.all(held.map((c) => c.opened))
  await sleep(50)
  const extra = raw(t, port)
  t.not(await within(extra.closed, 3000), 'still open', 'the 4th connection from 127.0.0.1 is closed')
  t.match(extra.received(), /^HTTP\/1\.1 503 /, 'with a 503')
  t.match(extra.received(), /retry-after: 5/i)
  const body = JSON.parse(extra.received().split('\r\n\r\n')[1] ?? '{}')
  t.equal(body.error?.code, 'TOO_MANY_CONNECTIONS', 'in the API error shape')
  t.match(body.error?.message, /quá nhiều kết nối/)
  t.equal(await get(port, '/health'), 503, 'a request from the capped address is refused too')
  t.equal(await get(port, '/health', '127.0.0.2'), 200, 'another address gets in')
  held[0]!.socket.destroy()
  await held[0]!.closed
  await sleep(50)
  t.equal(await get(port, '/health'), 200, 'once one of its connections closes, the address gets in again')

  const proxied = await listening(t, { maxConnectionsPerAddress: 2, trustProxy: ['127.0.0.0/8'] })
  const viaProxy = Array.from({ length: 4 }, () => raw(t, proxied.port))
  await Promise.all(viaProxy.map((c) => c.opened))
  t.equal(await get(proxied.port, '/health'), 200, 'a trusted proxy carries many clients: not capped per address')
})

t.test('MAX_CONNECTIONS: past it new connections are dropped; once one closes, requests go through', async (t) => {
  const { app, port } = await listening(t, { maxConnections: 4, maxConnectionsPerAddress: 0 })
  t.equal(app.server.maxConnections, 4)
  const held = Array.from({ length: 4 }, (_, i) => raw(t, port, `127.0.0.${i + 1}`))
  await Promise.all(held.map((c) => c.opened))
  await sleep(50)
  const dropped = await get(port, '/health', '127.0.0.9')
  t.not(dropped, 200, `the 5th connection is dropped (${dropped})`)
  held[0]!.socket.destroy()
  await held[0]!.closed
  await sleep(50)
  t.equal(await get(port, '/health', '127.0.0.9'), 200, 'a slot is free: served')
})
