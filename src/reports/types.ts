// What the exports render: a unit's report (one row per school) and one assessment's phiếu.
// Built by the reports service from stored rows; the renderers (csv, xlsx, html) are pure.
import type { AssessmentState } from '../repositories/types.js'
import type { ScoreResult } from '../scoring/types.js'
import type { SchoolPoints } from './points.js'

export interface GroupCell { total: number | null; level: number | null; complete: boolean }

export interface ReportRow {
  moetCode: string
  name: string
  unitCode: string
  unitName: string
  /** School levels (TH, THCS, …); a multi-level school has several. */
  levels: string[]
  ownership: 'public' | 'private'
  /** Workflow state; null when the school has no assessment in the period. */
  state: AssessmentState | null
  /** Keyed by group code. Empty when there is no assessment. */
  self: Record<string, GroupCell>
  /** The reviewers' external assessment (đánh giá ngoài), when recorded. */
  external: Record<string, GroupCell> | null
  /** The same school's result a school year earlier (same criteria set id), when there is one. */
  previous: Record<string, GroupCell> | null
  /** Facts still missing from the self-assessment (keys). */
  missingFacts: string[]
  /** Points per criterion code (scored criteria, parents included); in JSON {code: {self, external}}. */
  criteria: SchoolPoints
}

export interface ReportColumnGroup { code: string; title: string; maxPoints: number | null }
export interface ReportColumnCriterion { code: string; title: string; groupCode: string; maxPoints: number | null; depth: number }

export interface UnitReport {
  unit: { code: string; name: string }
  period: { id: string; title: string; schoolYear: string }
  criteriaSet: { id: string; version: string; title: string }
  groups: ReportColumnGroup[]
  /** Scored criteria in document order (parents before their children). */
  criteria: ReportColumnCriterion[]
  rows: ReportRow[]
  generatedAt: Date
}

export interface EvidenceLink { title: string; url: string | null }

/** Everything the printable phiếu tự đánh giá shows for one assessment. */
export interface AssessmentSheet {
  school: { moetCode: string; name: string; levels: string[]; ownership: 'public' | 'private'; unitName: string }
  period: { title: string; schoolYear: string; unitName: string }
  set: { id: string; version: string; title: string; document: { issuer: string; number: string; date: string; kind?: string } }
  state: AssessmentState
  submittedAt: Date | null
  approvedAt: Date | null
  publishedAt: Date | null
  self: ScoreResult
  external: ScoreResult | null
  externalBy: string | null
  /** Evidence documents/links cited by each criterion (keyed by criterion code). */
  evidence: Record<string, EvidenceLink[]>
  generatedAt: Date
}
