// The web console: server-rendered Vietnamese pages over the same services as the API (no second
// path for rules, scoring or authorization: every page and action calls a service with the
// signed-in person as its Actor, and Access decides). Its own scope holds the cookie, form and
// compression plugins, the session and CSRF checks, and an error handler that answers in pages.
import cookie from '@fastify/cookie'
import compress from '@fastify/compress'
import formbody from '@fastify/formbody'
import type { FastifyError, FastifyInstance } from 'fastify'
import type { Services } from '../services/index.js'
import { AppError } from '../services/errors.js'
import { ASSETS_BY_URL } from './assets.js'
import { errorText } from './messages.js'
import { redirect, sendPage } from './reply.js'
import { checkCsrf, loadSession, SignInRequired, sessionView } from './session.js'
import { errorPage } from './views/auth.js'
import { authRoutes } from './routes/auth.js'
import { homeRoutes } from './routes/home.js'
import { schoolRoutes } from './routes/school.js'
import { reviewRoutes } from './routes/review.js'
import { dashboardRoutes } from './routes/dashboard.js'
import { adminRoutes } from './routes/admin.js'

/** Pages: this origin only, no inline script; inline style attributes are not used either. */
export const CONSOLE_CSP = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"],
      imgSrc: ["'self'", 'data:'], scriptSrc: ["'self'"], styleSrc: ["'self'"], connectSrc: ["'self'"],
    },
  },
  frameguard: { action: 'deny' as const },
}

export async function consoleRoutes(app: FastifyInstance, { services, now }: { services: Services; now: () => number }): Promise<void> {
  // Helmet reads a route's options from its config at request time: every console route gets the
  // pages' policy (this hook runs after helmet's own, for the routes of this scope only).
  // A route that brings its own (the printable sheet: inline <style>, no script) keeps it.
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { helmet?: unknown }
    route.config = Object.assign(config, { helmet: config.helmet ?? CONSOLE_CSP }) as never
    // Pages are not the API: they stay out of the OpenAPI document (/docs).
    route.schema = { ...(route.schema ?? {}), hide: true } as never
  })
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 1024 * 1024 })
  // Pages and assets compress (br/gzip as the browser accepts); the JSON API is not in this scope.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] })
  app.decorateRequest('console', null)
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/assets/')) return
    await loadSession(services, request)
  })
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') checkCsrf(request)
    if (!request.routeOptions.config.anonymous && !request.console) throw new SignInRequired()
  })

  app.setErrorHandler((err: FastifyError | AppError | SignInRequired, request, reply) => {
    if (err instanceof SignInRequired) {
      const back = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : ''
      return redirect(reply, `/login${back}`)
    }
    const s = sessionView(request.console)
    if (err instanceof AppError) {
      if (err.statusCode >= 500) request.log.error({ err }, 'console: server-side failure')
      return sendPage(reply, errorPage({ session: s, status: err.statusCode, text: errorText(err) }), err.statusCode)
    }
    const fe = err as FastifyError
    if (fe.validation || (fe.statusCode !== undefined && fe.statusCode < 500)) {
      return sendPage(reply, errorPage({ session: s, status: fe.statusCode ?? 400, text: 'Yêu cầu không hợp lệ. Hãy quay lại trang trước và thử lại.' }), fe.statusCode ?? 400)
    }
    request.log.error({ err }, 'console: unexpected failure')
    return sendPage(reply, errorPage({ session: s, status: 500, text: errorText(err) }), 500)
  })

  app.get('/assets/:file', { config: { anonymous: true } }, async (request, reply) => {
    const a = ASSETS_BY_URL.get(request.url.split('?')[0] as string)
    if (!a) return reply.status(404).type('text/plain; charset=utf-8').send('Không tìm thấy tệp.')
    return reply.type(a.type).header('cache-control', 'public, max-age=31536000, immutable').send(a.body)
  })

  for (const routes of [authRoutes, homeRoutes, schoolRoutes, reviewRoutes, dashboardRoutes, adminRoutes]) await app.register(routes, { services, now })
}
