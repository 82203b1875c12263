// API keys: issued by an admin (any role) or a reviewer (for its own subtree's schools and units),
// shown once, stored as sha256, revocable. Each key records the key that minted it; revoking a key
// revokes the keys minted from it, transitively (a stolen key's offspring die with it).
import { randomUUID } from 'node:crypto'
import type { ApiKey, KeyScope, Page, Paged, Role, School } from '../repositories/types.js'
import { actorOf, hashKey, newKeySecret, type Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, forbidden, invalid, notFound } from './errors.js'

export interface KeyInput { role: Role; label: string; unitCode?: string; schoolCode?: string }

export class KeysService {
  constructor(private readonly ctx: ServiceContext) {}

  async authenticate(secret: string): Promise<Actor | null> {
    const k = await this.ctx.store.keys.byHash(hashKey(secret))
    return k && k.revokedAt === null ? actorOf(k) : null
  }

  /** `actor` is null for the bootstrap command run on the server itself. */
  async create(actor: Actor | null, input: KeyInput): Promise<{ key: string; record: ApiKey }> {
    const { unitId, schoolId } = await this.ctx.access.credentialScope(actor, input, 'issuing keys')
    // The minting key may have been revoked after this request authenticated (between the auth
    // hook and here): checked again right before the insert, with no I/O in between, so a
    // revocation can never miss a key minted from it.
    if (actor?.userId !== undefined) {
      // A person signed in to the console: the account must still be enabled.
      const me = await this.ctx.store.users.byId(actor.userId)
      if (!me || me.disabledAt !== null) throw new AppError(401, 'UNAUTHENTICATED', 'tài khoản này đã bị vô hiệu hóa; không thể cấp khóa mới (this account was disabled)')
    } else if (actor) {
      const me = await this.ctx.store.keys.byId(actor.keyId)
      if (!me || me.revokedAt !== null) throw new AppError(401, 'UNAUTHENTICATED', 'khóa này vừa bị thu hồi; không thể cấp khóa mới (this key was revoked)')
    }
    return this.insert(actor, { role: input.role, unitId, schoolId, label: input.label })
  }

  /** A key for a person signed in to the console, with exactly the account's role and scope (a
   *  school person too: its scripts act for its own school). It dies with the account (disable). */
  async createOwn(actor: Actor, label: string): Promise<{ key: string; record: ApiKey }> {
    if (actor.userId === undefined) throw forbidden('an API key issues keys through POST /v1/keys')
    const me = await this.ctx.store.users.byId(actor.userId)
    if (!me || me.disabledAt !== null) throw new AppError(401, 'UNAUTHENTICATED', 'tài khoản này đã bị vô hiệu hóa; không thể cấp khóa mới (this account was disabled)')
    return this.insert(actor, { role: me.role, unitId: me.unitId, schoolId: me.schoolId, label })
  }

  /** The new key's secret (shown once) and its record; only its sha256 is stored. A key minted by
   *  a key records it (mintedBy); one made in the console or by the CLI records none. */
  private async insert(actor: Actor | null, k: { role: Role; unitId: number | null; schoolId: number | null; label: string }): Promise<{ key: string; record: ApiKey }> {
    const key = newKeySecret()
    const record = await this.ctx.store.keys.create({
      id: randomUUID(), hash: hashKey(key), role: k.role, unitId: k.unitId, schoolId: k.schoolId, label: k.label.normalize('NFC'),
      createdBy: actor ? `${actor.role}:${actor.keyId}` : 'cli', mintedBy: actor && actor.userId === undefined ? actor.keyId : null, createdAt: this.ctx.now(), revokedAt: null,
    }, auditOf(this.ctx, actor ?? 'cli', 'key.create'))
    return { key, record }
  }

  /** Revokes the key and the keys minted from it, transitively (`keepMinted`, an admin only: this
   *  key alone, e.g. to retire the bootstrap key without taking every key it issued with it).
   *  Revoking an already revoked key again revokes what it minted that is still active. */
  async revoke(actor: Actor, id: string, opts: { keepMinted?: boolean } = {}): Promise<{ key: ApiKey; alsoRevoked: ApiKey[] }> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'revoking keys')
    const k = await this.ctx.store.keys.byId(id)
    if (!k || !(await this.inScope(actor, k))) throw notFound('key', id, '/id')
    if (actor.role === 'reviewer') await this.requireRevocable(actor, k)
    const audit = auditOf(this.ctx, actor, 'key.revoke')
    if (opts.keepMinted) {
      if (actor.role !== 'admin') throw forbidden('chỉ quản trị viên mới thu hồi một khóa mà giữ lại các khóa nó đã cấp (keepMinted needs an admin key)')
      return { key: (await this.ctx.store.keys.revoke(id, audit)) as ApiKey, alsoRevoked: [] }
    }
    return (await this.ctx.store.keys.revokeWithMinted(id, audit)) as { key: ApiKey; alsoRevoked: ApiKey[] }
  }

  /** What a reviewer may revoke (of the keys it sees): itself, the keys it minted, reviewer keys of
   *  units strictly below its own, and school keys of the schools it manages. A peer's key of the
   *  same unit is not its to revoke (403): one officer's key must not lock out the others. */
  private async requireRevocable(actor: Actor, k: ApiKey): Promise<void> {
    if (k.id === actor.keyId || k.mintedBy === actor.keyId) return
    if (k.role === 'reviewer' && k.unitId === actor.unitId) {
      throw forbidden('không thể thu hồi khóa của một cán bộ khác cùng đơn vị; hãy nhờ đơn vị cấp trên hoặc quản trị viên (a peer\'s key of the same unit)')
    }
    if (k.schoolId !== null) await this.ctx.access.requireSchoolManaged(actor, await this.ctx.store.schools.byId(k.schoolId) as School, 'revoking a school\'s key')
  }

  /** Admin: every key; reviewer: the keys it may revoke (requireRevocable); a school key: 403. */
  async list(actor: Actor, page: Page): Promise<Paged<ApiKey>> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'listing keys')
    const scope: KeyScope = actor.role === 'admin' ? { kind: 'all' } : { kind: 'reviewer', keyId: actor.keyId, unitId: actor.unitId as number }
    return this.ctx.store.keys.list(scope, page)
  }

  private async inScope(actor: Actor, k: ApiKey): Promise<boolean> {
    if (actor.role === 'admin') return true
    if (k.role === 'admin') return false
    if (k.unitId !== null) return this.ctx.access.unitVisible(actor, k.unitId)
    const s = await this.ctx.store.schools.byId(k.schoolId as number)
    return s !== null && this.ctx.access.schoolVisible(actor, s)
  }
}
