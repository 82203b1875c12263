// Console sessions: a random id in an HttpOnly cookie, its sha256 in the database with the CSRF
// token of the session's forms. A session ends when idle for config.sessionIdleMs, after
// config.sessionMaxMs in any case, at logout, and when its account is disabled.
import { createHash, randomBytes } from 'node:crypto'
import type { SessionRecord, User } from '../repositories/types.js'
import type { ServiceContext } from './context.js'

const hash = (id: string) => createHash('sha256').update(id).digest('hex')
/** lastSeenAt is written at most this often: a page view is not a write. */
const TOUCH_EVERY_MS = 60_000
/** Session ids are 32 random bytes in base64url (43 characters). */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/

export interface ActiveSession { record: SessionRecord; user: User }

export class SessionsService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A new session for the user (the caller drops the previous one: the id rotates at sign-in). */
  async start(user: User): Promise<{ id: string; csrf: string }> {
    const id = randomBytes(32).toString('base64url')
    const csrf = randomBytes(24).toString('base64url')
    const now = this.ctx.now()
    await this.ctx.store.sessions.create({ idHash: hash(id), userId: user.id, csrf, createdAt: now, lastSeenAt: now })
    return { id, csrf }
  }

  /** The session of a cookie value if it is still alive, its account enabled. */
  async resolve(id: string | undefined): Promise<ActiveSession | null> {
    if (id === undefined || !ID_PATTERN.test(id)) return null
    const record = await this.ctx.store.sessions.byIdHash(hash(id))
    if (!record) return null
    const now = this.ctx.now().getTime()
    if (now - record.lastSeenAt.getTime() > this.ctx.config.sessionIdleMs || now - record.createdAt.getTime() > this.ctx.config.sessionMaxMs) {
      await this.ctx.store.sessions.delete(record.idHash)
      return null
    }
    const user = await this.ctx.store.users.byId(record.userId)
    if (!user || user.disabledAt !== null) return null
    if (now - record.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.ctx.store.sessions.touch(record.idHash, new Date(now))
    return { record, user }
  }

  async end(id: string | undefined): Promise<void> {
    if (id !== undefined && ID_PATTERN.test(id)) await this.ctx.store.sessions.delete(hash(id))
  }

  /** Removes dead sessions (called now and then; a dead one is refused at resolve anyway). */
  async sweep(): Promise<number> {
    const now = this.ctx.now().getTime()
    return this.ctx.store.sessions.deleteExpired(new Date(now - this.ctx.config.sessionMaxMs), new Date(now - this.ctx.config.sessionIdleMs))
  }
}
