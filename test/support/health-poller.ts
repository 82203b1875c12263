// GET /health one at a time, the next `everyMs` after the previous answer, until stopped: how the
// load tests see whether the server's event loop stayed free while heavy work ran.
export interface Probe { sentAt: number; ms: number; status: number }

export function pollHealth(base: string, everyMs: number): { probes: Probe[]; t0: number; stop(): Promise<void> } {
  const probes: Probe[] = []
  const t0 = performance.now()
  let polling = true
  const loop = (async () => {
    while (polling) {
      const sent = performance.now()
      let status = 0
      try { const r = await fetch(`${base}/health`); status = r.status; await r.arrayBuffer() } catch { status = -1 }
      probes.push({ sentAt: sent - t0, ms: performance.now() - sent, status })
      await new Promise((r) => setTimeout(r, everyMs))
    }
  })()
  return { probes, t0, async stop() { polling = false; await loop } }
}
