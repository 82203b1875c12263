// Shapes of the criteria-set files (criteria/schema/*.json) and of scoring results.
// The JSON Schemas are the authority for the files; these types mirror them.

export type Confidence = 'confirmed' | 'unconfirmed' | 'convention'
export interface Provenance { source: string; confidence: Confidence; note?: string }

export type FactType = 'boolean' | 'integer' | 'number' | 'enum' | 'string' | 'date' | 'document'
export interface FactDef {
  key: string
  type: FactType
  label: string
  help?: string
  unit?: string
  min?: number
  max?: number
  maxFact?: string
  maxLength?: number
  values?: { value: string; label: string }[]
}
export interface Vocabulary { id: string; version: string; title: string; facts: FactDef[] }

export interface Band { level: number; name: string; gt?: number; gte?: number; lt?: number; lte?: number }
export interface LevelBands { bands: Band[]; provenance: Provenance }

export type CriterionKind = 'mandatory' | 'scored' | 'info' | 'target'
export type ThresholdOp = '>=' | '>' | '<=' | '<' | '=='
export interface Threshold { op: ThresholdOp; value: number | boolean | string }

export interface CriterionDef {
  code: string
  title: string
  titleEn?: string
  kind: CriterionKind
  maxPoints?: number
  rule?: unknown
  ruleConvention?: string
  threshold?: Threshold
  unit?: string
  levelBands?: LevelBands
  evidence?: { expected?: string; facts?: string[] }
  provenance: Provenance
  children?: CriterionDef[]
}

export interface GroupDef {
  code: string
  title: string
  titleEn?: string
  maxPoints?: number
  levelBands?: LevelBands
  declaredGap?: { points: number; reason: string; provenance: Provenance }
  criteria: CriterionDef[]
}

export type ReferenceSelect =
  | { group: string; field: 'level' | 'total' }
  | { criterion: string; field: 'points' | 'met' | 'level' | 'value' }
  | { overall: 'level' }
export interface ReferenceDef { set: string; version?: string; label: string; select: ReferenceSelect }

export interface CriteriaSetDef {
  formatVersion: 1
  id: string
  version: string
  status: 'draft' | 'published'
  document: { issuer: string; number: string; date: string; kind?: string; note?: string }
  title: string
  titleEn?: string
  description?: string
  schoolYear?: string
  appliesTo: string[]
  vocabulary?: string
  facts: { use?: string[]; define?: FactDef[] }
  references?: Record<string, ReferenceDef>
  conventions?: Record<string, { text: string; provenance: Provenance }>
  policies?: {
    mandatoryFailure?: { capLevel: number; provenance: Provenance }
    overall?: { method: 'min-group-level'; label: string; provenance: Provenance }
  }
  groups: GroupDef[]
}

// ---- evidence ----

export type FactValue = boolean | number | string | DocumentRef
export interface DocumentRef { title: string; url?: string; ref?: string; issuedOn?: string }
export interface EvidenceBundle {
  facts: Record<string, unknown>
  school?: Record<string, unknown>
  description?: string
}

// ---- results ----

export interface EngineInfo { name: string; version: string; backend: 'compiled' | 'json-logic-js'; semantics: string }

export interface Explanation {
  /** Which branch of the rule's if-chain applied (1-based), when the rule is an if-chain. */
  branch?: number
  /** The condition of that branch in json-logic, or "else". */
  condition?: unknown
  /** Facts (and references) the applied path read, with their values. */
  read: Record<string, unknown>
  text: string
}

export type CriterionStatus = 'evaluated' | 'incomplete' | 'error'

export interface CriterionResult {
  code: string
  title: string
  kind: CriterionKind
  status: CriterionStatus
  maxPoints?: number
  points?: number | null
  met?: boolean | null
  value?: unknown
  gap?: number | null
  threshold?: Threshold
  level?: number | null
  levelName?: string | null
  missingFacts?: string[]
  evidenceMissing?: string[]
  error?: string
  explanation: Explanation
  provenance: Provenance
  children?: CriterionResult[]
}

export interface Reason { code: string; text: string; criteria?: string[] }

export interface HintChange { fact: string; label: string; from: unknown; to: unknown }
export interface HintItem { criterion: string; title: string; available: number; gain: number; changes: HintChange[] }
export interface NextLevelHint {
  targetLevel: number
  targetLevelName: string
  pointsNeeded: number
  /** The next band starts above the bound ("trên 75"): the total must exceed it. */
  mustExceed: boolean
  /** Mandatory conditions to meet before any level above the cap counts. */
  mandatory: { criterion: string; title: string; changes: HintChange[] }[]
  /** Every criterion with points still available and a change that earns them, best first. */
  criteria: HintItem[]
  /** Whether the listed changes together would reach the target. */
  sufficient: boolean
  /** Present (true) when the request's hint budget ran out: some criteria were not searched and
   *  may have changes that earn points (src/scoring/limits.ts HINT_BUDGET_NODES). */
  truncated?: true
}

export interface GroupResult {
  code: string
  title: string
  maxPoints: number | null
  total: number
  totalExact: number
  complete: boolean
  missingFacts: string[]
  level: number | null
  levelName: string | null
  levelReason: Reason | null
  mandatory: { met: string[]; failed: string[]; incomplete: string[] }
  declaredGap?: { points: number; reason: string }
  targets?: { met: number; total: number; share: number; allMet: boolean }
  criteria: CriterionResult[]
  nextLevel?: NextLevelHint | null
}

export interface ScoreResult {
  set: { id: string; version: string; status: string; contentHash: string; title: string }
  engine: EngineInfo
  complete: boolean
  missingFacts: string[]
  ignoredFacts: string[]
  errors: { criterion: string; message: string }[]
  groups: GroupResult[]
  overall: { level: number | null; levelName: string | null; derived: true; label: string; reason: Reason | null } | null
  targets?: { met: number; total: number; share: number; allMet: boolean }
}

/** Values of other sets' results this set reads, keyed by reference name (ref.<name>). */
export type ReferenceValues = Record<string, unknown>
