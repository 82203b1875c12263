// The authorization grid: every route of the route table × every actor × own and other targets →
// the expected status and error code (test/http/route-table.ts: ROUTES and GRID).
//
//   1. GRID has an entry for every route of ROUTES and nothing else, every target a cell for every
//      actor, and ROUTES is the app's router: a new route cannot be left out of the grid.
//   2. Each cell is one request from a known state of the world (a stage: no assessments, draft,
//      submitted, approved — chosen so that the action would be legal for the right key, so a
//      refusal is about who asks, not about the state — and "moved": S1 left LB for PX the next
//      school year). The database is restored from an in-memory snapshot before every cell (and the
//      clock set to the stage's), so an allowed write starts from the same world as a refused one.
//   3. One assertion per cell: "<route> [<target>] × <actor>(<relation>) → <status> <code>".
//   4. A refused cell changes nothing: the hash of every table (audit log included) and the files
//      in the uploads directory are the same after it as at its stage.
//   5. Lists: an allowed actor gets back exactly the items in its scope.
//   Cells where the code answers otherwise than the documented rules (listed in route-table.ts)
//   assert the rule as a tap "todo" and today's answer as a normal assertion: the suite passes, the
//   gap stays visible, and a change either way fails until the cell is updated.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { openDatabase } from '../../src/db/connection.js'
import { sqliteStore } from '../../src/repositories/sqlite/index.js'
import { dbHash, restoreDb, snapshotDb } from '../support/db-state.js'
import { harness } from './app.js'
import {
  ACTORS, buildGridWorld, fastifyPath, GRID, RELATIONS, routeName, ROUTES, routesFromTree, STAGE_NOW, STAGES,
  type Cell, type GridFixture, type GridRequest, type KeyedActor, type Stage,
} from './route-table.js'

const KEYED = ACTORS.filter((a): a is KeyedActor => a !== 'anonymous')

/** "200", "201", … for a success; "<status> <error code>" otherwise. */
function outcomeOf(res: LightMyRequestResponse): string {
  if (res.statusCode < 300) return String(res.statusCode)
  let code: string | undefined
  try { code = (JSON.parse(res.body) as { error?: { code?: string } }).error?.code } catch { code = undefined }
  return `${res.statusCode} ${code ?? '(no error code)'}`
}

const wantOf = (c: Cell) => (typeof c === 'string' ? c : c.want)
const nowOf = (c: Cell) => (typeof c === 'string' ? c : c.now)
const refuses = (o: string) => !o.startsWith('2')

t.test('the grid covers every route of the table, and the table is the router', async (t) => {
  const names = ROUTES.map(routeName)
  t.same(Object.keys(GRID).sort(), [...names].sort(), 'GRID has an entry for exactly the routes of ROUTES')
  for (const r of ROUTES) {
    const targets = GRID[routeName(r)] ?? []
    t.ok(targets.length > 0, `${routeName(r)}: at least one target`)
    for (const target of targets) {
      t.same(Object.keys(target.expect).sort(), [...KEYED].sort(), `${routeName(r)} [${target.name}]: a cell for every keyed actor`)
      if (target.items) {
        const listed = KEYED.filter((a) => wantOf(target.expect[a]) === '200' || nowOf(target.expect[a]) === '200')
        t.same(Object.keys(target.items.expect).sort(), listed.sort(), `${routeName(r)} [${target.name}]: the items of every actor that lists`)
      }
    }
    if (!r.public) {
      const cells = targets.flatMap((x) => KEYED.map((a) => wantOf(x.expect[a])))
      t.ok(cells.some((c) => !refuses(c)), `${routeName(r)}: some key may use it`)
    }
  }
  const h = await harness(t, { seed: false })
  const routed = routesFromTree(h.app.printRoutes({ commonPrefix: false })).filter((r) => r.split(' ')[1]?.startsWith('/v1/'))
  t.same([...routed].sort(), ROUTES.map((r) => `${r.method} ${fastifyPath(r.path)}`).sort(), 'ROUTES lists exactly the /v1 routes of the router')
})

t.test('every route × every actor × own and other', async (t) => {
  const started = performance.now()
  const store = sqliteStore(openDatabase(':memory:'))
  const h = await harness(t, { store })
  const conn = store.connection
  const stageHash = {} as Record<Stage, Record<string, string>>
  const world = await buildGridWorld(h, (stage) => {
    snapshotDb(conn, `grid_${stage}`)
    stageHash[stage] = dbHash(conn)
  })
  for (const stage of STAGES) {
    restoreDb(conn, `grid_${stage}`)
    t.same(dbHash(conn), stageHash[stage], `the snapshot of stage "${stage}" restores to the same database`)
  }
  const uploads = () => readdirSync(h.uploadsDir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(h.uploadsDir, p)).isFile()).sort()

  let cells = 0
  let todos = 0
  for (const r of ROUTES) {
    const targets = GRID[routeName(r)]
    if (!targets) continue // the test above fails
    await t.test(routeName(r), async (t) => {
      for (const target of targets) {
        const stage = target.stage ?? 'draft'
        const f: GridFixture = { ...world.fixture, version: world.versions[stage] }
        h.clock.set(STAGE_NOW[stage])
        for (const actor of ACTORS) {
          restoreDb(conn, `grid_${stage}`)
          const cell: Cell = actor === 'anonymous' ? (r.public ? '200' : '401 UNAUTHENTICATED') : target.expect[actor]
          const want = wantOf(cell)
          const relation = actor === 'anonymous' ? 'no key' : RELATIONS[target.scope][actor]
          const what = `${routeName(r)} [${target.name}] × ${actor}(${relation}) → ${want}`
          const req: GridRequest = target.req ? target.req(f) : { url: r.url(f), body: r.body?.(f), headers: r.headers?.(f) }
          const filesBefore = uploads()
          const res = await h.req(actor === 'anonymous' ? null : h.keys[actor], r.method, req.url, req.body, req.headers)
          const got = outcomeOf(res)
          cells++
          if (typeof cell === 'string') {
            t.equal(got, want, what)
          } else {
            // What the rules want (todo until the code follows them), and what the code answers today.
            todos++
            t.equal(got, want, `${what} (todo: ${cell.todo})`, { todo: cell.todo })
            t.equal(got, cell.now, `${what.replace(/→ .*$/, `→ ${cell.now}`)} today (the rules want ${want})`)
          }
          const now = nowOf(cell)
          if (refuses(want) || refuses(now)) {
            const todo = refuses(now) ? {} : { todo: typeof cell === 'string' ? '' : cell.todo }
            t.same({ db: dbHash(conn), files: uploads() }, { db: stageHash[stage], files: filesBefore }, `${what}: nothing changed`, todo)
          }
          const items = actor === 'anonymous' ? undefined : target.items?.expect[actor]
          if (items !== undefined && got === '200') {
            const names = (h.json(res).items as unknown[]).map(target.items!.name).sort()
            const lists = (xs: string[]) => `lists ${xs.length ? xs.join(', ') : 'nothing'}`
            if (Array.isArray(items)) {
              t.same(names, [...items].sort(), `${what}: ${lists(items)}`)
            } else {
              t.same(names, [...items.want].sort(), `${what}: ${lists(items.want)} (todo: ${items.todo})`, { todo: items.todo })
              t.same(names, [...items.now].sort(), `${what}: ${lists(items.now)} today`)
            }
          }
        }
      }
    })
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  t.comment(`${cells} cells (${todos} todo) over ${ROUTES.length} routes in ${seconds} s`)
})
