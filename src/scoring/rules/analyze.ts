// Static checks of one json-logic rule: allowed operators, arity, static `var` paths that name
// declared facts, numeric operands for arithmetic, depth and size limits. Used by the compiler
// (which refuses a rule with errors) and by the verifier (which reports them).
import {
  ALLOWED_OPS, ARITHMETIC_OPS, ARITY, MAX_RULE_DEPTH, MAX_RULE_NODES, argsOf, isLogic, opOf,
} from './operators.js'
import { pointerSegment as escapePointer } from '../json-pointer.js'

/** What a var path names: its value type, for the arithmetic check. */
const BOOLEAN_OPS = new Set(['==', '===', '!=', '!==', '>', '>=', '<', '<=', '!', '!!', 'in'])

/** What a var path names: its value type, for the arithmetic check. */
export type VarType = 'number' | 'boolean' | 'string' | 'other'
export type VarResolver = (path: string) => VarType | null

export interface RuleFinding { code: string; path: string; message: string; fix: string; /** The var path an UNKNOWN_VAR names. */ name?: string }

export interface RuleAnalysis { findings: RuleFinding[]; vars: string[]; /** Nodes walked (at most MAX_RULE_NODES + 1). */ nodes: number }

export function analyzeRule(rule: unknown, resolve: VarResolver): RuleAnalysis {
  const findings: RuleFinding[] = []
  const vars = new Set<string>()
  let nodes = 0
  let tooDeepReported = false

  const walk = (node: unknown, path: string, depth: number, arithmeticOperand: boolean): void => {
    nodes++
    if (nodes === MAX_RULE_NODES + 1) {
      findings.push({
        code: 'RULE_TOO_LARGE', path,
        message: `quy tắc có hơn ${MAX_RULE_NODES} nút (rule has more than ${MAX_RULE_NODES} nodes)`,
        fix: 'tách tiêu chí thành các tiêu chí con hoặc viết quy tắc gọn hơn (split the criterion into child criteria or simplify the rule)',
      })
    }
    if (nodes > MAX_RULE_NODES) return
    if (depth > MAX_RULE_DEPTH) {
      if (!tooDeepReported) {
        tooDeepReported = true
        findings.push({
          code: 'RULE_TOO_DEEP', path,
          message: `rule nesting is deeper than ${MAX_RULE_DEPTH}`,
          fix: 'flatten the rule (e.g. one if with several branches instead of nested ifs)',
        })
      }
      return
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}/${i}`, depth + 1, arithmeticOperand))
      return
    }
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) {
        findings.push({ code: 'NON_FINITE_LITERAL', path, message: 'number literal is not finite', fix: 'use a finite number' })
      }
      return
    }
    if (node === null || typeof node !== 'object') {
      if (arithmeticOperand && typeof node !== 'number') {
        findings.push({
          code: 'NON_NUMERIC_OPERAND', path,
          message: `arithmetic on a ${node === null ? 'null' : typeof node} literal (${JSON.stringify(node)}) gives NaN or string arithmetic in json-logic-js`,
          fix: 'use a number literal',
        })
      }
      return
    }
    if (!isLogic(node)) {
      findings.push({
        code: 'OBJECT_LITERAL', path,
        message: 'an object that is not a single-operator json-logic expression',
        fix: 'each object in a rule must have exactly one key, the operator',
      })
      return
    }
    const op = opOf(node)
    const args = argsOf(node)
    const opPath = `${path}/${escapePointer(op)}`
    if (!ALLOWED_OPS.has(op)) {
      findings.push({
        code: 'UNKNOWN_OPERATOR', path: opPath,
        message: `operator "${op}" is not allowed`,
        fix: `use one of: ${[...ALLOWED_OPS].join(' ')}`,
      })
      return
    }
    const [minArgs, maxArgs] = ARITY[op] as [number, number]
    if (args.length < minArgs || args.length > maxArgs) {
      findings.push({
        code: 'BAD_ARITY', path: opPath,
        message: `"${op}" takes ${minArgs === maxArgs ? minArgs : `${minArgs}–${maxArgs}`} arguments, got ${args.length}`,
        fix: op === 'if' ? 'give if an else branch: {"if": [condition, then, else]}' : `give "${op}" the right number of arguments`,
      })
    }
    if (op === 'if' && args.length % 2 === 0) {
      findings.push({
        code: 'IF_WITHOUT_ELSE', path: opPath,
        message: 'if has no else branch (it would return null when no condition holds)',
        fix: 'add a final else value, e.g. 0',
      })
    }
    if (op === 'var') {
      checkVar(args, opPath, arithmeticOperand)
      return
    }
    if (arithmeticOperand && BOOLEAN_OPS.has(op)) {
      findings.push({
        code: 'NON_NUMERIC_OPERAND', path: opPath,
        message: `arithmetic on the true/false result of "${op}" (json-logic-js gives NaN)`,
        fix: `wrap it: {"if": [{"${op}": …}, 1, 0]}`,
      })
    }
    const numericArgs = ARITHMETIC_OPS.has(op)
    args.forEach((arg, i) => walk(arg, Array.isArray(node[op]) ? `${opPath}/${i}` : opPath, depth + 1, numericArgs))
  }

  const checkVar = (args: unknown[], path: string, arithmeticOperand: boolean): void => {
    const [name, fallback] = args
    if (typeof name !== 'string' || name === '') {
      findings.push({
        code: 'DYNAMIC_VAR', path,
        message: 'var must name a fact with a literal, non-empty string',
        fix: 'write {"var": "fact_key"}',
      })
      return
    }
    vars.add(name)
    const type = resolve(name)
    if (type === null) {
      findings.push({
        code: 'UNKNOWN_VAR', path, name,
        message: `"${name}" is neither a fact of this set nor a declared reference`,
        fix: name.startsWith('ref.')
          ? `declare the reference "${name.slice(4)}" under "references"`
          : `add "${name}" to facts.use (if it is in the shared vocabulary) or facts.define`,
      })
      return
    }
    if (fallback !== undefined && (typeof fallback === 'object' && fallback !== null)) {
      findings.push({ code: 'DYNAMIC_VAR', path, message: 'var default must be a literal', fix: 'write {"var": ["fact_key", 0]}' })
    }
    if (arithmeticOperand) {
      if (type !== 'number') {
        findings.push({
          code: 'NON_NUMERIC_OPERAND', path,
          message: `arithmetic on "${name}", which is a ${type} (json-logic-js gives NaN)`,
          fix: `use {"if": [{"var": "${name}"}, 1, 0]} to count a yes/no fact`,
        })
      } else if (typeof fallback !== 'number') {
        findings.push({
          code: 'MISSING_NUMERIC_DEFAULT', path,
          message: `"${name}" is used in arithmetic without a numeric default`,
          fix: `write {"var": ["${name}", 0]} so the rule never yields NaN when evaluated elsewhere`,
        })
      }
    }
  }

  walk(rule, '', 0, false)
  return { findings, vars: [...vars], nodes }
}
