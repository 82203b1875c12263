// JSON Schemas of a scoring result (src/scoring/types.ts ScoreResult), used to serialise responses
// and to describe them in OpenAPI. Shared by $id: ScoreResult, CriterionResult.
const nullableNumber = { type: ['number', 'null'] } as const
const nullableInteger = { type: ['integer', 'null'] } as const
const nullableString = { type: ['string', 'null'] } as const
const strings = { type: 'array', items: { type: 'string' } } as const
const anyValue = {} as const

const provenance = {
  type: 'object',
  properties: { source: { type: 'string' }, confidence: { type: 'string', enum: ['confirmed', 'unconfirmed', 'convention'] }, note: { type: 'string' } },
  required: ['source', 'confidence'],
} as const

const reason = {
  type: ['object', 'null'],
  properties: { code: { type: 'string', description: 'BAND, MANDATORY_CAP, PROVISIONAL, RULE_ERROR, …' }, text: { type: 'string' }, criteria: strings },
  required: ['code', 'text'],
} as const

const change = { type: 'object', properties: { fact: { type: 'string' }, label: { type: 'string' }, from: anyValue, to: anyValue }, required: ['fact', 'label'] } as const

export const criterionResultSchema = {
  $id: 'CriterionResult',
  type: 'object',
  description: 'Points (or met/value) of one criterion, with the explanation of how they came about.',
  properties: {
    code: { type: 'string' },
    title: { type: 'string' },
    kind: { type: 'string', enum: ['mandatory', 'scored', 'info', 'target'] },
    status: { type: 'string', enum: ['evaluated', 'incomplete', 'error'] },
    maxPoints: { type: 'number' },
    points: { ...nullableNumber, description: 'null when evidence is missing (never 0 for "unknown")' },
    met: { type: ['boolean', 'null'] },
    value: anyValue,
    gap: nullableNumber,
    threshold: { type: 'object', properties: { op: { type: 'string' }, value: anyValue } },
    level: nullableInteger,
    levelName: nullableString,
    missingFacts: strings,
    evidenceMissing: strings,
    error: { type: 'string' },
    explanation: {
      type: 'object',
      properties: {
        branch: { type: 'integer' },
        condition: anyValue,
        read: { type: 'object', additionalProperties: true, description: 'facts the rule read, with their values' },
        text: { type: 'string', description: 'Vietnamese explanation' },
      },
      required: ['read', 'text'],
    },
    provenance,
    children: { type: 'array', items: { $ref: 'CriterionResult#' } },
  },
  required: ['code', 'title', 'kind', 'status', 'explanation', 'provenance'],
} as const

const targets = { type: 'object', properties: { met: { type: 'integer' }, total: { type: 'integer' }, share: { type: 'number' }, allMet: { type: 'boolean' } } } as const

const nextLevel = {
  type: ['object', 'null'],
  properties: {
    targetLevel: { type: 'integer' },
    targetLevelName: { type: 'string' },
    pointsNeeded: { type: 'number' },
    mustExceed: { type: 'boolean' },
    mandatory: { type: 'array', items: { type: 'object', properties: { criterion: { type: 'string' }, title: { type: 'string' }, changes: { type: 'array', items: change } } } },
    criteria: {
      type: 'array',
      items: { type: 'object', properties: { criterion: { type: 'string' }, title: { type: 'string' }, available: { type: 'number' }, gain: { type: 'number' }, changes: { type: 'array', items: change } } },
    },
    sufficient: { type: 'boolean' },
    truncated: { type: 'boolean', description: 'the request\'s hint budget ran out: some criteria were not searched (src/scoring/limits.ts)' },
  },
} as const

export const groupResultSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    title: { type: 'string' },
    maxPoints: nullableNumber,
    total: { type: 'number' },
    totalExact: { type: 'number' },
    complete: { type: 'boolean' },
    missingFacts: strings,
    level: nullableInteger,
    levelName: nullableString,
    levelReason: reason,
    mandatory: { type: 'object', properties: { met: strings, failed: strings, incomplete: strings } },
    declaredGap: { type: 'object', properties: { points: { type: 'number' }, reason: { type: 'string' } } },
    targets,
    criteria: { type: 'array', items: { $ref: 'CriterionResult#' } },
    nextLevel,
  },
  required: ['code', 'title', 'total', 'complete', 'level', 'criteria'],
} as const

export const scoreResultSchema = {
  $id: 'ScoreResult',
  type: 'object',
  description: 'Points per criterion, group totals and levels (Mức 1–3) with their reason, and the derived overall view.',
  properties: {
    set: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' }, status: { type: 'string' }, contentHash: { type: 'string' }, title: { type: 'string' } } },
    engine: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, backend: { type: 'string' }, semantics: { type: 'string' } } },
    complete: { type: 'boolean' },
    missingFacts: strings,
    ignoredFacts: strings,
    errors: { type: 'array', items: { type: 'object', properties: { criterion: { type: 'string' }, message: { type: 'string' } } } },
    groups: { type: 'array', items: groupResultSchema },
    overall: {
      type: ['object', 'null'],
      properties: { level: nullableInteger, levelName: nullableString, derived: { type: 'boolean' }, label: { type: 'string' }, reason },
    },
    targets,
  },
  required: ['set', 'engine', 'complete', 'missingFacts', 'groups'],
} as const
