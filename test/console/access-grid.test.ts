// The access grid through the console: the same Access rules as the API decide every page and
// action (the console has no rule of its own). Like test/http/access-grid.test.ts:
//   1. every console route of the router is in CONSOLE_ROUTES, classified (a new page cannot be left out);
//   2. signed out: every page sends to /login, every action is refused, nothing changes;
//   3. S1's submitted assessment × every person: outside their scope (another school, another
//      province's officer) every page and action of the assessment is 404 and nothing changes; inside,
//      the pages open;
//   4. the office pages of a school or unit outside one's scope: 404 (or 403 for a role that never
//      may), nothing changed.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { dbHash } from '../support/db-state.js'
import { act, exampleFacts, harness, startAssessment, type Harness } from '../http/app.js'
import { routesFromTree } from '../http/route-table.js'
import { PASSWORD, PEOPLE, type Person } from './support/browser.js'

type Kind = 'anonymous' | 'page' | 'action' | 'assessment-page' | 'assessment-action'
/** Every console route and what it is: pages and actions of an assessment take S1's assessment id. */
const CONSOLE_ROUTES: Record<string, Kind> = {
  'GET /login': 'anonymous', 'POST /login': 'anonymous', 'POST /logout': 'anonymous', 'GET /invite/:token': 'anonymous', 'POST /invite/:token': 'anonymous', 'GET /assets/:file': 'anonymous',
  'GET /': 'page', 'GET /account': 'page', 'POST /account/password': 'action', 'POST /account/keys': 'action',
  'GET /school': 'page', 'POST /school/assessments': 'action',
  'GET /assessments/:id': 'assessment-page', 'POST /assessments/:id': 'assessment-action', 'POST /assessments/:id/preview': 'assessment-action',
  'POST /assessments/:id/documents': 'assessment-action', 'POST /assessments/:id/links': 'assessment-action', 'GET /assessments/:id/documents/:docId': 'assessment-page',
  'GET /assessments/:id/check': 'assessment-page', 'POST /assessments/:id/submit': 'assessment-action', 'GET /assessments/:id/sheet': 'assessment-page',
  'GET /dashboard': 'page', 'GET /review': 'page', 'POST /review/bulk': 'action',
  'GET /review/:id': 'assessment-page', 'GET /review/:id/approve': 'assessment-page', 'POST /review/:id/approve': 'assessment-action', 'POST /review/:id/return': 'assessment-action',
  'POST /review/:id/revoke': 'assessment-action', 'POST /review/:id/publish': 'assessment-action', 'GET /review/:id/external': 'assessment-page', 'POST /review/:id/external': 'assessment-action',
  'GET /schools': 'page', 'GET /schools/import': 'page', 'POST /schools/import': 'action', 'GET /schools/:code': 'page', 'POST /schools/:code/move': 'action',
  'GET /periods': 'page', 'POST /periods': 'action', 'GET /periods/:id': 'page', 'POST /periods/:id/deadlines': 'action', 'POST /periods/:id/extensions': 'action', 'GET /exports': 'page',
  'GET /criteria': 'page', 'GET /criteria/import': 'page', 'POST /criteria/import': 'action', 'GET /criteria/:id/:version': 'page', 'POST /criteria/:id/:version/publish': 'action', 'POST /criteria/:id/:version/withdraw': 'action',
  'GET /units': 'page', 'POST /units': 'action',
  'GET /accounts': 'page', 'POST /accounts': 'action', 'POST /accounts/:id/reinvite': 'action', 'GET /accounts/:id/disable': 'page', 'POST /accounts/:id/disable': 'action',
  'GET /keys': 'page', 'GET /keys/:id/revoke': 'page', 'POST /keys/:id/revoke': 'action',
}

const NOT_CONSOLE = /^(\/v1\/|\/docs|\/health$|\/ready$)/
const form = (o: Record<string, string>) => new URLSearchParams(o).toString()
const cookieOf = (res: LightMyRequestResponse, name: string) => [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith(`${name}=`))?.split(';')[0]
/** The database but the sessions table (signing in writes it). */
const hashOf = (conn: { sqlite: import('better-sqlite3').Database }) => { const { sessions: _s, ...rest } = dbHash(conn); return rest }

async function signedIn(h: Harness, who: Person): Promise<{ cookie: string; csrf: string }> {
  const f = await h.app.inject({ url: '/login' })
  const login = cookieOf(f, 'cds_login') as string
  const res = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: login, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: /name="_csrf" value="([^"]+)"/.exec(f.body)?.[1] ?? '', username: PEOPLE[who].username, password: PASSWORD }) })
  const cookie = cookieOf(res, 'cds_session') as string
  const page = await h.app.inject({ url: '/account', headers: { cookie } })
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '' }
}

t.test('every console route is classified, and the table is the router', async (t) => {
  const h = await harness(t, { seed: false })
  const routed = routesFromTree(h.app.printRoutes({ commonPrefix: false })).filter((r) => !NOT_CONSOLE.test(r.split(' ')[1] ?? ''))
  t.same([...routed].sort(), Object.keys(CONSOLE_ROUTES).sort(), 'CONSOLE_ROUTES lists exactly the console routes of the router')
})

t.test('signed out: every page asks to sign in, every action is refused, nothing changes', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const before = hashOf(store.connection)
  for (const [route, kind] of Object.entries(CONSOLE_ROUTES)) {
    if (kind === 'anonymous') continue
    const [method, path] = route.split(' ') as [string, string]
    const url = path.replace(':id', 'x1').replace(':code', 'S1').replace(':version', 'v1').replace(':docId', 'd1')
    const res = await h.app.inject({ method: method as 'GET', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...(method === 'POST' ? { payload: form({ _csrf: 'x' }) } : {}) })
    if (method === 'GET') t.same([res.statusCode, res.headers.location], [303, `/login?next=${encodeURIComponent(url)}`], `${route}: to the sign-in page, and back here afterwards`)
    else t.equal(res.statusCode, 403, `${route}: refused (no session, no valid form token)`)
  }
  t.same(hashOf(store.connection), before, 'nothing changed')
})

