// Proves that each protection is guarded by a test: for every entry of the table below, the guarding
// test passes on an unmodified copy of the working tree, and fails once the protection is removed
// (a textual mutation of the source: `find` → `replace`).
//
//   npm run prove:protections                 every protection (several minutes)
//   npm run prove:protections -- auth-hook    only the named ones
//   node --import tsx .ci/prove-protections.ts --list      the table
//   node --import tsx .ci/prove-protections.ts --check     only check that every find string is still there, once
//   node --import tsx .ci/prove-protections.ts --keep …    leave the scratch copy and the tap logs
//
// The working tree (uncommitted changes included; not .git, node_modules, build output or data) is
// copied once to /tmp/prove-XXXX/main, with node_modules symlinked and /tmp/prove-XXXX/shared → ../shared,
// so the copy sees what the repository sees. Each mutation is applied to the copy, its tests run,
// and the file restored. Baselines are run once per distinct set of tests. Protections run one after
// another (tests that start a server need the machine to themselves).
//
// Every `find` must occur exactly once in its file: when the code moves, the tool stops and says so,
// and the table is updated. Exit status: 0 every mutation caught; 1 a mutation survived or a baseline
// failed; 2 the table no longer matches the source.
import { spawnSync } from 'node:child_process'
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

interface Edit { file: string; find: string; replace: string }
interface Protection extends Edit {
  name: string
  what: string
  /** Further edits, when the protection lives in more than one place. */
  also?: Edit[]
  /** The test files that guard it, run together in one tap run. */
  tests: string[]
  /** tap --grep: top-level subtests to run (in each of the files). */
  grep?: string
}

const AUTH_MATRIX = 'test/http/auth-matrix.test.ts'
const ACCESS_GRID = 'test/http/access-grid.test.ts'
const TRANSPORT = 'test/http/transport.test.ts'
const STORAGE = 'test/http/storage-errors.test.ts'
const TWO_PROCESSES = 'test/http/two-processes.test.ts'
const HOSTILE_RULES = ['test/scoring/rules.test.ts', 'test/verify/verify.test.ts', 'test/scoring/fixtures-engine.test.ts']
const HOSTILE_SET = 'test/hostile/hostile-criteria-set.test.ts'
const AUTHORING = 'test/http/authoring.test.ts'

