// A district officer's criteria table (a spreadsheet saved as CSV) → a draft criteria set.
// Pure apart from reading the JSON Schemas once (validateSetSchema): text in, a CriteriaSetDef or the
// list of every problem out, each with the CSV line and column and a fix a non-programmer can act on.
// The format and the rule templates are documented in docs/criteria-csv.md.
import { validateSetSchema } from '../criteria/schema-validation.js'
import { checkSet } from '../scoring/check-set.js'
import type { VarType } from '../scoring/rules/analyze.js'
import { analyzeRule } from '../scoring/rules/analyze.js'
import type {
  Band, Confidence, CriteriaSetDef, CriterionDef, CriterionKind, FactDef, FactType, GroupDef, Provenance, Threshold,
} from '../scoring/types.js'
import { columnOf, readTable, type Field, type Table, type TableRow } from './csv-table.js'
import {
  CONVENTION_TEXT, bandsOf, buildRule, factUses, parseFactsCell, parseRule, parseThreshold, templateMisfit,
  type FactLabel, type FactUse, type RuleError, type Template,
} from './rule-templates.js'
import { clip, fold, parsePoints } from './text.js'

export interface SetMeta {
  id: string
  version: string
  title: string
  document: { issuer: string; number: string; date: string; kind?: string; note?: string }
  appliesTo: string[]
  schoolYear?: string
  description?: string
}

export interface CsvProblem { line: number; column?: string; code: string; message: string; fix?: string }

export function criteriaFromCsv(csvText: string, meta: SetMeta): { def?: CriteriaSetDef; problems: CsvProblem[] } {
  const { table, problems: tableProblems } = readTable(csvText)
  if (!table) return { problems: tableProblems }
  const b = new Conversion(table)
  b.run()
  if (b.problems.length > 0) return { problems: sortByLine(b.problems) }
  const def = b.assemble(meta)
  // Backstops: whatever the row checks missed must not reach a file as an invalid set. checkSet
  // expects a schema-valid set, so it runs second.
  const schema = schemaProblems(def)
  if (schema.length > 0) return { problems: schema }
  const checks = b.setCheckProblems(def)
  return checks.length > 0 ? { problems: sortByLine(checks) } : { def, problems: [] }
}

// ---- one row, interpreted ----

type RowKind = CriterionKind | 'group'

interface Row {
  src: TableRow
  line: number
  code: string
  parent: string
  kind: RowKind | null
  title: string
  /** As typed (points of a parent are worked out from its children). */
  maxPoints: number | undefined
  template: Template | null
  factLabels: FactLabel[]
  provenance: Provenance | null
  children: Row[]
}

const KINDS: Record<string, RowKind> = {
  group: 'group', nhom: 'group',
  scored: 'scored', 'tinh diem': 'scored',
  mandatory: 'mandatory', 'bat buoc': 'mandatory', 'dieu kien bat buoc': 'mandatory',
  target: 'target', 'chi tieu': 'target',
  info: 'info', 'thong tin': 'info',
}

const CONFIDENCE: Record<string, Confidence> = {
  confirmed: 'confirmed', 'da xac nhan': 'confirmed',
  unconfirmed: 'unconfirmed', 'chua xac nhan': 'unconfirmed',
  convention: 'convention', 'quy uoc': 'convention',
}

const CRITERION_CODE = /^[0-9A-Za-z]+([.][0-9A-Za-z]+)*$/
const GROUP_CODE = /^[0-9A-Za-z]{1,16}$/
/** Schema maxima of the text fields a row fills. */
const MAX_LENGTH: Partial<Record<Field, number>> = { code: 32, unit: 40, evidence: 2000, source: 1000, note: 2000 }
const EPS = 1e-9
const DRAFT_SOURCE = 'cds-assess: mẫu công thức của bảng tiêu chí CSV (docs/criteria-csv.md)'

/** Sums of decimals (0.1 + 0.2) without binary noise, as src/scoring/numbers.ts does. */
const trim = (x: number) => Math.round(x * 1e9) / 1e9

class Conversion {
  readonly problems: CsvProblem[] = []
  private rows: Row[] = []
  private readonly byCode = new Map<string, Row>()
  private readonly facts: FactRegistry
  private readonly built = new Map<Row, { rule?: unknown; convention?: string; threshold?: Threshold; unit?: string }>()
  private readonly groupMax = new Map<Row, number | undefined>()
  private readonly groupBands = new Map<Row, Band[]>()

