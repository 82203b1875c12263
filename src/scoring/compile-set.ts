// Compiles a criteria set once: static checks, rule compilation, evidence preparer, content hash.
import { checkSet, type Finding } from './check-set.js'
import { engineInfo } from './engine-info.js'
import { makeEvidencePreparer, evidenceSchema, type EvidencePreparer } from './evidence.js'
import { canonicalJson, sha256 } from './hash.js'
import { compileRule, type Backend, type CompiledRule } from './rules/compile.js'
import type { Band, CriteriaSetDef, CriterionDef, EngineInfo, FactDef, GroupDef, ReferenceDef, Threshold, Vocabulary } from './types.js'

export class CriteriaSetError extends Error {
  readonly code = 'INVALID_CRITERIA_SET'
  constructor(readonly setId: string, readonly findings: Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error')
    super(`criteria set ${setId} has ${errors.length} error(s): ${errors.slice(0, 3).map((f) => `${f.criterion ?? f.path}: ${f.message}`).join('; ')}`)
  }
}

export interface CompiledCriterion {
  def: CriterionDef
  code: string
  title: string
  kind: CriterionDef['kind']
  maxPoints: number | undefined
  bands: Band[] | null
  threshold: Threshold | undefined
  rule: CompiledRule | null
  evidenceFacts: string[]
  children: CompiledCriterion[]
}

export interface CompiledGroup {
  def: GroupDef
  code: string
  title: string
  maxPoints: number | null
  bands: Band[] | null
  criteria: CompiledCriterion[]
}

export interface CompiledSet {
  def: CriteriaSetDef
  id: string
  version: string
  title: string
  status: CriteriaSetDef['status']
  contentHash: string
  engine: EngineInfo
  facts: Map<string, FactDef>
  references: Record<string, ReferenceDef>
  groups: CompiledGroup[]
  byCode: Map<string, CompiledCriterion>
  capLevel: number | null
  prepare: EvidencePreparer
  evidenceSchema: Record<string, unknown>
}

export interface CompileOptions { backend?: Backend }

export function compileSet(def: CriteriaSetDef, vocabulary: Vocabulary | null, opts: CompileOptions = {}): CompiledSet {
  const backend = opts.backend ?? 'compiled'
  const { findings, facts } = checkSet(def, vocabulary)
  if (findings.some((f) => f.severity === 'error')) throw new CriteriaSetError(`${def.id}@${def.version}`, findings)
  const byCode = new Map<string, CompiledCriterion>()
  const compileCriterion = (c: CriterionDef): CompiledCriterion => {
    const cc: CompiledCriterion = {
      def: c,
      code: c.code,
      title: c.title,
      kind: c.kind,
      maxPoints: c.maxPoints,
      bands: c.levelBands?.bands ?? null,
      threshold: c.threshold,
      rule: c.rule === undefined ? null : compileRule(c.rule, backend),
      evidenceFacts: c.evidence?.facts ?? [],
      children: (c.children ?? []).map(compileCriterion),
    }
    byCode.set(c.code, cc)
    return cc
  }
  const groups = def.groups.map((g): CompiledGroup => ({
    def: g,
    code: g.code,
    title: g.title,
    maxPoints: g.maxPoints ?? null,
    bands: g.levelBands?.bands ?? null,
    criteria: g.criteria.map(compileCriterion),
  }))
  const vocabularyKeys = new Set((vocabulary?.facts ?? []).map((f) => f.key))
  for (const k of facts.keys()) vocabularyKeys.add(k)
  const meta = { id: def.id, version: def.version, title: def.title }
  return {
    def,
    id: def.id,
    version: def.version,
    title: def.title,
    status: def.status,
    // The hash covers the fact definitions too: a vocabulary change is a content change.
    contentHash: sha256(canonicalJson({ set: def, facts: [...facts.values()] })),
    engine: engineInfo(backend),
    facts,
    references: def.references ?? {},
    groups,
    byCode,
    capLevel: def.policies?.mandatoryFailure?.capLevel ?? null,
    prepare: makeEvidencePreparer(facts, vocabularyKeys),
    evidenceSchema: evidenceSchema(meta, facts),
  }
}