const PROTECTIONS: Protection[] = [
  // ── authentication and authorisation ──
  {
    name: 'auth-hook', what: 'a protected /v1 route without a key answers 401',
    file: 'src/http/plugins/auth.ts',
    find: `    if (!header) return refuse('UNAUTHENTICATED', 'this route needs an API key: send "Authorization: Bearer <key>"')`,
    replace: '    if (!header) return',
    tests: [AUTH_MATRIX, ACCESS_GRID],
  },
  {
    name: 'revoked-key', what: 'a revoked key no longer authenticates (401)',
    file: 'src/services/keys.ts',
    find: 'return k && k.revokedAt === null ? actorOf(k) : null',
    replace: 'return k ? actorOf(k) : null',
    tests: [AUTH_MATRIX, ACCESS_GRID],
  },
  {
    name: 'school-scope', what: "a school key reading another school's assessment gets 404",
    file: 'src/services/access.ts',
    find: "    if (actor.role === 'school') return actor.schoolId === school.id",
    replace: "    if (actor.role === 'school') return true",
    tests: [AUTH_MATRIX, ACCESS_GRID],
  },
  {
    name: 'reviewer-subtree', what: "a reviewer sees only units and schools in its own unit's subtree",
    file: 'src/services/access.ts',
    find: '    for (const u of unitIds) if (await this.store.units.isWithin(u, actor.unitId as number)) return true',
    replace: '    return true',
    also: [{
      file: 'src/services/access.ts',
      find: "    if (actor.role === 'reviewer') return this.store.units.isWithin(unitId, actor.unitId as number)",
      replace: "    if (actor.role === 'reviewer') return true",
    }],
    tests: [AUTH_MATRIX, ACCESS_GRID],
  },
  {
    name: 'former-district', what: 'a district a school moved away from may no longer rename, move or key it (403)',
    file: 'src/services/access.ts',
    find: '    return latest !== undefined && this.store.units.isWithin(latest.unitId, actor.unitId as number)',
    replace: '    return true',
    tests: [ACCESS_GRID],
  },
  {
    name: 'role-check', what: 'a wrong role on a visible resource answers 403 (a school cannot approve)',
    file: 'src/services/access.ts',
    find: '    if (!roles.includes(actor.role)) throw forbidden(',
    replace: '    if (false) throw forbidden(',
    tests: [AUTH_MATRIX, ACCESS_GRID],
  },
  {
    name: 'admin-keys-by-admins', what: 'only an admin key issues admin keys (and only an admin makes an admin account)',
    file: 'src/services/access.ts',
    find: "    if (input.role === 'admin' && actor && actor.role !== 'admin') throw forbidden(`only an admin issues admin credentials (${what})`)\n",
    replace: '',
    tests: [AUTH_MATRIX, ACCESS_GRID],
  },
  {
    name: 'failed-auth-limit', what: 'too many failed authentications from one address answer 429 TOO_MANY_FAILED_AUTH',
    file: 'src/http/plugins/auth.ts',
    find: '      if (over?.limited) {',
    replace: '      if (false) {',
    tests: ['test/http/security.test.ts'],
  },
  {
    name: 'keys-hashed-at-rest', what: 'API keys are stored as sha256, never in plaintext',
    file: 'src/services/keys.ts',
    find: 'hash: hashKey(key),',
    replace: 'hash: key,',
    also: [{ file: 'src/services/keys.ts', find: 'byHash(hashKey(secret))', replace: 'byHash(secret)' }],
    tests: ['test/protections/keys-hashed-at-rest.test.ts'],
  },
  {
    name: 'keys-never-logged', what: 'the production logger redacts the Authorization header',
    file: 'src/app.ts',
    find: "    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'], censor: '[redacted]' },\n",
    replace: '',
    tests: ['test/protections/keys-never-logged.test.ts'],
  },
  // ── request limits and parsing ──
  {
    name: 'body-limit', what: 'a JSON or CSV body over BODY_LIMIT_MB answers 413 BODY_TOO_LARGE',
    file: 'src/app.ts',
    find: '    bodyLimit: config.bodyLimitBytes,\n',
    replace: '',
    tests: ['test/http/ops.test.ts'],
  },
  {
    name: 'upload-limit', what: 'an upload over MAX_UPLOAD_MB answers 413 FILE_TOO_LARGE and leaves nothing on disk',
    file: 'src/services/documents.ts',
    find: 'this.files.put(input.stream, this.ctx.config.maxUploadBytes,',
    replace: 'this.files.put(input.stream, Infinity,',
    also: [
      { file: 'src/http/routes/assessments.ts', find: 'request.file({ limits: { fileSize: ctx.config.maxUploadBytes,', replace: 'request.file({ limits: { fileSize: Infinity,' },
      { file: 'src/app.ts', find: 'limits: { fileSize: config.maxUploadBytes,', replace: 'limits: { fileSize: Infinity,' },
    ],
    tests: ['test/http/documents.test.ts'],
  },
  {
    name: 'multipart-on-json-415', what: 'a multipart body sent to a JSON route answers 415 (preValidation hook)',
    file: 'src/http/plugins/validation.ts',
    find: '    if (request.routeOptions.schema?.body !== undefined && request.isMultipart?.()) {',
    replace: '    if (false) {',
    tests: ['test/fuzz/bad-input.test.ts'], grep: 'malformed requests',
  },
  {
    name: 'finite-query-numbers', what: 'a query or path number like 1e999 (Infinity after coercion) answers 400',
    file: 'src/http/plugins/validation.ts',
    find: 'finiteOnly(other.compile(schema) as unknown as Check)',
    replace: '(other.compile(schema) as unknown as Check)',
    tests: ['test/fuzz/bad-input.test.ts'], grep: 'malformed requests',
  },
  {
    name: 'json-proto-poisoning', what: 'a JSON body with a __proto__ or constructor.prototype key answers 400 INVALID_JSON',
    file: 'src/app.ts',
    find: '    return503OnClosing: true,\n',
    replace: "    return503OnClosing: true, onProtoPoisoning: 'ignore', onConstructorPoisoning: 'ignore',\n",
    tests: ['test/fuzz/bad-input.test.ts'], grep: 'malformed requests',
  },
  {
    name: 'evidence-unknown-facts', what: 'evidence keys that are not facts of the set (constructor, toString, …) answer 400 UNKNOWN_FACT',
    file: 'src/scoring/evidence.ts',
    find: "else if (issues.length < MAX_ISSUES) issues.push({ code: 'UNKNOWN_FACT'",
    replace: "else if (false) issues.push({ code: 'UNKNOWN_FACT'",
    tests: ['test/scoring/workflow-semantics.test.ts', 'test/http/workflow.test.ts'],
  },
  // ── response headers and downloads ──
  {
    name: 'security-headers', what: 'helmet: CSP, HSTS, X-Frame-Options, Referrer-Policy on every response',
    file: 'src/http/plugins/security.ts',
    find: "  await app.register(helmet, { contentSecurityPolicy: API_CSP, frameguard: { action: 'deny' } })\n",
    replace: '',
    tests: ['test/http/security.test.ts'],
  },
  {
    name: 'nosniff', what: 'X-Content-Type-Options: nosniff on every response (downloads included)',
    file: 'src/http/plugins/security.ts',
    find: "{ contentSecurityPolicy: API_CSP, frameguard: { action: 'deny' } }",
    replace: "{ contentSecurityPolicy: API_CSP, frameguard: { action: 'deny' }, xContentTypeOptions: false }",
    tests: ['test/http/security.test.ts'],
  },
  {
    name: 'no-store', what: 'protected /v1 answers carry Cache-Control: no-store',
    file: 'src/http/plugins/security.ts',
    find: "      reply.header('cache-control', 'no-store')\n",
    replace: '',
    tests: ['test/http/security.test.ts'],
  },
  {
    name: 'uploads-not-served', what: 'uploaded files are outside any served path (a static route over the uploads dir is the mistake)',
    file: 'src/app.ts',
    find: '  await app.register(opsRoutes, { store, catalog })\n',
    replace: "  await app.register((await import('@fastify/static')).default, { root: config.uploadsDir, prefix: '/uploads/' })\n  await app.register(opsRoutes, { store, catalog })\n",
    tests: ['test/protections/uploads-not-served.test.ts'],
  },
  {
    name: 'download-disposition', what: "a download is Content-Disposition: attachment with an ASCII filename= and an encoded filename*, never inline",
    file: 'src/services/documents.ts',
    find: "return `attachment; filename=\"${ascii}\"; filename*=UTF-8''${encoded}`",
    replace: "return `inline; filename=\"${name}\"`",
    tests: ['test/http/documents.test.ts'],
  },
  {
    name: 'upload-magic-bytes', what: 'an upload whose first bytes do not match its declared type answers 400 CONTENT_MISMATCH',
    file: 'src/services/file-store.ts',
    find: "      if (!accept(head)) throw new FileRejected('the content does not match the declared type')\n",
    replace: '',
    tests: ['test/http/documents.test.ts'],
  },
  {
    name: 'internal-errors-masked', what: 'a 500 answers a generic message with the request id, never the internal error',
    file: 'src/http/plugins/errors.ts',
    find: "errorBody('INTERNAL', 'internal server error; the request was not applied (see the server log for its id)'",
    replace: "errorBody('INTERNAL', fe.message",
    tests: ['test/protections/internal-errors-masked.test.ts'],
  },
  // ── reads reused ──
  {
    name: 'summary-cache-invalidation', what: 'a reused unit summary is dropped by any write, by this server or another connection',
    file: 'src/repositories/sqlite/index.ts',
    find: 'return `${v.own}.${v.other}`',
    replace: "return 'unchanged'",
    tests: ['test/http/summary-cache.test.ts'],
  },
  // ── heavy reads off the event loop, fresh (src/rollups, src/workers) ──
  {
    name: 'rollup-records-refresh', what: 'an assessment whose version changed is reloaded into the in-memory rollup records (summaries equal the SQL rollup after writes)',
    file: 'src/rollups/snapshot.ts',
    find: '      if (!r || r.version !== version) stale.push(',
    replace: '      if (!r) stale.push(',
    tests: ['test/rollups/differential.test.ts'],
  },
  {
    name: 'rollup-structure-refresh', what: 'a move, rename or new school re-reads the hierarchy of the in-memory rollup (change counter kept by triggers)',
    file: 'src/rollups/structure.ts',
    find: '    if (fp === this.fingerprint) return false',
    replace: '    if (this.fingerprint !== -1) return false',
    tests: ['test/rollups/differential.test.ts'],
  },
  {
    name: 'summary-single-flight', what: 'concurrent reads of one summary at one data version share one computation',
    file: 'src/services/summary-cache.ts',
    find: '    if (flying && flying.version === version) return { ...(await flying.promise), stale: false }\n',
    replace: '',
    tests: ['test/http/summary-cache.test.ts'],
  },
  {
    name: 'job-time-limit', what: 'a summary or export past its time limit is cancelled with 503 JOB_TIMEOUT, not left hanging',
    file: 'src/workers/pool.ts',
    find: '      const signal = AbortSignal.timeout(ms)\n',
    replace: '      const signal = undefined\n',
    tests: ['test/workers/off-loop.test.ts'],
  },
  {
    name: 'checkpoint-off-loop', what: 'WAL checkpoints run on the maintenance thread (the main connection only past 40 MB), not inside a save',
    file: 'src/app.ts',
    find: '  pools.startCheckpoints(1000)\n',
    replace: '',
    tests: ['test/workers/off-loop.test.ts'],
  },
  // ── writes ──
  {
    name: 'stale-if-match', what: "a write with a stale If-Match answers 412 VERSION_MISMATCH and changes nothing",
    file: 'src/services/assessments.ts',
    find: '    if (a.version !== ifMatch) throw staleVersion(a)\n',
    replace: '',
    also: [{ file: 'src/services/assessments.ts', find: 'this.ctx.store.assessments.update(a.id, ifMatch, patch,', replace: 'this.ctx.store.assessments.update(a.id, a.version, patch,' }],
    tests: ['test/http/workflow.test.ts', 'test/concurrency/writes.test.ts'], grep: 'optimistic concurrency|concurrent writes against',
  },
  {
    name: 'atomic-version-check', what: 'the UPDATE itself checks the version (compare-and-set), so no write slips between read and write',
    file: 'src/repositories/sqlite/assessments.ts',
    find: 'if (!before || before.version !== expectedVersion) return',
    replace: 'if (!before) return',
    also: [{ file: 'src/repositories/sqlite/assessments.ts', find: '.where(and(eq(assessments.id, id), eq(assessments.version, expectedVersion))).run()', replace: '.where(eq(assessments.id, id)).run()' }],
    tests: ['test/protections/atomic-version-check.test.ts'],
  },
  {
    name: 'durability', what: 'a write is acknowledged only after it is committed (SIGKILL loses no acknowledged write)',
    file: 'src/repositories/sqlite/assessments.ts',
    find: '    async update(id, expectedVersion, patch, audit',
    // Write-behind: the save joins a transaction that commits a second later, after the reply.
    replace: `    async update(...args: any[]) {
      if (!db.$client.inTransaction) { db.$client.exec('BEGIN IMMEDIATE'); setTimeout(() => db.$client.exec('COMMIT'), 1000) }
      return (this as any).writeNow(...args)
    },
    async writeNow(id, expectedVersion, patch, audit`,
    tests: ['test/durability/crash.test.ts'],
  },
  {
    name: 'backup-integrity', what: 'cds backup runs PRAGMA integrity_check on the copy and keeps no copy that fails it',
    file: 'src/cli/backup.ts',
    find: "    if (typeof pages === 'string') {",
    replace: '    if (false) {',
    tests: ['test/protections/backup-integrity.test.ts'],
  },
  // ── hostile criteria sets ──
  {
    name: 'rule-operator-allowlist', what: 'json-logic operators outside the allow-list (log, method, map, reduce, …) are refused',
    file: 'src/scoring/rules/analyze.ts',
    find: '    if (!ALLOWED_OPS.has(op)) {',
    replace: '    if (false) {',
    tests: HOSTILE_RULES,
  },
  {
    name: 'rule-depth-limit', what: 'a rule nested deeper than 32 levels is refused (RULE_TOO_DEEP)',
    file: 'src/scoring/limits.ts',
    find: 'export const MAX_RULE_DEPTH = 32',
    replace: 'export const MAX_RULE_DEPTH = Infinity',
    tests: HOSTILE_RULES,
  },
  {
    name: 'rule-size-limit', what: 'the evaluation cost bound: a rule over 500 nodes is refused (RULE_TOO_LARGE; no loop operators; 2,000 let the H3 rule of issue 11 through)',
    file: 'src/scoring/limits.ts',
    find: 'export const MAX_RULE_NODES = 500',
    replace: 'export const MAX_RULE_NODES = Infinity',
    tests: [...HOSTILE_RULES, 'test/scoring/limits.test.ts', 'test/hostile/hostile-criteria-set.test.ts'],
  },
  {
    name: 'rule-declared-vars', what: 'a rule reads declared facts only: {"var":"__proto__"} / "constructor" are UNKNOWN_VAR',
    file: 'src/scoring/rules/analyze.ts',
    find: '    if (type === null) {',
    replace: '    if (false) {',
    tests: HOSTILE_RULES,
  },
  {
    name: 'rule-prototype-ref', what: '"ref.constructor" / "ref.__proto__" do not resolve to Object.prototype members',
    file: 'src/scoring/check-set.ts',
    find: 'def.references && Object.hasOwn(def.references, name) ? def.references[name] : undefined',
    replace: 'def.references ? def.references[name] : undefined',
    tests: HOSTILE_RULES,
  },
  {
    name: 'rule-finite-literals', what: 'a non-finite number literal in a rule is refused (NON_FINITE_LITERAL)',
    file: 'src/scoring/rules/analyze.ts',
    find: '      if (!Number.isFinite(node)) {',
    replace: '      if (false) {',
    tests: HOSTILE_RULES,
  },
  {
    name: 'verifier-non-finite', what: 'the verifier reports a rule that gives NaN or Infinity on some sample (RULE_NON_FINITE)',
    file: 'src/verify/verify.ts',
    find: "else if (!Number.isFinite(value)) report('RULE_NON_FINITE'",
    replace: "else if (false) report('RULE_NON_FINITE'",
    tests: ['test/verify/verify.test.ts'],
  },
  {
    name: 'score-non-finite', what: 'a rule that gives NaN or Infinity while scoring is an error, never points',
    file: 'src/scoring/evaluate.ts',
    find: "      if (typeof v !== 'number' || !Number.isFinite(v)) {",
    replace: "      if (typeof v !== 'number') {",
    also: [{ file: 'src/scoring/evaluate.ts', find: "      if (typeof v === 'number' && !Number.isFinite(v)) return fail(", replace: '      if (false) return fail(' }],
    tests: ['test/protections/score-non-finite.test.ts'],
  },
  // ── transport, rate limits, storage, a second process (issue 11: M2 and the low findings) ──
  {
    name: 'request-timeouts', what: 'slow or silent clients (incomplete headers, a stalled or dripped body) are closed by the headers, idle and request timeouts',
    file: 'src/app.ts',
    find: '    ...transportOptions(config),\n',
    replace: '',
    tests: [TRANSPORT],
  },
  {
    name: 'idle-timeout-spares-work', what: 'a request the service works on for longer than the idle timeout is answered, not cut',
    file: 'src/app.ts',
    find: '  installIdleTimer(app, config.connectionTimeoutMs)\n',
    replace: '',
    tests: [TRANSPORT],
  },
  {
    name: 'connection-cap', what: 'past MAX_CONNECTIONS new connections are dropped',
    file: 'src/http/plugins/transport.ts',
    find: '  if (config.maxConnections > 0) app.server.maxConnections = config.maxConnections\n',
    replace: '',
    tests: [TRANSPORT],
  },
  {
    name: 'connection-cap-per-address', what: "one address's connections past MAX_CONNECTIONS_PER_ADDRESS get 503 TOO_MANY_CONNECTIONS; other addresses get in",
    file: 'src/http/plugins/transport.ts',
    find: '      if (n > cap) {',
    replace: '      if (false) {',
    tests: [TRANSPORT],
  },
  {
    name: 'score-rate-limit', what: 'POST /v1/score past SCORE_RATE_LIMIT per address answers 429 RATE_LIMITED with Retry-After',
    file: 'src/http/plugins/rate-limit.ts',
    find: 'limits.score.hit(`ip:${request.ip}`)',
    replace: '{ limited: false as const }',
    tests: ['test/http/rate-limit.test.ts'],
  },
  {
    name: 'write-rate-limit', what: 'writes past WRITE_RATE_LIMIT per key answer 429 RATE_LIMITED with Retry-After and change nothing',
    file: 'src/http/plugins/rate-limit.ts',
    find: 'limits.writes.hit(`key:${request.actor.keyId}`)',
    replace: '{ limited: false as const }',
    tests: ['test/http/rate-limit.test.ts'],
  },
  {
    name: 'forwarded-for-untrusted', what: 'X-Forwarded-For gives the client address only when TRUST_PROXY names the sender',
    file: 'src/http/plugins/transport.ts',
    find: '...(config.trustProxy.length > 0 ? { trustProxy: config.trustProxy } : {}),',
    replace: 'trustProxy: true,',
    tests: ['test/http/rate-limit.test.ts'],
  },
  {
    name: 'ready-writable', what: '/ready fails when the database does not take writes (read-only, full)',
    file: 'src/http/routes/ops.ts',
    find: 'for (const check of [writable(), await freeSpace()])',
    replace: 'for (const check of [await freeSpace()])',
    tests: [STORAGE],
  },
  {
    name: 'ready-free-space', what: '/ready fails when the data file system has less than READY_MIN_FREE_MB free',
    file: 'src/http/routes/ops.ts',
    find: 'for (const check of [writable(), await freeSpace()])',
    replace: 'for (const check of [writable()])',
    tests: [STORAGE],
  },
  {
    name: 'storage-errors-503', what: 'a write on a read-only or full database answers 503 STORAGE_READONLY / STORAGE_FULL, not 500',
    file: 'src/http/plugins/errors.ts',
    find: '    const storage = storageFailure(err)\n',
    replace: '    const storage = null as ReturnType<typeof storageFailure>\n',
    tests: [STORAGE],
  },
  {
    name: 'published-set-reload', what: 'a set published by another process on the same database is found at the first lookup (scored, pinned by a period)',
    file: 'src/app.ts',
    find: '    installSetReload(v1, services.scoring)\n',
    replace: '',
    tests: [TWO_PROCESSES],
  },
  {
    name: 'set-reload-needs-a-write', what: 'lookup misses reload nothing when no write happened since the last reload',
    file: 'src/services/scoring.ts',
    find: 'if (await src.version() === src.lastVersion) return false',
    replace: 'if (false) return false',
    tests: [TWO_PROCESSES],
  },
  {
    name: 'set-reload-interval', what: 'reloads after lookup misses are at least RELOAD_INTERVAL_MS apart',
    file: 'src/services/scoring.ts',
    find: '        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))\n',
    replace: '',
    tests: [TWO_PROCESSES],
  },
  {
    name: 'request-id-checked', what: 'a hostile x-request-id (newlines, 10 KB, bidi) is replaced, never logged or echoed',
    file: 'src/app.ts',
    find: '    requestIdHeader: false,\n    genReqId: requestId,\n',
    replace: "    requestIdHeader: 'x-request-id',\n",
    tests: ['test/http/request-id.test.ts'],
  },
  {
    name: 'set-reload-withdrawn', what: 'a set withdrawn before this process saw it is still found by version (pinned assessments) after a reload',
    file: 'src/services/criteria-authoring.ts',
    find: "this.catalog.addSetDef(s.definition as CriteriaSetDef, origin(s))) added++",
    replace: "this.catalog.addSetDef(s.definition as CriteriaSetDef, origin(s)) && s.status === 'published') added++",
    tests: [TWO_PROCESSES],
  },
  // ── audit, documents, downloads, exports and names (issue 11: H2, M1, M3 and the low findings) ──
  {
    name: 'audit-diff', what: 'an assessment save stores only the facts it changed in the audit log, not the whole facts twice',
    file: 'src/repositories/sqlite/assessments.ts',
    find: "writeAudit(db, audit, 'assessment', id, ...auditDiff(auditView(before), auditView(auditRowOf(after))))",
    replace: "writeAudit(db, audit, 'assessment', id, auditView(before), auditView(auditRowOf(after)))",
    tests: ['test/http/audit-pages.test.ts'],
  },
  {
    name: 'audit-old-entries-as-diffs', what: 'audit entries stored with whole facts (before diffs) are read as diffs',
    file: 'src/repositories/sqlite/audit.ts',
    find: 'return { items: (rows as AuditEntry[]).map(asDiff), total }',
    replace: 'return { items: rows as AuditEntry[], total }',
    tests: ['test/http/audit-pages.test.ts'],
  },
  {
    name: 'audit-entry-bounded', what: 'a fact value over 4 KB, or a side over 64 KB, is a stub (length, sha256) in the audit entry',
    file: 'src/repositories/sqlite/audit.ts',
    find: '    out[k] = json.length > AUDIT_MAX_VALUE_CHARS ? stub(json) : v\n',
    replace: '    out[k] = v\n',
    also: [{ file: 'src/repositories/sqlite/audit.ts', find: '  if (total <= AUDIT_MAX_FACTS_CHARS) return out\n', replace: '  return out\n' }],
    tests: ['test/http/audit-pages.test.ts'],
  },
  {
    name: 'audit-paginated', what: 'GET …/audit answers one page (default 50, at most 100) with total and next',
    file: 'src/repositories/sqlite/audit.ts',
    find: '.orderBy(asc(auditLog.id)).limit(page.limit).offset(page.offset).all()',
    replace: '.orderBy(asc(auditLog.id)).all()',
    tests: ['test/http/audit-pages.test.ts'],
  },
  {
    name: 'documents-paginated', what: 'GET …/documents answers one page (default 100, at most 500) with total and next',
    file: 'src/repositories/sqlite/documents.ts',
    find: '.orderBy(asc(documents.createdAt), asc(documents.id)).limit(page.limit).offset(page.offset).all()',
    replace: '.orderBy(asc(documents.createdAt), asc(documents.id)).all()',
    tests: ['test/http/audit-pages.test.ts'],
  },
  {
    name: 'documents-capped', what: 'an assessment holds at most 500 documents (409 TOO_MANY_DOCUMENTS)',
    file: 'src/repositories/sqlite/documents.ts',
    find: "        if (n >= check.maxDocuments) return refused('limit')\n",
    replace: '',
    tests: ['test/http/audit-pages.test.ts'],
  },
  {
    name: 'upload-state-at-insert', what: 'an upload finished after the assessment left an editable state is refused at the insert (409), its file removed',
    file: 'src/repositories/sqlite/documents.ts',
    find: "        if (!check.states.includes(a.state as AssessmentState)) return refused('state')\n",
    replace: '',
    tests: ['test/http/upload-state-at-insert.test.ts'],
  },
  {
    name: 'upload-version-at-insert', what: 'an upload sent with If-Match lands only if the assessment is still at that version (412)',
    file: 'src/repositories/sqlite/documents.ts',
    find: "        if (check.expectedVersion !== undefined && a.version !== check.expectedVersion) return refused('version')\n",
    replace: '',
    tests: ['test/http/upload-state-at-insert.test.ts'],
  },
  {
    name: 'upload-refused-file-removed', what: 'the file of an upload refused at the insert does not stay in the uploads dir',
    file: 'src/services/documents.ts',
    find: '      if (stored.created && !(await this.ctx.store.documents.fileInUse(stored.sha256))) this.files.remove(stored.sha256)\n',
    replace: '',
    tests: ['test/http/upload-state-at-insert.test.ts'],
  },
  {
    name: 'download-name-sanitised', what: "a download is named by a cleaned stem plus the accepted type's extension (no bidi override, no .hta/.bat)",
    file: 'src/services/documents.ts',
    find: "  const ext = (mediaType && MEDIA_TYPES[mediaType]?.ext) || 'bin'\n",
    replace: "  if (uploaded) return uploaded\n  const ext = (mediaType && MEDIA_TYPES[mediaType]?.ext) || 'bin'\n",
    tests: ['test/http/download-names.test.ts'],
  },
  {
    name: 'office-zip-structure', what: 'a .docx/.xlsx/.pptx must be a ZIP with [Content_Types].xml and its word/, xl/ or ppt/ part (415 NOT_AN_OFFICE_FILE)',
    file: 'src/services/documents.ts',
    find: '        type.office ? (path, size) => checkOfficeZip(path, size, type.office as string) : undefined)',
    replace: '        undefined)',
    tests: ['test/http/download-names.test.ts'],
  },
  {
    name: 'csv-formula-fullwidth', what: 'CSV cells neutralise = + - @ behind leading spaces or format characters, and the full-width ＝＋－＠',
    file: 'src/reports/csv.ts',
    find: 'const FORMULA_START = /^[\\t\\r]|^[\\p{Zs}\\p{Cf}\\t\\r\\n\\v\\f]*[=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20]/u',
    replace: 'const FORMULA_START = /^[=+\\-@\\t\\r]/',
    tests: ['test/reports/csv.test.ts'],
  },
  {
    name: 'xlsx-codes-as-text', what: 'school codes in the XLSX are text cells of format "@" (01234567 keeps its zero)',
    file: 'src/reports/xlsx.ts',
    find: "      if (c.code) row.getCell(i + 1).numFmt = '@'\n",
    replace: '',
    tests: ['test/reports/xlsx.test.ts'],
  },
  {
    name: 'names-no-controls', what: 'period titles, document titles and reasons with bidi or control characters are 400 with the path',
    file: 'src/http/schemas/common.ts',
    find: 'pattern: opts.multiline ? MULTILINE_TEXT_PATTERN : PLAIN_TEXT_PATTERN',
    replace: "pattern: ''",
    tests: ['test/http/names-no-controls.test.ts'],
  },
  {
    name: 'upload-title-no-controls', what: "an upload's title with a bidi or control character is 400 CONTROL_CHARACTERS",
    file: 'src/services/documents.ts',
    find: "      if (control) throw invalid('CONTROL_CHARACTERS', controlCharMessage('Tiêu đề minh chứng', control), '/title')\n",
    replace: '',
    tests: ['test/http/names-no-controls.test.ts'],
  },
  {
    name: 'school-csv-names-no-controls', what: 'a school name with a bidi or control character in the CSV import is a row error',
    file: 'src/services/school-csv.ts',
    find: "    else if (control) err('name', 'CONTROL_CHARACTERS', controlCharMessage('Tên trường', control))\n",
    replace: '',
    tests: ['test/http/csv-import.test.ts'],
  },
  {
    name: 'names-no-controls-units-schools', what: 'school names (create, rename) and unit names (create, rename) with bidi or control characters are 400 CONTROL_CHARACTERS at /name',
    file: 'src/http/routes/schools.ts',
    find: 'const name = plainText(2, 300)\n',
    replace: "const name = { type: 'string', minLength: 2, maxLength: 300 } as const\n",
    also: [
      { file: 'src/http/routes/units.ts', find: 'code, name: plainText(1, 300), type:', replace: "code, name: { type: 'string', minLength: 1, maxLength: 300 }, type:" },
      { file: 'src/http/routes/units.ts', find: 'properties: { name: plainText(1, 300), toYear:', replace: "properties: { name: { type: 'string', minLength: 1, maxLength: 300 }, toYear:" },
    ],
    tests: ['test/http/names-no-controls.test.ts'], grep: '^(school|unit) names',
  },
  {
    name: 'extension-reason-no-controls', what: "a deadline extension's reason with a bidi or control character is 400 CONTROL_CHARACTERS at /reason (line breaks kept)",
    file: 'src/http/routes/periods.ts',
    find: 'reason: plainText(1, 1000, { multiline: true })',
    replace: "reason: { type: 'string', minLength: 1, maxLength: 1000 }",
    tests: ['test/http/names-no-controls.test.ts'], grep: '^deadline extensions',
  },
  {
    name: 'control-characters-error', what: 'a name refused by the plain-text pattern is reported as CONTROL_CHARACTERS naming the character, not "must match pattern …"',
    file: 'src/http/plugins/errors.ts',
    find: "      if (v.keyword === 'pattern' && isPlainTextPattern(v.params.pattern)) {\n",
    replace: '      if (false) {\n',
    tests: ['test/http/names-no-controls.test.ts'],
  },
  {
    name: 'school-csv-utf8', what: 'a school CSV that is not UTF-8 is 400 NOT_UTF8, not stored as mojibake',
    file: 'src/services/school-csv.ts',
    find: "new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })",
    replace: "new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })",
    tests: ['test/http/csv-import.test.ts'],
  },
  // ── history, keys, periods and codes (issue 11: H1, M4, M5 and the low findings) ──
  {
    name: 'membership-history', what: 'a move may not end or replace a membership outside the key\'s subtree (H1: 403, the old district keeps its years)',
    file: 'src/services/schools.ts',
    find: '    await this.requireHistoryOwned(actor, s, fromYear)\n',
    replace: '',
    tests: ['test/http/memberships-history.test.ts'],
  },
  {
    name: 'periods-visible-in-sql', what: 'GET /v1/periods filters by visibility in SQL: another unit\'s 10,000 periods do not empty a key\'s list (M4)',
    file: 'src/services/periods.ts',
    find: '    return this.ctx.store.periods.listVisible(scope, { year }, page)\n',
    // What the service did before: the first 10,000 periods, newest year first, filtered in code.
    replace: [
      "    const all = (await this.ctx.store.periods.listVisible({ kind: 'all' }, { year }, { limit: 10_000, offset: 0 })).items",
      '    const out: Period[] = []',
      '    for (const p of all) if (await this.visible(actor, p)) out.push(p)',
      '    return { items: out.slice(page.offset, page.offset + page.limit), total: out.length }',
      '',
    ].join('\n'),
    tests: ['test/http/periods-visible.test.ts'],
  },
  {
    name: 'minted-keys-revoked', what: 'revoking a key revokes the keys minted from it, transitively (M5)',
    file: 'src/services/keys.ts',
    find: '    return (await this.ctx.store.keys.revokeWithMinted(id, audit)) as { key: ApiKey; alsoRevoked: ApiKey[] }',
    replace: '    return { key: (await this.ctx.store.keys.revoke(id, audit)) as ApiKey, alsoRevoked: [] }',
    tests: ['test/http/keys-revocation.test.ts'],
  },
  {
    name: 'mint-after-revoke', what: 'a key revoked after its request authenticated mints nothing (401)',
    file: 'src/services/keys.ts',
    find: '      if (!me || me.revokedAt !== null) throw',
    replace: '      if (!me) throw',
    tests: ['test/http/keys-revocation.test.ts'],
  },
  {
    name: 'peer-key-revoke', what: 'a reviewer may not revoke a peer\'s key of its own unit (403)',
    file: 'src/services/keys.ts',
    find: "    if (k.role === 'reviewer' && k.unitId === actor.unitId) {",
    replace: '    if (false) {',
    tests: ['test/http/keys-revocation.test.ts'],
  },
  {
    name: 'keys-listing-scope', what: 'GET /v1/keys shows a reviewer only the keys it may revoke',
    file: 'src/repositories/sqlite/keys.ts',
    find: "  if (scope.kind === 'all') return undefined\n",
    replace: '  return undefined\n',
    tests: ['test/http/keys-listing.test.ts'],
  },
  {
    name: 'codes-case-insensitive', what: 'unit and school codes are unique whatever their case (hn-a beside HN-A, s1 beside S1: 409)',
    file: 'migrations/sqlite/0002_codes_nocase_minted_by.sql',
    find: 'CREATE UNIQUE INDEX `schools_moet_code_nocase` ON `schools` (lower("moet_code"));',
    replace: 'SELECT 1;',
    also: [
      { file: 'migrations/sqlite/0002_codes_nocase_minted_by.sql', find: 'CREATE UNIQUE INDEX `units_code_nocase` ON `units` (lower("code"));', replace: 'SELECT 1;' },
      { file: 'src/services/schools.ts', find: '    await this.requireNewCode(input.moetCode)\n', replace: '' },
      { file: 'src/services/schools.ts', find: 'if (other && other.code !== r.moetCode)', replace: 'if (false)' },
      { file: 'src/services/units.ts', find: 'const same = await this.ctx.store.units.byCodeIgnoringCase(input.code)', replace: 'const same = await this.ctx.store.units.byCode(input.code)' },
    ],
    tests: ['test/http/codes-case-insensitive.test.ts', 'test/db/codes-nocase-migration.test.ts'],
  },
  {
    name: 'codes-duplicates-named', what: 'migration 0002 refuses a database whose codes differ only in case, naming them (nothing deleted)',
    file: 'migrations/sqlite/0002_codes_nocase_minted_by.sql',
    find: 'BEFORE INSERT ON `_codes_nocase_check` BEGIN',
    replace: 'BEFORE INSERT ON `_codes_nocase_check` WHEN 0 BEGIN',
    tests: ['test/db/codes-nocase-migration.test.ts'],
  },
  {
    name: 'membership-unit-exists', what: 'memberships and periods only for a unit that exists in their school year (400 UNIT_NOT_IN_YEAR)',
    file: 'src/services/year-window.ts',
    find: '  if (!unitExistsIn(u, year)) {',
    replace: '  if (false) {',
    tests: ['test/http/school-years-units.test.ts'],
  },
  {
    name: 'school-year-window', what: 'school years of memberships and periods from 2015-2016 to the next school year (400 SCHOOL_YEAR_OUT_OF_RANGE)',
    file: 'src/services/year-window.ts',
    find: '  if (year < EARLIEST_SCHOOL_YEAR || year > latest) {',
    replace: '  if (false) {',
    tests: ['test/http/school-years-units.test.ts'],
  },
  // ── the event-loop delay monitor of bench:mixed (issue 11 item 5) ──
  {
    name: 'loop-monitor-hook', what: 'CDS_LOOP_MONITOR=1 makes the server report its event-loop delay (bench/mixed.ts reads it)',
    file: 'src/server.ts',
    find: "if (process.env.CDS_LOOP_MONITOR === '1') (await import('./ops/loop-monitor.js')).startLoopMonitor()",
    replace: '',
    tests: ['test/load/loop-monitor.test.ts'],
    grep: 'the server reports',
  },
  {
    name: 'loop-monitor-reset', what: 'each report of the loop monitor starts a new window (a block is not counted twice)',
    file: 'src/ops/loop-monitor.ts',
    find: '    h.reset()\n',
    replace: '',
    tests: ['test/load/loop-monitor.test.ts'],
  },
  // ── bounded cost of criteria sets, the criteria-table reader, withdrawing sets (issue 11: H3, H4) ──
  {
    name: 'rule-read-set', what: 'runRule keeps the facts read in a Set (an array searched per fact made a rule of n facts cost n²)',
    file: 'src/scoring/rules/compile.ts',
    find: '    } else if (!seen.has(v)) {\n      seen.add(v)\n',
    replace: '    } else if (!out.read.includes(v)) {\n',
    tests: [HOSTILE_SET],
    grep: 'runRule is linear',
  },
  {
    name: 'limit-facts-per-rule', what: 'a rule reading more than 64 facts is refused (RULE_TOO_MANY_FACTS)',
    file: 'src/scoring/check-set.ts',
    find: '      if (vars.length > MAX_FACTS_PER_RULE) {',
    replace: '      if (false) {',
    tests: ['test/scoring/limits.test.ts', HOSTILE_SET],
  },
  {
    name: 'limit-set-size', what: 'a set of more than 10,000 rule nodes, 400 criteria or 500 facts is refused (SET_TOO_LARGE, TOO_MANY_CRITERIA, TOO_MANY_FACTS)',
    file: 'src/scoring/check-set.ts',
    find: '  if (setNodes > MAX_SET_NODES) {',
    replace: '  if (false) {',
    also: [
      { file: 'src/scoring/check-set.ts', find: '  if (criteriaCount > MAX_CRITERIA_PER_SET) {', replace: '  if (false) {' },
      { file: 'src/scoring/check-set.ts', find: '  if (facts.size > MAX_FACTS_PER_SET) {', replace: '  if (false) {' },
    ],
    tests: ['test/scoring/limits.test.ts'],
  },
  {
    name: 'hint-budget', what: 'hints stop re-running rules once the request\'s budget of rule nodes is spent, and say truncated',
    file: 'src/scoring/hints.ts',
    find: '  if (!budget.take(rule, trials.length)) return null\n',
    replace: '',
    tests: ['test/scoring/hints-budget.test.ts', HOSTILE_SET],
  },
  {
    name: 'verify-sample-budget', what: 'the verifier gives a large set fewer samples per rule, within its node budget',
    file: 'src/verify/verify.ts',
    find: '  const perRule = nodes === 0 ? FULL_SAMPLES : Math.floor(VERIFY_BUDGET_NODES / (2 * nodes))',
    replace: '  const perRule = FULL_SAMPLES',
    tests: ['test/verify/verify-cache.test.ts'],
  },
  {
    name: 'verify-cache', what: 'GET /v1/authored-sets/{id}/{version} and publish reuse the report of content already verified',
    file: 'src/services/criteria-authoring.ts',
    find: '      : this.verifyCache.get(key, () => this.runVerifier({ file, def }, this.catalog))',
    replace: '      : this.runVerifier({ file, def }, this.catalog)',
    also: [{ file: 'src/services/criteria-authoring.ts', find: '? await this.verifyCache.getAsync(key, async () => {', replace: '? await ((_k: string, f: () => Promise<FileReport[]>) => f())(key, async () => {' }],
    tests: [AUTHORING, 'test/workers/off-loop.test.ts'],
  },
  {
    name: 'fold-linear', what: 'the criteria-table reader folds a cell in one pass, and does not fold a header cell longer than 200 characters (H4)',
    file: 'src/authoring/text.ts',
    find: "export function dropParenthesised(s: string): string {\n  let out = ''",
    replace: "export function dropParenthesised(s: string): string {\n  if (s.length >= 0) return s.replace(/\\([^)]*\\)/g, ' ')\n  let out = ''",
    also: [{ file: 'src/authoring/csv-table.ts', find: '    const field = raw.length > MAX_NAME_LENGTH ? null : fieldOf(raw)', replace: '    const field = fieldOf(raw)' }],
    tests: ['test/hostile/criteria-table-redos.test.ts'],
    grep: '120,000',
  },
  {
    name: 'withdraw-authorisation', what: 'only an admin, the owning unit or a unit above it withdraws a published set (403 school, 404 another unit)',
    file: 'src/services/criteria-authoring.ts',
    find: "    const set = await this.visible(actor, id, version)\n    if (set.status !== 'published') {",
    replace: "    const set = (await this.ctx.store.criteriaSets.byKey(id, version)) as AuthoredSet\n    if (set.status !== 'published') {",
    tests: [AUTHORING, ACCESS_GRID],
  },
  {
    name: 'withdrawn-refused', what: 'a withdrawn set is refused for new periods, new assessments and POST /v1/score (409 CRITERIA_SET_WITHDRAWN)',
    file: 'src/services/criteria-authoring.ts',
    find: '  if (version !== undefined && catalog.isWithdrawn(id, version)) {',
    replace: '  if (false) {',
    tests: [AUTHORING],
    grep: 'withdraw: state',
  },
]

