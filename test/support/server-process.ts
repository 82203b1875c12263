// Starts the real server (node --import tsx src/server.ts) on a free port with its own DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = new URL('../../', import.meta.url)

/** The environment for child processes. tap instruments children too; their tsx-transformed
 *  sources would be merged into (and distort) the suite's coverage, so coverage is off in them. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', ...extra }
}

/** Environment that turns off the per-client limits (failed authentications, scoring and write
 *  rates, connections per address) for tests that load the server with many requests from one
 *  address or key: 100 concurrent clients plus the keep-alive sockets of earlier steps exceed the
 *  128 connections one address may hold. */
export const LIMITS_OFF_ENV = { AUTH_FAILURE_LIMIT: '0', SCORE_RATE_LIMIT: '0', WRITE_RATE_LIMIT: '0', MAX_CONNECTIONS_PER_ADDRESS: '0' }

export interface ServerProcess { child: ChildProcess; port: number; dataDir: string; log(): string; exited: Promise<number | null> }

/** `opts.dataDir` reuses an existing data directory (e.g. to restart on the same database);
 *  the helper then leaves it in place — whoever made it removes it. */
export async function startServer(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}, opts: { dataDir?: string } = {}): Promise<ServerProcess> {
  const ownDir = opts.dataDir === undefined
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'cds-server-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, env: childEnv({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }), stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null) { child.kill('SIGKILL'); await exited }
    if (ownDir) rmSync(dataDir, { recursive: true, force: true })
  })
  child.stderr.on('data', (b: Buffer) => { log += b.toString() })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString()
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log)
      if (m) resolve(Number(m[1]))
    })
    void exited.then((code) => reject(new Error(`server exited early (${code}): ${log}`)))
  })
  return { child, port, dataDir, log: () => log, exited }
}
