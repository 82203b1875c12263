// Public surface of the pure scoring core.
export { compileSet, CriteriaSetError, type CompiledSet, type CompiledCriterion, type CompiledGroup } from './compile-set.js'
export { score, evaluateData, type ScoreOptions } from './evaluate.js'
export { EvidenceError, type EvidenceIssue } from './evidence.js'
export { referenceValues, referencedSets } from './references.js'
export { checkSet, type Finding, type Severity } from './check-set.js'
export { engineInfo, ENGINE_NAME, ENGINE_VERSION } from './engine-info.js'
export type * from './types.js'
