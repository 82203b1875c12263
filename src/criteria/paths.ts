// Where the shipped criteria live: <package root>/criteria.
import { packageRoot } from '../paths.js'

export function criteriaDir(): URL {
  return new URL('criteria/', packageRoot())
}

export function schemaDir(): URL {
  return new URL('schema/', criteriaDir())
}
