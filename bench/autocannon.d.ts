// The part of autocannon 8's programmatic API that bench/load.ts uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    type Context = Record<string, unknown>
    interface Request {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      /** Called before each send; a falsy return restarts the sequence. */
      setupRequest?: (req: Request, context: Context) => Request | null | undefined | false
      onResponse?: (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => void
    }
    interface Options {
      url: string
      connections?: number
      duration?: number
      pipelining?: number
      timeout?: number
      method?: string
      headers?: Record<string, string>
      body?: string | Buffer
      requests?: Request[]
      initialContext?: Context
    }
    interface Histogram { average: number; mean: number; stddev: number; min: number; max: number; total: number; p50: number; p90: number; p97_5: number; p99: number }
    interface Result {
      duration: number; errors: number; timeouts: number; mismatches: number; non2xx: number; resets: number
      '2xx': number; '4xx': number; '5xx': number; statusCodeStats: Record<string, { count: number }>
      latency: Histogram & { totalCount: number }; requests: Histogram & { sent: number }; throughput: Histogram
    }
    interface Instance extends PromiseLike<Result> { stop(): void }
  }
  function autocannon(opts: autocannon.Options): autocannon.Instance
  export = autocannon
}
