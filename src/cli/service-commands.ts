// Commands that work on the service's database (DB_FILE / DATA_DIR, as the server uses them):
//   cds migrate                 apply pending migrations
//   cds create-key --role admin --label "…" [--unit CODE | --school CODE]
//   cds create-user --username U --role admin|reviewer|school [--unit CODE] [--school CODE] [--name "…"]
//                               a console account; the password is read from standard input
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

interface Io { out: (s: string) => void; err: (s: string) => void; stdin?: () => Promise<string> }

/** The first line of standard input: a password never goes through argv (it would show in ps). */
async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Mật khẩu (không hiện khi gõ): ')
  const chunks: Buffer[] = []
  for await (const c of process.stdin) {
    chunks.push(c as Buffer)
    if (Buffer.concat(chunks).includes(10)) break
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

export const SERVICE_COMMANDS = ['migrate', 'create-key', 'create-user', 'seed-demo', 'backup'] as const

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
    if (command === 'create-user') {
      const { values } = parseArgs({ args: argv, options: { username: { type: 'string' }, role: { type: 'string' }, unit: { type: 'string' }, school: { type: 'string' }, name: { type: 'string' } } })
      if (!values.username || !values.role || !ROLES.includes(values.role as Role)) {
        io.err('usage: echo "$PASSWORD" | cds create-user --username U --role admin|reviewer|school [--unit CODE] [--school CODE] [--name "Họ tên"]')
        return 2
      }
      const password = await (io.stdin ?? readStdinLine)()
      const user = await services.users.createWithPassword({ username: values.username, displayName: values.name ?? values.username, role: values.role as Role, unitCode: values.unit, schoolCode: values.school }, password)
      io.out(`Đã tạo tài khoản ${user.role} "${user.username}" (${user.displayName}); đăng nhập tại /login`)
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
        '', `Console accounts (sign in at /login; password, shown once: ${s.accounts.password}):`,
        `  ${s.accounts.admin}          admin`,
        `  ${s.accounts.reviewer}               reviewer of the Sở (unit MH)`,
        `  ${s.accounts.school}           school ${s.keys.schoolCode} (an empty draft)`,
        `  ${s.accounts.returnedSchool}   a school whose phiếu was returned with a reason`,
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
