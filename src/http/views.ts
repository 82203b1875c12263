// Domain records → API JSON (school years as "2025-2026", dates as ISO strings).
import type { Assessment, DocumentRecord, Period, School, Unit } from '../repositories/types.js'
import type { ScoreResult } from '../scoring/types.js'
import type { Actor } from '../services/actor.js'
import { formatSchoolYear } from '../services/school-year.js'
import { actionsFrom } from '../services/workflow.js'

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null)
const year = (y: number | null): string | null => (y === null ? null : formatSchoolYear(y))

export function unitView(u: Unit) {
  return { code: u.code, name: u.name, type: u.type, parentCode: u.parentCode, fromYear: formatSchoolYear(u.fromYear), toYear: year(u.toYear) }
}

export function schoolView(s: School) {
  return {
    moetCode: s.moetCode, name: s.name, levels: s.levels, ownership: s.ownership,
    memberships: s.memberships.map((m) => ({ unitCode: m.unitCode, fromYear: formatSchoolYear(m.fromYear), toYear: year(m.toYear) })),
  }
}

export function periodView(p: Period) {
  return {
    id: p.id, unitCode: p.unitCode, schoolYear: formatSchoolYear(p.schoolYear), title: p.title, criteriaSets: p.criteriaSets,
    submissionDeadline: p.submissionDeadline.toISOString(), reviewDeadline: iso(p.reviewDeadline),
    extensions: p.extensions.map((e) => ({ unitCode: e.unitCode, schoolCode: e.schoolCode, until: e.until.toISOString(), reason: e.reason })),
  }
}

function levels(result: unknown) {
  return (result as ScoreResult).groups.map((g) => ({ group: g.code, total: g.total, level: g.level, complete: g.complete }))
}

export function assessmentSummaryView(a: Assessment) {
  return {
    id: a.id, school: { moetCode: a.schoolCode, name: a.schoolName }, periodId: a.periodId, schoolYear: formatSchoolYear(a.schoolYear),
    criteriaSet: { id: a.criteriaSetId, version: a.criteriaSetVersion, contentHash: a.contentHash },
    state: a.state, version: a.version, complete: a.complete, levels: levels(a.result), externalLevels: a.external ? levels(a.external.result) : null,
    returnReason: a.returnReason, submittedAt: iso(a.submittedAt), approvedAt: iso(a.approvedAt), publishedAt: iso(a.publishedAt), updatedAt: a.updatedAt.toISOString(),
  }
}

export function documentView(d: DocumentRecord) {
  return { ...d, createdAt: d.createdAt.toISOString() }
}

export function assessmentView(a: Assessment, actor: Actor, extra: { deadline: Date; documents: DocumentRecord[] }) {
  return {
    ...assessmentSummaryView(a),
    facts: a.facts, description: a.description, result: a.result,
    external: a.external ? { facts: a.external.facts, result: a.external.result, by: a.external.by, at: a.external.at.toISOString() } : null,
    deadline: extra.deadline.toISOString(),
    actions: actionsFrom(a.state, actor.role),
    documents: extra.documents.map(documentView),
    createdAt: a.createdAt.toISOString(),
  }
}
