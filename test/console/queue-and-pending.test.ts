// The review queue's order comes from the store (submitted first, then by the period's deadline),
// a page at a time; the dashboard's "not submitted" list shows an extended deadline.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { act, exampleFacts, harness, startAssessment } from '../http/app.js'
import { PASSWORD, PEOPLE } from './support/browser.js'

const form = (o: Record<string, string>) => new URLSearchParams(o).toString()
const cookieOf = (res: LightMyRequestResponse, name: string) => [res.headers['set-cookie']].flat().map(String).find((c) => c.startsWith(`${name}=`))?.split(';')[0]

t.test('queue order and the extended deadline of a school that has not submitted', async (t) => {
  const h = await harness(t)
  await h.app.services.users.createWithPassword(PEOPLE.reviewerLB, PASSWORD)
  const f = await h.app.inject({ url: '/login' })
  const res = await h.app.inject({ method: 'POST', url: '/login', headers: { cookie: cookieOf(f, 'cds_login') as string, 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ _csrf: /name="_csrf" value="([^"]+)"/.exec(f.body)?.[1] ?? '', username: PEOPLE.reviewerLB.username, password: PASSWORD }) })
  const cookie = cookieOf(res, 'cds_session') as string
  // S1 (code first) a draft; S2 submitted: S2 heads the queue although S1 sorts first by code.
  const s1 = await startAssessment(h)
  const s2 = await startAssessment(h, h.keys.schoolS2, 'S2')
  const saved = await h.req(h.keys.schoolS2, 'PATCH', `/v1/assessments/${s2.id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${s2.version}"` })
  t.equal((await act(h, h.keys.schoolS2, s2.id, h.json(saved).version, 'submit')).statusCode, 200)
  const queue = await h.app.inject({ url: '/review', headers: { cookie } })
  const ids = [...queue.body.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1])
  t.same(ids, [s2.id, s1.id], 'submitted first, then the rest')
  // An extension for S1 to 15/06/2025: the dashboard shows it beside S1, the period's 31/05 elsewhere.
  const ext = await h.req(h.keys.admin, 'POST', `/v1/periods/${h.periodId}/extensions`, { schoolCode: 'S1', until: '2025-06-15T16:59:59Z', reason: 'Mất điện kéo dài' })
  t.equal(ext.statusCode, 201)
  const dash = await h.app.inject({ url: `/dashboard?unit=LB&period=${h.periodId}`, headers: { cookie } })
  const pending = /<table id="pending-table">([\s\S]*?)<\/table>/.exec(dash.body)?.[1] ?? ''
  t.match(pending, /Trường THCS Ngọc Thụy<\/a><\/th><td>S1<\/td><td>LB-W1<\/td><td><span class="tag draft">Đang nhập<\/span><\/td><td>15\/06\/2025<\/td>/, 'S1: its draft and its extended deadline (23:59 on 15/06 in Vietnam)')
  t.notMatch(pending, /S2/, 'S2 has submitted: not listed')
})
