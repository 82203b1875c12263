// Static consistency checks of a (schema-valid) criteria set against its fact vocabulary.
// compileSet refuses a set with any error; the verifier reports every finding.
import { analyzeRule, type VarType } from './rules/analyze.js'
import { bandsCoverage } from './levels.js'
import { MAX_CRITERIA_PER_SET, MAX_ENUM_VALUES, MAX_FACTS_PER_RULE, MAX_FACTS_PER_SET, MAX_SET_NODES } from './limits.js'
import type { CriteriaSetDef, CriterionDef, FactDef, GroupDef, Vocabulary } from './types.js'

export type Severity = 'error' | 'warning' | 'acknowledged'
export interface Finding {
  severity: Severity
  code: string
  /** JSON pointer into the criteria file. */
  path: string
  criterion?: string
  message: string
  fix?: string
}

const NUMERIC_REF_FIELDS = new Set(['level', 'total', 'points'])
/** Floating tolerance when comparing declared maxima (sums of decimals like 0.1 + 0.2). */
const EPS = 1e-9
/** "Did you mean" costs an edit distance per known name: only the first few unknown names get one. */
const MAX_SUGGESTIONS = 20

export function resolveFacts(def: CriteriaSetDef, vocabulary: Vocabulary | null, findings: Finding[]): Map<string, FactDef> {
  const facts = new Map<string, FactDef>()
  const vocab = new Map((vocabulary?.facts ?? []).map((f) => [f.key, f]))
  def.facts.use?.forEach((key, i) => {
    const f = vocab.get(key)
    if (!f) {
      findings.push({
        severity: 'error', code: 'UNKNOWN_VOCABULARY_FACT', path: `/facts/use/${i}`,
        message: `fact "${key}" is not in the vocabulary "${def.vocabulary ?? '(none declared)'}"`,
        fix: def.vocabulary ? `add it to criteria/facts/${def.vocabulary}.json or define it under facts.define` : 'declare "vocabulary" or define the fact under facts.define',
      })
    } else facts.set(key, f)
  })
  def.facts.define?.forEach((f, i) => {
    if (facts.has(f.key) || vocab.has(f.key)) {
      findings.push({
        severity: 'error', code: 'DUPLICATE_FACT', path: `/facts/define/${i}/key`,
        message: `fact "${f.key}" is defined twice (here and ${vocab.has(f.key) ? 'in the shared vocabulary' : 'above'})`,
        fix: vocab.has(f.key) ? 'remove the local definition and list the key under facts.use' : 'keep one definition',
      })
    } else facts.set(f.key, f)
  })
  for (const f of facts.values()) {
    if (f.maxFact !== undefined) {
      const whole = facts.get(f.maxFact)
      if (!whole || (whole.type !== 'integer' && whole.type !== 'number')) {
        findings.push({
          severity: 'error', code: 'BAD_MAX_FACT', path: '/facts',
          message: `fact "${f.key}" is bounded by "${f.maxFact}", which is not a numeric fact of this set`,
          fix: `add "${f.maxFact}" to facts.use`,
        })
      }
    }
  }
  return facts
}

export function varType(path: string, facts: Map<string, FactDef>, def: CriteriaSetDef): VarType | null {
  if (path.startsWith('ref.')) {
    const name = path.slice(4)
    // Own keys only: "ref.constructor" must not find Object.prototype.constructor.
    const ref = def.references && Object.hasOwn(def.references, name) ? def.references[name] : undefined
    if (!ref) return null
    const field = 'field' in ref.select ? ref.select.field : 'level'
    return NUMERIC_REF_FIELDS.has(field) ? 'number' : field === 'met' ? 'boolean' : 'other'
  }
  const f = facts.get(path)
  if (!f) return null
  if (f.type === 'integer' || f.type === 'number') return 'number'
  if (f.type === 'boolean') return 'boolean'
  if (f.type === 'document') return 'other'
  return 'string'
}

