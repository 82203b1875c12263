// What every service gets: the store, the criteria catalog, access rules, the clock and config.
import type { Config } from '../config.js'
import type { Store } from '../repositories/types.js'
import type { Access } from './access.js'
import { actorName, type Actor } from './actor.js'
import type { Scoring } from './scoring.js'
import type { AuditContext } from '../repositories/types.js'
import type { WorkerPools } from '../workers/pool.js'

export interface ServiceContext {
  store: Store
  scoring: Scoring
  access: Access
  config: Config
  now: () => Date
  /** Worker threads for heavy work (null: in-process, e.g. an in-memory database). */
  pools: WorkerPools | null
}

export function auditOf(ctx: ServiceContext, actor: Actor | string, action: string): AuditContext {
  return { actor: typeof actor === 'string' ? actor : actorName(actor), at: ctx.now(), action }
}