// ───────────────────────────── runner ─────────────────────────────

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Not copied: history, dependencies (symlinked), build output, scratch, data. */
const SKIP = new Set(['.git', 'node_modules', '.tmp', '.tap', '.bench-build', 'dist', 'data', 'coverage'])

interface Run { ok: boolean; total: number; fail: number; firstFailure: string | null; log: string }

function edits(p: Protection): Edit[] {
  return [p, ...(p.also ?? [])].map(({ file, find, replace }) => ({ file, find, replace }))
}

/** Every find string occurs exactly once in the given tree; the problems otherwise. */
function checkTable(root: string, list: Protection[]): string[] {
  const problems: string[] = []
  for (const p of list) {
    for (const e of edits(p)) {
      const path = join(root, e.file)
      const n = existsSync(path) ? readFileSync(path, 'utf8').split(e.find).length - 1 : -1
      if (n !== 1) problems.push(`${p.name}: ${n < 0 ? `${e.file} does not exist` : `the find string occurs ${n} times in ${e.file} (must be once)`}:\n    ${JSON.stringify(e.find)}`)
    }
    for (const t of p.tests) if (!existsSync(join(root, t))) problems.push(`${p.name}: test file ${t} does not exist`)
  }
  return problems
}

function copyTree(): { scratch: string; main: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'prove-'))
  const main = join(scratch, 'main')
  cpSync(ROOT, main, {
    recursive: true,
    filter: (src) => {
      const rel = relative(ROOT, src)
      return !SKIP.has(rel.split(sep)[0] as string) && !/\.(sqlite|db)(-wal|-shm|-journal)?$/.test(rel)
    },
  })
  symlinkSync(join(ROOT, 'node_modules'), join(main, 'node_modules'), 'dir')
  const shared = resolve(ROOT, '..', 'shared')
  if (existsSync(shared)) symlinkSync(shared, join(scratch, 'shared'), 'dir')
  mkdirSync(join(scratch, 'logs'))
  return { scratch, main }
}