export function checkSet(def: CriteriaSetDef, vocabulary: Vocabulary | null): { findings: Finding[]; facts: Map<string, FactDef> } {
  const findings: Finding[] = []
  const facts = resolveFacts(def, vocabulary, findings)
  const codes = new Map<string, string>()
  const usedFacts = new Set<string>()
  const resolve = (p: string) => varType(p, facts, def)
  let criteriaCount = 0
  let setNodes = 0
  let suggestions = 0

  const checkBands = (bands: GroupDef['levelBands'], max: number | undefined, path: string, criterion?: string) => {
    if (!bands) return
    if (max === undefined) {
      findings.push({ severity: 'error', code: 'BANDS_WITHOUT_MAX', path, criterion, message: 'level bands need a maximum to cover', fix: 'set maxPoints' })
      return
    }
    for (const problem of bandsCoverage(bands.bands, max)) {
      findings.push({ severity: 'error', code: problem.code, path: `${path}/bands`, criterion, message: problem.message, fix: 'make the bands cover 0…max once each, e.g. lt 50 / gte 50 lte 75 / gt 75' })
    }
  }

  const checkCriterion = (c: CriterionDef, path: string, parentKind: string | null): void => {
    const where = { path, criterion: c.code }
    criteriaCount++
    if (codes.has(c.code)) {
      findings.push({ severity: 'error', code: 'DUPLICATE_CODE', ...where, message: `code ${c.code} is used twice (also at ${codes.get(c.code)})`, fix: 'give each criterion its own code' })
    } else codes.set(c.code, path)
    if (parentKind !== null && parentKind !== 'scored') {
      findings.push({ severity: 'error', code: 'CHILD_OF_UNSCORED', ...where, message: `only scored criteria can have children (parent is ${parentKind})`, fix: 'move the criterion up a level' })
    }
    if (c.ruleConvention !== undefined && !def.conventions?.[c.ruleConvention]) {
      findings.push({ severity: 'error', code: 'UNKNOWN_CONVENTION', ...where, path: `${path}/ruleConvention`, message: `convention "${c.ruleConvention}" is not declared`, fix: 'declare it under "conventions" or remove ruleConvention' })
    }
    c.evidence?.facts?.forEach((k, i) => {
      usedFacts.add(k)
      if (!facts.has(k)) findings.push({ severity: 'error', code: 'UNKNOWN_EVIDENCE_FACT', ...where, path: `${path}/evidence/facts/${i}`, message: `evidence fact "${k}" is not a fact of this set`, fix: `add "${k}" to facts.use or facts.define` })
    })
    const children = c.children ?? []
    if (c.kind === 'scored' && children.length > 0) {
      if (c.rule !== undefined) findings.push({ severity: 'error', code: 'PARENT_WITH_RULE', ...where, message: 'a criterion with children scores as the sum of its children; it cannot have its own rule', fix: 'remove the rule, or move it into a child criterion' })
      const sum = children.reduce((s, ch) => s + (ch.kind === 'scored' ? ch.maxPoints ?? 0 : 0), 0)
      if (c.maxPoints !== undefined && Math.abs(sum - c.maxPoints) > EPS) {
        findings.push({ severity: 'error', code: 'MAX_MISMATCH', ...where, message: `maxPoints is ${c.maxPoints} but its scored children add up to ${round(sum)}`, fix: 'correct maxPoints or the children\'s maxima' })
      }
    } else if (c.kind !== 'info' && c.rule === undefined) {
      findings.push({ severity: 'error', code: 'MISSING_RULE', ...where, message: `a ${c.kind} criterion needs a rule`, fix: 'add a json-logic rule' })
    }
    if (c.kind !== 'scored' && children.length > 0) {
      findings.push({ severity: 'error', code: 'CHILDREN_NOT_ALLOWED', ...where, message: `a ${c.kind} criterion cannot have children`, fix: 'make it scored, or move the children up' })
    }
    if (c.kind !== 'scored' && c.levelBands) {
      findings.push({ severity: 'error', code: 'BANDS_NOT_ALLOWED', ...where, message: 'only scored criteria can have level bands', fix: 'remove levelBands' })
    }
    if (c.kind === 'scored') checkBands(c.levelBands, c.maxPoints, `${path}/levelBands`, c.code)
    if (c.rule !== undefined) {
      const { findings: rf, vars, nodes } = analyzeRule(c.rule, resolve)
      vars.forEach((v) => usedFacts.add(v))
      setNodes += nodes
      if (vars.length > MAX_FACTS_PER_RULE) {
        findings.push({
          severity: 'error', code: 'RULE_TOO_MANY_FACTS', path: `${path}/rule`, criterion: c.code,
          message: `quy tắc của tiêu chí ${c.code} đọc ${vars.length} dữ kiện; tối đa ${MAX_FACTS_PER_RULE} (rule reads ${vars.length} facts, at most ${MAX_FACTS_PER_RULE})`,
          fix: 'tách tiêu chí thành các tiêu chí con, mỗi tiêu chí đọc ít dữ kiện hơn (split it into child criteria)',
        })
      }
      for (const f of rf) {
        const near = f.name !== undefined && suggestions++ < MAX_SUGGESTIONS ? nearest(f.name, [...facts.keys(), ...Object.keys(def.references ?? {}).map((r) => `ref.${r}`)]) : null
        findings.push({ severity: 'error', code: f.code, path: `${path}/rule${f.path}`, criterion: c.code, message: f.message, fix: near ? `did you mean "${near}"? Otherwise ${f.fix}` : f.fix })
      }
    }
    children.forEach((ch, i) => checkCriterion(ch, `${path}/children/${i}`, c.kind))
  }

  const groupCodes = new Set<string>()
  def.groups.forEach((g, gi) => {
    const gp = `/groups/${gi}`
    if (groupCodes.has(g.code)) findings.push({ severity: 'error', code: 'DUPLICATE_GROUP', path: `${gp}/code`, message: `group code ${g.code} is used twice`, fix: 'give each group its own code' })
    groupCodes.add(g.code)
    g.criteria.forEach((c, ci) => checkCriterion(c, `${gp}/criteria/${ci}`, null))
    const scored = g.criteria.filter((c) => c.kind === 'scored')
    const sum = scored.reduce((s, c) => s + (c.maxPoints ?? 0), 0)
    if (g.maxPoints !== undefined) {
      const gap = g.declaredGap?.points ?? 0
      if (Math.abs(sum + gap - g.maxPoints) > EPS) {
        findings.push({
          severity: 'error', code: 'GROUP_MAX_MISMATCH', path: `${gp}/maxPoints`,
          message: `group ${g.code} declares ${g.maxPoints} points but its criteria add up to ${round(sum)}${gap ? ` plus a declared gap of ${gap}` : ''}`,
          fix: gap ? 'correct the declared gap or the criteria maxima' : `correct the maxima, or declare the missing ${round(g.maxPoints - sum)} points as "declaredGap" with its reason and source`,
        })
      } else if (g.declaredGap) {
        findings.push({
          severity: 'acknowledged', code: 'DECLARED_GAP', path: `${gp}/declaredGap`,
          message: `group ${g.code}: the known criteria add up to ${round(sum)} of ${g.maxPoints}; ${gap} points are declared missing — ${g.declaredGap.reason}`,
        })
      }
    } else if (g.declaredGap) {
      findings.push({ severity: 'error', code: 'GAP_WITHOUT_MAX', path: `${gp}/declaredGap`, message: 'a declared gap needs the group maxPoints', fix: 'set maxPoints' })
    }
    checkBands(g.levelBands, g.maxPoints, `${gp}/levelBands`)
    const cap = def.policies?.mandatoryFailure?.capLevel
    if (cap !== undefined && g.levelBands && !g.levelBands.bands.some((b) => b.level === cap)) {
      findings.push({ severity: 'error', code: 'BAD_CAP_LEVEL', path: '/policies/mandatoryFailure/capLevel', message: `cap level ${cap} is not a level of group ${g.code}`, fix: 'use one of the group\'s levels' })
    }
  })
  if (criteriaCount > MAX_CRITERIA_PER_SET) {
    findings.push({
      severity: 'error', code: 'TOO_MANY_CRITERIA', path: '/groups',
      message: `bộ tiêu chí có ${criteriaCount} tiêu chí (kể cả tiêu chí con); tối đa ${MAX_CRITERIA_PER_SET} (the set has ${criteriaCount} criteria, at most ${MAX_CRITERIA_PER_SET})`,
      fix: 'tách thành nhiều bộ tiêu chí, hoặc gộp các tiêu chí giống nhau',
    })
  }
  if (setNodes > MAX_SET_NODES) {
    findings.push({
      severity: 'error', code: 'SET_TOO_LARGE', path: '/groups',
      message: `các quy tắc của bộ tiêu chí có tổng cộng ${setNodes} nút; tối đa ${MAX_SET_NODES} (the rules have ${setNodes} nodes in all, at most ${MAX_SET_NODES})`,
      fix: 'viết quy tắc gọn hơn (dùng mẫu quy tắc thay cho json-logic dài) hoặc tách thành nhiều bộ tiêu chí',
    })
  }
  for (const f of facts.values()) {
    if ((f.values?.length ?? 0) > MAX_ENUM_VALUES) {
      findings.push({
        severity: 'error', code: 'TOO_MANY_VALUES', path: '/facts',
        message: `dữ kiện "${f.key}" có ${f.values?.length} giá trị; tối đa ${MAX_ENUM_VALUES} (an enum fact has at most ${MAX_ENUM_VALUES} values)`,
        fix: 'gộp các giá trị, hoặc dùng một dữ kiện số thay cho danh sách dài',
      })
    }
  }
  if (facts.size > MAX_FACTS_PER_SET) {
    findings.push({
      severity: 'error', code: 'TOO_MANY_FACTS', path: '/facts',
      message: `bộ tiêu chí khai báo ${facts.size} dữ kiện; tối đa ${MAX_FACTS_PER_SET} (the set declares ${facts.size} facts, at most ${MAX_FACTS_PER_SET})`,
      fix: 'bỏ các dữ kiện không dùng, hoặc tách thành nhiều bộ tiêu chí',
    })
  }
  for (const [name] of Object.entries(def.references ?? {})) {
    if (!usedFacts.has(`ref.${name}`)) findings.push({ severity: 'warning', code: 'UNUSED_REFERENCE', path: `/references/${name}`, message: `reference "${name}" is not read by any rule`, fix: 'remove it or use {"var": "ref.' + name + '"}' })
  }
  // A Set, not a scan of every fact per fact: O(n), not O(n²), for a set with very many facts.
  const wholes = new Set([...facts.values()].map((f) => f.maxFact))
  for (const key of facts.keys()) {
    if (!usedFacts.has(key) && !wholes.has(key)) {
      findings.push({ severity: 'warning', code: 'UNUSED_FACT', path: '/facts', message: `fact "${key}" is declared but no rule or evidence list reads it`, fix: 'remove it from the set\'s facts' })
    }
  }
  return { findings, facts }
}

/** The closest known name within a few typos, for "did you mean" hints. */
function nearest(name: string, known: string[]): string | null {
  let best: string | null = null
  let bestD = Math.max(2, Math.floor(name.length / 5)) + 1
  for (const k of known) {
    const d = editDistance(name, k)
    if (d < bestD) { best = k; bestD = d }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length] as number
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
