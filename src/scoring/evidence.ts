// Evidence: the JSON Schema a set derives from its facts, and turning a submitted bundle into
// evaluation data (NFC-normalised strings; null and "" mean "not given").
import type { ErrorObject, ValidateFunction } from 'ajv'
import { newAjv } from './ajv.js'
import { pointerSegment as pointer } from './json-pointer.js'
import type { Data } from './rules/compile.js'
import type { FactDef } from './types.js'

export interface EvidenceIssue { code: string; path: string; message: string }

export class EvidenceError extends Error {
  readonly code = 'INVALID_EVIDENCE'
  constructor(readonly issues: EvidenceIssue[]) {
    super(`invalid evidence: ${issues.slice(0, 3).map((i) => `${i.path} ${i.message}`).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`)
  }
}

/** Reported issues are capped: a hostile bundle with a million bad keys gets a bounded answer. */
const MAX_ISSUES = 50

const ajv = newAjv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true, coerceTypes: false, useDefaults: false, removeAdditional: false })

const DOCUMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 500 },
    url: { type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2000, description: 'http(s) link' },
    ref: { type: 'string', minLength: 1, maxLength: 200, description: 'id of an uploaded document' },
    issuedOn: { type: 'string', format: 'date' },
  },
  anyOf: [{ required: ['url'] }, { required: ['ref'] }],
}

export function factSchema(f: FactDef): Record<string, unknown> {
  // null = "not known yet": a draft may clear a value. Union types keep one error per bad field.
  const s: Record<string, unknown> = { title: f.label }
  if (f.help) s.description = f.help
  switch (f.type) {
    case 'boolean': s.type = ['boolean', 'null']; break
    case 'integer':
    case 'number':
      s.type = [f.type, 'null']
      if (f.min !== undefined) s.minimum = f.min
      if (f.max !== undefined) s.maximum = f.max
      break
    case 'enum': s.enum = [...(f.values ?? []).map((v) => v.value), null]; break
    case 'string': s.type = ['string', 'null']; s.maxLength = f.maxLength ?? 2000; break
    case 'date': s.type = ['string', 'null']; s.format = 'date'; break
    case 'document': Object.assign(s, DOCUMENT_SCHEMA, { type: ['object', 'null'] }); break
  }
  return s
}

export function factsObjectSchema(facts: Map<string, FactDef>): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  for (const f of facts.values()) properties[f.key] = factSchema(f)
  return { type: 'object', additionalProperties: false, properties }
}

