// Heavy work off the event loop: worker threads (piscina) that open their own read-only
// connections to the database file. Two pools: the summaries (one thread, which keeps the rollup
// records in memory between tasks) and the other jobs (exports, imports, verification). Every task
// has a time limit; past it the task is aborted (its thread is replaced) and the request gets a 503.
// An in-memory database cannot be opened from another thread: there (the tests' default) the work
// runs in-process, through the same functions.
import { Piscina } from 'piscina'
import { AppError } from '../services/errors.js'
import type { CheckpointResult } from './maintenance-worker.js'
import type { SummaryBytes, SummaryTask } from './summary-worker.js'

/** From the TypeScript sources the workers start through ts-entry.mjs (see there); compiled, directly. */
const fromSources = import.meta.url.endsWith('.ts')
const workerFile = (name: string) => (fromSources
  ? { filename: new URL('./ts-entry.mjs', import.meta.url).href, module: new URL(`./${name}.ts`, import.meta.url).href }
  : { filename: new URL(`./${name}.js`, import.meta.url).href, module: null })

/** The workers' environment: the process's, without NODE_V8_COVERAGE. A test runner's coverage
 *  of a worker thread (its modules loaded by another TypeScript loader, with other line maps) would
 *  be merged with the main thread's into a report of neither. */
const WORKER_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_V8_COVERAGE'))

export interface PoolOptions {
  dbFile: string
  /** Threads for the jobs pool (the summary pool has one). */
  threads: number
  /** Tasks waiting per pool beyond which new ones are refused with 503 (back-pressure). */
  maxQueue: number
}

export class JobTimeout extends AppError {
  constructor(what: string, ms: number) {
    super(503, 'JOB_TIMEOUT', `Không kịp xử lý ${what} trong ${Math.round(ms / 1000)} giây nên yêu cầu đã bị huỷ; hãy thử lại sau ít phút (${what}: time limit of ${ms} ms reached, the job was cancelled)`)
  }
}

export class Busy extends AppError {
  constructor(what: string) {
    super(503, 'BUSY', `Máy chủ đang bận xử lý nhiều ${what}; hãy thử lại sau ít giây (too many ${what} queued)`)
  }
}

export class WorkerPools {
  private readonly summaries: Piscina
  private readonly jobs: Piscina
  private readonly maintenance: Piscina
  private checkpointTimer: NodeJS.Timeout | null = null
  /** The last checkpoint's outcome (WAL frames, frames copied back), for /ready-style checks and tests. */
  lastCheckpoint: (CheckpointResult & { at: number }) | null = null
  /** A worker thread failed outside any task (piscina starts another); the app logs it. */
  onError: (e: unknown) => void = (e) => { process.emitWarning(`worker thread failed: ${String(e)}`) }

  constructor(private readonly opts: PoolOptions) {
    const pool = (name: string, o: { minThreads: number; maxThreads: number; idleTimeout: number }) => {
      const { filename, module } = workerFile(name)
      const p = new Piscina({ ...o, filename, maxQueue: opts.maxQueue, workerData: { module }, env: WORKER_ENV })
      // No resourceLimits: V8 applies the process's --max-old-space-size and --max-semi-space-size
      // (package.json start) to every thread, and they take precedence over a worker's limits.
      // A thread that dies outside a task (it failed to start, ran out of memory) is replaced by
      // piscina; unheard, the event would end the process.
      p.on('error', (e: unknown) => this.onError(e))
      return p
    }
    // One summary thread: its records are a cache worth keeping (a national one is ~30 MB), and two
    // copies would double the memory and the cold start.
    this.summaries = pool('summary-worker', { minThreads: 0, maxThreads: 1, idleTimeout: 24 * 3600_000 })
    // An export leaves its thread's heap full of garbage (a national XLSX: ~100 MB); an idle jobs
    // thread ends after 5 s and gives that memory back, and the next job starts a new one (~50 ms).
    this.jobs = pool('jobs-worker', { minThreads: 0, maxThreads: Math.max(1, opts.threads), idleTimeout: 5_000 })
    this.maintenance = pool('maintenance-worker', { minThreads: 0, maxThreads: 1, idleTimeout: 24 * 3600_000 })
  }

  /** WAL checkpoints every `everyMs` on the maintenance thread; the caller raises the main
   *  connection's own threshold (a safety net if this thread ever stops keeping up). */
  startCheckpoints(everyMs: number): void {
    let running = false
    this.checkpointTimer = setInterval(() => {
      if (running) return
      running = true
      this.run(this.maintenance, 'checkpoint', { dbFile: this.opts.dbFile }, 30_000, 'WAL checkpoint')
        .then((r) => { this.lastCheckpoint = { ...(r as CheckpointResult), at: Date.now() } })
        .catch((e: unknown) => this.onError(e))
        .finally(() => { running = false })
    }, everyMs)
    // Upkeep never keeps the process alive on its own.
    this.checkpointTimer.unref()
  }

  summary(task: Omit<SummaryTask, 'dbFile'>, timeLimitMs: number): Promise<SummaryBytes> {
    return this.run(this.summaries, 'summary', { ...task, dbFile: this.opts.dbFile }, timeLimitMs, 'báo cáo tổng hợp (unit summary)') as Promise<SummaryBytes>
  }

  /** A named export of src/workers/jobs-worker.ts. */
  job<T>(name: string, task: object, timeLimitMs: number, what: string): Promise<T> {
    return this.run(this.jobs, name, { ...task, dbFile: this.opts.dbFile }, timeLimitMs, what) as Promise<T>
  }

  private async run(pool: Piscina, name: string, task: object, ms: number, what: string): Promise<unknown> {
    try {
      const signal = AbortSignal.timeout(ms)
      return await (fromSources ? pool.run({ name, task }, { signal }) : pool.run(task, { name, signal }))
    } catch (e) {
      const err = e as Error & { name?: string; cause?: unknown }
      if (err.name === 'AbortError' || err.name === 'TimeoutError') throw new JobTimeout(what, ms)
      if (/queue is at limit/i.test(err.message)) throw new Busy(what)
      throw e
    }
  }

  async close(): Promise<void> {
    if (this.checkpointTimer) clearInterval(this.checkpointTimer)
    await Promise.all([this.summaries.destroy(), this.jobs.destroy(), this.maintenance.destroy()])
  }
}
