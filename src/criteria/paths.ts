// Where the shipped criteria live: <package root>/criteria. Found by walking up from this module,
// so it is the same from src/ under tsx, from dist/, and from the benchmark's build.
import { existsSync } from 'node:fs'

let cached: URL | null = null

export function criteriaDir(): URL {
  if (cached) return cached
  for (let up = '../../'; up.length <= 5 * 3; up += '../') {
    const dir = new URL(`${up}criteria/`, import.meta.url)
    if (existsSync(new URL('schema/criteria-set.schema.json', dir))) return (cached = dir)
  }
  throw new Error(`criteria/ not found above ${import.meta.url}`)
}

export function schemaDir(): URL {
  return new URL('schema/', criteriaDir())
}
