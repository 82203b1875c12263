// The rule templates of the criteria CSV ("cách tính" column), thresholds ("ngưỡng") and fact labels
// ("dữ kiện"), and the json-logic each template becomes. Grammar (docs/criteria-csv.md):
//   yes(fact)                          có(…)
//   ratio(part / whole)                tỉ lệ(…)
//   tiers(fact; >=90: 10; >=70: 5; else: 0)   bậc(…)
//   count(f1, f2, f3 × 2)  or  count(f1; f2 × 0,5)   đếm(…)
//   sum                                tổng
//   levels(Mức 1: >=0; Mức 2: >=50; Mức 3: >75)   mức(…)   (group rows only)
//   {…}                                raw json-logic
// The generated rules only use operators the engine allows (src/scoring/rules/operators.ts) and give
// every fact used in arithmetic a numeric default, as the analyzer requires.
import { analyzeRule } from '../scoring/rules/analyze.js'
import type { Band, CriterionKind, FactType, Threshold, ThresholdOp } from '../scoring/types.js'
import { MAX_NAME_LENGTH, asciiOps, clip, fold, isFactKey, parseNumber, suggestKey } from './text.js'

/** Longest "fact × weight" item of count(…): a 64-character key, a sign and a weight, with room. */
const MAX_COUNT_ITEM = 120

export interface Tier { op: ThresholdOp; value: number; points: number }
export interface LevelSpec { name: string; op: '>=' | '>'; value: number }

export type Template =
  | { name: 'none' }
  | { name: 'sum' }
  | { name: 'yes'; fact: string }
  | { name: 'ratio'; part: string; whole: string }
  | { name: 'tiers'; fact: string; tiers: Tier[]; otherwise: number }
  | { name: 'count'; items: { fact: string; weight: number }[] }
  | { name: 'levels'; bands: LevelSpec[] }
  | { name: 'raw'; logic: unknown; vars: string[] }

export interface RuleError { code: string; message: string; fix: string }

/** Template names by their folded English and Vietnamese spellings. */
const NAMES: Record<string, Template['name']> = {
  yes: 'yes', co: 'yes',
  ratio: 'ratio', 'ti le': 'ratio', 'ty le': 'ratio',
  tiers: 'tiers', bac: 'tiers',
  count: 'count', dem: 'count',
  levels: 'levels', muc: 'levels',
  sum: 'sum', tong: 'sum',
}

const TEMPLATE_LIST = 'yes(fact), ratio(part / whole), tiers(fact; >=90: 10; else: 0), count(f1, f2 × 2), sum, levels(Mức 1: >=0; Mức 2: >=50), or json-logic starting with {'

export function parseRule(cell: string): { template: Template } | { error: RuleError } {
  const text = asciiOps(cell.trim())
  if (text === '') return { template: { name: 'none' } }
  if (text.startsWith('{')) return parseRaw(text)
  const m = splitCall(text)
  const name = m && m.name.length <= MAX_NAME_LENGTH ? NAMES[fold(m.name)] : undefined
  const args = m?.args
  if (!name) return badRule(`"${cell}" is not a known rule`, `write one of: ${TEMPLATE_LIST}`)
  if (name === 'sum') return args === undefined || args.trim() === '' ? { template: { name: 'sum' } } : badRule(`"${cell}": sum takes no arguments`, 'write just: sum')
  if (args === undefined) return badRule(`"${cell}": ${name} needs its arguments in brackets`, `write e.g. ${example(name)}`)
  switch (name) {
    case 'yes': return parseYes(args, cell)
    case 'ratio': return parseRatio(args, cell)
    case 'tiers': return parseTiers(args, cell)
    case 'count': return parseCount(args, cell)
    default: return parseLevels(args, cell)
  }
}

/**
 * "name(args)" or "name" → its parts; null when the brackets are elsewhere. In one pass: the
 * regex this replaces, /^([^()]+?)\s*(?:\((.*)\))?$/s, backtracked quadratically over the spaces
 * of a long cell. `text` is trimmed.
 */