function runTests(main: string, p: Protection, log: string): Run {
  const args = ['--disable-coverage', '--reporter=tap', ...(p.grep ? [`--grep=${p.grep}`] : []), ...p.tests]
  const fd = openSync(log, 'w')
  const r = spawnSync(join(main, 'node_modules', '.bin', 'tap'), args, { cwd: main, stdio: ['ignore', fd, fd], env: { ...process.env, FORCE_COLOR: '0' }, timeout: 20 * 60_000 })
  closeSync(fd)
  const out = readFileSync(log, 'utf8')
  // tap's closing summary: "# { total: 72, pass: 70, fail: 2 }" (fail absent when 0)
  const summary = out.match(/^# \{ total: .*\}$/gm)?.at(-1) ?? ''
  const count = (k: string) => Number(new RegExp(`${k}: (\\d+)`).exec(summary)?.[1] ?? 0)
  return { ok: r.status === 0 && count('fail') === 0, total: count('total'), fail: count('fail'), firstFailure: firstFailure(out), log }
}

/** The first failing assertion, with the subtests around it: "file › subtest › assertion". */
function firstFailure(tap: string): string | null {
  const stack: string[] = []
  for (const line of tap.split('\n')) {
    const sub = /^( *)# Subtest: (.*)$/.exec(line)
    if (sub) { stack.length = (sub[1] as string).length / 4; stack.push((sub[2] as string).replace(/^test\/.*\//, '')); continue }
    const fail = /^( *)not ok \d+ - (.*?)(?: # .*)?$/.exec(line)
    if (fail) return [...stack.slice(0, (fail[1] as string).length / 4), fail[2]].join(' › ')
  }
  return null
}

function main(argv: string[]): number {
  const keep = argv.includes('--keep')
  const names = argv.filter((a) => !a.startsWith('--'))
  if (argv.includes('--list')) {
    for (const p of PROTECTIONS) console.log(`${p.name.padEnd(26)} ${p.what}\n${''.padEnd(26)} guarded by ${p.tests.join(', ')}${p.grep ? ` (--grep ${p.grep})` : ''}`)
    return 0
  }
  const unknown = names.filter((n) => !PROTECTIONS.some((p) => p.name === n))
  if (unknown.length > 0) { console.error(`unknown protection(s): ${unknown.join(', ')} (see --list)`); return 2 }
  const selected = names.length > 0 ? PROTECTIONS.filter((p) => names.includes(p.name)) : PROTECTIONS
  const problems = checkTable(ROOT, selected)
  if (problems.length > 0) {
    console.error(`the protection table no longer matches the source (update .ci/prove-protections.ts):\n  ${problems.join('\n  ')}`)
    return 2
  }
  if (argv.includes('--check')) { console.log(`the table matches the source: ${selected.length} protection(s)`); return 0 }

  const { scratch, main } = copyTree()
  console.log(`${selected.length} protection(s); scratch copy of ${ROOT} at ${main}\n`)
  const width = Math.max(...selected.map((p) => p.name.length)) + 2
  const baselines = new Map<string, Run>()
  let proven = 0
  const bad: string[] = []
  for (const p of selected) {
    const key = `${p.tests.join(' ')} ${p.grep ?? ''}`
    let base = baselines.get(key)
    if (!base) {
      base = runTests(main, p, join(scratch, 'logs', `${p.name}.baseline.log`))
      baselines.set(key, base)
    }
    const head = `${p.name.padEnd(width)}baseline: `
    if (!base.ok || base.total === 0) {
      console.log(`${head}FAIL (${base.total === 0 ? 'no asserts ran' : `${base.fail} failed`})  ✗ the baseline must pass — ${base.log}`)
      bad.push(`${p.name}: baseline failed`)
      continue
    }
    const originals = new Map<string, string>()
    let mutated: Run
    try {
      for (const e of edits(p)) {
        const path = join(main, e.file)
        const text = readFileSync(path, 'utf8')
        if (!originals.has(path)) originals.set(path, text)
        writeFileSync(path, text.replace(e.find, () => e.replace))
      }
      mutated = runTests(main, p, join(scratch, 'logs', `${p.name}.mutated.log`))
    } finally {
      for (const [path, text] of originals) writeFileSync(path, text)
    }
    const baseText = `pass (${base.total} asserts)`
    if (mutated.ok) {
      console.log(`${head}${baseText}  mutated: pass (${mutated.total} asserts)  ✗ SURVIVED — no test fails without this protection`)
      bad.push(`${p.name}: mutation survived`)
    } else {
      console.log(`${head}${baseText}  mutated: FAIL (${mutated.fail > 0 ? `${mutated.fail} failed` : 'the run failed'})  ✓`)
      if (mutated.firstFailure) console.log(`${''.padEnd(width)}first failure: ${mutated.firstFailure.slice(0, 160)}`)
      proven++
    }
  }

  console.log(`\n${proven} of ${selected.length} protections proven: each guarding test passes as is and fails without the protection.`)
  if (bad.length > 0) console.log(`not proven:\n  ${bad.join('\n  ')}\nlogs: ${join(scratch, 'logs')}`)
  if (bad.length === 0 && !keep) rmSync(scratch, { recursive: true, force: true })
  else console.log(`scratch copy kept: ${scratch}`)
  return bad.length === 0 ? 0 : 1
}

process.exitCode = main(process.argv.slice(2))
