import { createHash } from 'node:crypto'
import { and, asc, count, eq, sql } from 'drizzle-orm'
import type Database from 'better-sqlite3'
import type { Db } from '../../db/connection.js'
import { auditLog } from '../../db/schema.js'
import type { AuditContext, AuditEntry, AuditRepo } from '../types.js'

function prepareInsert(db: Db) {
  const p = (name: string) => sql.placeholder(name)
  return db.insert(auditLog).values({ at: p('at'), actor: p('actor'), action: p('action'), entityType: p('entityType'), entityId: p('entityId'), before: p('before'), after: p('after') }).prepare()
}
// Every change writes one: prepared once per connection.
const inserts = new WeakMap<Db, ReturnType<typeof prepareInsert>>()

/** writeAudit's row through better-sqlite3 directly, for bulk writes (a 20,000-school import):
 *  drizzle's per-row mapping costs more than the insert. */
export function auditWriter(raw: Database.Database): (ctx: AuditContext, entityType: string, entityId: string, before: unknown, after: unknown) => void {
  const st = raw.prepare('INSERT INTO audit_log (at, actor, action, entity_type, entity_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v))
  return (ctx, entityType, entityId, before, after) => { st.run(ctx.at.getTime(), ctx.actor, ctx.action, entityType, entityId, json(before), json(after)) }
}

/** Called inside the transaction of the change it records. */
export function writeAudit(db: Db, ctx: AuditContext, entityType: string, entityId: string, before: unknown, after: unknown): void {
  let insert = inserts.get(db)
  if (!insert) inserts.set(db, (insert = prepareInsert(db)))
  insert.run({ at: ctx.at, actor: ctx.actor, action: ctx.action, entityType, entityId, before: before ?? null, after: after ?? null })
}

/** Entries written before audit diffs held whole facts on both sides: read as diffs too (the diff
 *  of a diff is itself, so new entries pass through unchanged). */
function asDiff(e: AuditEntry): AuditEntry {
  if (e.entityType !== 'assessment') return e
  const [before, after] = auditDiff(e.before, e.after)
  return { ...e, before, after }
}

export function auditRepo(db: Db): AuditRepo {
  const where = (entityType: string, entityId: string) => and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))
  return {
    async list(entityType, entityId) {
      const rows = db.select().from(auditLog).where(where(entityType, entityId)).orderBy(asc(auditLog.id)).all()
      return (rows as AuditEntry[]).map(asDiff)
    },
    async page(entityType, entityId, page) {
      // Oldest first by id: entries are only ever appended, so paging by offset visits each once.
      const rows = db.select().from(auditLog).where(where(entityType, entityId)).orderBy(asc(auditLog.id)).limit(page.limit).offset(page.offset).all()
      const total = db.select({ n: count() }).from(auditLog).where(where(entityType, entityId)).get()?.n ?? 0
      return { items: (rows as AuditEntry[]).map(asDiff), total }
    },
  }
}

// ---- the audit record of an assessment change: a diff ----
//
// Each side holds the workflow fields (state, version, complete: a few bytes), the description and
// return reason only when they changed, and of the facts (and the reviewers' externalFacts) only
// the ones that changed: `before.facts` the old value of each changed or removed fact, `after.facts`
// the new value of each changed or added one. A fact only in `after.facts` was added, only in
// `before.facts` removed. A whole-facts copy per save (~35 KB with large document facts, 62 saves/s
// from one key) filled the disk and the audit read exhausted the heap.

/** A fact value whose JSON is longer is replaced by a stub (its size and hash) in the audit. */
export const AUDIT_MAX_VALUE_CHARS = 4096
/** The facts of one side of an entry beyond this many JSON characters are all stubbed. */
export const AUDIT_MAX_FACTS_CHARS = 65_536

const FACT_FIELDS = ['facts', 'externalFacts'] as const
const ALWAYS = ['state', 'version', 'complete'] as const
const IF_CHANGED = ['description', 'returnReason'] as const

type Side = Record<string, unknown>

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]))
  }
  return false
}

function stub(json: string): Record<string, unknown> {
  // What was there, without it: its length in JSON characters and its hash (to compare with a copy).
  return { $omitted: json.length, sha256: createHash('sha256').update(json).digest('hex') }
}

/** Bounds one side's facts: long values stubbed, and every value when the whole is still too long. */
function bounded(facts: Side): Side {
  const out: Side = {}
  let total = 2
  for (const [k, v] of Object.entries(facts)) {
    const json = JSON.stringify(v) ?? 'null'
    out[k] = json.length > AUDIT_MAX_VALUE_CHARS ? stub(json) : v
    total += k.length + 4 + Math.min(json.length, AUDIT_MAX_VALUE_CHARS)
  }
  if (total <= AUDIT_MAX_FACTS_CHARS) return out
  for (const [k, v] of Object.entries(facts)) out[k] = stub(JSON.stringify(v) ?? 'null')
  return out
}

/** The changed facts of two fact maps, as [old values, new values]. */
function factsDiff(before: unknown, after: unknown): [Side, Side] {
  const b = isObject(before) ? before : {}
  const a = isObject(after) ? after : {}
  const was: Side = {}
  const now: Side = {}
  for (const [k, v] of Object.entries(b)) {
    if (!Object.hasOwn(a, k)) was[k] = v
    else if (!same(v, a[k])) { was[k] = v; now[k] = a[k] }
  }
  for (const [k, v] of Object.entries(a)) if (!Object.hasOwn(b, k)) now[k] = v
  return [bounded(was), bounded(now)]
}

/**
 * The diff form of an assessment's audit record from the two records (either may be null: a
 * create has no before). Records that are not assessment records (a document's) pass unchanged.
 * Idempotent: the diff of a diff is the same diff, so stored entries of either form read alike.
 */
export function auditDiff(before: unknown, after: unknown): [unknown, unknown] {
  const isRecord = (v: unknown): v is Side => isObject(v) && 'version' in v && 'state' in v
  if (!(isRecord(before) || isRecord(after)) || (before !== null && !isRecord(before)) || (after !== null && !isRecord(after))) return [before, after]
  const b = before as Side | null
  const a = after as Side | null
  const side = (r: Side | null, other: Side | null, facts: Record<string, Side>): Side | null => {
    if (r === null) return null
    const out: Side = {}
    for (const f of ALWAYS) if (f in r) out[f] = r[f]
    for (const f of IF_CHANGED) if (f in r && (other === null || !same(r[f], other[f]))) out[f] = r[f]
    for (const f of FACT_FIELDS) if (f in facts) out[f] = facts[f]
    return out
  }
  const was: Record<string, Side> = {}
  const now: Record<string, Side> = {}
  for (const f of FACT_FIELDS) {
    const [x, y] = factsDiff(b?.[f], a?.[f])
    // facts are always shown (possibly {}); externalFacts only when the reviewers' facts changed.
    if (f === 'facts' || Object.keys(x).length + Object.keys(y).length > 0) { was[f] = x; now[f] = y }
  }
  return [side(b, a, was), side(a, b, now)]
}
