// Console sessions, stored server-side (the cookie holds only a random id).
import { eq, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.js'
import { sessions } from '../../db/schema.js'
import type { SessionRecord, SessionsRepo } from '../types.js'

export function sessionsRepo(db: Db): SessionsRepo {
  // Every console request reads its session: prepared once.
  const byId = db.select().from(sessions).where(eq(sessions.idHash, sql.placeholder('idHash'))).prepare()
  return {
    async create(s) { db.insert(sessions).values(s).run() },
    async byIdHash(idHash) { return (byId.get({ idHash }) as SessionRecord | undefined) ?? null },
    async touch(idHash, at) { db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.idHash, idHash)).run() },
    async delete(idHash) { db.delete(sessions).where(eq(sessions.idHash, idHash)).run() },
    async deleteExpired(createdBefore, idleBefore) {
      return db.delete(sessions).where(or(lt(sessions.createdAt, createdBefore), lt(sessions.lastSeenAt, idleBefore))).run().changes
    },
  }
}
