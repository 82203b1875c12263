// Renders a json-logic expression as a short formula for explanations, e.g.
// `7 × min(1, teachers_with_online_training_account / teachers_total)`.
import { argsOf, isLogic, opOf } from './operators.js'

const INFIX: Record<string, string> = {
  '==': '=', '===': '=', '!=': '≠', '!==': '≠', '>': '>', '>=': '≥', '<': '<', '<=': '≤',
  '+': '+', '-': '−', '*': '×', '/': '/', '%': 'mod', and: 'và', or: 'hoặc', in: 'thuộc',
}

export function formatLogic(logic: unknown): string {
  return fmt(logic, true)
}

function fmt(node: unknown, top: boolean): string {
  if (Array.isArray(node)) return `[${node.map((n) => fmt(n, true)).join(', ')}]`
  if (!isLogic(node)) return typeof node === 'string' ? JSON.stringify(node) : String(node)
  const op = opOf(node)
  const args = argsOf(node)
  if (op === 'var') return String(args[0])
  if (op === '!!') return fmt(args[0], top)
  if (op === '!') return `không (${fmt(args[0], true)})`
  if (op === 'if' || op === '?:') {
    const parts: string[] = []
    let i = 0
    for (; i < args.length - 1; i += 2) parts.push(`nếu ${fmt(args[i], true)} thì ${fmt(args[i + 1], true)}`)
    if (i < args.length) parts.push(`ngược lại ${fmt(args[i], true)}`)
    return `(${parts.join('; ')})`
  }
  if (op === '-' && args.length === 1) return `−${fmt(args[0], false)}`
  if ((op === '<' || op === '<=') && args.length === 3) {
    return `${fmt(args[0], false)} ${INFIX[op]} ${fmt(args[1], false)} ${INFIX[op]} ${fmt(args[2], false)}`
  }
  const sym = INFIX[op]
  if (sym) {
    const s = args.map((a) => fmt(a, false)).join(` ${sym} `)
    return top ? s : `(${s})`
  }
  return `${op}(${args.map((a) => fmt(a, true)).join(', ')})`
}
