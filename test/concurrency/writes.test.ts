// Concurrent writes against the real server (a child process, real sockets, requests really in
// flight at the same time):
//   1. stale ETags: 20 clients read the same version and PATCH at once — exactly one wins, the 19
//      others get 412 VERSION_MISMATCH naming the new version; retried in rounds until each client
//      has won once, with no lost update (the audit log chains every acknowledged write, in order);
//   2. 100 schools submit at once: the unit summary counts exactly the acknowledged submissions, with
//      the group distributions worked out here from the example bundles' hand-worked results.
// The server is one process over synchronous SQLite: a stale write may be refused by the version
// check on read or by the version in the UPDATE's WHERE clause; over HTTP both are the same 412.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { childEnv, LIMITS_OFF_ENV, ROOT, startServer } from '../support/server-process.js'
import { currentSchoolYear } from '../support/school-year.js'

// The server checks deadlines against the real clock: the current school year, a future deadline.
const { year: YEAR, deadline: DEADLINE } = currentSchoolYear()
const CLIENTS = 20
const SCHOOLS = 100
const BUNDLES = ['strong-thcs', 'gdtx-centre', 'weak-rural-th'] as const
type BundleName = (typeof BUNDLES)[number]

interface Reply { status: number; body: any; etag: string | null }

// Set by the outer test (which owns the server process) before the subtests run.
let base = ''
let admin = ''
let period: { id: string } = { id: '' }

