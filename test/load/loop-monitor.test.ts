// The opt-in event-loop delay monitor (src/ops/loop-monitor.ts) that bench/mixed.ts reads: it sees a
// blocked loop, reports over IPC with a reset in between, writes one line at exit, and the server
// starts it only when CDS_LOOP_MONITOR=1.
import { EventEmitter } from 'node:events'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import t from 'tap'
import { loopDelayReport, parseLoopDelayLines, startLoopMonitor, type LoopDelayReport } from '../../src/ops/loop-monitor.js'
import { startServer } from '../support/server-process.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const block = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* the loop is blocked */ } }

function fakeHost(withChannel: boolean) {
  const host = new EventEmitter() as EventEmitter & { sent: unknown[]; lines: string[]; send?: (m: unknown) => void; write: (l: string) => void; channel?: { unref(): void }; unrefs: number }
  host.sent = []
  host.lines = []
  host.unrefs = 0
  host.write = (l) => { host.lines.push(l) }
  if (withChannel) {
    host.send = (m) => { host.sent.push(m) }
    host.channel = { unref: () => { host.unrefs++ } }
  }
  return host
}

t.test('a 300 ms block shows as a delay of about 300 ms; a report resets the histogram; one line at exit', async (t) => {
  const host = fakeHost(true)
  const m = startLoopMonitor(host)
  t.teardown(() => m.stop())
  t.equal(host.unrefs, 1, 'the IPC channel does not keep the process alive')
  await sleep(50)
  block(300)
  await sleep(50) // the monitor's next tick records the late one
  host.emit('message', { other: 'message' })
  host.emit('message', null)
  t.equal(host.sent.length, 0, 'other messages are ignored')
  host.emit('message', { cdsLoopMonitor: 'report' })
  const first = (host.sent[0] as { cdsLoopMonitor: LoopDelayReport }).cdsLoopMonitor
  t.equal(first.reason, 'request')
  // One tick was ~300 ms late: recorded as 300 ms less the 10 ms resolution, give or take a tick.
  t.ok(first.maxMs >= 250 && first.maxMs < 2000, `max delay ${first.maxMs} ms`)
  t.ok(first.p50Ms <= first.p99Ms && first.p99Ms <= first.maxMs && first.minMs <= first.p50Ms, 'min ≤ p50 ≤ p99 ≤ max')
  t.ok(first.samples >= 2, `${first.samples} samples`)
  t.ok(first.windowMs >= 400, `the window covers the start (${first.windowMs} ms)`)
  t.ok(first.utilization > 0.5 && first.utilization <= 1, `the loop was busy most of the window (${first.utilization})`)

  await sleep(60)
  host.emit('message', { cdsLoopMonitor: 'report' })
  const second = (host.sent[1] as { cdsLoopMonitor: LoopDelayReport }).cdsLoopMonitor
  t.ok(second.windowMs < first.windowMs && second.windowMs >= 50, `the second window starts at the first report (${second.windowMs} ms)`)
  t.ok(second.maxMs < first.maxMs, `the block is not counted twice (max ${second.maxMs} ms)`)

  host.emit('exit')
  t.equal(host.lines.length, 1, 'one line at exit')
  const [atExit] = parseLoopDelayLines(`starting\n${host.lines[0]}{"cdsLoopMonitor":{"cut`)
  t.equal(atExit?.reason, 'exit', 'the exit line parses; other and cut lines are skipped')
  t.equal(parseLoopDelayLines(`x\n${host.lines[0]}`).length, 1)
})

t.test('without an IPC channel: no message listener, still the exit line', async (t) => {
  const host = fakeHost(false)
  const m = startLoopMonitor(host)
  t.teardown(() => m.stop())
  t.equal(host.listenerCount('message'), 0)
  host.emit('exit')
  t.equal(parseLoopDelayLines(host.lines.join('')).length, 1)
})

t.test('an empty histogram reports zeros, not 9.2e18 and NaN', async (t) => {
  const h = monitorEventLoopDelay({ resolution: 10 }) // never enabled: no samples
  const elu = performance.eventLoopUtilization()
  const r = loopDelayReport(h, 'exit', 12.4, performance.eventLoopUtilization(elu))
  t.match(r, { reason: 'exit', windowMs: 12, samples: 0, minMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 })
  t.ok(r.utilization >= 0 && r.utilization <= 1)
})

t.test('the server reports at exit with CDS_LOOP_MONITOR=1, and only then', async (t) => {
  for (const on of [true, false]) {
    const server = await startServer(t, on ? { CDS_LOOP_MONITOR: '1' } : {})
    const res = await fetch(`http://127.0.0.1:${server.port}/health`)
    t.equal(res.status, 200)
    await res.arrayBuffer()
    server.child.kill('SIGTERM')
    t.equal(await server.exited, 0, 'graceful shutdown')
    if (!server.child.stderr!.readableEnded) await new Promise((r) => server.child.stderr!.once('end', r)) // the last bytes may follow 'exit'
    const lines = parseLoopDelayLines(server.log())
    if (on) {
      t.equal(lines.length, 1, 'one exit line')
      t.equal(lines[0]?.reason, 'exit')
      t.ok((lines[0]?.samples ?? 0) > 0, 'with samples')
    } else t.equal(lines.length, 0, 'off by default: no line')
  }
})