  constructor(private readonly table: Table) {
    this.facts = new FactRegistry((p) => this.problems.push(p), columnOf(table, 'facts'))
  }

  run(): void {
    this.rows = this.table.rows.map((r) => this.interpret(r))
    this.link()
    for (const r of this.rows) this.checkRule(r)
    for (const r of this.rows) this.checkCells(r)
    for (const r of this.rows) if (r.kind !== 'group' && r.kind !== null) this.checkPoints(r)
    for (const r of this.rows) this.registerFacts(r)
    this.facts.finish()
    for (const r of this.rows) this.buildLeaf(r)
    for (const r of this.rows) this.checkRaw(r)
    for (const r of this.groups()) this.checkGroup(r)
  }

  private report(row: Row | TableRow, field: Field, code: string, message: string, fix: string): void {
    this.problems.push({ line: row.line, column: columnOf(this.table, field), code, message, fix })
  }

  private reportError(row: Row, field: Field, e: RuleError): void {
    this.report(row, field, e.code, e.message, e.fix)
  }

  private groups(): Row[] {
    return this.rows.filter((r) => r.kind === 'group' && this.byCode.get(r.code) === r)
  }

  // -- cells --

  private interpret(src: TableRow): Row {
    const c = src.cells
    const row: Row = {
      src, line: src.line, code: codeOf(c.code), parent: codeOf(c.parent), kind: null, title: c.title,
      maxPoints: undefined, template: null, factLabels: [], provenance: null, children: [],
    }
    for (const [field, max] of Object.entries(MAX_LENGTH) as [Field, number][]) {
      if (c[field].length > max) this.report(src, field, 'TOO_LONG', `the text in "${columnOf(this.table, field)}" has ${c[field].length} characters; at most ${max} fit`, 'shorten it (details belong in the documents it cites)')
    }
    if (row.code === '') this.report(src, 'code', 'MISSING_VALUE', 'the row has no code', 'write the code of the group (I, II…) or of the criterion (1, 1.2, 1.2.3…) as in the decision\'s table')
    if (row.title === '') this.report(src, 'title', 'MISSING_VALUE', `row ${row.code || '(no code)'} has no title`, 'copy the name of the group or criterion from the decision')
    row.kind = this.kindOf(row)
    row.maxPoints = this.pointsCell(row)
    const parsed = parseRule(c.rule)
    if ('error' in parsed) this.reportError(row, 'rule', parsed.error)
    else row.template = parsed.template
    if (c.facts !== '') {
      const f = parseFactsCell(c.facts)
      if ('error' in f) this.reportError(row, 'facts', f.error)
      else row.factLabels = f.labels
    }
    row.provenance = this.provenanceOf(row)
    return row
  }

  private kindOf(row: Row): RowKind | null {
    const cell = row.src.cells.kind
    if (cell === '') return row.parent === '' ? 'group' : 'scored'
    const kind = KINDS[fold(cell)]
    if (!kind) {
      this.report(row, 'kind', 'UNKNOWN_KIND', `"${cell}" is not a kind of row`, 'write one of: nhóm (group), tính điểm (scored), bắt buộc (mandatory), chỉ tiêu (target), thông tin (info); or leave it empty')
      return null
    }
    return kind
  }

  private pointsCell(row: Row): number | undefined {
    const cell = row.src.cells.maxPoints
    if (cell === '') return undefined
    const n = parsePoints(cell)
    if (n === null || n <= 0 || n > 1000) {
      this.report(row, 'maxPoints', 'BAD_NUMBER', `"${cell}" is not a number of points`, 'write a number above 0 and at most 1000, e.g. 10 or 2,5 (no thousands separators)')
      return undefined
    }
    return n
  }

