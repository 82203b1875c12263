// Accounts, sessions and the console's guards, through HTTP (inject): sign-in limits, CSRF, the
// return address after sign-in, session expiry, password change, the scope rule for new accounts,
// disabling (sessions and the person's API keys end), invitations, and `cds create-user`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { runServiceCommand } from '../../src/cli/service-commands.js'
import { actorOfUser } from '../../src/services/actor.js'
import { safeNext } from '../../src/console/session.js'
import { harness, type Harness } from '../http/app.js'

const PW = 'mat-khau-rat-dai-2025'
const form = (o: Record<string, string>) => new URLSearchParams(o).toString()
const cookieOf = (res: LightMyRequestResponse, name: string) => [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith(`${name}=`))?.split(';')[0]
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? ''

async function loginForm(h: Harness) {
  const res = await h.app.inject({ url: '/login' })
  return { cookie: cookieOf(res, 'cds_login') as string, csrf: csrfOf(res.body) }
}

async function signIn(h: Harness, username: string, password = PW, headers: Record<string, string> = {}) {
  const f = await loginForm(h)
  return h.app.inject({ method: 'POST', url: '/login', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: form({ _csrf: f.csrf, username, password, next: '/account' }) })
}

async function session(h: Harness, username: string) {
  const res = await signIn(h, username)
  if (res.statusCode !== 303) throw new Error(`sign-in ${username}: ${res.statusCode}`)
  const cookie = cookieOf(res, 'cds_session') as string
  const page = await h.app.inject({ url: '/account', headers: { cookie } })
  return { cookie, csrf: csrfOf(page.body) }
}

async function people(h: Harness) {
  const u = h.app.services.users
  const admin = await u.createWithPassword({ username: 'quantri', displayName: 'Quản trị', role: 'admin' }, PW)
  const lb = await u.createWithPassword({ username: 'phong-lb', displayName: 'Phòng LB', role: 'reviewer', unitCode: 'LB' }, PW)
  const s1 = await u.createWithPassword({ username: 'truong-s1', displayName: 'Trường S1', role: 'school', schoolCode: 'S1' }, PW)
  return { admin, lb, s1 }
}

t.test('sign-in: wrong password 401, limited per account with a Vietnamese wait, the right one then too', async (t) => {
  const h = await harness(t, { })
  await people(h)
  const bad = await signIn(h, 'truong-s1', 'sai-mat-khau-nhe')
  t.equal(bad.statusCode, 401)
  t.match(bad.body, 'Tên đăng nhập hoặc mật khẩu không đúng')
  const unknown = await signIn(h, 'khong-co-ai', 'sai-mat-khau-nhe')
  t.equal(unknown.statusCode, 401, 'an unknown username answers exactly as a wrong password')
  t.match(unknown.body, 'Tên đăng nhập hoặc mật khẩu không đúng')
  // LOGIN_FAILURES_PER_ACCOUNT defaults to 10: 9 more failures reach it.
  for (let i = 0; i < 9; i++) await signIn(h, 'TRUONG-S1', 'sai-mat-khau-nhe')
  const limited = await signIn(h, 'truong-s1', PW)
  t.equal(limited.statusCode, 429, 'past the limit even the right password waits (the account is under attack)')
  t.match(limited.body, /Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau \d+ phút/)
  t.ok(Number(limited.headers['retry-after']) > 0)
  const other = await signIn(h, 'phong-lb')
  t.equal(other.statusCode, 303, 'another account from the same address still signs in')
  h.clock.set('2025-04-15T03:16:00Z')
  t.equal((await signIn(h, 'truong-s1')).statusCode, 303, 'after the window (900 s) the account signs in again')
})

