// Security headers (helmet) on every response, Cache-Control: no-store on protected /v1 data, and
// the failed-authentication limiter the auth hook consults.
//
// Content-Security-Policy is chosen per route, once, when the route is added:
//   - everything else (the JSON API, /health, /ready, 404s): nothing may load, nothing may frame it;
//   - /docs (swagger-ui): scripts, styles, images and fetches from this origin only (swagger-ui
//     needs no inline script); inline styles allowed; no upgrade-insecure-requests, so the page
//     still works when the service is reached over plain HTTP on a school network;
//   - GET /v1/assessments/:id/sheet (printable HTML): the same policy as its own CSP meta element —
//     inline <style> and data: images only, no script of any kind.
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

type Csp = Exclude<NonNullable<FastifyHelmetOptions['contentSecurityPolicy']>, boolean>

const API_CSP: Csp = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
}

const DOCS_CSP: Csp = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"], baseUri: ["'self'"], connectSrc: ["'self'"], fontSrc: ["'self'", 'data:'], formAction: ["'self'"],
    frameAncestors: ["'self'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], scriptSrc: ["'self'"], scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
  },
}

export const SHEET_CSP: Csp = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"], imgSrc: ['data:'],
    scriptSrc: ["'none'"], styleSrc: ["'unsafe-inline'"],
  },
}

/** The route of the printable sheet, as Fastify names it (prefix included). */
const SHEET_ROUTE = '/v1/assessments/:id/sheet'

export async function installSecurity(app: FastifyInstance): Promise<void> {
  // Before helmet's own onRoute hook, so helmet picks up the per-route options set here.
  app.addHook('onRoute', (route) => {
    if (route.helmet !== undefined) return
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.helmet = { contentSecurityPolicy: DOCS_CSP, frameguard: { action: 'sameorigin' } }
    else if (route.url === SHEET_ROUTE) route.helmet = { contentSecurityPolicy: SHEET_CSP }
  })
  await app.register(helmet, { contentSecurityPolicy: API_CSP, frameguard: { action: 'deny' } })

  // Protected /v1 answers carry a school's or a unit's data: no browser or proxy keeps a copy.
  // The public routes (scoring, the criteria catalog) are left to the defaults.
  app.addHook('onSend', async (request, reply) => {
    const url = request.routeOptions.url
    if (url !== undefined && url.startsWith('/v1/') && !request.routeOptions.config.public && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store')
    }
  })
}

/**
 * Requests per key (a client address, an API key) in fixed windows: each `hit` counts one; past
 * `limit` in the current window it answers the seconds until the window ends. Fixed windows allow
 * up to twice the limit across a window's edge, which is fine for stopping one client from
 * monopolising the service. `limit` 0 disables it. At most `maxTracked` keys are kept.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; start: number }>()
  private readonly windowMs: number

  constructor(readonly limit: number, windowS: number, private readonly now: () => number = Date.now, private readonly maxTracked = 10_000) {
    this.windowMs = windowS * 1000
  }

  get enabled(): boolean { return this.limit > 0 }

  /** Counts one request of `key`; returns the seconds to wait when it is over the limit. */
  hit(key: string): { limited: false } | { limited: true; retryAfterS: number } {
    if (!this.enabled) return { limited: false }
    const now = this.now()
    let w = this.windows.get(key)
    // A window that has ended (or a clock moved backwards) starts over.
    if (!w || now >= w.start + this.windowMs || now < w.start) {
      if (!w && this.windows.size >= this.maxTracked) this.sweep(now)
      w = { count: 0, start: now }
      this.windows.set(key, w)
    }
    w.count += 1
    if (w.count <= this.limit) return { limited: false }
    return { limited: true, retryAfterS: Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) }
  }

  /** Whether `key` has used up the current window (without counting a request): the seconds left. */
  blocked(key: string): number | null {
    if (!this.enabled) return null
    const w = this.windows.get(key)
    const now = this.now()
    if (!w || now >= w.start + this.windowMs || now < w.start || w.count < this.limit) return null
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000))
  }

  /** Keys tracked now (tests). */
  get size(): number { return this.windows.size }

  /** Drops ended windows; if every window is live, the oldest go, so memory stays bounded. */
  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now >= w.start + this.windowMs || now < w.start) this.windows.delete(k)
    for (const k of this.windows.keys()) {
      if (this.windows.size < this.maxTracked) break
      this.windows.delete(k)
    }
  }
}

/**
 * Failed authentications (401) per client address in fixed windows. The auth hook records each
 * failure; past `limit` failures in the current window, further failures answer 429 instead.
 * Successes are never counted nor refused, so a valid key behind a shared NAT keeps working.
 * `limit` 0 disables it.
 */
export class FailedAuthLimiter extends FixedWindowLimiter {
  /** Records one failure from `client`; returns the seconds to wait when it is over the limit. */
  fail(client: string): { limited: false } | { limited: true; retryAfterS: number } {
    return this.hit(client)
  }
}