  private provenanceOf(row: Row): Provenance | null {
    const c = row.src.cells
    const confidence = c.confidence === '' ? 'confirmed' : CONFIDENCE[fold(c.confidence)]
    if (!confidence) {
      this.report(row, 'confidence', 'UNKNOWN_CONFIDENCE', `"${c.confidence}" is not a confidence`, 'write đã xác nhận (confirmed), chưa xác nhận (unconfirmed) or quy ước (convention); empty means đã xác nhận')
      return null
    }
    if (c.source === '') {
      if (row.kind !== 'group') this.report(row, 'source', 'MISSING_VALUE', `criterion ${row.code} has no source`, 'write where it comes from: the decision\'s number and the section or table row, e.g. "QĐ 3229/QĐ-UBND, Phụ lục, mục 1.2"')
      return null
    }
    return { source: c.source, confidence, ...(c.note ? { note: c.note } : {}) }
  }

  // -- structure --

  private link(): void {
    for (const r of this.rows) {
      if (r.code === '') continue
      const first = this.byCode.get(r.code)
      if (first) this.report(r, 'code', 'DUPLICATE_CODE', `the code "${r.code}" is also used on line ${first.line}`, 'give each group and criterion its own code')
      else this.byCode.set(r.code, r)
    }
    for (const r of this.rows) this.linkRow(r)
  }

  private linkRow(r: Row): void {
    if (r.kind === 'group') {
      if (r.parent !== '') this.report(r, 'parent', 'GROUP_HAS_PARENT', `the group ${r.code} is placed under "${r.parent}"`, 'a group row has an empty "Thuộc"; if it is a criterion, change "Loại"')
      else if (r.code !== '' && !GROUP_CODE.test(r.code)) this.report(r, 'code', 'BAD_CODE', `"${r.code}" is not a group code`, 'a group code is letters and digits only, without dots, e.g. I, II, A or 1')
      return
    }
    if (r.code !== '' && (!CRITERION_CODE.test(r.code) || r.code.length > 32)) {
      this.report(r, 'code', 'BAD_CODE', `"${r.code}" is not a criterion code`, 'write letters and digits separated by dots, e.g. 1, 1.2 or 1.2.a (no spaces)')
    }
    if (r.parent === '') {
      this.report(r, 'parent', 'NO_GROUP', `criterion ${r.code} belongs to no group ("Thuộc" is empty)`, 'write the code of its group (e.g. I) or parent criterion in "Thuộc"; if the row is a group, set "Loại" to nhóm')
      return
    }
    const parent = this.byCode.get(r.parent)
    if (!parent) {
      this.report(r, 'parent', 'UNKNOWN_PARENT', `"${r.parent}" is not the code of any row`, 'write the code of an existing group or criterion row, exactly as in its "Mã" cell')
    } else if (this.inCycle(r)) {
      this.report(r, 'parent', 'PARENT_CYCLE', `"${r.parent}" is placed (directly or indirectly) under ${r.code}`, 'each criterion must lead up to a group through "Thuộc"; correct the "Thuộc" cells')
    } else if (parent.kind !== 'group' && parent.kind !== 'scored' && parent.kind !== null) {
      this.report(r, 'parent', 'BAD_PARENT', `${parent.code} is a "${parent.src.cells.kind}" criterion, which cannot have sub-criteria`, `only scored (tính điểm) criteria have sub-criteria: change the kind of ${parent.code} or place ${r.code} in a group`)
    } else if (r.kind !== null) {
      parent.children.push(r)
    }
  }

  private inCycle(r: Row): boolean {
    const seen = new Set<Row>([r])
    for (let p = this.byCode.get(r.parent); p && p.kind !== 'group'; p = this.byCode.get(p.parent)) {
      if (seen.has(p)) return true
      seen.add(p)
    }
    return false
  }

  // -- rules and points --

  private checkRule(r: Row): void {
    if (!r.template || r.kind === null) return
    const hasChildren = r.children.length > 0
    // "sum" over rows that name it in "Thuộc" but could not be attached: their problem says why.
    if (r.template.name === 'sum' && !hasChildren && r.code !== '' && this.rows.some((x) => x.parent === r.code)) return
    const misfit = templateMisfit(r.template, { isGroup: r.kind === 'group', kind: r.kind === 'group' ? null : r.kind, hasChildren })
    if (misfit) {
      this.reportError(r, 'rule', misfit)
      r.template = null
    }
  }