export function splitCall(text: string): { name: string; args: string | undefined } | null {
  let p = 0
  while (p < text.length && text[p] !== '(' && text[p] !== ')') p++
  if (p === text.length) return text === '' ? null : { name: text.trimEnd(), args: undefined }
  const name = text.slice(0, p).trimEnd()
  if (name === '' || text[p] !== '(' || !text.endsWith(')') || text.length - 1 <= p) return null
  return { name, args: text.slice(p + 1, -1) }
}

function example(name: Template['name']): string {
  return {
    yes: 'yes(has_plan)', ratio: 'ratio(teachers_trained / teachers_total)', tiers: 'tiers(share_online; >=90: 10; >=70: 5; else: 0)',
    count: 'count(has_app, has_portal, has_lms × 2)', levels: 'levels(Mức 1: >=0; Mức 2: >=50; Mức 3: >75)', sum: 'sum', none: '', raw: '{"!!": [{"var": "has_plan"}]}',
  }[name]
}

function badRule(message: string, fix: string): { error: RuleError } {
  return { error: { code: 'BAD_RULE', message, fix } }
}

/** A fact key as typed, or the BAD_FACT_KEY error suggesting a valid one. */
function factKey(raw: string, cell: string): { key: string } | { error: RuleError } {
  const key = raw.trim()
  if (isFactKey(key)) return { key }
  return {
    error: {
      code: 'BAD_FACT_KEY',
      message: `"${key}" in "${cell}" is not a usable fact name`,
      fix: `fact names use lower-case letters a–z without accents, digits and _ and start with a letter (not "ref" or "constructor"), e.g. "${suggestKey(key || 'fact')}"`,
    },
  }
}

function parseYes(args: string, cell: string): { template: Template } | { error: RuleError } {
  const k = factKey(args, cell)
  return 'error' in k ? k : { template: { name: 'yes', fact: k.key } }
}

function parseRatio(args: string, cell: string): { template: Template } | { error: RuleError } {
  const parts = args.split('/')
  if (parts.length !== 2) return badRule(`"${cell}": a ratio is two facts separated by "/"`, `write e.g. ${example('ratio')}`)
  const part = factKey(parts[0] as string, cell)
  if ('error' in part) return part
  const whole = factKey(parts[1] as string, cell)
  if ('error' in whole) return whole
  if (part.key === whole.key) return badRule(`"${cell}" divides a fact by itself`, 'the part (before /) and the whole (after /) must be different facts')
  return { template: { name: 'ratio', part: part.key, whole: whole.key } }
}

const COMPARISON_OPS = ['>=', '>', '<=', '<', '==', '=']

/**
 * ">= 90" → [whole, ">=", "90"]; null when it is not a comparison. In one pass: the regex this
 * replaces, /^(>=|>|<=|<|==|=)\s*(.+)$/, backtracked quadratically over spaces before a line break.
 */
function comparison(s: string): [string, string, string] | null {
  const op = COMPARISON_OPS.find((o) => s.startsWith(o))
  if (op === undefined) return null
  const rest = s.slice(op.length).trimStart()
  if (rest === '' || /[\n\r\u2028\u2029]/.test(rest)) return null
  return [s, op, rest]
}

