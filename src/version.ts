import { readFileSync } from 'node:fs'
import { packageRoot } from './paths.js'

/** package.json's version, read once (shown in OpenAPI and logs). */
export const SERVICE_VERSION: string = (JSON.parse(readFileSync(new URL('package.json', packageRoot()), 'utf8')) as { version: string }).version
