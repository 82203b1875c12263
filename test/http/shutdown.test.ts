// Graceful shutdown, end to end: the real server process gets SIGTERM while a request is still
// arriving; that request completes, then the process closes the database and exits 0.
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import t from 'tap'
import { ROOT, startServer } from '../support/server-process.js'

t.test('SIGTERM finishes the in-flight request, then exits 0', async (t) => {
  const server = await startServer(t)
  const evidence = JSON.parse(readFileSync(new URL('criteria/moet-4725/examples/strong-thcs.json', ROOT), 'utf8'))
  const body = Buffer.from(JSON.stringify({ criteriaSet: 'moet-4725', evidence }))
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/v1/score', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    // Half the body now; SIGTERM; the rest later: the request is in flight during shutdown.
    req.write(body.subarray(0, 100))
    setTimeout(() => server.child.kill('SIGTERM'), 100)
    setTimeout(() => req.end(body.subarray(100)), 600)
  })
  t.equal(res.status, 200, 'the in-flight request completed')
  t.same(JSON.parse(res.body).groups.map((g: { level: number }) => g.level), [3, 3], 'with its real result')
  t.equal(await server.exited, 0, 'the process exited cleanly')
  t.match(server.log(), /shutting down/, 'and said so')
})