function parseTiers(args: string, cell: string): { template: Template } | { error: RuleError } {
  const [first, ...rest] = args.split(';')
  const k = factKey(first ?? '', cell)
  if ('error' in k) return k
  const tiers: Tier[] = []
  let otherwise: number | null = null
  for (const raw of rest.map((s) => s.trim()).filter(Boolean)) {
    const colon = raw.lastIndexOf(':')
    const cond = colon < 0 ? '' : raw.slice(0, colon).trim()
    const points = parseNumber(colon < 0 ? '' : raw.slice(colon + 1))
    if (points === null) return badRule(`"${cell}": the tier "${raw}" has no points after ":"`, 'write each tier as condition: points, e.g. >=90: 10')
    if (otherwise !== null) return badRule(`"${cell}": "else" must be the last tier`, 'move the else tier to the end')
    if (['else', 'con lai', 'nguoc lai'].includes(fold(cond))) { otherwise = points; continue }
    const c = comparison(cond)
    const value = c ? parseNumber(c[2] as string) : null
    if (!c || value === null) return badRule(`"${cell}": "${cond}" is not a condition like >=90`, 'start each tier with >=, >, <=, < or == and a number, or write else')
    tiers.push({ op: c[1] === '=' ? '==' : c[1] as ThresholdOp, value, points })
  }
  if (tiers.length === 0) return badRule(`"${cell}" has no tiers`, `write e.g. ${example('tiers')}`)
  return { template: { name: 'tiers', fact: k.key, tiers, otherwise: otherwise ?? 0 } }
}

function parseCount(args: string, cell: string): { template: Template } | { error: RuleError } {
  // With ";" between items a weight may use the decimal comma (f × 0,5); with "," it cannot.
  const items: { fact: string; weight: number }[] = []
  for (const raw of args.split(args.includes(';') ? ';' : ',').map((s) => s.trim())) {
    if (raw === '') return badRule(`"${cell}" has an empty item`, `list the yes/no facts separated by commas, e.g. ${example('count')}`)
    // An item is a fact key (≤ 64 characters) and a weight: a longer one is a mistake, and the
    // regex below backtracks quadratically over spaces, so it never sees a long item.
    if (raw.length > MAX_COUNT_ITEM) return badRule(`"${clip(cell, 120)}": an item has ${raw.length} characters`, `write a fact, or a fact × points (e.g. has_lms × 2); a fact key has at most 64 characters`)
    const m = /^(.+?)(?:\s*[×*]\s*|\s+x\s*)(\S.*)$/u.exec(raw)
    const weight = m ? parseNumber(m[2] as string) : 1
    if (weight === null || weight <= 0) return badRule(`"${cell}": "${raw}" has no valid weight`, 'write a fact, or a fact × points (e.g. has_lms × 2)')
    const k = factKey(m ? m[1] as string : raw, cell)
    if ('error' in k) return k
    if (items.some((i) => i.fact === k.key)) return badRule(`"${cell}" counts "${k.key}" twice`, 'list each fact once (give it a weight × n instead)')
    items.push({ fact: k.key, weight })
  }
  return { template: { name: 'count', items } }
}

function parseLevels(args: string, cell: string): { template: Template } | { error: RuleError } {
  const bands: LevelSpec[] = []
  for (const raw of args.split(';').map((s) => s.trim()).filter(Boolean)) {
    const colon = raw.lastIndexOf(':')
    const c = comparison(colon < 0 ? '' : raw.slice(colon + 1).trim())
    const value = c ? parseNumber(c[2] as string) : null
    if (!c || value === null || (c[1] !== '>=' && c[1] !== '>')) {
      return badRule(`"${cell}": the level "${raw}" is not written as name: >=points or name: >points`, `write the lowest total of each level, e.g. ${example('levels')}`)
    }
    bands.push({ name: raw.slice(0, colon).trim(), op: c[1], value })
  }
  if (bands.length === 0) return badRule(`"${cell}" names no levels`, `write e.g. ${example('levels')}`)
  return { template: { name: 'levels', bands } }
}

function parseRaw(text: string): { template: Template } | { error: RuleError } {
  let logic: unknown
  try {
    logic = JSON.parse(text)
  } catch (e) {
    return badRule(`the json-logic "${text}" is not valid JSON (${(e as Error).message})`, 'check brackets, commas and that quotes are straight " (Word/Excel may turn them into “ ”)')
  }
  // Operators, arity and literals now (every fact taken as a number); whether each fact is used
  // according to its type is checked once all types are known.
  const { findings, vars } = analyzeRule(logic, () => 'number')
  const f = findings[0]
  if (f) return badRule(`json-logic ${f.code} at "${f.path || '/'}": ${f.message}${findings.length > 1 ? ` (and ${findings.length - 1} more)` : ''}`, f.fix)
  for (const v of vars) {
    if (v.startsWith('ref.')) return badRule(`"${v}" reads another criteria set's result, which a CSV table cannot declare`, 'add the reference by hand to the JSON draft after conversion')
    const k = factKey(v, text)
    if ('error' in k) return k
  }
  return { template: { name: 'raw', logic, vars } }
}