  /** Cells a row of this kind has no use for: dropping them silently would lose what was meant. */
  private checkCells(r: Row): void {
    const c = r.src.cells
    if (r.kind === 'group') {
      for (const f of ['threshold', 'unit', 'evidence'] as const) {
        if (c[f] !== '') this.report(r, f, 'NOT_FOR_GROUP', `the group row ${r.code} has "${c[f]}" in "${columnOf(this.table, f)}"`, 'a group row has only its code, title, points, levels and source: move the text to a criterion row or delete it')
      }
    } else if (r.kind !== null && r.kind !== 'target' && c.threshold !== '') {
      this.report(r, 'threshold', 'THRESHOLD_NOT_FOR_KIND', `criterion ${r.code} is not a target but has the threshold "${c.threshold}"`, 'only chỉ tiêu (target) rows have a threshold: empty "Ngưỡng", or set "Loại" to chỉ tiêu')
    }
    const maxTitle = r.kind === 'group' ? 500 : 1000
    if (c.title.length > maxTitle) this.report(r, 'title', 'TOO_LONG', `the title has ${c.title.length} characters; at most ${maxTitle} fit`, 'shorten the title (the details belong in "Minh chứng" or the decision itself)')
  }

  private checkPoints(r: Row): void {
    const leafScored = r.kind === 'scored' && r.children.length === 0
    if (r.kind !== 'scored' && r.maxPoints !== undefined) {
      this.report(r, 'maxPoints', 'POINTS_NOT_ALLOWED', `criterion ${r.code} is "${r.src.cells.kind}" but has ${r.maxPoints} points`, 'only scored (tính điểm) criteria have points: empty "Điểm tối đa", or change "Loại"')
    } else if (leafScored && r.maxPoints === undefined && r.src.cells.maxPoints === '') {
      this.report(r, 'maxPoints', 'MISSING_VALUE', `scored criterion ${r.code} has no maximum points`, 'write its maximum points in "Điểm tối đa"')
    } else if (r.kind === 'scored' && r.children.length > 0) {
      this.checkParentPoints(r)
    }
  }

  /** A parent's points are its scored children's sum; a typed maximum must agree with it. */
  private checkParentPoints(r: Row): void {
    const sum = this.pointsOf(r)
    if (sum === undefined) return
    if (sum === 0) {
      this.report(r, 'maxPoints', 'NO_SCORED_CHILDREN', `criterion ${r.code} has sub-criteria but none of them carries points`, 'give its sub-criteria points, or make it a group')
    } else if (r.maxPoints !== undefined && Math.abs(sum - r.maxPoints) > EPS) {
      this.report(r, 'maxPoints', 'MAX_MISMATCH', `criterion ${r.code} has ${r.maxPoints} points but its sub-criteria add up to ${sum}`, 'correct the points of the criterion or of its sub-criteria (or leave "Điểm tối đa" of the parent empty)')
    }
  }

  /** Maximum points of a scored row: typed, or its children's sum; undefined while unknown. */
  private pointsOf(r: Row): number | undefined {
    if (r.children.length === 0) return r.maxPoints
    let sum = 0
    for (const ch of r.children) {
      if (ch.kind !== 'scored') continue
      const p = this.pointsOf(ch)
      if (p === undefined) return undefined
      sum += p
    }
    return trim(sum)
  }

  private registerFacts(r: Row): void {
    if (!r.template) return // the rule's problem is reported; its labels cannot be checked
    const uses = factUses(r.template, r.title)
    for (const label of r.factLabels) {
      if (!uses.some((u) => u.key === label.key)) {
        this.report(r, 'facts', 'FACT_NOT_IN_RULE', `"${label.key}" is labelled in "${columnOf(this.table, 'facts')}" but the rule of ${r.code} does not use it`, 'label only the facts of this row\'s rule; check the spelling against "Cách tính"')
      }
    }
    for (const use of uses) {
      const label = r.factLabels.find((l) => l.key === use.key)
      this.facts.use(use, label, { line: r.line, column: columnOf(this.table, 'rule'), code: r.code })
    }
  }

  private buildLeaf(r: Row): void {
    if (!r.template || r.kind === null || r.kind === 'group' || r.children.length > 0) return
    const t = r.template
    const max = r.maxPoints ?? 0
    if (r.kind === 'scored') this.checkTemplatePoints(r, t, max)
    const built = buildRule(t, r.kind, max)
    const threshold = this.thresholdOf(r, t, built.threshold)
    this.built.set(r, {
      ...(built.rule !== undefined ? { rule: built.rule } : {}),
      ...(built.convention ? { convention: built.convention } : {}),
      ...(threshold ? { threshold } : {}),
      ...(built.unit ? { unit: built.unit } : {}),
    })
  }

