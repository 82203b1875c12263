// GET /v1/keys: who minted what, paged; an admin sees every key, a reviewer exactly the keys it may
// revoke, a school key gets 403; secrets and their hashes are never in it.
import t from 'tap'
import { harness, type Harness } from './app.js'

interface KeyItem { id: string; role: string; label: string; unitCode: string | null; schoolCode: string | null; mintedBy: { id: string; role: string; label: string } | null; createdAt: string; revokedAt: string | null }
const list = async (h: Harness, key: string, query = '') => {
  const res = await h.req(key, 'GET', `/v1/keys${query}`)
  t.equal(res.statusCode, 200, `GET /v1/keys${query}`)
  return { ...(h.json(res) as { items: KeyItem[]; total: number }), body: res.body }
}
const labels = (items: KeyItem[]) => items.map((k) => k.label)
const SEEDED = ['test admin', 'Sở GDĐT Hà Nội', 'Phòng GDĐT Long Biên', 'Sở GDĐT Quảng Ninh', 'S1 IT lead', 'S2 IT lead', 'S3 IT lead', 'S9 IT lead']

t.test('an admin lists every key, oldest first, with who minted it; no secret or hash', async (t) => {
  const h = await harness(t)
  const all = await list(h, h.keys.admin)
  t.same(labels(all.items), SEEDED, 'in the order they were created')
  t.equal(all.total, 8)
  const adminId = all.items[0]!.id
  t.equal(all.items[0]!.mintedBy, null, 'the bootstrap key came from the CLI')
  t.same(all.items[2]!.mintedBy, { id: adminId, role: 'admin', label: 'test admin' }, 'the others from the admin key')
  t.same(Object.keys(all.items[4]!).sort(), ['createdAt', 'id', 'label', 'mintedBy', 'revokedAt', 'role', 'schoolCode', 'unitCode'])
  t.equal(all.items[4]!.schoolCode, 'S1')
  t.equal(all.items[2]!.unitCode, 'LB')
  for (const secret of Object.values(h.keys)) t.notOk(all.body.includes(secret.slice(4)), 'no secret in the listing')
  t.notMatch(all.body, /hash|[0-9a-f]{64}/, 'no hash')

  const page = await list(h, h.keys.admin, '?limit=3&offset=3')
  t.same(labels(page.items), SEEDED.slice(3, 6))
  t.equal(page.total, 8, 'the total of every page')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/keys?limit=501')).statusCode, 400, 'a page is at most 500')

  await h.req(h.keys.admin, 'DELETE', `/v1/keys/${all.items[7]!.id}`)
  t.ok((await list(h, h.keys.admin)).items[7]!.revokedAt, 'revoked keys stay listed, with revokedAt')
})

t.test('a reviewer lists the keys it may revoke', async (t) => {
  const h = await harness(t)
  const mint = async (key: string, body: Record<string, string>) => h.json(await h.req(key, 'POST', '/v1/keys', body)).record.id as string
  await mint(h.keys.admin, { role: 'reviewer', label: 'LB cán bộ 2', unitCode: 'LB' })
  await mint(h.keys.admin, { role: 'reviewer', label: 'LB-W1 (admin cấp)', unitCode: 'LB-W1' })
  const mine = await mint(h.keys.reviewerLB, { role: 'reviewer', label: 'LB cán bộ 3 (LB cấp)', unitCode: 'LB' })
  const lb = await list(h, h.keys.reviewerLB)
  // Itself, S1's and S2's school keys, the LB-W1 key, the key it minted — not HN's, QN's, S3's,
  // S9's, the admin's, nor the peer of LB the admin minted.
  t.same(labels(lb.items), ['Phòng GDĐT Long Biên', 'S1 IT lead', 'S2 IT lead', 'LB-W1 (admin cấp)', 'LB cán bộ 3 (LB cấp)'])
  t.equal(lb.total, 5)
  const lbId = lb.items[0]!.id
  t.same(lb.items.find((k) => k.id === mine)?.mintedBy, { id: lbId, role: 'reviewer', label: 'Phòng GDĐT Long Biên' })

  const hn = await list(h, h.keys.reviewerHN)
  t.same(labels(hn.items), ['Sở GDĐT Hà Nội', 'Phòng GDĐT Long Biên', 'S1 IT lead', 'S2 IT lead', 'S3 IT lead', 'LB cán bộ 2', 'LB-W1 (admin cấp)', 'LB cán bộ 3 (LB cấp)'])
  t.same(labels((await list(h, h.keys.reviewerQN)).items), ['Sở GDĐT Quảng Ninh', 'S9 IT lead'])

  // Each listed key the reviewer may revoke; the peer it does not see it may not.
  for (const k of lb.items.slice(1)) t.equal((await h.req(h.keys.reviewerLB, 'DELETE', `/v1/keys/${k.id}`)).statusCode, 200, `LB revokes ${k.label}`)
})

t.test('a school key may not list keys', async (t) => {
  const h = await harness(t)
  const res = await h.req(h.keys.schoolS1, 'GET', '/v1/keys')
  t.equal(res.statusCode, 403)
  t.equal(h.json(res).error.code, 'FORBIDDEN')
  t.equal((await h.req(null, 'GET', '/v1/keys')).statusCode, 401)
})