// ---- which template fits which row ----

export interface RowShape { isGroup: boolean; kind: CriterionKind | null; hasChildren: boolean }

/** Template names allowed on a leaf criterion of each kind. */
const LEAF_TEMPLATES: Record<CriterionKind, Template['name'][]> = {
  scored: ['yes', 'ratio', 'tiers', 'count', 'raw'],
  mandatory: ['yes', 'raw'],
  target: ['yes', 'ratio', 'raw'],
  info: ['none', 'yes', 'ratio', 'raw'],
}

const KIND_VI: Record<CriterionKind, string> = { scored: 'tính điểm', mandatory: 'bắt buộc', target: 'chỉ tiêu', info: 'thông tin' }

export function templateMisfit(t: Template, row: RowShape): RuleError | null {
  if (row.isGroup) {
    if (t.name === 'none' || t.name === 'levels') return null
    return { code: 'RULE_ON_GROUP', message: `a group row cannot have the rule "${t.name}"`, fix: 'move the rule to a criterion row; a group row takes only levels(…) or nothing' }
  }
  if (t.name === 'levels') {
    return { code: 'LEVELS_ON_CRITERION', message: 'levels(…) is written on a criterion row', fix: 'write the level bands in the "Cách tính" cell of the group row (the row without "Thuộc")' }
  }
  if (row.hasChildren) {
    if (t.name === 'none' || t.name === 'sum') return null
    return { code: 'PARENT_WITH_RULE', message: `this criterion has sub-criteria, so its points are their sum; it cannot also have the rule "${t.name}"`, fix: 'leave "Cách tính" empty (or write sum), or move the rule to a sub-criterion' }
  }
  if (t.name === 'sum') {
    return { code: 'SUM_WITHOUT_CHILDREN', message: 'the rule is "sum" but no row names this criterion in "Thuộc"', fix: 'add its sub-criteria (rows whose "Thuộc" is this code), or write the rule of this criterion' }
  }
  const kind = row.kind as CriterionKind
  if (LEAF_TEMPLATES[kind].includes(t.name)) return null
  if (t.name === 'none') {
    return { code: 'MISSING_RULE', message: `a "${KIND_VI[kind]}" (${kind}) criterion needs a rule`, fix: `write how it is worked out in "Cách tính", e.g. ${example(kind === 'scored' ? 'ratio' : 'yes')}` }
  }
  return {
    code: 'RULE_NOT_FOR_KIND', message: `the rule ${t.name}(…) does not fit a "${KIND_VI[kind]}" (${kind}) criterion`,
    fix: `use one of ${LEAF_TEMPLATES[kind].filter((n) => n !== 'none').map((n) => n === 'raw' ? 'json-logic' : `${n}(…)`).join(', ')}, or change "Loại"`,
  }
}

// ---- the facts a template reads ----

export interface FactUse {
  key: string
  /** Acceptable types, preferred first; empty: any (a raw rule's fact, typed elsewhere). */
  types: FactType[]
  label: string
  maxFact?: string
}

export function factUses(t: Template, title: string): FactUse[] {
  switch (t.name) {
    case 'yes': return [{ key: t.fact, types: ['boolean'], label: title }]
    case 'ratio': return [
      { key: t.part, types: ['integer'], label: `${title} — tử số`, maxFact: t.whole },
      { key: t.whole, types: ['integer'], label: `${title} — mẫu số` },
    ]
    case 'tiers': return [{ key: t.fact, types: ['number', 'integer'], label: title }]
    case 'count': return t.items.map((i, n) => ({ key: i.fact, types: ['boolean'] as FactType[], label: `${title} — nội dung ${n + 1}` }))
    case 'raw': return t.vars.map((v) => ({ key: v, types: [], label: `${title} — ${v}` }))
    default: return []
  }
}

