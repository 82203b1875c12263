// The service commands on a real database file: migrate, create-key (admin bootstrap), seed-demo.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { runServiceCommand } from '../../src/cli/service-commands.js'
import { MIGRATIONS_DIR } from '../../src/db/connection.js'
import { loadCatalog } from '../helpers.js'

function io() {
  const o = { out: '', err: '' }
  return { o, io: { out: (s: string) => { o.out += `${s}\n` }, err: (s: string) => { o.err += `${s}\n` } } }
}

t.test('migrate, create-key, seed-demo on one data directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cds-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: dir }

  const m1 = io()
  t.equal(await runServiceCommand('migrate', [], m1.io, env), 0)
  // Every migration of the journal (its count grows with each release).
  const n = (JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length
  t.match(m1.o.out, `${n} migration(s) applied, ${n} in total`)
  const m2 = io()
  t.equal(await runServiceCommand('migrate', [], m2.io, env), 0)
  t.match(m2.o.out, `0 migration(s) applied, ${n} in total`, 'a second run applies nothing')

  const bad = io()
  t.equal(await runServiceCommand('create-key', ['--role', 'root', '--label', 'x'], bad.io, env), 2, 'an unknown role is a usage error')
  const k = io()
  t.equal(await runServiceCommand('create-key', ['--role', 'admin', '--label', 'Quản trị'], k.io, env), 0)
  const key = k.o.out.trim()
  t.match(key, /^cds_[A-Za-z0-9_-]{32}$/, 'only the key on stdout')
  t.match(k.o.err, /shown only once/)
  const noUnit = io()
  t.equal(await runServiceCommand('create-key', ['--role', 'reviewer', '--label', 'x', '--unit', 'NOPE'], noUnit.io, env), 1)
  t.match(noUnit.o.err, /NOT_FOUND/)

  const s = io()
  t.equal(await runServiceCommand('seed-demo', [], s.io, env), 0)
  t.match(s.o.out, /8 units, 36 schools, 2 periods/)
  const again = io()
  t.equal(await runServiceCommand('seed-demo', [], again.io, env), 1, 'a second seed is refused, not duplicated')
  t.match(again.o.err, /already exists/)

  // The seeded database, through the API: the bootstrap key works, every state is there.
  const app = await buildApp({ logger: false, catalog: loadCatalog(), config: { dbFile: join(dir, 'cds.sqlite'), uploadsDir: join(dir, 'uploads') } })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/v1/assessments?limit=500', headers: { authorization: `Bearer ${key}` } })
  t.equal(res.statusCode, 200)
  const items = JSON.parse(res.body).items as { state: string; externalLevels: unknown; complete: boolean; schoolYear: string }[]
  t.equal(items.length, 18 + 36, 'half the schools in the past year, all of them in the current one')
  const states = new Set(items.map((a) => a.state))
  t.same([...states].sort(), ['approved', 'draft', 'published', 'returned', 'submitted'], 'every workflow state')
  t.ok(items.some((a) => a.externalLevels !== null), 'some with an external assessment')
  t.ok(items.some((a) => a.state === 'draft' && !a.complete), 'some drafts partial')
  const reviewerKey = /reviewer \(Sở GDĐT, unit MH\) (cds_\S+)/.exec(s.o.out)?.[1] as string
  const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${reviewerKey}` } })
  t.equal(JSON.parse(me.body).unitCode, 'MH', 'the printed reviewer key works')
  const past = await app.inject({ method: 'GET', url: '/v1/schools?unit=MH-D1&year=2024-2025', headers: { authorization: `Bearer ${key}` } })
  t.equal(JSON.parse(past.body).items.length, 12, 'a past district still has its schools for its years')
  const now = await app.inject({ method: 'GET', url: '/v1/schools?unit=MH-D1&year=2025-2026', headers: { authorization: `Bearer ${key}` } })
  t.equal(JSON.parse(now.body).items.length, 0, 'and none after the reform')
  // The printed console accounts sign in with the printed password; the returned school's
  // assessment is the one returned with a reason.
  const password = /password, shown once: (\S+)\):/.exec(s.o.out)?.[1] as string
  for (const username of ['demo-quantri', 'demo-so', 'demo-truong', 'demo-truong-tra-lai']) {
    t.ok(await app.services.users.authenticate(username, password), `${username} signs in with the printed password`)
  }
  const returned = (await app.services.ctx.store.users.byUsername('demo-truong-tra-lai'))!.user
  const school = await app.services.ctx.store.schools.byId(returned.schoolId as number)
  t.ok(items.some((a) => a.state === 'returned' && (a as unknown as { school: { moetCode: string } }).school.moetCode === school?.moetCode), 'demo-truong-tra-lai\'s school has a returned phiếu')
})