  /** Tier and count points against the maximum: none above it, and the maximum reachable. */
  private checkTemplatePoints(r: Row, t: Template, max: number): void {
    if (r.maxPoints === undefined) return
    if (t.name === 'tiers') {
      const points = [...t.tiers.map((x) => x.points), t.otherwise]
      const above = points.find((p) => p > max)
      if (above !== undefined) this.report(r, 'rule', 'TIER_ABOVE_MAX', `a tier of "${r.src.cells.rule}" gives ${above} points, more than the maximum ${max}`, `lower that tier's points to at most ${max}, or correct "Điểm tối đa"`)
      else if (Math.max(...points) < max) this.report(r, 'rule', 'MAX_UNREACHABLE', `no tier of "${r.src.cells.rule}" gives the maximum ${max} points`, `give the top tier ${max} points, or correct "Điểm tối đa"`)
    } else if (t.name === 'count') {
      const total = trim(t.items.reduce((s, i) => s + i.weight, 0))
      if (total < max) this.report(r, 'rule', 'MAX_UNREACHABLE', `all items of "${r.src.cells.rule}" together give ${total} points, less than the maximum ${max}`, `correct the weights (× n) or "Điểm tối đa"`)
    }
  }

  private thresholdOf(r: Row, t: Template, byDefault: Threshold | undefined): Threshold | undefined {
    const cell = r.src.cells.threshold
    if (r.kind !== 'target') return undefined // THRESHOLD_NOT_FOR_KIND is reported by checkCells
    if (cell === '') {
      if (!byDefault) this.report(r, 'threshold', 'MISSING_VALUE', `target ${r.code} has no threshold`, 'write the value to reach in "Ngưỡng", e.g. >= 100')
      return byDefault
    }
    const parsed = parseThreshold(cell)
    if ('error' in parsed) { this.reportError(r, 'threshold', parsed.error); return undefined }
    const wantsBoolean = t.name === 'yes'
    if ((t.name === 'yes' || t.name === 'ratio') && wantsBoolean !== (typeof parsed.threshold.value === 'boolean')) {
      this.report(r, 'threshold', 'BAD_THRESHOLD', `"${cell}" does not fit the rule "${r.src.cells.rule}", which gives ${wantsBoolean ? 'có/không (true/false)' : 'a percentage'}`, wantsBoolean ? 'write == true (or leave it empty)' : 'write a percentage, e.g. >= 90 (or leave it empty for >= 100)')
      return undefined
    }
    return parsed.threshold
  }

  /** A raw json-logic rule, checked once the types of all facts are known. */
  private checkRaw(r: Row): void {
    if (r.template?.name !== 'raw' || !this.built.has(r)) return
    if (r.template.vars.some((v) => this.facts.typeOf(v) === undefined)) return // UNTYPED_FACT is reported
    const resolve = (key: string): VarType | null => varType(this.facts.typeOf(key))
    for (const f of analyzeRule(r.template.logic, resolve).findings) {
      this.report(r, 'rule', 'BAD_RULE', `json-logic ${f.code} at "${f.path || '/'}": ${f.message}`, f.fix)
    }
  }

  private checkGroup(g: Row): void {
    const scored = g.children.filter((c) => c.kind === 'scored')
    const points = scored.map((c) => this.pointsOf(c))
    const known = points.every((p) => p !== undefined)
    const sum = trim((points as number[]).reduce((s, p) => s + (p ?? 0), 0))
    if (!this.rows.some((r) => r.parent === g.code)) {
      this.report(g, 'code', 'EMPTY_GROUP', `group ${g.code} has no criteria`, `write ${g.code} in "Thuộc" of its criteria, or delete the group row`)
    }
    if (known && g.maxPoints !== undefined && Math.abs(sum - g.maxPoints) > EPS) {
      this.report(g, 'maxPoints', 'GROUP_MAX_MISMATCH', `group ${g.code} has ${g.maxPoints} points but its scored criteria add up to ${sum}`, 'correct the points, or leave "Điểm tối đa" of the group empty (it is worked out); a known gap (missing criteria) can be declared by hand in the JSON draft')
    }
    this.groupMax.set(g, known && sum > 0 ? sum : undefined)
    if (g.template?.name === 'levels') this.checkLevels(g, g.template.bands, known ? sum : undefined)
  }