// ---- json-logic ----

export interface BuiltRule { rule?: unknown; convention?: string; threshold?: Threshold; unit?: string }

const v = (key: string) => ({ var: key })
const n = (key: string) => ({ var: [key, 0] })

/** The rule of a leaf criterion (templateMisfit has accepted the pair). */
export function buildRule(t: Template, kind: CriterionKind, maxPoints: number): BuiltRule {
  switch (t.name) {
    case 'yes':
      if (kind === 'scored') return { rule: { if: [v(t.fact), maxPoints, 0] }, convention: 'yes-no' }
      return { rule: { '!!': [v(t.fact)] }, threshold: { op: '==', value: true } }
    case 'ratio': {
      const share = { '/': [n(t.part), n(t.whole)] }
      if (kind === 'scored') return { rule: { if: [{ '>': [n(t.whole), 0] }, { '*': [maxPoints, { min: [1, share] }] }, 0] }, convention: 'ratio' }
      return { rule: { if: [{ '>': [n(t.whole), 0] }, { '*': [100, share] }, 0] }, convention: 'ratio-percent', threshold: { op: '>=', value: 100 }, unit: '%' }
    }
    case 'tiers': {
      const chain: unknown[] = t.tiers.flatMap((tier) => [{ [tier.op]: [v(t.fact), tier.value] }, tier.points])
      return { rule: { if: [...chain, t.otherwise] }, convention: 'tiers' }
    }
    case 'count': {
      const terms = t.items.map((i) => ({ if: [v(i.fact), i.weight, 0] }))
      return { rule: { min: [maxPoints, { '+': terms }] }, convention: 'count' }
    }
    case 'raw': return { rule: t.logic }
    default: return {}
  }
}

/** What each generated rule means, stored in the set's "conventions" and cited by ruleConvention. */
export const CONVENTION_TEXT: Record<string, string> = {
  'yes-no': 'Đủ điểm khi có (true), 0 điểm khi không có. Full points when the fact is true, 0 otherwise.',
  ratio: 'Điểm = điểm tối đa × min(1, tử số / mẫu số); 0 điểm khi mẫu số bằng 0. Points = max × min(1, part / whole); 0 when the whole is 0.',
  'ratio-percent': 'Giá trị = 100 × tử số / mẫu số (%); 0 khi mẫu số bằng 0. Value = 100 × part / whole (percent); 0 when the whole is 0.',
  tiers: 'Điểm của bậc đầu tiên mà giá trị đạt (theo thứ tự trong bảng); không đạt bậc nào: điểm của "else" (mặc định 0). Points of the first tier the value meets, in table order; otherwise the else points (default 0).',
  count: 'Cộng điểm của mỗi nội dung có (true), tối đa bằng điểm tối đa. Sum of the weights of the facts that are true, capped at the maximum.',
}

// ---- thresholds, fact labels, level bands ----

const TRUE_WORDS = new Set(['true', 'dung', 'co', 'dat'])
const FALSE_WORDS = new Set(['false', 'sai', 'khong', 'khong dat'])

/** ">= 100", "≥ 90%", "== true", "<= 24". */
export function parseThreshold(cell: string): { threshold: Threshold } | { error: RuleError } {
  const c = comparison(asciiOps(cell.trim()))
  const op = c ? (c[1] === '=' ? '==' : c[1] as ThresholdOp) : null
  const raw = (c?.[2] ?? '').trim()
  const word = fold(raw)
  let value: number | boolean | null = TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : parseNumber(raw.endsWith('%') ? raw.slice(0, -1).trimEnd() : raw)
  if (typeof value === 'boolean' && op !== '==') value = null
  if (op === null || value === null) {
    return { error: { code: 'BAD_THRESHOLD', message: `"${cell}" is not a threshold`, fix: 'write a comparison and a value, e.g. >= 100, <= 24 or == true (có/không: == true, == false)' } }
  }
  return { threshold: { op, value } }
}

