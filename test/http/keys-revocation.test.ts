// M5: revoking a key revokes the keys minted from it, transitively (a stolen reviewer key's
// offspring stop working with it), and a reviewer may not revoke a peer's key of its own unit.
import t from 'tap'
import { harness, type Harness } from './app.js'

async function mint(h: Harness, key: string, body: Record<string, string>): Promise<{ key: string; id: string }> {
  const res = await h.req(key, 'POST', '/v1/keys', body)
  if (res.statusCode !== 201) throw new Error(`mint: ${res.statusCode} ${res.body}`)
  return { key: h.json(res).key, id: h.json(res).record.id }
}
const me = async (h: Harness, key: string) => (await h.req(key, 'GET', '/v1/me')).statusCode
const idOf = async (h: Harness, key: string) => h.json(await h.req(key, 'GET', '/v1/me')).id as string

t.test('the keys a revoked key minted, and theirs, stop working with it', async (t) => {
  const h = await harness(t)
  // The stolen key (reviewerLB) mints a reviewer key of LB-W1 and a school key; that one mints another.
  const ward = await mint(h, h.keys.reviewerLB, { role: 'reviewer', label: 'kẻ gian: phường', unitCode: 'LB-W1' })
  const s1 = await mint(h, h.keys.reviewerLB, { role: 'school', label: 'kẻ gian: S1', schoolCode: 'S1' })
  const s2 = await mint(h, ward.key, { role: 'school', label: 'kẻ gian: S2', schoolCode: 'S2' })
  for (const k of [ward, s1, s2]) t.equal(await me(h, k.key), 200, 'works before')

  const lb = await idOf(h, h.keys.reviewerLB)
  const res = await h.req(h.keys.admin, 'DELETE', `/v1/keys/${lb}`)
  t.equal(res.statusCode, 200)
  t.ok(h.json(res).revokedAt, 'the key itself is revoked')
  t.same(h.json(res).alsoRevoked.map((k: { id: string }) => k.id), [ward.id, s1.id, s2.id], 'and its offspring, listed in the answer')
  t.ok(h.json(res).alsoRevoked.every((k: { revokedAt: string | null }) => k.revokedAt !== null))
  for (const k of [ward, s1, s2]) t.equal(await me(h, k.key), 401, 'a minted key no longer authenticates')
  t.equal(await me(h, h.keys.reviewerLB), 401)
  t.equal(await me(h, h.keys.schoolS1), 200, 'keys the admin minted for the same school are untouched')
  t.equal(await me(h, h.keys.reviewerHN), 200)

  const audit = await h.app.services.ctx.store.audit.list('api-key', s2.id)
  const entries = (Array.isArray(audit) ? audit : (audit as { items: { action: string }[] }).items) as { action: string }[]
  t.ok(entries.some((e) => e.action === `key.revoke.minted-by:${lb}`), 'the audit says which revocation took it')
})

t.test('keepMinted (admin only) revokes one key; revoking it again takes what it minted', async (t) => {
  const h = await harness(t)
  const child = await mint(h, h.keys.reviewerLB, { role: 'school', label: 'S1 mới', schoolCode: 'S1' })
  const lb = await idOf(h, h.keys.reviewerLB)
  const refused = await h.req(h.keys.reviewerHN, 'DELETE', `/v1/keys/${lb}?keepMinted=true`)
  t.equal(refused.statusCode, 403, 'a reviewer may not keep the minted keys')
  t.equal(await me(h, h.keys.reviewerLB), 200, 'and nothing was revoked')
  const alone = await h.req(h.keys.admin, 'DELETE', `/v1/keys/${lb}?keepMinted=true`)
  t.equal(alone.statusCode, 200)
  t.same(h.json(alone).alsoRevoked, [])
  t.equal(await me(h, h.keys.reviewerLB), 401)
  t.equal(await me(h, child.key), 200, 'the minted key kept working (as before this version, for keys revoked then)')
  const again = await h.req(h.keys.admin, 'DELETE', `/v1/keys/${lb}`)
  t.same(h.json(again).alsoRevoked.map((k: { id: string }) => k.id), [child.id], 'revoking again revokes it')
  t.equal(await me(h, child.key), 401)
})

t.test('a key revoked while a mint is under way mints nothing', async (t) => {
  const h = await harness(t)
  const { keys, ctx } = h.app.services
  const actor = await keys.authenticate(h.keys.reviewerLB)
  t.ok(actor, 'authenticated (the auth hook ran)')
  await ctx.store.keys.revokeWithMinted(actor!.keyId, { actor: 'test', at: ctx.now(), action: 'key.revoke' })
  await t.rejects(keys.create(actor!, { role: 'school', label: 'muộn', schoolCode: 'S1' }), { statusCode: 401, code: 'UNAUTHENTICATED' })
  const all = await ctx.store.keys.list({ kind: 'all' }, { limit: 500, offset: 0 })
  t.notOk(all.items.some((k) => k.label === 'muộn'), 'no key was created')
})

t.test('a reviewer may not revoke a peer\'s key of its own unit', async (t) => {
  const h = await harness(t)
  const peer = await mint(h, h.keys.admin, { role: 'reviewer', label: 'Phòng GDĐT Long Biên (cán bộ 2)', unitCode: 'LB' })
  const res = await h.req(h.keys.reviewerLB, 'DELETE', `/v1/keys/${peer.id}`)
  t.equal(res.statusCode, 403)
  t.equal(h.json(res).error.code, 'FORBIDDEN')
  t.equal(await me(h, peer.key), 200, 'the peer\'s key still works')

  const below = await mint(h, h.keys.admin, { role: 'reviewer', label: 'Phường Ngọc Thụy', unitCode: 'LB-W1' })
  t.equal((await h.req(h.keys.reviewerLB, 'DELETE', `/v1/keys/${below.id}`)).statusCode, 200, 'a key of a unit below: yes')
  const own = await mint(h, h.keys.reviewerLB, { role: 'reviewer', label: 'cán bộ 3 (do LB cấp)', unitCode: 'LB' })
  t.equal((await h.req(h.keys.reviewerLB, 'DELETE', `/v1/keys/${own.id}`)).statusCode, 200, 'a key of its own unit it minted itself: yes')
  t.equal((await h.req(h.keys.reviewerHN, 'DELETE', `/v1/keys/${peer.id}`)).statusCode, 200, 'the unit above revokes the peer')
  t.equal(await me(h, peer.key), 401)
  const self = await h.req(h.keys.reviewerLB, 'DELETE', `/v1/keys/${await idOf(h, h.keys.reviewerLB)}`)
  t.equal(self.statusCode, 200, 'a reviewer may revoke its own key (e.g. when it thinks it leaked)')
  t.equal(await me(h, h.keys.reviewerLB), 401)
})
