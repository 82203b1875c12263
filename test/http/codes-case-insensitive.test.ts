// Unit codes and school MOET codes are unique whatever their case: "hn" beside "HN", "s1" beside
// "S1" would be two records to the store and one to people. Lookups stay exact (a code is written
// as it was created: /v1/schools/s1 is 404 when the school is S1).
import t from 'tap'
import { harness } from './app.js'

t.test('a unit code differing only in case is refused (409), naming the existing code', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.admin, 'POST', '/v1/units', { code: 'hn', name: 'Hà Nội (trùng)', type: 'province', fromYear: '2020-2021' })
  t.equal(res.statusCode, 409)
  t.equal(h.json(res).error.code, 'UNIT_EXISTS')
  t.same(h.json(res).error.details, { existing: 'HN' })
  t.match(h.json(res).error.message, /"HN"/)
  const below = await h.req(h.keys.reviewerLB, 'POST', '/v1/units', { code: 'lb-w1', name: 'Phường (trùng)', type: 'ward', parentCode: 'LB', fromYear: '2020-2021' })
  t.equal(h.json(below).error?.code, 'UNIT_EXISTS', 'lb-w1 beside LB-W1 too')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/units/hn')).statusCode, 404, 'lookups stay exact')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/units?within=HN')).statusCode, 200)
  t.notOk((h.json(await h.req(h.keys.admin, 'GET', '/v1/units')).items as { code: string }[]).some((u) => u.code === 'hn' || u.code === 'lb-w1'), 'nothing created')
})

t.test('a school code differing only in case is refused, one by one and in a CSV', async (t) => {
  const h = await harness(t)
  const body = { moetCode: 's1', name: 'Trường trùng mã', levels: ['TH'], ownership: 'public', unitCode: 'LB-W1', fromYear: '2024-2025' }
  const res = await h.req(h.keys.admin, 'POST', '/v1/schools', body)
  t.equal(res.statusCode, 409)
  t.equal(h.json(res).error.code, 'SCHOOL_EXISTS')
  t.same(h.json(res).error.details, { existing: 'S1' })
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/s1')).statusCode, 404, 'lookups stay exact: s1 is not S1, and was not created')

  const header = 'moetCode,name,levels,ownership,unitCode,fromYear\n'
  const csv = `${header}s2,Trường A,TH,public,LB-W1,2024-2025\nX7,Trường B,TH,public,LB-W1,2024-2025\nx7,Trường C,TH,public,LB-W1,2024-2025\n`
  const imp = await h.req(h.keys.admin, 'POST', '/v1/schools/import', csv, { 'content-type': 'text/csv' })
  t.equal(imp.statusCode, 400)
  t.same(h.json(imp).error.details.errors.map((e: { line: number; code: string }) => `${e.line} ${e.code}`), ['2 SCHOOL_EXISTS', '4 DUPLICATE_IN_FILE'],
    's2 is S2; x7 repeats X7 two lines up')
  t.match(h.json(imp).error.details.errors[1].message, /X7.*dòng 3/)
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/schools/X7')).statusCode, 404, 'nothing imported')
})

t.test('the store refuses them too (a request that passed the check at the same moment)', async (t) => {
  const h = await harness(t)
  const store = h.app.services.ctx.store
  const lb = await store.units.byCode('LB-W1')
  await t.rejects(store.schools.create({ moetCode: 's9', name: 'Trường', levels: ['TH'], ownership: 'public', unitId: lb!.id, fromYear: 2024 },
    { actor: 'test', at: new Date(), action: 'school.create' }), { name: 'DuplicateKeyError' })
  const out = await store.schools.createMany([{ moetCode: 's9', name: 'Trường', levels: ['TH'], ownership: 'public', unitId: lb!.id, fromYear: 2024 }],
    { actor: 'test', at: new Date(), action: 'school.import' })
  t.same(out, { ok: false, conflicts: [{ index: 0, moetCode: 's9' }] }, 'an import reports it as a conflict, not a crash')
})
