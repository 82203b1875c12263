// Console accounts and their invitations. Disabling an account ends its sessions in the same
// transaction, so a disabled person's open tab stops working at once.
import { and, asc, count, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { invitations, sessions, users } from '../../db/schema.js'
import type { Page, Paged, Role, User, UserScope, UsersRepo } from '../types.js'
import { writeAudit } from './audit.js'
import { uniqueOr } from './unique.js'
import { subtreeIds } from './units.js'

const cols = {
  id: users.id, username: users.username, displayName: users.displayName, role: users.role, unitId: users.unitId, schoolId: users.schoolId,
  createdBy: users.createdBy, createdAt: users.createdAt, disabledAt: users.disabledAt, passwordHash: users.passwordHash,
}
type Row = Omit<User, 'hasPassword' | 'role'> & { role: string; passwordHash: string | null }

function toUser(r: Row): User {
  const { passwordHash, ...rest } = r
  return { ...rest, role: r.role as Role, hasPassword: passwordHash !== null }
}

/** The accounts a reviewer manages: reviewers of its subtree, schools whose latest membership is there. */
function scopeWhere(scope: UserScope): SQL | undefined {
  if (scope.kind === 'all') return undefined
  return or(
    and(eq(users.role, 'reviewer'), sql`${users.unitId} IN ${subtreeIds(scope.unitId)}`),
    and(eq(users.role, 'school'), sql`${users.schoolId} IN (SELECT su.school_id FROM school_units su WHERE su.unit_id IN ${subtreeIds(scope.unitId)}
      AND su.from_year = (SELECT max(s2.from_year) FROM school_units s2 WHERE s2.school_id = su.school_id))`),
  )
}

export function usersRepo(db: Db): UsersRepo {
  const byId = db.select(cols).from(users).where(eq(users.id, sql.placeholder('id'))).prepare()
  const byName = db.select(cols).from(users).where(sql`lower(${users.username}) = lower(${sql.placeholder('username')})`).prepare()
  const get = (id: string): User | null => { const r = byId.get({ id }) as Row | undefined; return r ? toUser(r) : null }
  return {
    async create(u, audit) {
      return db.transaction(() => {
        uniqueOr('user', () => db.insert(users).values(u).run())
        const created = get(u.id) as User
        writeAudit(db, audit, 'user', u.id, null, created)
        return created
      })
    },
    async byId(id) { return get(id) },
    async byUsername(username) {
      const r = byName.get({ username }) as Row | undefined
      return r ? { user: toUser(r), passwordHash: r.passwordHash } : null
    },
    async list(scope, page: Page): Promise<Paged<User>> {
      const where = scopeWhere(scope)
      const rows = db.select(cols).from(users).where(where).orderBy(asc(users.username)).limit(page.limit).offset(page.offset).all() as Row[]
      const total = db.select({ n: count() }).from(users).where(where).get()?.n ?? 0
      return { items: rows.map(toUser), total }
    },
    async setPassword(id, passwordHash, audit) {
      return db.transaction(() => {
        db.update(users).set({ passwordHash }).where(eq(users.id, id)).run()
        // A new password ends the other sessions (a password changed because it leaked).
        db.delete(sessions).where(eq(sessions.userId, id)).run()
        const after = get(id) as User
        writeAudit(db, audit, 'user', id, null, { passwordChanged: true })
        return after
      })
    },
    async disable(id, audit) {
      return db.transaction(() => {
        const before = get(id) as User
        if (before.disabledAt === null) db.update(users).set({ disabledAt: audit.at }).where(eq(users.id, id)).run()
        db.delete(sessions).where(eq(sessions.userId, id)).run()
        db.update(invitations).set({ usedAt: audit.at }).where(and(eq(invitations.userId, id), isNull(invitations.usedAt))).run()
        // The API keys the person created in the console, and those minted from them, die too.
        const revoked = db.all(sql`WITH RECURSIVE k(id) AS (
            SELECT id FROM api_keys WHERE created_by = ${before.role + ':user:' + id}
            UNION SELECT a.id FROM api_keys a JOIN k ON a.minted_by = k.id)
          UPDATE api_keys SET revoked_at = ${audit.at.getTime()} WHERE id IN (SELECT id FROM k) AND revoked_at IS NULL RETURNING id`) as { id: string }[]
        const after = get(id) as User
        writeAudit(db, audit, 'user', id, before, { ...after, keysRevoked: revoked.map((r) => r.id) })
        return after
      })
    },
    async invite(userId, tokenHash, expiresAt, audit) {
      db.transaction(() => {
        db.update(invitations).set({ usedAt: audit.at }).where(and(eq(invitations.userId, userId), isNull(invitations.usedAt))).run()
        db.insert(invitations).values({ tokenHash, userId, createdBy: audit.actor, createdAt: audit.at, expiresAt }).run()
        writeAudit(db, audit, 'user', userId, null, { invitationExpiresAt: expiresAt.toISOString() })
      })
    },
    async invitation(tokenHash, now) {
      const r = db.select({ userId: invitations.userId, expiresAt: invitations.expiresAt }).from(invitations)
        .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.usedAt), gt(invitations.expiresAt, now))).get()
      return r ?? null
    },
    async acceptInvitation(tokenHash, passwordHash, audit) {
      return db.transaction(() => {
        const inv = db.select({ userId: invitations.userId }).from(invitations)
          .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.usedAt), gt(invitations.expiresAt, audit.at))).get()
        if (!inv) return null
        const u = get(inv.userId)
        if (!u || u.disabledAt !== null) return null
        db.update(invitations).set({ usedAt: audit.at }).where(eq(invitations.tokenHash, tokenHash)).run()
        db.update(users).set({ passwordHash }).where(eq(users.id, inv.userId)).run()
        writeAudit(db, audit, 'user', inv.userId, null, { passwordSet: true, via: 'invitation' })
        return get(inv.userId)
      })
    },
  }
}
