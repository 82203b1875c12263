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
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

export interface LoopDelayReport {
  /** why the figures were taken */
  reason: 'request' | 'exit'
  /** milliseconds covered by these figures */
  windowMs: number
  /** delay samples (one per 10 ms tick the loop let run: a 2 s block is one sample of ~2,000 ms) */
  samples: number
  minMs: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number; meanMs: number
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100 // ns → ms, 2 decimals

export function loopDelayReport(h: IntervalHistogram, reason: LoopDelayReport['reason'], windowMs: number): LoopDelayReport {
  const n = h.count
  // An empty histogram holds min = 9.2e18 and a NaN mean: zeros instead.
  return {
    reason, windowMs: Math.round(windowMs), samples: n,
    minMs: n ? ms(h.min) : 0, p50Ms: n ? ms(h.percentile(50)) : 0, p90Ms: n ? ms(h.percentile(90)) : 0,
    p99Ms: n ? ms(h.percentile(99)) : 0, maxMs: n ? ms(h.max) : 0, meanMs: n ? ms(h.mean) : 0,
  }
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

/** Starts the monitor (src/server.ts calls it only when CDS_LOOP_MONITOR=1). */
export function startLoopMonitor(): void {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  let since = performance.now()
  const take = (reason: LoopDelayReport['reason']): LoopDelayReport => {
    const now = performance.now()
    const r = loopDelayReport(h, reason, now - since)
    h.reset()
    since = now
    return r
  }
  if (process.send) {
    process.on('message', (m: unknown) => {
      if ((m as { cdsLoopMonitor?: unknown } | null)?.cdsLoopMonitor === 'report') process.send?.({ cdsLoopMonitor: take('request') })
    })
    process.channel?.unref() // the channel must not keep a shutting-down server alive
  }
  process.once('exit', () => {
    try { writeSync(2, `${JSON.stringify({ cdsLoopMonitor: take('exit') })}\n`) } catch { /* stderr closed: nothing to tell */ }
  })
}
