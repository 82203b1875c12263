// The console's session and CSRF checks, in one place. Every console request carries its session
// (request.console) if the cookie names a live one; every POST must carry the session's CSRF token
// in `_csrf` (before sign-in: the token of the sign-in cookie, double-submit), and a browser's
// Sec-Fetch-Site must not say cross-site.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import type { User } from '../repositories/types.js'
import { actorOfUser, type Actor } from '../services/actor.js'
import { AppError } from '../services/errors.js'
import type { Services } from '../services/index.js'
import type { SessionView } from './views/layout.js'

export const SESSION_COOKIE = 'cds_session'
/** The anonymous sign-in form's token (double-submit): no session exists yet to hold it. */
export const LOGIN_COOKIE = 'cds_login'

export interface ConsoleSession { user: User; actor: Actor; csrf: string; scopeLabel: string | null }

declare module 'fastify' {
  interface FastifyRequest { console: ConsoleSession | null }
  interface FastifyContextConfig { anonymous?: boolean; loginForm?: boolean }
}

/** 303 to the sign-in page, coming back here afterwards. */
export class SignInRequired extends Error {}

export function secureCookie(config: Config, request: FastifyRequest): boolean {
  return config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && request.protocol === 'https')
}

export function cookieOptions(config: Config, request: FastifyRequest, maxAgeS?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookie(config, request), ...(maxAgeS !== undefined ? { maxAge: maxAgeS } : {}) }
}

export async function loadSession(services: Services, request: FastifyRequest): Promise<void> {
  const active = await services.sessions.resolve(request.cookies[SESSION_COOKIE])
  if (!active) { request.console = null; return }
  const { user, record } = active
  let scopeLabel: string | null = null
  if (user.unitId !== null) scopeLabel = (await services.ctx.store.units.byId(user.unitId))?.name ?? null
  if (user.schoolId !== null) scopeLabel = (await services.ctx.store.schools.byId(user.schoolId))?.name ?? null
  request.console = { user, actor: actorOfUser(user), csrf: record.csrf, scopeLabel }
}

/** The signed-in person, or a redirect to /login. */
export function session(request: FastifyRequest): ConsoleSession {
  if (!request.console) throw new SignInRequired()
  return request.console
}

export function sessionView(s: ConsoleSession | null): SessionView | null {
  return s ? { displayName: s.user.displayName, username: s.user.username, role: s.user.role, scopeLabel: s.scopeLabel, csrf: s.csrf } : null
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a); const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Refuses a POST whose token is missing or wrong (403 CSRF), or that a browser says came from another site. */
export function checkCsrf(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw new AppError(403, 'CSRF', 'cross-site form post refused')
  // A multipart form (a file upload) is read by its handler as a stream, after this check: its token
  // travels in the action URL's ?_csrf= instead (same origin only; Referrer-Policy is no-referrer).
  const multipart = String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')
  const sent = multipart ? (request.query as Record<string, unknown> | undefined)?._csrf : (request.body as Record<string, unknown> | undefined)?._csrf ?? request.headers['x-csrf-token']
  // The sign-in and invitation forms carry the sign-in cookie's token (a signed-in browser may post
  // them too); every other form its session's.
  const expected = request.routeOptions.config.loginForm ? request.cookies[LOGIN_COOKIE] : request.console?.csrf
  if (typeof sent !== 'string' || expected === undefined || !same(sent, expected)) throw new AppError(403, 'CSRF', 'missing or wrong CSRF token')
}

/** The sign-in form's token, set as a cookie when the browser has none. */
export function loginToken(config: Config, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[LOGIN_COOKIE]
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing
  const token = randomBytes(24).toString('base64url')
  void reply.setCookie(LOGIN_COOKIE, token, { ...cookieOptions(config, request), sameSite: 'strict' })
  return token
}

/** A local path to return to after sign-in (never another site: "//evil" or "/\\evil" are refused). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 500 ? next : '/'
}
