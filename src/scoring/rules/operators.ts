// The json-logic operators a criteria set may use, with json-logic-js 2.0.5's exact semantics
// (node_modules/json-logic-js/logic.js). The compiled backend calls these; the verifier checks
// every rule against json-logic-js itself, so any drift here is caught, not trusted.

export const JSON_LOGIC_JS_VERSION = '2.0.5'

/** json-logic truthiness: an empty array is false, everything else as in JS. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false
  return !!value
}

/** Operators whose arguments must be numbers (json-logic-js gives NaN for missing or boolean input). */
export const ARITHMETIC_OPS = new Set(['+', '-', '*', '/', '%', 'min', 'max'])

/** Operators that control evaluation order themselves (lazy). */
export const CONTROL_OPS = new Set(['if', '?:', 'and', 'or'])

type Impl = (...args: any[]) => unknown

// `log` (prints), `method` (removed upstream, RCE), `missing*` (the engine reports missing facts itself),
// array scopes (`map`, `filter`, …: evidence facts are scalars) and `substr`/`merge` are not allowed.
export const VALUE_OPS: Record<string, Impl> = {
  '==': (a, b) => a == b, // eslint-disable-line eqeqeq
  '===': (a, b) => a === b,
  '!=': (a, b) => a != b, // eslint-disable-line eqeqeq
  '!==': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b, c) => (c === undefined ? a < b : a < b && b < c),
  '<=': (a, b, c) => (c === undefined ? a <= b : a <= b && b <= c),
  '!!': (a) => truthy(a),
  '!': (a) => !truthy(a),
  '%': (a, b) => a % b,
  in: (a, b) => (!b || typeof b.indexOf === 'undefined' ? false : b.indexOf(a) !== -1),
  cat: (...args) => args.join(''),
  '+': (...args) => args.reduce((a: any, b: any) => parseFloat(a) + parseFloat(b), 0),
  '*': (...args) => args.reduce((a: any, b: any) => parseFloat(a) * parseFloat(b)),
  '-': (a, b) => (b === undefined ? -a : a - b),
  '/': (a, b) => a / b,
  min: (...args) => Math.min(...args),
  max: (...args) => Math.max(...args),
}

export const ALLOWED_OPS = new Set(['var', ...CONTROL_OPS, ...Object.keys(VALUE_OPS)])

/** Minimum and maximum argument counts; json-logic-js silently ignores extras or throws on too few. */
export const ARITY: Record<string, [number, number]> = {
  var: [1, 2],
  if: [3, 99],
  '?:': [3, 3],
  and: [1, 99],
  or: [1, 99],
  '==': [2, 2], '===': [2, 2], '!=': [2, 2], '!==': [2, 2],
  '>': [2, 2], '>=': [2, 2], '<': [2, 3], '<=': [2, 3],
  '!!': [1, 1], '!': [1, 1],
  '%': [2, 2], '/': [2, 2], '-': [1, 2],
  in: [2, 2], cat: [1, 99], '+': [1, 99], '*': [1, 99], min: [1, 99], max: [1, 99],
}

// The limits live in src/scoring/limits.ts with how they were measured.
export { MAX_RULE_DEPTH, MAX_RULE_NODES } from '../limits.js'

export function isLogic(node: unknown): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length === 1
}

export function opOf(node: Record<string, unknown>): string {
  return Object.keys(node)[0] as string
}

/** Arguments as json-logic-js sees them: a non-array is a single argument. */
export function argsOf(node: Record<string, unknown>): unknown[] {
  const v = node[opOf(node)]
  return Array.isArray(v) ? v : [v]
}
