// Entry point: start the service on the embedded SQLite database; shut down gracefully.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
if (process.env.CDS_LOOP_MONITOR === '1') (await import('./ops/loop-monitor.js')).startLoopMonitor() // opt-in event-loop delay histogram on stderr (bench/mixed.ts)

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) { console.error(e.message); process.exit(2) }
    throw e
  }
  const app = await buildApp({ config })
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    // Stops accepting, waits for in-flight requests, then closes the database (onClose).
    await app.close()
  })
  await app.listen({ host: config.host, port: config.port })
  app.log.info({ dbFile: config.dbFile, criteriaSets: app.services.scoring.catalog.sets.size }, 'ready; API docs at /docs')
}

await main()
