import type { Backend } from './rules/compile.js'
import { JSON_LOGIC_JS_VERSION } from './rules/operators.js'
import type { EngineInfo } from './types.js'

/** Bump on any change that can change a score: results record it so they stay reproducible. */
export const ENGINE_NAME = 'cds-rules'
export const ENGINE_VERSION = '1.0.0'

export function engineInfo(backend: Backend): EngineInfo {
  return { name: ENGINE_NAME, version: ENGINE_VERSION, backend, semantics: `json-logic-js@${JSON_LOGIC_JS_VERSION}` }
}
