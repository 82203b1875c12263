// Child processes for the HTTP benchmarks: start on a free port and wait until ready, stop, always
// killed when the bench exits; resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export interface Proc { child: ChildProcess; pid: number; port: number; base: string; out: () => string }

const children = new Set<ChildProcess>()
const killAll = (): void => { for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL') }
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => { killAll(); process.exit(130) })

export const log = (s: string): void => { process.stderr.write(`${s}\n`) }

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)) })
  })
}

/** Starts `node <args>` with PORT/HOST set and waits until `readyPath` answers 2xx (30 s at most);
 *  `ipc` opens an IPC channel to it (child.send / 'message'). */
export async function startProcess(name: string, args: string[], env: Record<string, string>, readyPath: string, cwd: string, opts: { ipc?: boolean } = {}): Promise<Proc> {
  const port = await freePort()
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe', ...(opts.ipc ? ['ipc' as const] : [])] })
  children.add(child)
  let out = ''
  child.stdout!.on('data', (b: Buffer) => { out += b.toString() })
  child.stderr!.on('data', (b: Buffer) => { out += b.toString() })
  const base = `http://127.0.0.1:${port}`
  const t0 = Date.now()
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited early (${child.exitCode ?? child.signalCode}):\n${out}`)
    try { if ((await fetch(base + readyPath)).ok) break } catch { /* not listening yet */ }
    if (Date.now() - t0 > 30_000) throw new Error(`${name} not ready after 30 s:\n${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  log(`${name}: pid ${child.pid}, ${base}, ready in ${Date.now() - t0} ms`)
  return { child, pid: child.pid!, port, base, out: () => out }
}

export async function stopProcess(p: Proc): Promise<void> {
  const c = p.child
  if (c.exitCode !== null || c.signalCode !== null) return
  const exited = new Promise((r) => c.once('exit', r))
  c.kill('SIGTERM')
  const timer = setTimeout(() => c.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

export function stopAll(): void { killAll() }

/** VmRSS (now) or VmHWM (the high-water mark) of a process, bytes; 0 once it is gone. */
export function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch { return 0 }
}

/** Samples VmRSS every 50 ms; stop() gives the peak seen. */
export function rssSampler(pid: number): { stop: () => number } {
  let peak = memory(pid, 'VmRSS')
  const timer = setInterval(() => { const r = memory(pid, 'VmRSS'); if (r > peak) peak = r }, 50)
  return { stop: (): number => { clearInterval(timer); return Math.max(peak, memory(pid, 'VmRSS')) } }
}

/** The V8 flags the service is started with (package.json "start:prod", also npm start and the
 *  Dockerfile): the benches start the server as it ships. */
export function serverFlags(root: string): string[] {
  const script = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'] ?? ''
  // SERVER_EXTRA_FLAGS: more node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  return [...script.split(/\s+/).filter((a) => a.startsWith('--')), ...(process.env.SERVER_EXTRA_FLAGS ?? '').split(/\s+/).filter(Boolean)]
}
