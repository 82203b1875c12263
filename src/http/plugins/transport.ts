// Transport limits: timeouts that close slow or silent connections, and connection caps.
//
// Node's HTTP server enforces headersTimeout and requestTimeout by checking its connections every
// connectionsCheckingInterval (default 30 s, which would let a silent client stay ~45 s past a 15 s
// headers timeout); checking every second costs one pass over the open connections.
//
// The idle timeout (CONNECTION_TIMEOUT_S, Node's server.timeout) closes a socket with no traffic
// either way: a client that stops sending its request, or stops reading the answer. While the
// service works on a request nothing moves on the socket, and a job may run up to its own time
// limit, so the idle timer is off from the handler's start (the body is in, except a multipart
// upload, which REQUEST_TIMEOUT_S still bounds) until the answer starts (onSend).
//
// Caps: MAX_CONNECTIONS is Node's server.maxConnections (sockets past it are dropped at once); it
// bounds memory and file descriptors. MAX_CONNECTIONS_PER_ADDRESS keeps one address from taking all
// of them: its connections past the cap get a short 503 and are closed, while other addresses still
// get in. A trusted proxy (TRUST_PROXY) carries many clients on its connections, so it is not capped
// per address.
import { randomUUID } from 'node:crypto'
import { BlockList, type Socket } from 'node:net'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { parseProxyEntry, type Config } from '../../config.js'

type TransportConfig = Pick<Config, 'requestTimeoutMs' | 'headersTimeoutMs' | 'connectionTimeoutMs' | 'keepAliveTimeoutMs' | 'trustProxy'>

/** The Fastify (and Node http) options for the timeouts and the trusted proxies. */
export function transportOptions(config: TransportConfig): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'trustProxy'> & { http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } } {
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = config.requestTimeoutMs > 0 ? Math.min(config.headersTimeoutMs, config.requestTimeoutMs) : config.headersTimeoutMs
  const shortest = Math.min(headersTimeout, config.requestTimeoutMs || Infinity)
  return {
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    ...(config.trustProxy.length > 0 ? { trustProxy: config.trustProxy } : {}),
    http: { headersTimeout, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(shortest / 4))) },
  }
}

const TOO_MANY = JSON.stringify({ error: { code: 'TOO_MANY_CONNECTIONS', message: 'Địa chỉ này đang mở quá nhiều kết nối tới máy chủ; hãy đóng bớt rồi thử lại (too many open connections from this address)' } })
const TOO_MANY_RESPONSE = `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(TOO_MANY)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n${TOO_MANY}`

/** The idle timer off while the service works on a request (see above). */
export function installIdleTimer(app: FastifyInstance, connectionTimeoutMs: number): void {
  if (connectionTimeoutMs <= 0) return
  // (inject()'s socket is a stand-in without timers.)
  const idle = (socket: Socket | undefined, ms: number) => { if (typeof socket?.setTimeout === 'function') socket.setTimeout(ms) }
  app.addHook('preHandler', async (request) => { idle(request.raw.socket, 0) })
  app.addHook('onSend', async (request) => { idle(request.raw.socket, connectionTimeoutMs) })
}

/** Sets the connection caps on the app's HTTP server. */
export function installConnectionCaps(app: FastifyInstance, config: Pick<Config, 'maxConnections' | 'maxConnectionsPerAddress' | 'trustProxy'>): void {
  if (config.maxConnections > 0) app.server.maxConnections = config.maxConnections
  const cap = config.maxConnectionsPerAddress
  if (cap <= 0) return
  const proxies = new BlockList()
  for (const entry of config.trustProxy) {
    const p = parseProxyEntry(entry)
    if (p) proxies.addSubnet(p.address, p.prefix, p.family === 4 ? 'ipv4' : 'ipv6')
  }
  const open = new Map<string, number>()
  // The HTTP server's own connection listeners run only for accepted sockets: a refused one never
  // gets a parser, so nothing it sends is read.
  const http = app.server.listeners('connection') as ((socket: Socket) => void)[]
  app.server.removeAllListeners('connection')
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress
    const exempt = address === undefined || proxies.check(address, socket.remoteFamily === 'IPv6' ? 'ipv6' : 'ipv4')
    if (!exempt) {
      const n = (open.get(address) ?? 0) + 1
      if (n > cap) {
        socket.on('error', () => {})
        socket.end(TOO_MANY_RESPONSE)
        // A client that never reads must not keep the socket open either.
        setTimeout(() => socket.destroy(), 2000).unref()
        return
      }
      open.set(address, n)
      socket.once('close', () => {
        const left = (open.get(address) ?? 1) - 1
        if (left <= 0) open.delete(address)
        else open.set(address, left)
      })
    }
    for (const listener of http) listener.call(app.server, socket)
  })
}

/** A request id a client may choose: a short plain token (a UUID, `req-42`, a proxy's trace id). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/

/** Fastify's genReqId: the client's x-request-id when it is a safe token, else a fresh UUID. */
export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID()
}