t.test('S1\'s submitted assessment × every person: outside the scope 404 and nothing changes; inside, the pages open', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  for (const p of Object.keys(PEOPLE) as Person[]) await h.app.services.users.createWithPassword(PEOPLE[p], PASSWORD)
  const { id, version } = await startAssessment(h)
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })
  t.equal((await act(h, h.keys.schoolS1, id, h.json(saved).version, 'submit')).statusCode, 200, 'submitted')
  const current = h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`)).version as number
  // A payload that would be a legal change for the right person: the version, a reason, a fact.
  const payload = (csrf: string) => form({ _csrf: csrf, version: String(current), reason: 'Bổ sung minh chứng 1.3', title: 'Kế hoạch', url: 'https://truong.example/kh.pdf', 'fact-subjects_total': '12', ids: id, [`version-${id}`]: String(current), action: 'approve' })
  const assessmentRoutes = Object.entries(CONSOLE_ROUTES).filter(([, k]) => k.startsWith('assessment-'))
  const before = hashOf(store.connection)
  for (const who of ['schoolS2', 'schoolS9', 'reviewerQN'] as Person[]) {
    const s = await signedIn(h, who)
    for (const [route] of assessmentRoutes) {
      const [method, path] = route.split(' ') as [string, string]
      const url = path.replace(':id', id).replace(':docId', 'd1')
      const multipart = route.endsWith('/documents') && method === 'POST'
      const res = multipart
        ? await h.app.inject({ method: 'POST', url: `${url}?_csrf=${s.csrf}`, headers: { cookie: s.cookie, 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nKế hoạch\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--x--\r\n' })
        : await h.app.inject({ method: method as 'GET', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, ...(method === 'POST' ? { payload: payload(s.csrf) } : {}) })
      // The officer's review pages refuse a school's account by its role alone, whatever the id (403
      // tells nothing of what exists); everything else answers as if the assessment did not exist.
      const want = who.startsWith('school') && path.startsWith('/review/') ? 403 : 404
      t.equal(res.statusCode, want, `${route} × ${who} (outside its scope) → ${want}`)
    }
  }
  t.same(hashOf(store.connection), before, 'no refused action changed anything (audit log included)')
  for (const who of ['schoolS1', 'reviewerLB', 'reviewerHN', 'admin'] as Person[]) {
    const s = await signedIn(h, who)
    for (const path of [`/assessments/${id}`, `/assessments/${id}/check`, `/assessments/${id}/sheet`, ...(who === 'schoolS1' ? [] : [`/review/${id}`])]) {
      const res = await h.app.inject({ url: path, headers: { cookie: s.cookie } })
      t.equal(res.statusCode, 200, `GET ${path} × ${who} (in scope) → 200`)
    }
  }
  // Bulk approval names the assessment in its body: outside the scope it is refused per item.
  const qn = await signedIn(h, 'reviewerQN')
  await h.app.inject({ method: 'POST', url: '/review/bulk', headers: { cookie: qn.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: payload(qn.csrf) })
  t.equal(h.json(await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`)).state, 'submitted', 'bulk approve by another province\'s officer left it submitted')
})

t.test('office pages outside one\'s scope: 404 (403 for a role that never may), nothing changed', async (t) => {
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  for (const p of ['schoolS1', 'schoolS9', 'reviewerQN', 'reviewerLB'] as Person[]) await h.app.services.users.createWithPassword(PEOPLE[p], PASSWORD)
  const before = hashOf(store.connection)
  const qn = await signedIn(h, 'reviewerQN')
  const s1 = await signedIn(h, 'schoolS1')
  const s9 = await signedIn(h, 'schoolS9')
  const get = (s: { cookie: string }, url: string) => h.app.inject({ url, headers: { cookie: s.cookie } })
  const post = (s: { cookie: string; csrf: string }, url: string, body: Record<string, string>) => h.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: s.csrf, ...body }) })
  t.equal((await get(qn, '/schools/S1')).statusCode, 404, 'a Quảng Ninh officer does not see a Hà Nội school')
  t.equal((await post(qn, '/schools/S1/move', { unitCode: 'QN', fromYear: '2025-2026' })).statusCode, 404, '…nor moves it')
  t.equal((await get(qn, `/periods/${h.periodId}`)).statusCode, 404, '…nor sees Hà Nội\'s period')
  t.equal((await post(qn, `/periods/${h.periodId}/extensions`, { schoolCode: 'S1', until: '2025-06-30', reason: 'x' })).statusCode, 404, '…nor extends it')
  t.equal((await get(s1, '/schools/S2')).statusCode, 404, 'a school does not see another school')
  t.equal((await get(s9, `/periods/${h.periodId}`)).statusCode, 404, 'a Quảng Ninh school does not see Hà Nội\'s period')
  t.equal((await post(s1, '/school/assessments', { periodId: 'khong-co' })).statusCode, 404, 'an unknown period: 404')
  for (const url of ['/accounts', '/keys']) t.equal((await get(s1, url)).statusCode, 403, `${url}: a school never manages accounts or keys`)
  t.equal((await post(s1, '/accounts', { username: 'x-s2', displayName: 'x', role: 'school', schoolCode: 'S2' })).statusCode, 403, 'nor creates them')
  t.same(hashOf(store.connection), before, 'nothing changed')
})