/** The JSON Schema of an evidence bundle for one set (what `cds schema <set>` prints). */
export function evidenceSchema(meta: { id: string; version: string; title: string }, facts: Map<string, FactDef>): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:cds-assess:evidence:${meta.id}@${meta.version}`,
    title: `Minh chứng — ${meta.title} (${meta.id}@${meta.version})`,
    type: 'object',
    additionalProperties: false,
    required: ['facts'],
    properties: {
      $schema: { type: 'string' },
      description: { type: 'string' },
      school: { type: 'object', description: 'context (code, name, levels); not scored' },
      facts: factsObjectSchema(facts),
    },
  }
}

export interface PreparedEvidence { data: Data; ignored: string[] }

export interface EvidencePreparer { (bundle: unknown): PreparedEvidence }

/**
 * Builds the preparer for one set. Facts the shared vocabulary knows but this set does not read
 * are ignored (and listed), so one school bundle serves several sets; unknown keys are errors.
 */
export function makeEvidencePreparer(facts: Map<string, FactDef>, vocabularyKeys: Set<string>): EvidencePreparer {
  const validate: ValidateFunction = ajv.compile(factsObjectSchema(facts))
  const bounded = [...facts.values()].filter((f) => f.maxFact !== undefined)
  const factKeys = [...facts.keys()]
  return (bundle) => {
    if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
      throw new EvidenceError([{ code: 'INVALID_TYPE', path: '', message: 'evidence must be an object {"facts": {...}}' }])
    }
    const rawFacts = (bundle as Record<string, unknown>).facts
    if (typeof rawFacts !== 'object' || rawFacts === null || Array.isArray(rawFacts)) {
      throw new EvidenceError([{ code: rawFacts === undefined ? 'REQUIRED' : 'INVALID_TYPE', path: '/facts', message: 'facts must be an object of fact values' }])
    }
    const issues: EvidenceIssue[] = []
    // A plain object, not Object.create(null): V8 keeps those in slow dictionary mode. Only
    // declared fact keys are copied in, and no fact may be named "constructor" (schema), so
    // nothing from Object.prototype can be read as evidence.
    const own: Data = {}
    const ignored: string[] = []
    // Copy in the set's own fact order: every bundle's data then has the same object shape.
    let found = 0
    for (const key of factKeys) {
      const value = (rawFacts as Record<string, unknown>)[key]
      if (value === undefined || !Object.hasOwn(rawFacts, key)) continue
      found++
      // null and "" mean "not given" (a form's empty field), whatever the fact's type: valid, and
      // absent from the evaluation data. Anything else must have the fact's own type.
      if (value !== null && value !== '') own[key] = normalise(value)
    }
    const rawKeys = Object.keys(rawFacts)
    if (rawKeys.length !== found) {
      for (const key of rawKeys) {
        if (facts.has(key)) continue
        if (vocabularyKeys.has(key)) ignored.push(key)
        else if (issues.length < MAX_ISSUES) issues.push({ code: 'UNKNOWN_FACT', path: `/facts/${pointer(key)}`, message: `"${key}" is not a fact of this criteria set or its vocabulary` })
      }
    }
    if (!validate(own)) {
      const seen = new Set<string>()
      for (const e of validate.errors ?? []) {
        const issue = issueOf(e, facts)
        if (seen.has(issue.path) || issues.length >= MAX_ISSUES) continue
        seen.add(issue.path)
        issues.push(issue)
      }
    }
    if (issues.length === 0) {
      for (const f of bounded) {
        const part = own[f.key]
        const whole = own[f.maxFact as string]
        if (typeof part === 'number' && typeof whole === 'number' && part > whole) {
          issues.push({ code: 'EXCEEDS_WHOLE', path: `/facts/${f.key}`, message: `${f.key} (${part}) exceeds ${f.maxFact} (${whole}): ${f.label} cannot be more than ${facts.get(f.maxFact as string)?.label}` })
        }
      }
    }
    if (issues.length > 0) throw new EvidenceError(issues)
    return { data: own, ignored }
  }
}

const NON_ASCII = /[^\u0000-\u007f]/

function nfc(s: string): string {
  return NON_ASCII.test(s) ? s.normalize('NFC') : s
}

/** NFC for strings and a document's strings; a document is copied only when a string changes. */
function normalise(v: unknown): unknown {
  if (typeof v === 'string') return nfc(v)
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    let out: Record<string, unknown> | null = null
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k]
      if (typeof x !== 'string') continue
      const n = nfc(x)
      if (n !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = n
    }
    return out ?? v
  }
  return v
}

// Anything not mapped keeps a generic code; these are the stable codes clients can rely on.
const CODES: Record<string, string> = {
  type: 'INVALID_TYPE', minimum: 'OUT_OF_RANGE', maximum: 'OUT_OF_RANGE', enum: 'INVALID_VALUE',
  additionalProperties: 'UNKNOWN_FIELD', required: 'REQUIRED', format: 'INVALID_FORMAT', pattern: 'INVALID_FORMAT',
  maxLength: 'TOO_LONG', minLength: 'TOO_SHORT',
}

function issueOf(e: ErrorObject, facts: Map<string, FactDef>): EvidenceIssue {
  let path = `/facts${e.instancePath}`
  if (e.keyword === 'additionalProperties') path += `/${pointer(String(e.params.additionalProperty))}`
  if (e.keyword === 'required') path += `/${pointer(String(e.params.missingProperty))}`
  const key = e.instancePath.split('/')[1] ?? ''
  const f = facts.get(key)
  const detail = e.keyword === 'enum' ? ` (${(e.params.allowedValues as unknown[]).filter((v) => v !== null).join(', ')})` : ''
  return { code: CODES[e.keyword] ?? 'INVALID_VALUE', path, message: `${e.message ?? 'is invalid'}${detail}${f ? ` — ${f.label}` : ''}` }
}
