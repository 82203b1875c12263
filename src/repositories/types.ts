// Dialect-neutral domain records and the storage interface the services use. Services never build
// SQL; each method that changes data is atomic by itself and writes its audit entry in the same
// transaction. Methods return promises so that a PostgreSQL implementation can satisfy the same
// interface (the SQLite one runs synchronously inside them).

export const UNIT_TYPES = ['ministry', 'province', 'district', 'ward', 'commune', 'other'] as const
export type UnitType = (typeof UNIT_TYPES)[number]
export const ROLES = ['admin', 'reviewer', 'school'] as const
export type Role = (typeof ROLES)[number]
export const STATES = ['draft', 'submitted', 'returned', 'approved', 'published'] as const
export type AssessmentState = (typeof STATES)[number]

export interface Unit {
  id: number
  code: string
  name: string
  type: UnitType
  parentId: number | null
  parentCode: string | null
  fromYear: number
  toYear: number | null
}

export interface Membership { unitId: number; unitCode: string; fromYear: number; toYear: number | null }

export interface School {
  id: number
  moetCode: string
  name: string
  levels: string[]
  ownership: 'public' | 'private'
  memberships: Membership[]
}

export interface Extension { id: number; unitId: number | null; unitCode: string | null; schoolId: number | null; schoolCode: string | null; until: Date; reason: string }

export interface Period {
  id: string
  unitId: number
  unitCode: string
  schoolYear: number
  title: string
  criteriaSets: string[]
  submissionDeadline: Date
  reviewDeadline: Date | null
  extensions: Extension[]
}

export interface ExternalAssessment { facts: Record<string, unknown>; result: unknown; by: string; at: Date }

