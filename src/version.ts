import { readFileSync } from 'node:fs'

/** package.json's version, read once (shown in OpenAPI and logs). */
export const SERVICE_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
