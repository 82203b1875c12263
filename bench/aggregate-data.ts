// Datasets of bench/aggregate.ts: seeded QĐ 4725 evidence bundles scored once, and a national
// hierarchy (1 ministry → provinces → districts → schools) written straight into a SQLite file with
// prepared statements in one transaction, with the group and criterion rows beside each result.
import { existsSync, statSync } from 'node:fs'
import { closeDatabase, openDatabase } from '../src/db/connection.js'
import { searchKey } from '../src/repositories/sqlite/schools.js'
import type { CompiledSet } from '../src/scoring/compile-set.js'
import { score } from '../src/scoring/evaluate.js'
import { resultRows } from '../src/services/scoring.js'
import { generateBundles as completeBundles, mulberry32 } from './evidence.js'

// ---------------------------------------------------------------- deterministic evidence

type Rnd = () => number
const intOf = (rnd: Rnd) => (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
const pickOf = (rnd: Rnd) => <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T

export interface Bundle { kind: string; levels: string[]; facts: Record<string, unknown>; partial: boolean }

/** The benchmarks' complete bundles (bench/evidence.ts, "not given" facts left out), plus drafts. */
export function generateBundles(n: number, seed: number): Bundle[] {
  const rnd = mulberry32(seed + 1)
  const out: Bundle[] = completeBundles(n, seed).map((b) => {
    const facts = Object.fromEntries(Object.entries(b.facts).filter(([, v]) => v !== null))
    const levels = b.school.levels as string[]
    return { kind: levels.join('-'), levels, facts, partial: false }
  })
  // Drafts being filled in (like examples/draft-partial.json): whole blocks not entered yet.
  const blocks = [
    ['teachers_total', 'teachers_with_online_training_account', 'teachers_using_digital_tools', 'teachers_creating_digital_materials'],
    ['subjects_total', 'subjects_with_digital_materials'],
    ['sis_usage_regulation_issued', 'sis_student_module', 'electronic_gradebook', 'electronic_transcript', 'sis_staff_module', 'sis_facilities_module', 'sis_health_module', 'sis_accounting_module', 'sis_syncs_with_sector_database'],
    ['family_school_app', 'online_admission', 'cashless_fee_payment'],
    ['informatics_computers', 'digital_content_studio'],
  ]
  const nPartial = Math.max(1, Math.round(n / 5))
  for (let i = 0; i < nPartial; i++) {
    const src = out[i] as Bundle
    const facts = { ...src.facts }
    for (const b of blocks) if (rnd() < 0.5) for (const k of b) delete facts[k]
    if (rnd() < 0.3) facts.subjects_total = null // "not given", as in the example
    out.push({ ...src, facts, partial: true })
  }
  return out
}

// ---------------------------------------------------------------- scoring the bundles once

export interface Scored {
  kind: string; levels: string[]; partial: boolean
  factsJson: string; resultJson: string; complete: number
  groups: { groupCode: string; total: number; level: number | null; complete: number }[]
  criteria: { code: string; groupCode: string; kind: string; maxPoints: number | null; points: number | null; met: number | null; value: number | null; gap: number | null; status: string }[]
  summary: string
}

/** The bundles scored once (complete ones first, then the partial drafts), ready to insert. */
export interface Corpus {
  set: CompiledSet; spec: string; scored: Scored[]; complete: Scored[]; ms: number
  /** profile kind → indexes into `complete` (= indexes into `scored`) */
  byKind: Map<string, number[]>
  /** profile kind → indexes into `scored` of the partial drafts */
  partialByKind: Map<string, number[]>
}

export function scoreCorpus(set: CompiledSet, n: number, seed: number): Corpus {
  const t0 = performance.now()
  const bundles = generateBundles(n, seed)
  const scored: Scored[] = bundles.map((b) => {
    const result = score(set, { facts: b.facts })
    const rows = resultRows(result)
    return {
      kind: b.kind, levels: b.levels, partial: b.partial,
      factsJson: JSON.stringify(b.facts), resultJson: JSON.stringify(result), complete: result.complete ? 1 : 0,
      groups: rows.groups.map((g) => ({ ...g, complete: g.complete ? 1 : 0 })),
      criteria: rows.criteria.map((c) => ({ ...c, met: c.met === null ? null : c.met ? 1 : 0 })),
      summary: rows.groups.map((g) => `${g.groupCode}:${g.level ?? '-'}`).join(' '),
    }
  })
  const ms = performance.now() - t0
  const complete = scored.filter((s) => !s.partial)
  const byKind = new Map<string, number[]>()
  complete.forEach((s, i) => { const l = byKind.get(s.kind) ?? []; l.push(i); byKind.set(s.kind, l) })
  const partialByKind = new Map<string, number[]>()
  scored.forEach((s, i) => { if (s.partial) { const l = partialByKind.get(s.kind) ?? []; l.push(i); partialByKind.set(s.kind, l) } })
  return { set, spec: `${set.id}@${set.version}`, scored, complete, ms, byKind, partialByKind }
}

// ---------------------------------------------------------------- dataset

const PROVINCES = ['Hà Nội', 'TP. Hồ Chí Minh', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'An Giang', 'Bà Rịa - Vũng Tàu', 'Bắc Giang', 'Bắc Kạn', 'Bạc Liêu',
  'Bắc Ninh', 'Bến Tre', 'Bình Định', 'Bình Dương', 'Bình Phước', 'Bình Thuận', 'Cà Mau', 'Cao Bằng', 'Đắk Lắk', 'Đắk Nông', 'Điện Biên', 'Đồng Nai',
  'Đồng Tháp', 'Gia Lai', 'Hà Giang', 'Hà Nam', 'Hà Tĩnh', 'Hải Dương', 'Hậu Giang', 'Hòa Bình', 'Hưng Yên', 'Khánh Hòa', 'Kiên Giang', 'Kon Tum',
  'Lai Châu', 'Lâm Đồng', 'Lạng Sơn', 'Lào Cai', 'Long An', 'Nam Định', 'Nghệ An', 'Ninh Bình', 'Ninh Thuận', 'Phú Thọ', 'Phú Yên', 'Quảng Bình',
  'Quảng Nam', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sóc Trăng', 'Sơn La', 'Tây Ninh', 'Thái Bình', 'Thái Nguyên', 'Thanh Hóa', 'Thừa Thiên Huế',
  'Tiền Giang', 'Trà Vinh', 'Tuyên Quang', 'Vĩnh Long', 'Vĩnh Phúc', 'Yên Bái']
const PERSONS = ['Nguyễn Trãi', 'Lê Lợi', 'Trần Hưng Đạo', 'Quang Trung', 'Chu Văn An', 'Lý Thường Kiệt', 'Nguyễn Du', 'Lê Quý Đôn', 'Võ Thị Sáu', 'Kim Đồng',
  'Hoàng Hoa Thám', 'Phan Bội Châu', 'Ngô Quyền', 'Đinh Tiên Hoàng', 'Trưng Vương', 'Nguyễn Huệ', 'Lê Hồng Phong', 'Tô Hiệu', 'Bế Văn Đàn', 'Nguyễn Viết Xuân',
  'Phan Chu Trinh', 'Trần Phú', 'Lương Thế Vinh', 'Nguyễn Bỉnh Khiêm', 'Hùng Vương', 'Lê Văn Tám', 'Nguyễn Văn Trỗi', 'Võ Văn Kiệt', 'Đoàn Thị Điểm', 'Mạc Đĩnh Chi']
const LEVEL_NAMES: Record<string, string> = { TH: 'Tiểu học', THCS: 'THCS', THPT: 'THPT', GDTX: 'Trung tâm GDNN-GDTX', 'TH-THCS': 'TH và THCS', 'THCS-THPT': 'THCS và THPT' }
const DIRECT_KINDS = new Set(['THPT', 'GDTX', 'THCS-THPT']) // managed by the province's Sở, not a district's Phòng
const STATE_MIX: [string | null, number][] = [[null, 5], ['draft', 10], ['submitted', 10], ['returned', 5], ['approved', 40], ['published', 30]]

const ms = (iso: string): number => Date.parse(iso)

export interface Built {
  units: number; provinces: number; districts: number; schools: number; moved: number
  assessments: number; previous: number; external: number; byState: Record<string, number>
  criteriaRows: number; insertMs: number; totalMs: number; rootCode: string; periodId: string; bytes: number
}

/** Largest-remainder split of `total` by weights. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (total * w) / sum)
  const out = exact.map(Math.floor)
  let rest = total - out.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of order) { if (rest-- <= 0) break; out[i]!++ }
  return out
}

export function buildDataset(file: string, nSchools: number, seed: number, corpus: Corpus): Built {
  const { set, spec: SPEC, scored, complete, byKind, partialByKind } = corpus
  const t0 = performance.now()
  const rnd = mulberry32(seed)
  const int = intOf(rnd)
  const pick = pickOf(rnd)
  const hex = (n: number): string => { let s = ''; for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16); return s }
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`
  const stateOf = (): string | null => { let r = rnd() * 100; for (const [s, w] of STATE_MIX) if ((r -= w) < 0) return s; return 'published' }

  const nProv = Math.min(63, Math.max(3, Math.round(nSchools / 476)))
  const meanDist = Math.min(10, Math.max(4, Math.round(nSchools / nProv / 48)))
  const spread = Math.max(1, Math.round(meanDist * 0.3))

  const conn = openDatabase(file)
  const db = conn.sqlite
  const insUnit = db.prepare('INSERT INTO units (code, name, type, parent_id, from_year, to_year, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)')
  const insSchool = db.prepare('INSERT INTO schools (moet_code, name, name_search, levels, ownership, created_at) VALUES (?, ?, ?, ?, ?, ?)')
  const insMember = db.prepare('INSERT INTO school_units (school_id, from_year, to_year, unit_id) VALUES (?, ?, ?, ?)')
  const insPeriod = db.prepare('INSERT INTO periods (id, unit_id, school_year, title, criteria_sets, submission_deadline, review_deadline, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const insAssessment = db.prepare(`INSERT INTO assessments (id, school_id, period_id, criteria_set_id, criteria_set_version, content_hash, state, version, facts, description, result, complete,
    external_facts, external_result, external_by, external_at, return_reason, submitted_at, approved_at, published_at, created_at, updated_at)
    VALUES (@id, @schoolId, @periodId, @setId, @setVersion, @contentHash, @state, @version, @facts, NULL, @result, @complete,
    @externalFacts, @externalResult, @externalBy, @externalAt, @returnReason, @submittedAt, @approvedAt, @publishedAt, @createdAt, @updatedAt)`)
  const insGroup = db.prepare('INSERT INTO assessment_groups (assessment_id, source, group_code, total, level, complete) VALUES (?, ?, ?, ?, ?, ?)')
  const insCriterion = db.prepare('INSERT INTO assessment_criteria (assessment_id, source, code, group_code, kind, max_points, points, met, value, gap, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')

  const b: Built = {
    units: 0, provinces: nProv, districts: 0, schools: 0, moved: 0, assessments: 0, previous: 0, external: 0,
    byState: Object.fromEntries(STATE_MIX.map(([s]) => [s ?? 'none', 0])), criteriaRows: 0, insertMs: 0, totalMs: 0, rootCode: 'BGDDT', periodId: '', bytes: 0,
  }
  const putRows = (id: string, source: string, s: Scored): void => {
    for (const g of s.groups) insGroup.run(id, source, g.groupCode, g.total, g.level, g.complete)
    for (const c of s.criteria) insCriterion.run(id, source, c.code, c.groupCode, c.kind, c.maxPoints, c.points, c.met, c.value, c.gap, c.status)
    b.criteriaRows += s.criteria.length
  }
  const otherOfKind = (kind: string, not: number): number => {
    const l = byKind.get(kind) as number[]
    if (l.length === 1) return l[0] as number
    let j: number
    do j = pick(l); while (j === not)
    return j
  }
  const REVIEWERS = ['Phòng GD&ĐT', 'Sở GD&ĐT']

  const t1 = performance.now()
  db.transaction(() => {
    const created = ms('2023-08-01T00:00:00Z')
    const rootId = Number(insUnit.run(b.rootCode, 'Bộ Giáo dục và Đào tạo', 'ministry', null, 2015, created).lastInsertRowid)
    b.units++
    const period = uuid()
    const prevPeriod = uuid()
    b.periodId = period
    insPeriod.run(prevPeriod, rootId, 2023, 'Đánh giá chuyển đổi số năm học 2023-2024', JSON.stringify([SPEC]), ms('2024-01-15T17:00:00Z'), ms('2024-02-28T17:00:00Z'), ms('2023-09-05T02:00:00Z'))
    insPeriod.run(period, rootId, 2024, 'Đánh giá chuyển đổi số năm học 2024-2025 (QĐ 4725)', JSON.stringify([SPEC]), ms('2025-01-15T17:00:00Z'), ms('2025-02-28T17:00:00Z'), ms('2024-09-05T02:00:00Z'))

    const provCounts = split(nSchools, Array.from({ length: nProv }, () => 0.4 + rnd() * 1.2))
    let schoolNo = 0
    for (let p = 0; p < nProv; p++) {
      const pName = PROVINCES[p % PROVINCES.length] as string
      const pCode = `S${String(p + 1).padStart(2, '0')}`
      const provId = Number(insUnit.run(pCode, `Sở GD&ĐT ${pName}`, 'province', rootId, 2015, created).lastInsertRowid)
      b.units++
      const nDist = Math.max(2, meanDist + int(-spread, spread))
      const dists: number[] = []
      const distW: number[] = []
      for (let d = 0; d < nDist; d++) {
        dists.push(Number(insUnit.run(`${pCode}-P${String(d + 1).padStart(2, '0')}`, `Phòng GD&ĐT ${d % 3 === 0 ? 'thị xã' : 'huyện'} ${d + 1} (${pName})`, 'district', provId, 2015, created).lastInsertRowid))
        distW.push(0.5 + rnd())
        b.units++; b.districts++
      }
      const wSum = distW.reduce((a, c) => a + c, 0)
      const pickDistrict = (): number => { let r = rnd() * wSum; for (let d = 0; d < nDist; d++) if ((r -= distW[d] as number) < 0) return dists[d] as number; return dists[nDist - 1] as number }
      for (let k = 0; k < (provCounts[p] as number); k++) {
        schoolNo++
        const bi = int(0, complete.length - 1)
        const s0 = complete[bi] as Scored
        const moet = `${String(p + 1).padStart(2, '0')}${String(schoolNo).padStart(6, '0')}`
        const name = `Trường ${LEVEL_NAMES[s0.kind]} ${pick(PERSONS)}${rnd() < 0.3 ? ` số ${int(1, 3)}` : ''}`
        const sid = Number(insSchool.run(moet, name, searchKey(name), JSON.stringify(s0.levels), rnd() < 0.9 ? 'public' : 'private', created).lastInsertRowid)
        b.schools++
        const unitId = DIRECT_KINDS.has(s0.kind) ? provId : pickDistrict()
        if (rnd() < 0.02 && unitId !== provId && nDist > 1) {
          // Moved after a district merger: the old membership stays, dated.
          let old: number
          do old = pick(dists); while (old === unitId)
          insMember.run(sid, 2015, 2022, old)
          insMember.run(sid, 2023, null, unitId)
          b.moved++
        } else insMember.run(sid, 2015, null, unitId)

        // 2024-2025: the period being summarised.
        const state = stateOf()
        b.byState[state ?? 'none']!++
        if (state !== null) {
          const drafty = state === 'draft' && rnd() < 0.6 && partialByKind.has(s0.kind)
          const si = drafty ? pick(partialByKind.get(s0.kind) as number[]) : bi // complete bundles come first in `scored`
          const s = scored[si] as Scored
          const ext = (state === 'approved' || state === 'published') && rnd() < 0.15 ? scored[otherOfKind(s.kind, si)] as Scored : null
          const createdAt = ms('2024-09-20T02:00:00Z') + int(0, 40) * 86400e3
          const submittedAt = state === 'draft' ? null : createdAt + int(5, 45) * 86400e3
          const approvedAt = state === 'approved' || state === 'published' ? (submittedAt as number) + int(3, 20) * 86400e3 : null
          const publishedAt = state === 'published' ? (approvedAt as number) + int(1, 15) * 86400e3 : null
          const externalAt = ext ? (approvedAt as number) - int(0, 2) * 86400e3 : null
          const id = uuid()
          insAssessment.run({
            id, schoolId: sid, periodId: period, setId: set.id, setVersion: set.version, contentHash: set.contentHash, state, version: int(1, 12),
            facts: s.factsJson, result: s.resultJson, complete: s.complete,
            externalFacts: ext?.factsJson ?? null, externalResult: ext?.resultJson ?? null,
            externalBy: ext ? `reviewer:${hex(8)} (${pick(REVIEWERS)} ${pName})` : null, externalAt,
            returnReason: state === 'returned' ? 'Thiếu minh chứng kế hoạch chuyển đổi số; đề nghị bổ sung.' : null,
            submittedAt, approvedAt, publishedAt, createdAt, updatedAt: publishedAt ?? approvedAt ?? submittedAt ?? createdAt + int(1, 30) * 86400e3,
          })
          putRows(id, 'self', s)
          if (ext) { putRows(id, 'external', ext); b.external++ }
          b.assessments++
        }
        // 2023-2024: published results of about 80% of the schools.
        if (rnd() < 0.8) {
          const si = otherOfKind(s0.kind, -1)
          const s = complete[si] as Scored
          const ext = rnd() < 0.1 ? complete[otherOfKind(s0.kind, si)] as Scored : null
          const submittedAt = ms('2023-11-10T02:00:00Z') + int(0, 50) * 86400e3
          const approvedAt = submittedAt + int(3, 20) * 86400e3
          const publishedAt = approvedAt + int(1, 15) * 86400e3
          const id = uuid()
          insAssessment.run({
            id, schoolId: sid, periodId: prevPeriod, setId: set.id, setVersion: set.version, contentHash: set.contentHash, state: 'published', version: int(3, 10),
            facts: s.factsJson, result: s.resultJson, complete: s.complete,
            externalFacts: ext?.factsJson ?? null, externalResult: ext?.resultJson ?? null,
            externalBy: ext ? `reviewer:${hex(8)} (Sở GD&ĐT ${pName})` : null, externalAt: ext ? approvedAt : null, returnReason: null,
            submittedAt, approvedAt, publishedAt, createdAt: submittedAt - int(5, 30) * 86400e3, updatedAt: publishedAt,
          })
          putRows(id, 'self', s)
          if (ext) putRows(id, 'external', ext)
          b.previous++
        }
      }
    }
  })()
  b.insertMs = performance.now() - t1
  closeDatabase(conn) // as a server's shutdown does: PRAGMA optimize, WAL checkpointed
  b.totalMs = performance.now() - t0
  b.bytes = [file, `${file}-wal`].filter(existsSync).reduce((t, f) => t + statSync(f).size, 0)
  return b
}