async function call(key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const isText = typeof body === 'string'
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': isText ? 'text/csv' : 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text), etag: res.headers.get('etag') }
}
/** A setup step that must succeed with the given status. */
async function must(key: string, method: string, path: string, body: unknown, status: number, headers: Record<string, string> = {}): Promise<any> {
  const r = await call(key, method, path, body, headers)
  if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`)
  return r.body
}
const ifMatch = (v: number) => ({ 'if-match': `"${v}"` })
/** A copy in random order: the requests of a burst are sent in this order, so the winner varies. */
const shuffled = <T>(xs: readonly T[]): T[] => {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [out[i], out[j]] = [out[j] as T, out[i] as T] }
  return out
}
const schoolKey = async (schoolCode: string, label: string) => (await must(admin, 'POST', '/v1/keys', { role: 'school', label, schoolCode }, 201)).key as string

async function staleEtags(t: Test): Promise<void> {
  const started = Date.now()
  // The race school sits directly in the province, away from the district of the second test.
  await must(admin, 'POST', '/v1/schools', { moetCode: 'CC-RACE', name: 'Trường thử tranh chấp', levels: ['THCS'], ownership: 'public', unitCode: 'CC', fromYear: '2025-2026' }, 201)
  // 20 distinct clients: each its own school key (so the audit entry names who won).
  const keys = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => schoolKey('CC-RACE', `client-${i}`)))
  const created = await must(keys[0] as string, 'POST', '/v1/assessments', { schoolCode: 'CC-RACE', periodId: period.id }, 201)
  const id = created.id as string
  const v0 = created.version as number
  const valueOf = (client: number) => 1000 + client // each client writes its own teachers_total
  const factsOf = (client: number) => ({ teachers_total: valueOf(client), teachers_with_online_training_account: 0 })
  const patch = (client: number, version: number) =>
    call(keys[client] as string, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: factsOf(client) }, ifMatch(version))
  const audit = async () => (await must(admin, 'GET', `/v1/assessments/${id}/audit`, undefined, 200)).items as any[]
  const evidenceEntries = async () => (await audit()).filter((e) => e.action === 'assessment.evidence')

  // Round 1: everyone read version v0 (the ETag of GET) and fires at the same moment.
  const read = await Promise.all(keys.map((k) => call(k, 'GET', `/v1/assessments/${id}`)))
  t.same(read.map((r) => [r.status, r.etag]), keys.map(() => [200, `"${v0}"`]), `all 20 read version ${v0}`)
  // Sent in a random order (the first request out tends to win); replies indexed by client.
  const first: Reply[] = new Array(CLIENTS)
  await Promise.all(shuffled(keys.map((_, i) => i)).map(async (c) => { first[c] = await patch(c, v0) }))
  const winners = first.flatMap((r, i) => (r.status === 200 ? [i] : []))
  t.equal(winners.length, 1, 'exactly one 200')
  const losers = first.filter((r) => r.status !== 200)
  t.equal(losers.length, CLIENTS - 1, '19 others')
  t.same(losers.map((r) => [r.status, r.body?.error?.code, r.body?.error?.details?.currentVersion, r.etag]),
    losers.map(() => [412, 'VERSION_MISMATCH', v0 + 1, `"${v0 + 1}"`]), `every loser: 412 VERSION_MISMATCH, currentVersion ${v0 + 1} (also its ETag)`)
  const w0 = winners[0] as number
  t.equal(first[w0]?.body.version, v0 + 1, 'the winner\'s response is the new version')
  const stored = await must(admin, 'GET', `/v1/assessments/${id}`, undefined, 200)
  t.equal(stored.version, v0 + 1, 'stored version advanced by one')
  t.same(stored.facts, factsOf(w0), `the stored facts are the winner's (client ${w0})`)
  let entries = await evidenceEntries()
  t.equal(entries.length, 1, 'one evidence entry in the audit log')
  t.match(entries[0], { before: { version: v0 }, after: { version: v0 + 1, facts: factsOf(w0) } }, 'the entry: before v0, after v0 + 1 with the winner\'s facts')
  t.match(entries[0]?.actor, `(client-${w0})`, 'the entry names the winning client')

  // Further rounds: the clients that have not won yet re-read (all get the same version: nothing
  // writes between the reads and the burst) and fire again; one more wins per round.
  const ackOrder = [w0]
  const pending = new Set(keys.map((_, i) => i).filter((i) => i !== w0))
  const roundProblems: string[] = []
  for (let round = 2; pending.size > 0 && round <= CLIENTS + 5; round++) {
    const clients = shuffled([...pending])
    const reads = await Promise.all(clients.map((c) => call(keys[c] as string, 'GET', `/v1/assessments/${id}`)))
    const versions = new Set(reads.map((r) => r.body?.version as number))
    if (versions.size !== 1) { roundProblems.push(`round ${round}: reads saw versions ${[...versions].join(', ')}`); break }
    const v = [...versions][0] as number
    const replies = await Promise.all(clients.map((c) => patch(c, v)))
    const won = clients.filter((_, i) => replies[i]?.status === 200)
    const lost = replies.filter((r) => r.status !== 200)
    if (won.length !== 1) roundProblems.push(`round ${round}: ${won.length} writers got 200`)
    for (const r of lost) {
      if (r.status !== 412 || r.body?.error?.code !== 'VERSION_MISMATCH' || r.body?.error?.details?.currentVersion !== v + 1) {
        roundProblems.push(`round ${round}: a loser got ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)
      }
    }
    for (const c of won) { ackOrder.push(c); pending.delete(c) }
  }
  t.same(roundProblems, [], 'every round: one 200, the rest 412 VERSION_MISMATCH with the next version')
  t.equal(pending.size, 0, 'every client has succeeded once')
  t.equal(ackOrder.length, CLIENTS, `${CLIENTS} acknowledged writes`)
  t.equal(new Set(ackOrder).size, CLIENTS, 'each client acknowledged exactly once')

  // No lost update: the version advanced by exactly the acknowledged writes, and the audit log holds
  // each of them, in the order they were acknowledged, each starting from the previous one's result.
  const final = await must(admin, 'GET', `/v1/assessments/${id}`, undefined, 200)
  t.equal(final.version, v0 + ackOrder.length, `version ${v0} + ${ackOrder.length} acknowledged writes`)
  t.same(final.facts, factsOf(ackOrder.at(-1) as number), 'the stored facts are the last acknowledged write\'s')
  entries = await evidenceEntries()
  t.equal(entries.length, ackOrder.length, 'one audit entry per acknowledged write, none for a 412')
  t.same(entries.map((e) => e.after?.facts?.teachers_total), ackOrder.map(valueOf), 'audit entries in acknowledgement order')
  t.same(entries.map((e) => Number(/\(client-(\d+)\)$/.exec(e.actor)?.[1])), ackOrder, 'each entry by the client that was acknowledged')
  const chain = entries.map((e, i) => [e.before?.version, e.after?.version, i === 0 ? v0 : entries[i - 1]?.after?.version])
  t.same(chain.map(([b, a, prev]) => b === prev && a === (b as number) + 1), entries.map(() => true), 'each before.version = the previous after.version, and after = before + 1')
  t.same(entries.map((e) => e.before?.facts?.teachers_total ?? null), [null, ...ackOrder.slice(0, -1).map(valueOf)], 'each write started from the facts of the one before')
  const all = await audit()
  t.same(all.map((e) => e.action), ['assessment.create', ...ackOrder.map(() => 'assessment.evidence')], 'nothing else in the audit log')
  t.comment(`${ackOrder.length} rounds, ${CLIENTS * (CLIENTS + 1) / 2} PATCHes in ${Date.now() - started} ms`)
}

async function hundredSubmits(t: Test): Promise<void> {
  const started = Date.now()
  const bundles = Object.fromEntries(BUNDLES.map((name) => {
    const dir = new URL(`criteria/moet-4725/examples/`, ROOT)
    const input = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as { school: { levels: string[] }; facts: Record<string, unknown> }
    const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as { groups: Record<string, { total: number; level: number }> }
    return [name, { levels: input.school.levels, facts: input.facts, groups: expected.groups }]
  })) as Record<BundleName, { levels: string[]; facts: Record<string, unknown>; groups: Record<string, { total: number; level: number }> }>
  const GROUPS = ['I', 'II']

  // 100 schools in the district, one CSV import; school i gets bundle i mod 3 (34 strong, 33 gdtx, 33 weak).
  const schools = Array.from({ length: SCHOOLS }, (_, i) => ({ code: `CC${String(i).padStart(3, '0')}`, bundle: BUNDLES[i % BUNDLES.length] as BundleName }))
  const csv = ['moetCode,name,levels,ownership,unitCode,fromYear',
    ...schools.map((s, i) => `${s.code},Trường thử số ${i},${bundles[s.bundle].levels.join('|')},public,CC-D1,2025-2026`)].join('\n') + '\n'
  const imported = await must(admin, 'POST', '/v1/schools/import', csv, 200)
  t.equal(imported.created, SCHOOLS, `${SCHOOLS} schools imported`)

  // Each school (its own key) starts its assessment and saves its bundle's complete facts — the 100
  // schools concurrently. Each save's result is checked against the bundle's hand-worked totals.
  const prepared = await Promise.all(schools.map(async (s) => {
    const key = await schoolKey(s.code, `${s.code} IT`)
    const a = await must(key, 'POST', '/v1/assessments', { schoolCode: s.code, periodId: period.id }, 201)
    const saved = await must(key, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: bundles[s.bundle].facts }, 200, ifMatch(a.version))
    return { ...s, key, id: a.id as string, version: saved.version as number, complete: saved.complete as boolean, levels: saved.levels as { group: string; total: number; level: number }[] }
  }))
  t.ok(prepared.every((p) => p.complete), 'every saved assessment is complete')
  const wrong = prepared.filter((p) => JSON.stringify(p.levels.map((l) => [l.group, l.total, l.level]))
    !== JSON.stringify(GROUPS.map((g) => [g, bundles[p.bundle].groups[g]?.total, bundles[p.bundle].groups[g]?.level])))
  t.same(wrong.map((p) => p.code), [], 'every saved result is its bundle\'s hand-worked result')

  // All 100 submissions at once.
  const fired = Date.now()
  const replies = await Promise.all(prepared.map((p) => call(p.key, 'POST', `/v1/assessments/${p.id}/submit`, {}, ifMatch(p.version))))
  const burstMs = Date.now() - fired
  const acked = prepared.filter((_, i) => replies[i]?.status === 200)
  const refused = prepared.flatMap((p, i) => (replies[i]?.status === 200 ? [] : [{ code: p.code, status: replies[i]?.status, error: replies[i]?.body?.error?.code }]))
  t.equal(acked.length, SCHOOLS, `all ${SCHOOLS} submissions acknowledged`)
  // If some were not acknowledged, each refusal must be a client error with a stable code (and the
  // rollup below must still match the acknowledged set).
  t.same(refused.filter((r) => !(typeof r.status === 'number' && r.status >= 400 && r.status < 500 && typeof r.error === 'string' && /^[A-Z_]+$/.test(r.error))), [],
    'any refusal is a 4xx with a stable error code')
  if (refused.length > 0) t.comment(`refused: ${JSON.stringify(refused)}`)
  t.same(acked.map((p) => replies[prepared.indexOf(p)]?.body?.state), acked.map(() => 'submitted'), 'each acknowledged reply says submitted')

  // The server's own view of which are submitted: exactly the acknowledged ones.
  const listed = await must(admin, 'GET', `/v1/assessments?period=${period.id}&state=submitted&limit=500`, undefined, 200)
  t.same((listed.items as { id: string }[]).map((a) => a.id).sort(), acked.map((p) => p.id).sort(), 'the submitted assessments are exactly the acknowledged ones')

  const qs = new URLSearchParams({ period: period.id, includeSubmitted: 'true' })
  const s = await must(admin, 'GET', `/v1/units/CC-D1/summary?${qs}`, undefined, 200)
  t.equal(s.schools.inScope, SCHOOLS)
  t.same(s.schools.byState, { draft: SCHOOLS - acked.length, submitted: acked.length, returned: 0, approved: 0, published: 0, none: 0 }, 'byState.submitted = acknowledged; the rest still draft')
  t.equal(s.schools.counted, acked.length, 'counted = acknowledged')

  // The expected distributions are computed HERE from the acknowledged schools' bundles; each
  // bundle's group totals and levels are the hand-worked ones of its .expected.json ("workings"),
  // not the program's output. Conventions (as in test/http/rollup.test.ts): the mean/median of the
  // 2-decimal totals, rounded half-up to 2 decimals (the median of an even count is the mean of the
  // two middle values); levels counts only the levels present. Worked in integer cents (no binary
  // rounding). With all 100 acknowledged (34 strong-thcs, 33 gdtx-centre, 33 weak-rural-th):
  //   I  levels {1: 33, 2: 33, 3: 34}; mean (34 × 89.03 + 33 × 50.67 + 33 × 15.68)/100
  //      = (3027.02 + 1672.11 + 517.44)/100 = 5216.57/100 = 52.1657 → 52.17; median 50.67
  //   II levels {1: 33, 2: 33, 3: 34}; mean (34 × 80 + 33 × 58 + 33 × 46)/100 = 6152/100 = 61.52; median 58
  //   Mức 3 in both groups: the strong-thcs schools, 34 of 100 = 0.34
  const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den)) // round(num/den), num, den ≥ 0 integers
  const expectedGroup = (g: string) => {
    const cents = acked.map((p) => Math.round((bundles[p.bundle].groups[g]?.total as number) * 100)).sort((a, b) => a - b)
    const levels: Record<string, number> = {}
    for (const p of acked) { const l = String(bundles[p.bundle].groups[g]?.level); levels[l] = (levels[l] ?? 0) + 1 }
    const n = cents.length
    const sum = cents.reduce((x, y) => x + y, 0)
    const median = n === 0 ? null : n % 2 === 1 ? cents[(n - 1) / 2] as number : halfUp((cents[n / 2 - 1] as number) + (cents[n / 2] as number), 2)
    return { code: g, schools: n, levels, meanTotal: n === 0 ? null : halfUp(sum, n) / 100, medianTotal: median === null ? null : median / 100 }
  }
  const want = GROUPS.map(expectedGroup)
  if (acked.length === SCHOOLS) {
    // The worked numbers in the comment above, as a check on the computation itself.
    t.same(want, [
      { code: 'I', schools: 100, levels: { 1: 33, 2: 33, 3: 34 }, meanTotal: 52.17, medianTotal: 50.67 },
      { code: 'II', schools: 100, levels: { 1: 33, 2: 33, 3: 34 }, meanTotal: 61.52, medianTotal: 58 },
    ], 'the computed expectation equals the hand-worked one')
  }
  t.same(s.overall.groups.map((g: any) => ({ code: g.code, schools: g.schools, levels: g.levels, meanTotal: g.meanTotal, medianTotal: g.medianTotal })), want,
    'per group: level counts, mean and median of the acknowledged schools\' bundles')
  const top = acked.filter((p) => GROUPS.every((g) => bundles[p.bundle].groups[g]?.level === 3)).length
  t.same(s.overall.topLevelInAllGroups, { schools: top, share: acked.length === 0 ? null : halfUp(top * 10_000, acked.length) / 10_000 }, 'Mức 3 in both groups: the strong-thcs schools')
  t.comment(`setup ${fired - started} ms; ${SCHOOLS} concurrent submits answered in ${burstMs} ms; ${acked.length} acknowledged`)
}

// The outer test owns the server: its teardown (registered by startServer) SIGKILLs the child and
// removes its DATA_DIR, also when a step below throws.
t.test('concurrent writes against a real server process', async (t) => {
  const server = await startServer(t, LIMITS_OFF_ENV)
  base = `http://127.0.0.1:${server.port}`
  admin = execFileSync(process.execPath, [fileURLToPath(new URL('bin/cds.js', ROOT)), 'create-key', '--role', 'admin', '--label', 'concurrency test'], {
    cwd: ROOT, env: childEnv({ DATA_DIR: server.dataDir }), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000,
  }).trim()
  // A province and a district under it, both from 2025-2026; a period of the province.
  await must(admin, 'POST', '/v1/units', { code: 'CC', name: 'Tỉnh thử đồng thời', type: 'province', fromYear: '2025-2026' }, 201)
  await must(admin, 'POST', '/v1/units', { code: 'CC-D1', name: 'Huyện thử đồng thời', type: 'district', parentCode: 'CC', fromYear: '2025-2026' }, 201)
  period = await must(admin, 'POST', '/v1/periods', {
    unitCode: 'CC', schoolYear: YEAR, title: 'Đợt đánh giá thử đồng thời', criteriaSets: ['moet-4725'], submissionDeadline: DEADLINE,
  }, 201)

  await t.test('stale ETags: of 20 writers holding the same version exactly one wins; retries lose no update', staleEtags)
  await t.test('100 schools submit at once: the summary counts exactly the acknowledged submissions', hundredSubmits)
})
