// Compiles a checked json-logic rule once into an evaluable tree. If-chains at the top of a rule
// (and in their branches) stay explicit so the engine can say which branch applied and which facts
// that path read, and so a fact only needed by another branch is never reported missing.
// Leaves run on one of two backends with the same semantics:
//   'compiled'      — closures over VALUE_OPS (fast; the default)
//   'json-logic-js' — the library's own apply (the reference; `log` removed)
import jsonLogic from 'json-logic-js'
import { VALUE_OPS, argsOf, isLogic, opOf, truthy } from './operators.js'
import { formatLogic } from './format.js'

export type Backend = 'compiled' | 'json-logic-js'
/** Evaluation data: present facts by key, and other sets' values under `ref`. */
export type Data = Record<string, unknown>
type Expr = (d: Data) => unknown

// Upstream prints with console.log; a server must not.
jsonLogic.rm_operation('log')

export interface ExprNode { kind: 'expr'; run: Expr; vars: string[]; text: string }
export interface IfNode { kind: 'if'; conds: ExprNode[]; condLogic: unknown[]; branches: RuleNode[]; vars: string[] }
export type RuleNode = ExprNode | IfNode

export interface CompiledRule {
  root: RuleNode
  vars: string[]
  /** Nodes of the rule, as the analyzer counts them: what one run costs, at most (hint budget). */
  size: number
}

/** One evaluation's outcome: a value, or the facts that were missing on the path taken. */
export interface RuleRun {
  value: unknown
  missing: string[] | null
  /** 1-based number of the outermost if-branch taken (0: the rule has no if). */
  branch: number
  /** That branch's condition in json-logic, or "else". */
  condition: unknown
  /** Facts (and ref.* names) read on the path taken. */
  read: string[]
  /** The path as a formula: conditions taken → value expression. */
  text: string
}

export function compileRule(logic: unknown, backend: Backend): CompiledRule {
  const root = compileNode(logic, backend)
  return { root, vars: collectVars(logic), size: countNodes(logic) }
}

/** Every value of the rule counts once: operators, their arguments, literals (as analyzeRule walks). */
export function countNodes(logic: unknown): number {
  if (Array.isArray(logic)) return 1 + logic.reduce((n: number, x) => n + countNodes(x), 0)
  if (!isLogic(logic)) return 1
  if (opOf(logic) === 'var') return 1
  return 1 + argsOf(logic).reduce((n: number, x) => n + countNodes(x), 0)
}

function compileNode(logic: unknown, backend: Backend): RuleNode {
  if (isLogic(logic) && (opOf(logic) === 'if' || opOf(logic) === '?:')) {
    const args = argsOf(logic)
    const conds: ExprNode[] = []
    const condLogic: unknown[] = []
    const branches: RuleNode[] = []
    let i = 0
    for (; i < args.length - 1; i += 2) {
      condLogic.push(args[i])
      conds.push(exprNode(args[i], backend))
      branches.push(compileNode(args[i + 1], backend))
    }
    // The analyzer requires an else; a missing one evaluates to null, as in json-logic-js.
    branches.push(i < args.length ? compileNode(args[i], backend) : exprNode(null, backend))
    return { kind: 'if', conds, condLogic, branches, vars: collectVars(logic) }
  }
  return exprNode(logic, backend)
}

function exprNode(logic: unknown, backend: Backend): ExprNode {
  const run: Expr = backend === 'compiled'
    ? compileExpr(logic)
    : (d) => jsonLogic.apply(logic as jsonLogic.RulesLogic, d)
  return { kind: 'expr', run, vars: collectVars(logic), text: formatLogic(logic) }
}

export function runRule(rule: CompiledRule, data: Data): RuleRun {
  const out: RuleRun = { value: null, missing: null, branch: 0, condition: undefined, read: [], text: '' }
  // Facts already in out.read: a Set, so a rule reading n facts costs O(n), not O(n²) (H3).
  const seen = new Set<string>()
  let node = rule.root
  for (;;) {
    if (node.kind === 'expr') {
      if (!checkPresent(node.vars, data, out, seen)) return out
      out.value = node.run(data)
      out.text = out.text === '' ? node.text : `${out.text} → ${node.text}`
      return out
    }
    const n = node.conds.length
    let taken = n
    for (let i = 0; i < n; i++) {
      const cond = node.conds[i] as ExprNode
      // Which branch applies is unknown, so every fact this if may still read is reported.
      if (!checkPresent(cond.vars, data, out, seen)) { out.missing = absent(node.vars, data); return out }
      if (truthy(cond.run(data))) { taken = i; break }
    }
    const step = taken < n ? (node.conds[taken] as ExprNode).text : 'ngược lại'
    if (out.branch === 0) {
      out.branch = taken + 1
      out.condition = taken < n ? node.condLogic[taken] : 'else'
    }
    out.text = out.text === '' ? step : `${out.text} → ${step}`
    node = node.branches[taken] as RuleNode
  }
}

