// Opt-in event-loop delay monitor (CDS_LOOP_MONITOR=1, hooked in src/server.ts), for bench/mixed.ts
// and test/load: the delay is only measurable inside the server process. Off by default: the module
// is not even loaded. When on, perf_hooks.monitorEventLoopDelay samples every 10 ms and:
//   - a parent that started the server with an IPC channel sends {cdsLoopMonitor:'report'} and gets
//     back {cdsLoopMonitor:{…}}: the figures since the previous report, then the histogram is reset
//     (a bench asks once at the start of its measured window, dropping start-up, and once at its end).
//     Not a signal: close-with-grace shuts the server down on SIGUSR2 and Node keeps SIGUSR1;
//   - at exit (SIGTERM's graceful shutdown included) one JSON line {"cdsLoopMonitor":{…}} goes to
//     stderr, written synchronously so it survives process.exit() and needs no logger.
import { writeSync } from 'node:fs'
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks'

export interface LoopDelayReport {
  /** why the figures were taken */
  reason: 'request' | 'exit'
  /** milliseconds covered by these figures */
  windowMs: number
  /** delay samples (one per 10 ms tick the loop let run: a 2 s block is one sample of ~2,000 ms) */
  samples: number
  minMs: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number
  /** share of the window the loop spent running JavaScript (performance.eventLoopUtilization), 0–1 */
  utilization: number
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100 // ns → ms, 2 decimals

export function loopDelayReport(h: IntervalHistogram, reason: LoopDelayReport['reason'], windowMs: number, elu: EventLoopUtilization): LoopDelayReport {
  const n = h.count
  // An empty histogram holds min = 9.2e18 and a NaN mean: zeros instead.
  return {
    reason, windowMs: Math.round(windowMs), samples: n,
    minMs: n ? ms(h.min) : 0, p50Ms: n ? ms(h.percentile(50)) : 0, p90Ms: n ? ms(h.percentile(90)) : 0,
    p99Ms: n ? ms(h.percentile(99)) : 0, maxMs: n ? ms(h.max) : 0, meanMs: n ? ms(h.mean) : 0,
    utilization: Math.round(elu.utilization * 1000) / 1000,
  }
}

/** Where the monitor listens and reports: the process itself; a test passes its own. */
export interface MonitorHost {
  on(event: 'message', fn: (m: unknown) => void): unknown
  once(event: 'exit', fn: () => void): unknown
  send?: (m: unknown) => unknown
  channel?: { unref(): void } | undefined
  /** writes the exit line (default: synchronously to stderr) */
  write?: (line: string) => void
}

/** The monitor's exit line(s) in a process's output, in order. */
export function parseLoopDelayLines(output: string): LoopDelayReport[] {
  const out: LoopDelayReport[] = []
  for (const line of output.split('\n')) {
    if (!line.startsWith('{"cdsLoopMonitor":')) continue
    try { out.push((JSON.parse(line) as { cdsLoopMonitor: LoopDelayReport }).cdsLoopMonitor) } catch { /* a line cut by a kill */ }
  }
  return out
}

/** Starts the monitor (src/server.ts calls it only when CDS_LOOP_MONITOR=1); stop() is for tests. */
export function startLoopMonitor(host: MonitorHost = process): { stop(): void } {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  let since = performance.now()
  let elu = performance.eventLoopUtilization()
  const take = (reason: LoopDelayReport['reason']): LoopDelayReport => {
    const now = performance.now()
    const r = loopDelayReport(h, reason, now - since, performance.eventLoopUtilization(elu))
    h.reset()
    since = now
    elu = performance.eventLoopUtilization()
    return r
  }
  const send = host.send?.bind(host)
  if (send) {
    host.on('message', (m) => {
      if ((m as { cdsLoopMonitor?: unknown } | null)?.cdsLoopMonitor === 'report') send({ cdsLoopMonitor: take('request') })
    })
    host.channel?.unref() // the channel must not keep a shutting-down server alive
  }
  const write = host.write ?? ((line: string) => { writeSync(2, line) })
  host.once('exit', () => {
    try { write(`${JSON.stringify({ cdsLoopMonitor: take('exit') })}\n`) } catch { /* stderr closed: nothing to tell */ }
  })
  return { stop: () => h.disable() }
}
