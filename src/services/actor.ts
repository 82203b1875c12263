// Who is calling: an API key with a role and, for reviewers and schools, the unit or school it is
// bound to. Keys are random; only their sha256 is stored.
import { createHash, randomBytes } from 'node:crypto'
import type { ApiKey, Role, User } from '../repositories/types.js'

/** `keyId` names the credential: an API key's id, or `user:<id>` for a person signed in to the
 *  console (then `userId` is set). */
export interface Actor { keyId: string; role: Role; unitId: number | null; schoolId: number | null; label: string; userId?: string }

export const KEY_PREFIX = 'cds_'

export function newKeySecret(): string {
  return KEY_PREFIX + randomBytes(24).toString('base64url')
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function actorOfUser(u: User): Actor {
  return { keyId: `user:${u.id}`, role: u.role, unitId: u.unitId, schoolId: u.schoolId, label: u.username, userId: u.id }
}

export function actorOf(k: ApiKey): Actor {
  return { keyId: k.id, role: k.role, unitId: k.unitId, schoolId: k.schoolId, label: k.label }
}

/** How an actor is written in the audit log. */
export function actorName(a: Actor): string {
  return `${a.role}:${a.keyId} (${a.label})`
}
