// ajv validation of criteria files against criteria/schema/*.json, with findings that name the
// criterion a bad field belongs to.
import { readFileSync } from 'node:fs'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { newAjv } from '../scoring/ajv.js'
import type { Finding } from '../scoring/check-set.js'
import { schemaDir } from './paths.js'

let validators: { set: ValidateFunction; vocabulary: ValidateFunction } | null = null

function load(): NonNullable<typeof validators> {
  if (validators) return validators
  const read = (name: string) => JSON.parse(readFileSync(new URL(name, schemaDir()), 'utf8'))
  const ajv = newAjv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true, allowUnionTypes: true })
  const vocabulary = read('facts-vocabulary.schema.json')
  ajv.addSchema(vocabulary)
  const set = ajv.compile(read('criteria-set.schema.json'))
  validators = { set, vocabulary: ajv.getSchema(vocabulary.$id) as ValidateFunction }
  return validators
}

const MAX_FINDINGS = 50

export function validateSetSchema(json: unknown): Finding[] {
  const v = load().set
  return v(json) ? [] : toFindings(v.errors ?? [], json)
}

export function validateVocabularySchema(json: unknown): Finding[] {
  const v = load().vocabulary
  return v(json) ? [] : toFindings(v.errors ?? [], json)
}

function toFindings(errors: ErrorObject[], json: unknown): Finding[] {
  // allErrors reports every failed branch of if/then and oneOf; keep the most specific, one per path.
  const useful = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf' && e.keyword !== 'allOf')
  const seen = new Set<string>()
  const findings: Finding[] = []
  for (const e of useful.length > 0 ? useful : errors) {
    let path = e.instancePath
    if (e.keyword === 'required') path += `/${e.params.missingProperty}`
    if (e.keyword === 'additionalProperties') path += `/${e.params.additionalProperty}`
    if (seen.has(path) || findings.length >= MAX_FINDINGS) continue
    seen.add(path)
    const criterion = criterionAt(json, e.instancePath)
    findings.push({ severity: 'error', code: 'SCHEMA', path, ...(criterion ? { criterion } : {}), message: messageOf(e), fix: fixOf(e) })
  }
  return findings
}

function messageOf(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required': return `"${e.params.missingProperty}" is required here`
    case 'additionalProperties': return `"${e.params.additionalProperty}" is not a known field`
    case 'enum': return `must be one of ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`
    default: return e.message ?? 'is invalid'
  }
}

function fixOf(e: ErrorObject): string {
  if (e.keyword === 'required' && e.params.missingProperty === 'provenance') {
    return 'add "provenance": {"source": "<document, section>", "confidence": "confirmed" | "unconfirmed" | "convention", "note": "…"}'
  }
  if (e.keyword === 'additionalProperties') return 'remove the field or check its spelling against criteria/schema/'
  return 'see criteria/schema/ for the expected form'
}

/** The code of the innermost criterion containing a JSON pointer, if any. */
function criterionAt(json: unknown, pointer: string): string | undefined {
  let node: any = json
  let code: string | undefined
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (node === null || typeof node !== 'object') break
    node = node[part]
    if (node && typeof node === 'object' && !Array.isArray(node) && typeof node.code === 'string' && 'kind' in node) code = node.code
  }
  return code
}