  private checkLevels(g: Row, specs: Extract<Template, { name: 'levels' }>['bands'], max: number | undefined): void {
    if (max === undefined) return // a problem with the criteria's points is reported already
    if (max === 0) {
      this.report(g, 'rule', 'LEVELS_WITHOUT_POINTS', `group ${g.code} has levels but none of its criteria carries points`, 'add scored (tính điểm) criteria to the group, or remove the levels')
      return
    }
    if (!g.provenance) {
      if (g.src.cells.source === '') this.report(g, 'source', 'MISSING_VALUE', `group ${g.code} has levels but no source`, 'write where the levels come from, e.g. "QĐ 3229/QĐ-UBND, mục III"')
      return
    }
    const result = bandsOf(specs, max)
    if ('error' in result) this.reportError(g, 'rule', result.error)
    else this.groupBands.set(g, result.bands)
  }

  // -- output --

  assemble(meta: SetMeta): CriteriaSetDef {
    const groups = this.groups().map((g) => this.groupDef(g))
    const conventions: NonNullable<CriteriaSetDef['conventions']> = {}
    for (const b of this.built.values()) {
      if (b.convention) conventions[b.convention] = { text: CONVENTION_TEXT[b.convention] as string, provenance: { source: DRAFT_SOURCE, confidence: 'convention' } }
    }
    return {
      formatVersion: 1,
      id: meta.id,
      version: meta.version,
      status: 'draft',
      document: { ...meta.document },
      title: meta.title,
      ...(meta.description !== undefined ? { description: meta.description } : {}),
      ...(meta.schoolYear !== undefined ? { schoolYear: meta.schoolYear } : {}),
      appliesTo: [...meta.appliesTo],
      facts: { define: this.facts.definitions() },
      ...(Object.keys(conventions).length > 0 ? { conventions } : {}),
      groups,
    }
  }

  private groupDef(g: Row): GroupDef {
    const max = this.groupMax.get(g)
    const bands = this.groupBands.get(g)
    return {
      code: g.code,
      title: g.title,
      ...(max !== undefined ? { maxPoints: max } : {}),
      ...(bands ? { levelBands: { bands, provenance: g.provenance as Provenance } } : {}),
      criteria: g.children.map((c) => this.criterionDef(c)),
    }
  }

  private criterionDef(r: Row): CriterionDef {
    const b = this.built.get(r) ?? {}
    const max = r.kind === 'scored' ? this.pointsOf(r) : undefined
    const evidence = r.src.cells.evidence
    return {
      code: r.code,
      title: r.title,
      kind: r.kind as CriterionKind,
      ...(max !== undefined ? { maxPoints: max } : {}),
      ...(b.rule !== undefined ? { rule: b.rule } : {}),
      ...(b.convention ? { ruleConvention: b.convention } : {}),
      ...(b.threshold ? { threshold: b.threshold } : {}),
      ...(r.src.cells.unit || b.unit ? { unit: r.src.cells.unit || b.unit } : {}),
      ...(evidence ? { evidence: { expected: evidence } } : {}),
      provenance: r.provenance as Provenance,
      ...(r.children.length > 0 ? { children: r.children.map((c) => this.criterionDef(c)) } : {}),
    }
  }

  /** checkSet's errors, pointed at the row of the criterion they name (line 0 otherwise). */
  setCheckProblems(def: CriteriaSetDef): CsvProblem[] {
    return checkSet(def, null).findings
      .filter((f) => f.severity === 'error')
      .map((f) => ({
        line: (f.criterion !== undefined ? this.byCode.get(f.criterion)?.line : undefined) ?? 0,
        code: f.code,
        message: `${f.criterion ? `criterion ${f.criterion}: ` : ''}${f.message} (at ${f.path})`,
        ...(f.fix ? { fix: f.fix } : {}),
      }))
  }
}

/** Codes as typed, without the trailing dot of "1." or "I." that tables often have. */
function codeOf(cell: string): string {
  return cell.replace(/\.$/, '')
}

function varType(t: FactType | undefined): VarType | null {
  if (t === undefined) return null
  return t === 'integer' || t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : 'string'
}

