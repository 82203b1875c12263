// Sign-in and out, the invitation link, my account (password, an API key in my own scope).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FixedWindowLimiter } from '../../http/plugins/security.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { errorText, ROLE_LABELS } from '../messages.js'
import { fieldErrors, noticeOf, redirect, sendPage } from '../reply.js'
import { cookieOptions, LOGIN_COOKIE, loginToken, safeNext, session, sessionView, SESSION_COOKIE } from '../session.js'
import { accountPage, invitePage, loginPage } from '../views/auth.js'
import type { FieldError } from '../views/layout.js'

type Body = Record<string, string | undefined>
const str = (v: unknown, max = 500): string => (typeof v === 'string' ? v.slice(0, max) : '')

export async function authRoutes(app: FastifyInstance, { services, now }: { services: Services; now: () => number }): Promise<void> {
  const { config } = services.ctx
  // Failed sign-ins per account and per address; a success is never counted nor refused by them.
  const perAccount = new FixedWindowLimiter(config.loginFailuresPerAccount, config.loginFailureWindowS, now)
  const perAddress = new FixedWindowLimiter(config.loginFailuresPerAddress, config.loginFailureWindowS, now)
  const anonymous = { config: { anonymous: true } }
  const loginForm = { config: { anonymous: true, loginForm: true } }

  app.get('/login', anonymous, async (request, reply) => {
    if (request.console) return redirect(reply, '/')
    const q = request.query as Body
    return sendPage(reply, loginPage({ csrf: loginToken(config, request, reply), next: safeNext(q.next), username: '', errors: [], notice: noticeOf(q) }))
  })

  app.post('/login', loginForm, async (request, reply) => {
    const b = request.body as Body
    const username = str(b.username, 64).trim()
    const password = str(b.password, 1000)
    const next = safeNext(b.next)
    const again = (status: number, errors: FieldError[]) => sendPage(reply, loginPage({ csrf: loginToken(config, request, reply), next, username, errors, notice: null }), status)
    if (username === '' || password === '') {
      return again(400, [...(username === '' ? [{ field: 'username', text: 'Nhập tên đăng nhập.' }] : []), ...(password === '' ? [{ field: 'password', text: 'Nhập mật khẩu.' }] : [])])
    }
    const account = username.toLowerCase()
    const wait = perAccount.blocked(account) ?? perAddress.blocked(request.ip)
    if (wait !== null) {
      reply.header('retry-after', String(wait))
      return again(429, [{ field: 'username', text: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${Math.ceil(wait / 60)} phút.` }])
    }
    const user = await services.users.authenticate(username, password)
    if (!user) {
      perAccount.hit(account)
      perAddress.hit(request.ip)
      return again(401, [{ field: 'username', text: 'Tên đăng nhập hoặc mật khẩu không đúng.' }])
    }
    // The session id rotates at sign-in: whatever session this browser had ends here.
    await services.sessions.end(request.cookies[SESSION_COOKIE])
    const s = await services.sessions.start(user)
    void reply.setCookie(SESSION_COOKIE, s.id, cookieOptions(config, request))
    void reply.clearCookie(LOGIN_COOKIE, { path: '/' })
    request.log.info({ user: user.username }, 'console sign-in')
    return redirect(reply, next)
  })

  app.post('/logout', anonymous, async (request, reply) => {
    await services.sessions.end(request.cookies[SESSION_COOKIE])
    void reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return redirect(reply, '/login?notice=logged-out')
  })

  app.get('/invite/:token', anonymous, async (request, reply) => {
    const token = (request.params as { token: string }).token
    const user = await services.users.invitation(token)
    if (!user) throw new AppError(410, 'INVITATION_EXPIRED', 'invitation expired')
    return sendPage(reply, invitePage({ csrf: loginToken(config, request, reply), token, displayName: user.displayName, username: user.username, errors: [] }))
  })

  app.post('/invite/:token', loginForm, async (request, reply) => {
    const token = (request.params as { token: string }).token
    const b = request.body as Body
    const user = await services.users.invitation(token)
    if (!user) throw new AppError(410, 'INVITATION_EXPIRED', 'invitation expired')
    const password = str(b.password, 1000)
    const errors = confirmErrors(password, str(b.confirm, 1000))
    if (errors.length === 0) {
      try {
        await services.users.acceptInvitation(token, password)
        return redirect(reply, '/login?notice=password-set')
      } catch (e) { errors.push(...fieldErrors(e, () => 'password')) }
    }
    return sendPage(reply, invitePage({ csrf: loginToken(config, request, reply), token, displayName: user.displayName, username: user.username, errors }), 400)
  })

  const scopeText = (request: FastifyRequest) => { const s = session(request); return `${ROLE_LABELS[s.user.role]}${s.scopeLabel ? ` — ${s.scopeLabel}` : ''}` }

  app.get('/account', async (request, reply) => {
    return sendPage(reply, accountPage({ session: sessionView(session(request)) as never, errors: [], notice: noticeOf(request.query), newKey: null, keyScope: scopeText(request) }))
  })

  app.post('/account/password', async (request, reply) => {
    const s = session(request)
    const b = request.body as Body
    const password = str(b.password, 1000)
    const errors = confirmErrors(password, str(b.confirm, 1000))
    if (errors.length === 0) {
      try {
        await services.users.changePassword(s.actor, str(b.current, 1000), password)
        // Every session of the account ended with the change; this browser signs in again.
        void reply.clearCookie(SESSION_COOKIE, { path: '/' })
        return redirect(reply, '/login?notice=password-changed')
      } catch (e) { errors.push(...fieldErrors(e, (p) => (p === '/current' ? 'current' : 'password'))) }
    }
    return sendPage(reply, accountPage({ session: sessionView(s) as never, errors, notice: null, newKey: null, keyScope: scopeText(request) }), 400)
  })

  app.post('/account/keys', async (request, reply) => {
    const s = session(request)
    const label = str((request.body as Body).label, 1000).trim()
    const errors: FieldError[] = []
    if (label === '' || label.length > 200) errors.push({ field: 'label', text: 'Đặt cho khóa một tên gợi nhớ (1–200 ký tự).' })
    let newKey: string | null = null
    if (errors.length === 0) {
      try {
        newKey = (await services.keys.createOwn(s.actor, `${label} (${s.user.username})`)).key
      } catch (e) { errors.push({ field: 'label', text: errorText(e) }) }
    }
    return sendPage(reply, accountPage({ session: sessionView(s) as never, errors, notice: null, newKey, keyScope: scopeText(request) }), errors.length ? 400 : 200)
  })
}

function confirmErrors(password: string, confirm: string): FieldError[] {
  if (password === '') return [{ field: 'password', text: 'Nhập mật khẩu mới.' }]
  if (password !== confirm) return [{ field: 'confirm', text: 'Hai lần nhập mật khẩu không giống nhau.' }]
  return []
}
