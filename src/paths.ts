// The package root (where package.json, criteria/ and migrations/ are), found by walking up from
// this module: the same from src/ under tsx, from dist/, and from the benchmark's build.
import { existsSync } from 'node:fs'

let cached: URL | null = null

export function packageRoot(): URL {
  if (cached) return cached
  for (let up = '../'; up.length <= 5 * 3; up += '../') {
    const dir = new URL(up, import.meta.url)
    if (existsSync(new URL('package.json', dir)) && existsSync(new URL('criteria/schema/criteria-set.schema.json', dir))) return (cached = dir)
  }
  throw new Error(`the package root (package.json beside criteria/) is not above ${import.meta.url}`)
}