export interface Assessment {
  id: string
  schoolId: number
  schoolCode: string
  schoolName: string
  periodId: string
  schoolYear: number
  criteriaSetId: string
  criteriaSetVersion: string
  contentHash: string
  state: AssessmentState
  version: number
  facts: Record<string, unknown>
  description: string | null
  result: unknown
  complete: boolean
  external: ExternalAssessment | null
  returnReason: string | null
  submittedAt: Date | null
  approvedAt: Date | null
  publishedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** Group totals/levels of a result, stored beside it for aggregation. */
export interface GroupSummary { groupCode: string; total: number; level: number | null; complete: boolean }
/** One criterion of a result (parents included), stored beside it for aggregation. */
export interface CriterionSummary {
  code: string
  groupCode: string
  kind: string
  maxPoints: number | null
  points: number | null
  met: boolean | null
  value: number | null
  gap: number | null
  status: string
}
/** The rows a result is mirrored into for SQL aggregation. */
export interface ResultRows { groups: GroupSummary[]; criteria: CriterionSummary[] }

export interface DocumentRecord {
  id: string
  assessmentId: string
  kind: 'link' | 'file'
  title: string
  url: string | null
  fileName: string | null
  mediaType: string | null
  size: number | null
  sha256: string | null
  createdBy: string
  createdAt: Date
}

export interface ApiKey {
  id: string
  role: Role
  unitId: number | null
  schoolId: number | null
  label: string
  createdBy: string
  /** The key that minted this one; null when the server's CLI created it. */
  mintedBy: string | null
  createdAt: Date
  revokedAt: Date | null
}

export interface AuditEntry {
  id: number
  at: Date
  actor: string
  action: string
  entityType: string
  entityId: string
  before: unknown
  after: unknown
}

/** A create hit a unique key (another request created the same thing first). */
export class DuplicateKeyError extends Error {
  override name = 'DuplicateKeyError'
  constructor(readonly entity: 'unit' | 'school' | 'assessment' | 'period' | 'key' | 'user', message: string) { super(message) }
}

/** Who did it and when; written with the change it describes. */
export interface AuditContext { actor: string; at: Date; action: string }

export interface Page { limit: number; offset: number }

export interface NewUnit { code: string; name: string; type: UnitType; parentId: number | null; fromYear: number; toYear: number | null }
export interface NewSchool { moetCode: string; name: string; levels: string[]; ownership: 'public' | 'private'; unitId: number; fromYear: number }
export interface NewPeriod { id: string; unitId: number; schoolYear: number; title: string; criteriaSets: string[]; submissionDeadline: Date; reviewDeadline: Date | null }
export interface NewAssessment {
  id: string; schoolId: number; periodId: string; criteriaSetId: string; criteriaSetVersion: string; contentHash: string
  facts: Record<string, unknown>; description: string | null; result: unknown; complete: boolean; rows: ResultRows
}

/** Changes to an assessment; `selfRows`/`externalRows` replace the stored summaries. */
export interface AssessmentPatch {
  state?: AssessmentState
  facts?: Record<string, unknown>
  description?: string | null
  result?: unknown
  complete?: boolean
  selfRows?: ResultRows
  external?: ExternalAssessment
  externalRows?: ResultRows
  returnReason?: string | null
  submittedAt?: Date | null
  approvedAt?: Date | null
  publishedAt?: Date | null
}

export interface AssessmentFilter {
  /** 'review': a review queue's order — submitted first, then by the period's submission deadline,
   *  then by school code; default: by school code. */
  order?: 'school' | 'review'
  withinUnitId?: number
  schoolId?: number
  periodId?: string
  state?: AssessmentState
  schoolYear?: number
}

export interface UnitsRepo {
  create(u: NewUnit, audit: AuditContext): Promise<Unit>
  byCode(code: string): Promise<Unit | null>
  /** The unit whose code equals `code` whatever the case (codes are unique case-insensitively). */
  byCodeIgnoringCase(code: string): Promise<Unit | null>
  byId(id: number): Promise<Unit | null>
  list(f: { parentId?: number | null; withinUnitId?: number; year?: number }, page: Page): Promise<Unit[]>
  update(id: number, patch: { name?: string; toYear?: number | null }, audit: AuditContext): Promise<Unit>
  /** Whether `unitId` is `ancestorId` or below it. */
  isWithin(unitId: number, ancestorId: number): Promise<boolean>
}

export type ImportOutcome = { ok: true; created: number } | { ok: false; conflicts: { index: number; moetCode: string }[] }

export interface SchoolsRepo {
  create(s: NewSchool, audit: AuditContext): Promise<School>
  /** All rows or none; rows whose MOET code already exists (in any case) are reported, and nothing is written. */
  createMany(rows: NewSchool[], audit: AuditContext): Promise<ImportOutcome>
  byCode(code: string): Promise<School | null>
  /** The school whose MOET code equals `code` whatever the case (unique case-insensitively). */
  byCodeIgnoringCase(code: string): Promise<School | null>
  /** Of these MOET codes, those already taken whatever their case: folded code → the stored code. */
  takenCodes(codes: string[]): Promise<Map<string, string>>
  byId(id: number): Promise<School | null>
  list(f: { withinUnitId?: number; year?: number; q?: string }, page: Page): Promise<School[]>
  update(id: number, patch: { name?: string; levels?: string[]; ownership?: 'public' | 'private' }, audit: AuditContext): Promise<School>
  /** Moves the school to a unit from a school year on (ending the membership before it). */
  setMembership(id: number, unitId: number, fromYear: number, audit: AuditContext): Promise<School>
  unitAt(schoolId: number, year: number): Promise<number | null>
}

/** Which periods a key sees, as the store filters them: every one (admin); those opened in a
 *  reviewer's subtree or above its unit; those opened at or above a school's unit of the period's
 *  school year (one entry per membership of the school). */
export type PeriodScope =
  | { kind: 'all' }
  | { kind: 'reviewer'; unitId: number }
  | { kind: 'school'; memberships: { unitId: number; fromYear: number; toYear: number | null }[] }

/** One page of a list and how many items the whole list has. */
export interface Paged<T> { items: T[]; total: number }

export interface PeriodsRepo {
  create(p: NewPeriod, audit: AuditContext): Promise<Period>
  byId(id: string): Promise<Period | null>
  list(f: { unitIds?: number[]; year?: number }, page: Page): Promise<Period[]>
  /** The periods in scope (newest school year first, then by opening), filtered in the store. */
  listVisible(scope: PeriodScope, f: { year?: number }, page: Page): Promise<Paged<Period>>
  update(id: string, patch: { title?: string; submissionDeadline?: Date; reviewDeadline?: Date | null }, audit: AuditContext): Promise<Period>
  addExtension(periodId: string, e: { unitId: number | null; schoolId: number | null; until: Date; reason: string }, audit: AuditContext): Promise<Period>
}

export type UpdateOutcome = { ok: true; assessment: Assessment } | { ok: false; current: Assessment | null }

export interface AssessmentsRepo {
  create(a: NewAssessment, audit: AuditContext): Promise<Assessment>
  byId(id: string): Promise<Assessment | null>
  find(schoolId: number, periodId: string, setId: string, setVersion: string): Promise<Assessment | null>
  list(f: AssessmentFilter, page: Page): Promise<Assessment[]>
  /** Applies the patch only if the stored version is `expectedVersion` (then version + 1). */
  /** `base`: the caller's copy of the assessment; when it is at `expectedVersion` the update
   *  answers from it instead of reading the row back. */
  update(id: string, expectedVersion: number, patch: AssessmentPatch, audit: AuditContext, base?: Assessment): Promise<UpdateOutcome>
}

/** What must hold, at the moment of the insert, for a document to be added to an assessment. */
export interface DocumentAddCheck {
  /** The assessment's states in which this actor may add a document. */
  states: readonly AssessmentState[]
  /** The assessment version the client last saw (If-Match), when it sent one. */
  expectedVersion?: number
  /** At most this many documents per assessment. */
  maxDocuments: number
}

export type DocumentAddOutcome =
  | { ok: true; document: DocumentRecord; assessmentVersion: number }
  | { ok: false; reason: 'missing' | 'state' | 'version' | 'limit'; state: AssessmentState | null; version: number | null; count: number }

export interface DocumentsRepo {
  create(d: DocumentRecord, audit: AuditContext): Promise<DocumentRecord>
  /** Inserts the document only if `check` holds in the same transaction. The assessment's version
   *  stays: documents are append-only records of their own, not part of what If-Match guards. */
  add(d: DocumentRecord, audit: AuditContext, check: DocumentAddCheck): Promise<DocumentAddOutcome>
  byId(id: string): Promise<DocumentRecord | null>
  /** Every document of the assessment (bounded by the per-assessment maximum). */
  list(assessmentId: string): Promise<DocumentRecord[]>
  /** One page of the assessment's documents, oldest first, and how many there are. */
  page(assessmentId: string, page: Page): Promise<{ items: DocumentRecord[]; total: number }>
  /** Which of `ids` are documents of the assessment. */
  existing(assessmentId: string, ids: string[]): Promise<Set<string>>
  /** Whether any document (of any assessment) holds the file with this sha256. */
  fileInUse(sha256: string): Promise<boolean>
}

/** Which keys a listing returns: all (admin), or those a reviewer key may revoke — itself, the
 *  keys it minted, reviewer keys of units strictly below its unit, school keys of the schools whose
 *  latest membership is in its subtree. */
export type KeyScope = { kind: 'all' } | { kind: 'reviewer'; keyId: string; unitId: number }

export interface KeysRepo {
  create(k: ApiKey & { hash: string }, audit: AuditContext): Promise<ApiKey>
  byHash(hash: string): Promise<ApiKey | null>
  byId(id: string): Promise<ApiKey | null>
  revoke(id: string, audit: AuditContext): Promise<ApiKey | null>
  /** Revokes the key (if not yet) and every key minted from it, transitively, that is still active,
   *  in one transaction, each with its own audit entry. Null when there is no such key. */
  revokeWithMinted(id: string, audit: AuditContext): Promise<{ key: ApiKey; alsoRevoked: ApiKey[] } | null>
  /** Oldest first. */
  list(scope: KeyScope, page: Page): Promise<Paged<ApiKey>>
}

export interface AuditRepo {
  list(entityType: string, entityId: string): Promise<AuditEntry[]>
  /** One page of the entity's entries, oldest first, and how many there are. */
  page(entityType: string, entityId: string, page: Page): Promise<{ items: AuditEntry[]; total: number }>
}

/** A criteria set an education office authored (CSV import or JSON), held in the database. */
export type AuthoredSetStatus = 'draft' | 'published' | 'withdrawn'
export interface AuthoredSet {
  id: string
  version: string
  status: AuthoredSetStatus
  unitId: number
  unitCode: string
  definition: unknown
  contentHash: string
  sourceCsv: string | null
  createdBy: string
  createdAt: Date
  updatedAt: Date
  publishedAt: Date | null
}
export interface NewAuthoredSet { id: string; version: string; unitId: number; definition: unknown; contentHash: string; sourceCsv: string | null; createdBy: string }

export interface CriteriaSetsRepo {
  byKey(id: string, version: string): Promise<AuthoredSet | null>
  list(f: { withinUnitId?: number; status?: AuthoredSetStatus | AuthoredSetStatus[] }): Promise<AuthoredSet[]>
  /** The unit that authored the first version of a set id (it owns the id), or null. */
  ownerOf(id: string): Promise<number | null>
  /** Creates the draft, or replaces a draft of the same id and version. Returns null (writing
   *  nothing) when that version is already published: published versions never change. */
  saveDraft(s: NewAuthoredSet, audit: AuditContext): Promise<AuthoredSet | null>
  /** Draft → published with its final definition; null when it was not a draft any more. */
  publish(id: string, version: string, definition: unknown, contentHash: string, audit: AuditContext): Promise<AuthoredSet | null>
  /** Published → withdrawn (the definition stays, for the assessments pinned to it); the reason is
   *  kept in the audit entry. Null when it was not published any more. */
  withdraw(id: string, version: string, reason: string, audit: AuditContext): Promise<AuthoredSet | null>
}

/** Which rows a rollup reads: the schools below `rootUnitId` in `year`, and their assessments in
 *  the period with the pinned criteria set. `states` are the workflow states that count. */
export interface RollupScope { rootUnitId: number; year: number; periodId: string; setId: string; setVersion: string; states: AssessmentState[] }

export interface ScopeSchool {
  schoolId: number
  moetCode: string
  name: string
  levels: string[]
  ownership: 'public' | 'private'
  unitId: number
  unitCode: string
  unitName: string
  /** The child of the root unit the school is under (null: directly in the root). */
  childUnitId: number | null
  assessmentId: string | null
  state: AssessmentState | null
  hasExternal: boolean
}

/** A stored group summary of a school's assessment in scope. */
export interface RollupGroupRow { schoolId: number; source: 'self' | 'external'; groupCode: string; total: number; level: number | null; complete: boolean }

/** Per criterion over the counted assessments' recognised results (external where recorded). */
export interface CriterionStat { code: string; schools: number; full: number; zero: number; meanPoints: number }

/** Per criterion over counted assessments with an external result: external − self. */
export interface CriterionCut { code: string; schools: number; cut: number; raised: number; meanDiff: number; pointsCut: number }

/** One target criterion of a school's recognised result. */
export interface TargetRow { schoolId: number; code: string; met: boolean | null; value: number | null; gap: number | null; status: string }

/** One criterion's points for a school (report sheets). */
/** One stored criterion row of a counted school's result. */
export interface CriterionPoints { schoolId: number; source: 'self' | 'external'; code: string; points: number | null }

export interface RollupsRepo {
  schools(s: RollupScope): Promise<ScopeSchool[]>
  /** Group rows of every assessment in scope (all states; the service picks the counted ones). */
  groups(s: RollupScope): Promise<RollupGroupRow[]>
  criterionStats(s: RollupScope): Promise<CriterionStat[]>
  criterionCuts(s: RollupScope): Promise<CriterionCut[]>
  targets(s: RollupScope): Promise<TargetRow[]>
  /** The same schools' recognised group results a year earlier: same set id (any version), counted
   *  states, the newest assessment when a school has several. */
  previous(s: RollupScope): Promise<(RollupGroupRow & { state: AssessmentState })[]>
  /** Every scored criterion row in scope (of one group when given), one at a time: a national
   *  report reads millions. */
  criterionPoints(s: RollupScope, groupCode: string | null, visit: (row: CriterionPoints) => void): Promise<void>
  /** Missing facts of each assessment in scope (self result). */
  missingFacts(s: RollupScope): Promise<Map<number, string[]>>
  /** Direct children of the unit (every year). */
  children(unitId: number): Promise<Unit[]>
}


/** A person who signs in to the web console; role and scope as an API key's. */
export interface User {
  id: string
  username: string
  displayName: string
  role: Role
  unitId: number | null
  schoolId: number | null
  createdBy: string
  createdAt: Date
  disabledAt: Date | null
  /** Whether a password is set (an invited person sets it through the invitation link). */
  hasPassword: boolean
}
export interface NewUser { id: string; username: string; displayName: string; role: Role; unitId: number | null; schoolId: number | null; passwordHash: string | null; createdBy: string; createdAt: Date }

/** Which accounts a caller lists: every one (admin); those of a reviewer's subtree (its unit and
 *  below, and the schools whose latest membership is there). */
export type UserScope = { kind: 'all' } | { kind: 'reviewer'; unitId: number }

export interface UsersRepo {
  create(u: NewUser, audit: AuditContext): Promise<User>
  byId(id: string): Promise<User | null>
  /** Whatever the case of `username` (usernames are unique case-insensitively). */
  byUsername(username: string): Promise<{ user: User; passwordHash: string | null } | null>
  list(scope: UserScope, page: Page): Promise<Paged<User>>
  setPassword(id: string, passwordHash: string, audit: AuditContext): Promise<User>
  /** Disables the account and ends its sessions and open invitations, in one transaction. */
  disable(id: string, audit: AuditContext): Promise<User>
  /** A one-time invitation (its token's sha256); older open invitations of the user end. */
  invite(userId: string, tokenHash: string, expiresAt: Date, audit: AuditContext): Promise<void>
  /** The open invitation with this token hash, if not used or expired at `now`. */
  invitation(tokenHash: string, now: Date): Promise<{ userId: string; expiresAt: Date } | null>
  /** Sets the password and marks the invitation used, only if it is still open at `audit.at`. */
  acceptInvitation(tokenHash: string, passwordHash: string, audit: AuditContext): Promise<User | null>
}

export interface SessionRecord { idHash: string; userId: string; csrf: string; createdAt: Date; lastSeenAt: Date }

export interface SessionsRepo {
  create(s: SessionRecord): Promise<void>
  byIdHash(idHash: string): Promise<SessionRecord | null>
  touch(idHash: string, at: Date): Promise<void>
  delete(idHash: string): Promise<void>
  /** Sessions created before `createdBefore` or idle since before `idleBefore`. */
  deleteExpired(createdBefore: Date, idleBefore: Date): Promise<number>
}

export interface Store {
  units: UnitsRepo
  schools: SchoolsRepo
  periods: PeriodsRepo
  assessments: AssessmentsRepo
  documents: DocumentsRepo
  keys: KeysRepo
  audit: AuditRepo
  rollups: RollupsRepo
  criteriaSets: CriteriaSetsRepo
  users: UsersRepo
  sessions: SessionsRepo
  /** Changes whenever committed data may have changed (a write by this process or by another
   *  connection, e.g. the CLI): the key that invalidates cached reads. Equal tokens mean no write
   *  happened in between. */
  dataVersion(): Promise<string>
  /** Readiness probe: the database answers. */
  ping(): Promise<boolean>
  close(): Promise<void>
}
