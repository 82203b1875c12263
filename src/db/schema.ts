// SQLite schema (drizzle). Migrations under migrations/sqlite are generated from this file with
// `npm run db:generate` and committed; review each generated SQL file.
// Times are integer milliseconds (Date in code); school years are their starting year (2025 = 2025–2026).
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`)

/** Administrative units of any depth. A unit exists for a range of school years; after a reform the
 *  old units stay (toYear set) so past years still aggregate under them. */
export const units = sqliteTable('units', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull(),
  name: text('name').notNull(),
  type: text('type').notNull(),
  parentId: integer('parent_id').references((): any => units.id),
  fromYear: integer('from_year').notNull(),
  toYear: integer('to_year'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('units_code').on(t.code),
  // Codes are unique whatever their case ("hn-a" beside "HN-A" is refused); lookups stay exact
  // (units_code). Codes are ASCII (the API's pattern), so lower() folds them completely.
  uniqueIndex('units_code_nocase').on(sql`lower(${t.code})`),
  index('units_parent').on(t.parentId),
])

export const schools = sqliteTable('schools', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  moetCode: text('moet_code').notNull(),
  name: text('name').notNull(),
  /** Lower-cased, NFC, accents kept: SQLite's lower() folds ASCII only. */
  nameSearch: text('name_search').notNull(),
  levels: text('levels', { mode: 'json' }).$type<string[]>().notNull(),
  ownership: text('ownership').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('schools_moet_code').on(t.moetCode), uniqueIndex('schools_moet_code_nocase').on(sql`lower(${t.moetCode})`)])

/** Which unit a school belongs to, for a range of school years. */
export const schoolUnits = sqliteTable('school_units', {
  schoolId: integer('school_id').notNull().references(() => schools.id),
  fromYear: integer('from_year').notNull(),
  toYear: integer('to_year'),
  unitId: integer('unit_id').notNull().references(() => units.id),
}, (t) => [primaryKey({ columns: [t.schoolId, t.fromYear] }), index('school_units_unit').on(t.unitId)])

export const periods = sqliteTable('periods', {
  id: text('id').primaryKey(),
  unitId: integer('unit_id').notNull().references(() => units.id),
  schoolYear: integer('school_year').notNull(),
  title: text('title').notNull(),
  criteriaSets: text('criteria_sets', { mode: 'json' }).$type<string[]>().notNull(),
  submissionDeadline: integer('submission_deadline', { mode: 'timestamp_ms' }).notNull(),
  reviewDeadline: integer('review_deadline', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
}, (t) => [index('periods_unit_year').on(t.unitId, t.schoolYear)])

/** A later submission deadline for a unit's subtree or for one school. */
export const deadlineExtensions = sqliteTable('deadline_extensions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  periodId: text('period_id').notNull().references(() => periods.id),
  unitId: integer('unit_id').references(() => units.id),
  schoolId: integer('school_id').references(() => schools.id),
  until: integer('until', { mode: 'timestamp_ms' }).notNull(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
}, (t) => [index('extensions_period').on(t.periodId)])

export const assessments = sqliteTable('assessments', {
  id: text('id').primaryKey(),
  schoolId: integer('school_id').notNull().references(() => schools.id),
  periodId: text('period_id').notNull().references(() => periods.id),
  criteriaSetId: text('criteria_set_id').notNull(),
  criteriaSetVersion: text('criteria_set_version').notNull(),
  contentHash: text('content_hash').notNull(),
  state: text('state').notNull(),
  version: integer('version').notNull(),
  facts: text('facts', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  description: text('description'),
  result: text('result', { mode: 'json' }).$type<unknown>().notNull(),
  complete: integer('complete', { mode: 'boolean' }).notNull(),
  externalFacts: text('external_facts', { mode: 'json' }).$type<Record<string, unknown>>(),
  externalResult: text('external_result', { mode: 'json' }).$type<unknown>(),
  externalBy: text('external_by'),
  externalAt: integer('external_at', { mode: 'timestamp_ms' }),
  returnReason: text('return_reason'),
  submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
  approvedAt: integer('approved_at', { mode: 'timestamp_ms' }),
  publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
}, (t) => [
  uniqueIndex('assessments_school_period_set').on(t.schoolId, t.periodId, t.criteriaSetId, t.criteriaSetVersion),
  index('assessments_period_state').on(t.periodId, t.state),
  // Covering index of the rollup's version scan (src/rollups/snapshot.ts): which assessments of a
  // period and set changed, read without touching the rows (their JSON spans overflow pages).
  index('assessments_rollup_versions').on(t.criteriaSetId, t.periodId, t.criteriaSetVersion, t.version, t.state, t.schoolId, t.id),
  // Covering index of a list's page of ids (the review queue's order, a period's list): sorted
  // without reading the rows.
  index('assessments_list_page').on(t.periodId, t.state, t.schoolId, t.createdAt, t.id),
])

/** Group totals and levels of each stored result, so aggregation reads rows, never re-evaluates. */
export const assessmentGroups = sqliteTable('assessment_groups', {
  assessmentId: text('assessment_id').notNull().references(() => assessments.id),
  source: text('source').notNull(), // 'self' | 'external'
  groupCode: text('group_code').notNull(),
  total: real('total').notNull(),
  level: integer('level'),
  complete: integer('complete', { mode: 'boolean' }).notNull(),
}, (t) => [primaryKey({ columns: [t.assessmentId, t.source, t.groupCode] })])

/** Per-criterion points of each stored result (parents included), for attainment and
 *  self-vs-external analysis in SQL. Rewritten with the result it mirrors. */
export const assessmentCriteria = sqliteTable('assessment_criteria', {
  assessmentId: text('assessment_id').notNull().references(() => assessments.id),
  source: text('source').notNull(), // 'self' | 'external'
  code: text('code').notNull(),
  groupCode: text('group_code').notNull(),
  kind: text('kind').notNull(),
  maxPoints: real('max_points'),
  points: real('points'),
  /** 1/0, or NULL when not evaluated (boolean mode would store NULL as 0). */
  met: integer('met'),
  /** A target's numeric actual value (booleans live in `met`). */
  value: real('value'),
  gap: real('gap'),
  status: text('status').notNull(),
}, (t) => [
  primaryKey({ columns: [t.assessmentId, t.source, t.code] }),
  // Plan targets are few among many scored rows; the rollup's target read uses only these.
  index('assessment_criteria_targets').on(t.assessmentId, t.source).where(sql`kind = 'target'`),
])

/** Criteria sets an education office authored through the API (imported from CSV or JSON).
 *  A published version is immutable; corrections are new versions. */
export const criteriaSets = sqliteTable('criteria_sets', {
  id: text('id').notNull(),
  version: text('version').notNull(),
  status: text('status').notNull(), // 'draft' | 'published'
  unitId: integer('unit_id').notNull().references(() => units.id),
  definition: text('definition', { mode: 'json' }).$type<unknown>().notNull(),
  contentHash: text('content_hash').notNull(),
  /** The CSV table it was imported from, kept as the officer's own source. */
  sourceCsv: text('source_csv'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
}, (t) => [primaryKey({ columns: [t.id, t.version] })])

export const documents = sqliteTable('documents', {
  id: text('id').primaryKey(),
  assessmentId: text('assessment_id').notNull().references(() => assessments.id),
  kind: text('kind').notNull(), // 'link' | 'file'
  title: text('title').notNull(),
  url: text('url'),
  fileName: text('file_name'),
  mediaType: text('media_type'),
  size: integer('size'),
  sha256: text('sha256'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
}, (t) => [index('documents_assessment').on(t.assessmentId)])

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  /** sha256 of the whole key; the key itself is shown once and never stored. */
  hash: text('hash').notNull(),
  role: text('role').notNull(), // 'admin' | 'reviewer' | 'school'
  unitId: integer('unit_id').references(() => units.id),
  schoolId: integer('school_id').references(() => schools.id),
  label: text('label').notNull(),
  createdBy: text('created_by').notNull(),
  /** The key that minted this one (null: the server's own CLI). Revoking a key revokes the keys
   *  it minted, transitively. */
  mintedBy: text('minted_by').references((): any => apiKeys.id),
  createdAt: createdAt(),
  revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
}, (t) => [uniqueIndex('api_keys_hash').on(t.hash), index('api_keys_minted_by').on(t.mintedBy)])

export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: text('before', { mode: 'json' }).$type<unknown>(),
  after: text('after', { mode: 'json' }).$type<unknown>(),
}, (t) => [index('audit_entity').on(t.entityType, t.entityId)])

/** Counters bumped by triggers (migration 0003) on every write to a group of tables, so a reader
 *  in another thread or process can tell cheaply whether they changed: 'structure' counts writes
 *  to units, schools and school_units (src/rollups/structure.ts). */
export const changeCounters = sqliteTable('change_counters', {
  name: text('name').primaryKey(),
  n: integer('n').notNull(),
})

/** People who sign in to the web console. Role and scope exactly as API keys: an admin; a reviewer
 *  of a unit; a school. `password_hash` is null until an invited person sets a password. */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(),
  unitId: integer('unit_id').references(() => units.id),
  schoolId: integer('school_id').references(() => schools.id),
  /** scrypt$N$r$p$salt$hash (src/services/password.ts). */
  passwordHash: text('password_hash'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
}, (t) => [uniqueIndex('users_username_nocase').on(sql`lower(${t.username})`)])

/** Console sessions, server-side: the cookie holds a random id, the table its sha256. */
export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  /** The synchronizer token every state-changing form carries. */
  csrf: text('csrf').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
}, (t) => [index('sessions_user').on(t.userId)])

/** One-time invitation links: an officer creates an account, the invited person sets a password. */
export const invitations = sqliteTable('invitations', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
}, (t) => [index('invitations_user').on(t.userId)])