function schemaProblems(def: CriteriaSetDef): CsvProblem[] {
  return validateSetSchema(def).map((f) => ({
    line: 0,
    code: 'SCHEMA_INVALID',
    message: `the converted set is not valid at ${f.path}${f.criterion ? ` (criterion ${f.criterion})` : ''}: ${f.message}`,
    fix: f.path.startsWith('/groups') ? 'correct the row of that criterion' : 'correct the set details (id, version, title, document, appliesTo) given with the file',
  }))
}

function sortByLine(problems: CsvProblem[]): CsvProblem[] {
  return problems.map((p, i) => [p, i] as const).sort((a, b) => a[0].line - b[0].line || a[1] - b[1]).map(([p]) => p)
}

// ---- the facts rules read, with one type each ----

interface UseSite { line: number; column: string; code: string }

interface FactEntry {
  key: string
  /** Types every use so far accepts, preferred first; empty: not yet known (raw rules only). */
  types: FactType[]
  typedAt: UseSite | null
  label: string
  labelGiven: boolean
  maxFact?: string
  firstUse: UseSite
}

class FactRegistry {
  private readonly entries = new Map<string, FactEntry>()

  constructor(private readonly report: (p: CsvProblem) => void, private readonly factsColumn: string) {}

  /** One use of a fact by a row's rule, with the row's "Dữ kiện" entry for it if any. */
  use(use: FactUse, label: FactLabel | undefined, site: UseSite): void {
    let e = this.entries.get(use.key)
    if (!e) {
      e = { key: use.key, types: [], typedAt: null, label: use.label, labelGiven: false, firstUse: site }
      this.entries.set(use.key, e)
    }
    if (label?.label && !e.labelGiven) { e.label = label.label; e.labelGiven = true }
    if (use.maxFact && !e.maxFact) e.maxFact = use.maxFact
    this.narrow(e, use.types, site)
    if (label?.type) this.narrow(e, [label.type], { ...site, column: this.factsColumn })
  }

  private narrow(e: FactEntry, types: FactType[], site: UseSite): void {
    if (types.length === 0) return
    if (!e.typedAt) { e.types = types; e.typedAt = site; return }
    const both = e.types.filter((t) => types.includes(t))
    if (both.length > 0) { e.types = both; return }
    const other = e.typedAt
    this.report({
      line: site.line, column: site.column, code: 'FACT_TYPE_CLASH',
      message: `the fact "${e.key}" is ${describe(types)} in "${site.column}" of ${site.code} but ${describe(e.types)} in "${other.column}" of ${other.code} (line ${other.line})`,
      fix: `a fact has one type: use another fact name in one of the rows (e.g. "${e.key}_2"), or make the rules agree`,
    })
  }

  /** Reports facts whose type no rule or label gives (a raw rule's facts need one). */
  finish(): void {
    for (const e of this.entries.values()) {
      if (e.typedAt) continue
      this.report({
        line: e.firstUse.line, column: this.factsColumn, code: 'UNTYPED_FACT',
        message: `the json-logic rule of ${e.firstUse.code} reads "${e.key}", whose type no row gives`,
        fix: `give it a type in "${this.factsColumn}", e.g. ${e.key}: integer = <label> (types: boolean/có-không, integer/số nguyên, number/số)`,
      })
    }
  }

  typeOf(key: string): FactType | undefined {
    return this.entries.get(key)?.types[0]
  }

  definitions(): FactDef[] {
    const wholes = new Set([...this.entries.values()].map((e) => e.maxFact))
    return [...this.entries.values()].map((e): FactDef => ({
      key: e.key,
      type: e.types[0] as FactType,
      label: clip(e.label, 500),
      // The facts of a ratio are counts: never negative, and the part never above the whole.
      ...(e.maxFact || wholes.has(e.key) ? { min: 0 } : {}),
      ...(e.maxFact ? { maxFact: e.maxFact } : {}),
    }))
  }
}

const TYPE_NAMES: Record<FactType, string> = {
  boolean: 'có/không (boolean)', integer: 'a count (integer)', number: 'a number', enum: 'a choice', string: 'text', date: 'a date', document: 'a document',
}

function describe(types: FactType[]): string {
  return types.map((t) => TYPE_NAMES[t]).join(' or ')
}
