// API keys: issued by an admin (any role) or a reviewer (for its own subtree's schools and units),
// shown once, stored as sha256, revocable.
import { randomUUID } from 'node:crypto'
import type { ApiKey, Role, School } from '../repositories/types.js'
import { actorOf, hashKey, newKeySecret, type Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { forbidden, invalid, notFound } from './errors.js'

export interface KeyInput { role: Role; label: string; unitCode?: string; schoolCode?: string }

export class KeysService {
  constructor(private readonly ctx: ServiceContext) {}

  async authenticate(secret: string): Promise<Actor | null> {
    const k = await this.ctx.store.keys.byHash(hashKey(secret))
    return k && k.revokedAt === null ? actorOf(k) : null
  }

  /** `actor` is null for the bootstrap command run on the server itself. */
  async create(actor: Actor | null, input: KeyInput): Promise<{ key: string; record: ApiKey }> {
    if (actor) this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'issuing keys')
    if (input.role === 'admin' && actor && actor.role !== 'admin') throw forbidden('only an admin issues admin keys')
    let unitId: number | null = null
    let schoolId: number | null = null
    if (input.role === 'reviewer') {
      if (!input.unitCode || input.schoolCode) throw invalid('KEY_SCOPE', 'a reviewer key is bound to a unit: give unitCode (and no schoolCode)', '/unitCode')
      const u = await this.ctx.store.units.byCode(input.unitCode)
      if (!u || (actor && !(await this.ctx.access.unitVisible(actor, u.id)))) throw notFound('unit', input.unitCode, '/unitCode')
      unitId = u.id
    } else if (input.role === 'school') {
      if (!input.schoolCode || input.unitCode) throw invalid('KEY_SCOPE', 'a school key is bound to a school: give schoolCode (and no unitCode)', '/schoolCode')
      const s = await this.ctx.store.schools.byCode(input.schoolCode)
      if (!s || (actor && !(await this.ctx.access.schoolVisible(actor, s)))) throw notFound('school', input.schoolCode, '/schoolCode')
      if (actor) await this.ctx.access.requireSchoolManaged(actor, s, 'issuing a key for a school')
      schoolId = s.id
    } else if (input.unitCode || input.schoolCode) {
      throw invalid('KEY_SCOPE', 'an admin key is not bound to a unit or school', input.unitCode ? '/unitCode' : '/schoolCode')
    }
    const key = newKeySecret()
    const record = await this.ctx.store.keys.create({
      id: randomUUID(), hash: hashKey(key), role: input.role, unitId, schoolId, label: input.label.normalize('NFC'),
      createdBy: actor ? `${actor.role}:${actor.keyId}` : 'cli', createdAt: this.ctx.now(), revokedAt: null,
    }, auditOf(this.ctx, actor ?? 'cli', 'key.create'))
    return { key, record }
  }

  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'revoking keys')
    const k = await this.ctx.store.keys.byId(id)
    if (!k || !(await this.inScope(actor, k))) throw notFound('key', id, '/id')
    if (k.schoolId !== null) await this.ctx.access.requireSchoolManaged(actor, await this.ctx.store.schools.byId(k.schoolId) as School, 'revoking a school\'s key')
    return (await this.ctx.store.keys.revoke(id, auditOf(this.ctx, actor, 'key.revoke'))) as ApiKey
  }

  private async inScope(actor: Actor, k: ApiKey): Promise<boolean> {
    if (actor.role === 'admin') return true
    if (k.role === 'admin') return false
    if (k.unitId !== null) return this.ctx.access.unitVisible(actor, k.unitId)
    const s = await this.ctx.store.schools.byId(k.schoolId as number)
    return s !== null && this.ctx.access.schoolVisible(actor, s)
  }
}