t.test('sign-in: empty fields, the CSRF double-submit, and where it goes afterwards', async (t) => {
  const h = await harness(t)
  await people(h)
  const f = await loginForm(h)
  const empty = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: f.csrf, username: '', password: '' }) })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, 'Nhập tên đăng nhập.')
  t.match(empty.body, 'Nhập mật khẩu.')
  const noToken = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ username: 'quantri', password: PW }) })
  t.equal(noToken.statusCode, 403, 'no token: refused')
  t.match(noToken.body, 'Biểu mẫu đã hết hạn')
  t.notOk(cookieOf(noToken, 'cds_session'), 'and no session')
  const crossSite = await signIn(h, 'quantri', PW, { 'sec-fetch-site': 'cross-site' })
  t.equal(crossSite.statusCode, 403, 'a cross-site post is refused')
  const ok = await signIn(h, 'quantri')
  t.equal(ok.headers.location, '/account', 'back to the page asked for')
  t.equal(safeNext('//evil.example/x'), '/', 'never to another site')
  t.equal(safeNext('/\\evil.example'), '/')
  t.equal(safeNext('https://evil.example'), '/')
  t.equal(safeNext('/review?period=p1'), '/review?period=p1')
  const again = await h.app.inject({ url: '/login', headers: { cookie: cookieOf(ok, 'cds_session') as string } })
  t.equal(again.statusCode, 303, 'signed in: /login goes home')
})