function checkPresent(vars: string[], data: Data, out: RuleRun, seen: Set<string>): boolean {
  let ok = true
  for (const v of vars) {
    if (readVar(data, v) === undefined) {
      ;(out.missing ??= []).push(v)
      ok = false
    } else if (!seen.has(v)) {
      seen.add(v)
      out.read.push(v)
    }
  }
  return ok
}

function absent(vars: string[], data: Data): string[] {
  return vars.filter((v) => readVar(data, v) === undefined)
}

/** A declared fact's value, or undefined when absent. `ref.x` reads references. */
export function readVar(data: Data, path: string): unknown {
  if (path.startsWith('ref.')) {
    const refs = data.ref as Data | undefined
    return refs === undefined ? undefined : refs[path.slice(4)]
  }
  return data[path]
}

export function collectVars(logic: unknown, acc: Set<string> = new Set()): string[] {
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(walk); return }
    if (!isLogic(n)) return
    const op = opOf(n)
    const args = argsOf(n)
    if (op === 'var') {
      if (typeof args[0] === 'string') acc.add(args[0])
      return
    }
    args.forEach(walk)
  }
  walk(logic)
  return [...acc]
}

/** Closure compiler for the allow-listed operators (the analyzer has run before this). */
export function compileExpr(logic: unknown): Expr {
  if (Array.isArray(logic)) {
    const items = logic.map(compileExpr)
    return (d) => items.map((f) => f(d))
  }
  if (!isLogic(logic)) {
    const constant = logic
    return () => constant
  }
  const op = opOf(logic)
  const args = argsOf(logic)
  if (op === 'var') return compileVar(args)
  const fs = args.map(compileExpr)
  switch (op) {
    case 'if':
    case '?:': {
      const n = fs.length
      return (d) => {
        let i = 0
        for (; i < n - 1; i += 2) if (truthy((fs[i] as Expr)(d))) return (fs[i + 1] as Expr)(d)
        return i === n - 1 ? (fs[i] as Expr)(d) : null
      }
    }
    case 'and':
      return (d) => {
        let cur: unknown
        for (const f of fs) { cur = f(d); if (!truthy(cur)) return cur }
        return cur
      }
    case 'or':
      return (d) => {
        let cur: unknown
        for (const f of fs) { cur = f(d); if (truthy(cur)) return cur }
        return cur
      }
    case '+':
      return (d) => {
        let s = 0
        for (const f of fs) { const v = f(d); s += typeof v === 'number' ? v : parseFloat(v as string) }
        return s
      }
    case '*':
      if (fs.length === 1) return fs[0] as Expr // json-logic-js's reduce returns a lone argument unparsed
      return (d) => {
        let p = num((fs[0] as Expr)(d))
        for (let i = 1; i < fs.length; i++) p *= num((fs[i] as Expr)(d))
        return p
      }
    case 'min':
      return (d) => Math.min(...fs.map((f) => f(d) as number))
    case 'max':
      return (d) => Math.max(...fs.map((f) => f(d) as number))
  }
  const impl = VALUE_OPS[op]
  if (!impl) throw new Error(`Unrecognized operation ${op}`)
  if (fs.length === 1) { const [a] = fs as [Expr]; return (d) => impl(a(d)) }
  if (fs.length === 2) { const [a, b] = fs as [Expr, Expr]; return (d) => impl(a(d), b(d)) }
  return (d) => impl(...fs.map((f) => f(d)))
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : parseFloat(v as string)
}

function compileVar(args: unknown[]): Expr {
  const [path, fallback] = args
  const notFound = fallback === undefined ? null : fallback
  const parts = String(path).split('.')
  if (parts.length === 1) {
    const key = parts[0] as string
    return (d) => { const v = d[key]; return v === undefined ? notFound : v }
  }
  return (d) => {
    let cur: any = d
    for (const p of parts) {
      if (cur === null || cur === undefined) return notFound
      cur = cur[p]
      if (cur === undefined) return notFound
    }
    return cur
  }
}