export interface FactLabel { key: string; type?: FactType; label?: string }

const TYPE_WORDS: Record<string, FactType> = {
  boolean: 'boolean', 'co khong': 'boolean', 'yes no': 'boolean',
  integer: 'integer', 'so nguyen': 'integer',
  number: 'number', so: 'number', 'so thuc': 'number',
}

/** "key = Nhãn; key2: integer = Nhãn 2" — a label and, optionally, a type per fact. */
export function parseFactsCell(cell: string): { labels: FactLabel[] } | { error: RuleError } {
  const labels: FactLabel[] = []
  for (const entry of cell.split(/;|\r?\n/).map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=')
    const head = (eq < 0 ? entry : entry.slice(0, eq)).trim()
    const label = eq < 0 ? undefined : entry.slice(eq + 1).trim() || undefined
    const colon = head.indexOf(':')
    const key = (colon < 0 ? head : head.slice(0, colon)).trim()
    const typeWord = colon < 0 ? undefined : fold(head.slice(colon + 1))
    const type = typeWord === undefined ? undefined : TYPE_WORDS[typeWord]
    if (!isFactKey(key)) {
      return { error: { code: 'BAD_FACT_KEY', message: `"${key}" in "${entry}" is not a usable fact name`, fix: `fact names use lower-case letters a–z without accents, digits and _, e.g. "${suggestKey(key || 'fact')}"` } }
    }
    if ((typeWord !== undefined && !type) || (label === undefined && type === undefined)) {
      return { error: { code: 'BAD_FACTS', message: `"${entry}" is not written as key = label (or key: type = label)`, fix: 'write e.g. teachers_total = Tổng số giáo viên; types: boolean (có/không), integer (số nguyên), number (số)' } }
    }
    labels.push({ key, ...(type ? { type } : {}), ...(label ? { label } : {}) })
  }
  return { labels }
}

/**
 * Level bands from the lowest total of each level: a band ends where the next begins, below it
 * (lt) when the next starts at ">=", up to it (lte) when the next starts at ">", so no total falls
 * in two bands or none (bandsCoverage in src/scoring/levels.ts).
 */
export function bandsOf(specs: LevelSpec[], max: number): { bands: Band[] } | { error: RuleError } {
  const fail = (message: string, fix: string) => ({ error: { code: 'BAD_LEVELS', message, fix } })
  const first = specs[0] as LevelSpec
  if (specs.length > 9) return fail(`${specs.length} levels are given; at most 9 are allowed`, 'merge levels')
  if (first.op !== '>=' || first.value !== 0) return fail(`the first level starts at "${first.op}${first.value}", so a total of 0 has no level`, `start the first level at >=0, e.g. ${first.name || 'Mức 1'}: >=0`)
  for (let i = 1; i < specs.length; i++) {
    const a = specs[i - 1] as LevelSpec
    const b = specs[i] as LevelSpec
    if (b.value < a.value || (b.value === a.value && !(a.op === '>=' && b.op === '>'))) {
      return fail(`"${b.name}" starts at ${b.op}${b.value}, not above "${a.name}" (${a.op}${a.value})`, 'list the levels from lowest to highest, each starting above the previous one')
    }
  }
  const last = specs[specs.length - 1] as LevelSpec
  if (last.value > max || (last.value === max && last.op === '>')) {
    return fail(`"${last.name}" starts at ${last.op}${last.value}, but the group has only ${max} points`, 'lower the bound, or check the points of the group\'s criteria')
  }
  const bands = specs.map((s, i): Band => {
    const band: Band = { level: i + 1, name: s.name || `Mức ${i + 1}` }
    band[s.op === '>=' ? 'gte' : 'gt'] = s.value
    const next = specs[i + 1]
    if (next) band[next.op === '>=' ? 'lt' : 'lte'] = next.value
    return band
  })
  return { bands }
}
