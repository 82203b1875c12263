// Commands that work on the service's database (DB_FILE / DATA_DIR, as the server uses them):
//   cds migrate                 apply pending migrations
//   cds create-key --role admin --label "…" [--unit CODE | --school CODE]
//   cds seed-demo               a demo province with schools and assessments in every state
//   cds backup <file> [--force] a consistent copy of the database while the server runs (backup.ts)
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { Catalog } from '../criteria/catalog.js'
import { closeDatabase, openDatabase, runMigrations } from '../db/connection.js'
import { sqliteStore } from '../repositories/sqlite/index.js'
import { AppError } from '../services/errors.js'
import { createServices } from '../services/index.js'
import { ROLES, type Role } from '../repositories/types.js'
import { backupCommand } from './backup.js'
import { DemoExists, seedDemo } from './seed-demo.js'

interface Io { out: (s: string) => void; err: (s: string) => void }

export const SERVICE_COMMANDS = ['migrate', 'create-key', 'seed-demo', 'backup'] as const

export async function runServiceCommand(command: string, argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const config = loadConfig(env)
  if (command === 'migrate') {
    const conn = openDatabase(config.dbFile, { migrate: false })
    try {
      const before = countApplied(conn.sqlite)
      runMigrations(conn)
      io.out(`${config.dbFile}: ${countApplied(conn.sqlite) - before} migration(s) applied, ${countApplied(conn.sqlite)} in total`)
    } finally { closeDatabase(conn) }
    return 0
  }
  // Never opens the database for writing nor migrates it: the server owns it.
  if (command === 'backup') return backupCommand(config.dbFile, argv, io)
  const clock = { now: new Date() }
  const store = sqliteStore(openDatabase(config.dbFile))
  const services = createServices(store, Catalog.load(), config, () => clock.now)
  try {
    if (command === 'create-key') {
      const { values } = parseArgs({ args: argv, options: { role: { type: 'string' }, label: { type: 'string' }, unit: { type: 'string' }, school: { type: 'string' } } })
      if (!values.role || !ROLES.includes(values.role as Role) || !values.label) {
        io.err('usage: cds create-key --role admin|reviewer|school --label "…" [--unit CODE | --school CODE]')
        return 2
      }
      const { key, record } = await services.keys.create(null, { role: values.role as Role, label: values.label, unitCode: values.unit, schoolCode: values.school })
      io.out(key)
      io.err(`${record.role} key ${record.id} "${record.label}" created; it is shown only once (send it as "Authorization: Bearer <key>")`)
      return 0
    }
    if (command === 'seed-demo') {
      const s = await seedDemo(services, clock)
      io.out([
        `Demo data in ${config.dbFile}: ${s.units} units, ${s.schools} schools, ${s.periods} periods.`,
        `Assessments: ${Object.entries(s.assessments).map(([k, v]) => `${k}: ${v}`).join(', ')}`,
        '', 'Keys (shown once):',
        `  admin                       ${s.keys.admin}`,
        `  reviewer (Sở GDĐT, unit MH) ${s.keys.reviewer}`,
        `  school ${s.keys.schoolCode} (draft, empty)    ${s.keys.school}`,
      ].join('\n'))
      return 0
    }
    io.err(`unknown command ${command}`)
    return 2
  } catch (e) {
    if (e instanceof DemoExists) { io.err(e.message); return 1 }
    if (e instanceof AppError) { io.err(`${e.code}: ${e.message}${e.path ? ` (${e.path})` : ''}`); return 1 }
    throw e
  } finally {
    await store.close()
  }
}

function countApplied(sqlite: import('better-sqlite3').Database): number {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get()
  return exists ? (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0
}