t.test('sessions: the id rotates at sign-in, idle and absolute expiry, CSRF on every form, sign-out', async (t) => {
  const h = await harness(t)
  await people(h)
  const first = await session(h, 'truong-s1')
  const f = await loginForm(h)
  const second = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: `${f.cookie}; ${first.cookie}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: f.csrf, username: 'truong-s1', password: PW }) })
  const rotated = cookieOf(second, 'cds_session') as string
  t.not(rotated, first.cookie, 'a new id at sign-in')
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: first.cookie } })).statusCode, 303, 'the old id is dead')
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: rotated } })).statusCode, 200)
  const s = await session(h, 'truong-s1')
  const post = (csrf: string | undefined, extra: Record<string, string> = {}) => h.app.inject({ method: 'POST', url: '/account/keys', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', ...extra }, payload: form({ ...(csrf === undefined ? {} : { _csrf: csrf }), label: 'x' }) })
  t.equal((await post(undefined)).statusCode, 403, 'a form without the token')
  t.equal((await post('sai')).statusCode, 403, 'a wrong token')
  t.equal((await post(rotated)).statusCode, 403, 'another session\'s token')
  t.equal((await post(s.csrf, { 'sec-fetch-site': 'cross-site' })).statusCode, 403, 'cross-site')
  t.equal((await post(s.csrf)).statusCode, 200, 'the session\'s own token')
  // Idle: 120 min without a request.
  h.clock.set('2025-04-15T05:01:00Z')
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: s.cookie } })).statusCode, 303, 'idle past 120 min: signed out')
  // Absolute: 12 h, however busy.
  h.clock.set('2025-04-15T06:00:00Z')
  const busy = await session(h, 'truong-s1')
  for (const at of ['2025-04-15T07:30:00Z', '2025-04-15T09:00:00Z', '2025-04-15T10:30:00Z', '2025-04-15T12:00:00Z', '2025-04-15T13:30:00Z', '2025-04-15T15:00:00Z', '2025-04-15T16:30:00Z', '2025-04-15T17:59:00Z']) {
    h.clock.set(at)
    t.equal((await h.app.inject({ url: '/account', headers: { cookie: busy.cookie } })).statusCode, 200, `busy at ${at}`)
  }
  h.clock.set('2025-04-15T18:01:00Z')
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: busy.cookie } })).statusCode, 303, 'past 12 h after sign-in: signed out')
  // A dead session met at a request is deleted then; the one never used again (rotated, idle since
  // 03:00) is still stored until the sweep.
  t.equal(await h.app.services.sessions.sweep(), 1, 'the sweep removes the dead session nobody came back to')
  const last = await session(h, 'truong-s1')
  const out = await h.app.inject({ method: 'POST', url: '/logout', headers: { cookie: last.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: last.csrf }) })
  t.equal(out.headers.location, '/login?notice=logged-out')
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: last.cookie } })).statusCode, 303, 'signed out')
})

t.test('password change: the current one is checked, the new one too; every session ends', async (t) => {
  const h = await harness(t)
  await people(h)
  const a = await session(h, 'truong-s1')
  const b = await session(h, 'truong-s1')
  const change = (current: string, password: string, confirm = password) => h.app.inject({ method: 'POST', url: '/account/password', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: a.csrf, current, password, confirm }) })
  const wrong = await change('sai-mat-khau-nhe', 'mat-khau-moi-2026')
  t.equal(wrong.statusCode, 400)
  t.match(wrong.body, 'mật khẩu hiện tại không đúng')
  t.match((await change(PW, 'ngan')).body, 'Mật khẩu cần ít nhất 10 ký tự.')
  t.match((await change(PW, 'mat-khau-moi-2026', 'khac-nhau-2026')).body, 'Hai lần nhập mật khẩu không giống nhau.')
  const ok = await change(PW, 'mat-khau-moi-2026')
  t.equal(ok.headers.location, '/login?notice=password-changed')
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: b.cookie } })).statusCode, 303, 'the other session ended too')
  t.equal((await signIn(h, 'truong-s1', 'mat-khau-moi-2026')).statusCode, 303, 'the new password works')
  t.equal((await signIn(h, 'truong-s1', PW)).statusCode, 401, 'the old one no longer')
})

t.test('new accounts follow the keys\' scope rule; usernames are unique whatever their case', async (t) => {
  const h = await harness(t)
  const { admin, lb } = await people(h)
  const u = h.app.services.users
  const asLb = actorOfUser(lb)
  const made = await u.invite(asLb, { username: 'hieu-pho-s2', displayName: 'Hiệu phó S2', role: 'school', schoolCode: 'S2' })
  t.equal(made.user.hasPassword, false, 'an invited account has no password until the person sets one')
  await t.rejects(u.invite(asLb, { username: 'x-s9', displayName: 'S9', role: 'school', schoolCode: 'S9' }), { statusCode: 404, message: /./ }, 'a school outside the unit: as if it did not exist')
  await t.rejects(u.invite(asLb, { username: 'x-admin', displayName: 'A', role: 'admin' }), { statusCode: 403, message: /./ }, 'only an admin makes an admin')
  await t.rejects(u.invite(asLb, { username: 'x-qn', displayName: 'QN', role: 'reviewer', unitCode: 'QN' }), { statusCode: 404, message: /./ })
  await t.rejects(u.invite(asLb, { username: 'HIEU-PHO-S2', displayName: 'again', role: 'school', schoolCode: 'S2' }), { code: 'USERNAME_TAKEN' })
  await t.rejects(u.invite(asLb, { username: 'có dấu', displayName: 'x', role: 'school', schoolCode: 'S2' }), { code: 'INVALID_USERNAME' })
  await t.rejects(u.invite(actorOfUser(made.user), { username: 'x-s1', displayName: 'x', role: 'school', schoolCode: 'S1' }), { statusCode: 403, message: /./ }, 'a school creates no accounts')
  const listed = await u.list(asLb, { limit: 50, offset: 0 })
  t.same(listed.items.map((x) => x.username).sort(), ['hieu-pho-s2', 'phong-lb', 'truong-s1'], 'a reviewer lists the accounts of its subtree, itself included')
  t.equal((await u.list(actorOfUser(admin), { limit: 50, offset: 0 })).total, 4)
  await t.rejects(u.disable(asLb, lb.id), { statusCode: 403, message: /./ }, 'nobody disables their own account')
})

t.test('disabling ends the sessions and revokes the API keys the person made', async (t) => {
  const h = await harness(t)
  const { admin, s1 } = await people(h)
  const s = await session(h, 'truong-s1')
  const made = await h.app.inject({ method: 'POST', url: '/account/keys', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, label: 'đồng bộ' }) })
  const key = /cds_[A-Za-z0-9_-]+/.exec(made.body)?.[0] as string
  t.equal((await h.req(key, 'GET', '/v1/assessments')).statusCode, 200, 'the key works, as the school')
  t.equal((await h.req(key, 'POST', '/v1/keys', { role: 'school', label: 'x', schoolCode: 'S1' })).statusCode, 403, 'and has the school\'s role only')
  await h.app.services.users.disable(actorOfUser(admin), s1.id)
  t.equal((await h.app.inject({ url: '/account', headers: { cookie: s.cookie } })).statusCode, 303, 'the session ended')
  t.equal((await h.req(key, 'GET', '/v1/assessments')).statusCode, 401, 'the key is revoked')
  t.equal((await signIn(h, 'truong-s1')).statusCode, 401, 'and the account no longer signs in')
  await t.rejects(h.app.services.users.reinvite(actorOfUser(admin), s1.id), { code: 'USER_DISABLED' })
})

t.test('invitations: one use, a limited time; a new one ends the old', async (t) => {
  const h = await harness(t)
  const { admin } = await people(h)
  const u = h.app.services.users
  const first = await u.invite(actorOfUser(admin), { username: 'can-bo-hn', displayName: 'Cán bộ Sở', role: 'reviewer', unitCode: 'HN' })
  const second = await u.reinvite(actorOfUser(admin), first.user.id)
  t.equal((await h.app.inject({ url: `/invite/${first.token}` })).statusCode, 410, 'the first link ended when a new one was made')
  const page = await h.app.inject({ url: `/invite/${second.token}` })
  t.equal(page.statusCode, 200)
  t.match(page.body, 'can-bo-hn')
  h.clock.set('2025-04-18T03:00:01Z') // 72 h and a second later
  t.equal((await h.app.inject({ url: `/invite/${second.token}` })).statusCode, 410, 'expired after INVITATION_TTL_HOURS')
  await t.rejects(u.acceptInvitation(second.token, 'mat-khau-moi-2026'), { code: 'INVITATION_EXPIRED' })
})

t.test('a browser\'s wrong address gets a Vietnamese page; an API client JSON', async (t) => {
  const h = await harness(t)
  const page = await h.app.inject({ url: '/khong-co-trang-nay', headers: { accept: 'text/html' } })
  t.equal(page.statusCode, 404)
  t.match(page.headers['content-type'], 'text/html')
  t.match(page.body, 'Không có trang nào ở địa chỉ này')
  const api = await h.app.inject({ url: '/v1/khong-co', headers: { accept: 'text/html' } })
  t.equal(JSON.parse(api.body).error.code, 'ROUTE_NOT_FOUND')
})

t.test('cds create-user reads the password from standard input, never argv', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-create-user-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const out: string[] = []
  const err: string[] = []
  const io = (pw: string) => ({ out: (s: string) => { out.push(s) }, err: (s: string) => { err.push(s) }, stdin: async () => pw })
  t.equal(await runServiceCommand('create-user', ['--username', 'quantri', '--role', 'admin', '--name', 'Quản trị'], io(PW), { DATA_DIR: dir }), 0)
  t.match(out.join('\n'), 'Đã tạo tài khoản admin "quantri" (Quản trị)')
  t.equal(await runServiceCommand('create-user', ['--username', 'khac', '--role', 'admin'], io('ngan'), { DATA_DIR: dir }), 1)
  t.match(err.join('\n'), 'WEAK_PASSWORD: Mật khẩu cần ít nhất 10 ký tự.')
  t.equal(await runServiceCommand('create-user', ['--role', 'admin'], io(PW), { DATA_DIR: dir }), 2, 'no username: usage')
  t.equal(await runServiceCommand('create-user', ['--username', 'x-school', '--role', 'school', '--school', 'KHONG'], io(PW), { DATA_DIR: dir }), 1, 'an unknown school')
})

t.test('the session cookie is Secure over https: always, or auto behind a trusted proxy saying https', async (t) => {
  const { buildApp } = await import('../../src/app.js')
  const cookieFlags = async (config: Record<string, unknown>, headers: Record<string, string>) => {
    const app = await buildApp({ logger: false, config: { dbFile: ':memory:', workerThreads: 0, ...config } })
    t.teardown(() => app.close())
    await app.services.users.createWithPassword({ username: 'quantri', displayName: 'Q', role: 'admin' }, PW)
    const f = await app.inject({ url: '/login', headers })
    const login = cookieOf(f, 'cds_login') as string
    const res = await app.inject({ method: 'POST', url: '/login', headers: { ...headers, cookie: login, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: csrfOf(f.body), username: 'quantri', password: PW }) })
    return [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith('cds_session=')) ?? ''
  }
  t.notMatch(await cookieFlags({}, {}), /Secure/, 'auto over plain http: not Secure (a school network without TLS still signs in)')
  t.match(await cookieFlags({ cookieSecure: 'always' }, {}), /; Secure/, 'always')
  t.match(await cookieFlags({ trustProxy: ['127.0.0.1'] }, { 'x-forwarded-proto': 'https' }), /; Secure/, 'auto, through a trusted proxy that says https')
  t.notMatch(await cookieFlags({}, { 'x-forwarded-proto': 'https' }), /Secure/, 'an untrusted X-Forwarded-Proto is not believed')
  const always = await cookieFlags({ cookieSecure: 'always' }, {})
  t.match(always, /; HttpOnly/)
  t.match(always, /; SameSite=Lax/)
})
