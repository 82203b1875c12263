// Graceful shutdown, end to end: the real server process gets SIGTERM while a request is still
// arriving; that request completes, then the process closes the database and exits 0.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

const root = new URL('../../', import.meta.url)

t.test('SIGTERM finishes the in-flight request, then exits 0', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cds-shutdown-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root, env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString()
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log)
      if (m) resolve(Number(m[1]))
    })
    child.on('exit', (code) => reject(new Error(`server exited early (${code}): ${log}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

  const evidence = readFileSync(new URL('criteria/moet-4725/examples/strong-thcs.json', root), 'utf8')
  const body = Buffer.from(JSON.stringify({ criteriaSet: 'moet-4725', evidence: JSON.parse(evidence) }))
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/score', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    // Half the body now; SIGTERM; the rest later: the request is in flight during shutdown.
    req.write(body.subarray(0, 100))
    setTimeout(() => child.kill('SIGTERM'), 100)
    setTimeout(() => req.end(body.subarray(100)), 600)
  })
  const res = await response
  t.equal(res.status, 200, 'the in-flight request completed')
  t.same(JSON.parse(res.body).groups.map((g: { level: number }) => g.level), [3, 3], 'with its real result')
  t.equal(await exited, 0, 'the process exited cleanly')
  t.match(log, /shutting down/, 'and said so')
})
