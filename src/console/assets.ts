// The console's static files (assets/): served under content-hashed names with a year-long cache,
// so a page's first load fetches each once and later loads none.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { packageRoot } from '../paths.js'
import { gzipSync } from 'node:zlib'

export interface Asset { url: string; body: Buffer; gzip: Buffer; type: string }

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' }
// Beside this module under tsx; from a build (dist/, the benchmarks'), the sources' copy.
const here = new URL('./assets/', import.meta.url)
const dir = existsSync(here) ? here : new URL('src/console/assets/', packageRoot())

function load(): Map<string, Asset> {
  const m = new Map<string, Asset>()
  for (const name of readdirSync(dir)) {
    const ext = name.slice(name.lastIndexOf('.') + 1)
    const type = TYPES[ext]
    if (!type) continue
    const body = readFileSync(new URL(name, dir))
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10)
    m.set(name, { url: `/assets/${name.slice(0, -ext.length - 1)}.${hash}.${ext}`, body, gzip: gzipSync(body, { level: 9 }), type })
  }
  return m
}

export const ASSETS = load()
/** By served path (/assets/console.0123456789.css). */
export const ASSETS_BY_URL = new Map([...ASSETS.values()].map((a) => [a.url, a]))

/** The hashed URL of an asset file of assets/. */
export function assetUrl(name: string): string {
  const a = ASSETS.get(name)
  if (!a) throw new Error(`console asset ${name} is not in src/console/assets`)
  return a.url
}
