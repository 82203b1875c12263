#!/usr/bin/env node
// In a checkout, runs the TypeScript source through tsx (never a stale build); in an image
// without src/ (npm run build, then node bin/cds.js), runs the built dist/.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli/cds.ts', import.meta.url)
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api')
  register()
  await import(source.href)
} else {
  await import(new URL('../dist/cli/cds.js', import.meta.url).href)
}
