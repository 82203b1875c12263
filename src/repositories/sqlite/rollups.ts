// Rollup reads: the schools below a unit in a school year (dated membership), their assessments in
// a period, and the group/criterion rows stored beside each result. Plain SQL over indexed rows;
// no result JSON is parsed except the missing-facts list of the report.
import type Database from 'better-sqlite3'
import type { AssessmentState, CriterionCut, CriterionPoints, CriterionStat, RollupGroupRow, RollupScope, RollupsRepo, ScopeSchool, TargetRow, Unit } from '../types.js'

// The schools (sch), their assessments of the pinned set in the period (asm), and the counted ones
// with the result that counts (counted.src: the external one where recorded, else the school's own).
// MATERIALIZED: otherwise SQLite re-walks the unit subtree for every row of the big tables (rows ×
// units: 9 minutes for 30,000 schools instead of 2 s; bench/aggregate.ts).
const SCOPE = `
WITH RECURSIVE sub(id, child) AS MATERIALIZED (
  SELECT @root, NULL
  UNION ALL SELECT u.id, COALESCE(sub.child, u.id) FROM units u JOIN sub ON u.parent_id = sub.id
),
sch AS MATERIALIZED (
  SELECT su.school_id, su.unit_id, sub.child
  FROM sub JOIN school_units su ON su.unit_id = sub.id
  WHERE su.from_year <= @year AND (su.to_year IS NULL OR su.to_year >= @year)
),
asm AS MATERIALIZED (
  SELECT a.id, a.school_id, a.state,
    EXISTS (SELECT 1 FROM assessment_groups x WHERE x.assessment_id = a.id AND x.source = 'external') AS has_ext
  FROM sch JOIN assessments a ON a.school_id = sch.school_id
  WHERE a.period_id = @period AND a.criteria_set_id = @setId AND a.criteria_set_version = @setVersion
),
counted AS MATERIALIZED (
  SELECT id, school_id, CASE WHEN has_ext THEN 'external' ELSE 'self' END AS src
  FROM asm WHERE state IN (SELECT value FROM json_each(@states))
)`

const PREVIOUS = `,
prev AS MATERIALIZED (
  SELECT a.id, a.school_id, a.state,
    EXISTS (SELECT 1 FROM assessment_groups x WHERE x.assessment_id = a.id AND x.source = 'external') AS has_ext,
    -- The latest created (rowid): updated_at sits after the large JSON columns in the row.
    ROW_NUMBER() OVER (PARTITION BY a.school_id ORDER BY a.rowid DESC) AS rn
  FROM sch JOIN assessments a ON a.school_id = sch.school_id JOIN periods p ON p.id = a.period_id
  WHERE p.school_year = @year - 1 AND a.criteria_set_id = @setId AND a.state IN (SELECT value FROM json_each(@states))
)`

// A criterion has full points within float noise of its maximum (stored points have 2 decimals).
const EPS = 1e-6

export function rollupsRepo(client: Database.Database): RollupsRepo {
  const q = (sql: string) => client.prepare(sql)
  const schools = q(`${SCOPE}
    SELECT s.id AS schoolId, s.moet_code AS moetCode, s.name, s.levels, s.ownership, sch.unit_id AS unitId, u.code AS unitCode,
      u.name AS unitName, sch.child AS childUnitId, asm.id AS assessmentId, asm.state, COALESCE(asm.has_ext, 0) AS hasExternal
    FROM sch JOIN schools s ON s.id = sch.school_id JOIN units u ON u.id = sch.unit_id LEFT JOIN asm ON asm.school_id = sch.school_id
    ORDER BY s.moet_code`)
  const groups = q(`${SCOPE}
    SELECT asm.school_id AS schoolId, g.source, g.group_code AS groupCode, g.total, g.level, g.complete
    FROM asm JOIN assessment_groups g ON g.assessment_id = asm.id`)
  const stats = q(`${SCOPE}
    SELECT c.code, COUNT(*) AS schools, SUM(c.points >= c.max_points - ${EPS}) AS full, SUM(c.points <= ${EPS}) AS zero, AVG(c.points) AS meanPoints
    FROM counted JOIN assessment_criteria c ON c.assessment_id = counted.id AND c.source = counted.src
    WHERE c.kind = 'scored' AND c.points IS NOT NULL
    GROUP BY c.code`)
  const cuts = q(`${SCOPE}
    SELECT e.code, COUNT(*) AS schools,
      SUM(CASE WHEN e.kind = 'scored' THEN e.points < s.points - ${EPS} ELSE s.met = 1 AND e.met = 0 END) AS cut,
      SUM(CASE WHEN e.kind = 'scored' THEN e.points > s.points + ${EPS} ELSE s.met = 0 AND e.met = 1 END) AS raised,
      AVG(CASE WHEN e.kind = 'scored' THEN e.points - s.points END) AS meanDiff,
      TOTAL(CASE WHEN e.kind = 'scored' AND s.points > e.points THEN s.points - e.points END) AS pointsCut
    FROM counted
      JOIN assessment_criteria s ON s.assessment_id = counted.id AND s.source = 'self'
      JOIN assessment_criteria e ON e.assessment_id = counted.id AND e.source = 'external' AND e.code = s.code
    WHERE counted.src = 'external' AND e.kind IN ('scored', 'mandatory')
      AND (CASE WHEN e.kind = 'scored' THEN s.points IS NOT NULL AND e.points IS NOT NULL ELSE s.met IS NOT NULL AND e.met IS NOT NULL END)
    GROUP BY e.code`)
  const targets = q(`${SCOPE}
    SELECT counted.school_id AS schoolId, c.code, c.met, c.value, c.gap, c.status
    FROM counted JOIN assessment_criteria c ON c.assessment_id = counted.id AND c.source = counted.src
    WHERE c.kind = 'target'`)
  const previous = q(`${SCOPE}${PREVIOUS}
    SELECT prev.school_id AS schoolId, g.source, g.group_code AS groupCode, g.total, g.level, g.complete, prev.state
    FROM prev JOIN assessment_groups g ON g.assessment_id = prev.id AND g.source = CASE WHEN prev.has_ext THEN 'external' ELSE 'self' END
    WHERE prev.rn = 1`)
  const points = q(`${SCOPE}
    SELECT asm.school_id AS schoolId, c.source, c.code, c.points
    FROM asm JOIN assessment_criteria c ON c.assessment_id = asm.id
    WHERE c.kind = 'scored' AND (@group IS NULL OR c.group_code = @group)`)
  const missing = q(`${SCOPE}
    SELECT asm.school_id AS schoolId, json_extract(a.result, '$.missingFacts') AS missing
    FROM asm JOIN assessments a ON a.id = asm.id
    WHERE EXISTS (SELECT 1 FROM assessment_groups g WHERE g.assessment_id = asm.id AND g.source = 'self' AND g.complete = 0)`)
  const children = q(`
    SELECT u.id, u.code, u.name, u.type, u.parent_id AS parentId, p.code AS parentCode, u.from_year AS fromYear, u.to_year AS toYear
    FROM units u JOIN units p ON p.id = u.parent_id
    WHERE u.parent_id = ?
    ORDER BY u.code`)

  const params = (s: RollupScope) => ({
    root: s.rootUnitId, year: s.year, period: s.periodId, setId: s.setId, setVersion: s.setVersion, states: JSON.stringify(s.states),
  })
  const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === 1)
  return {
    async schools(s) {
      return (schools.all(params(s)) as (Omit<ScopeSchool, 'levels' | 'hasExternal'> & { levels: string; hasExternal: number })[])
        .map((r) => ({ ...r, levels: JSON.parse(r.levels) as string[], hasExternal: r.hasExternal === 1 }))
    },
    async groups(s) {
      return (groups.all(params(s)) as (Omit<RollupGroupRow, 'complete'> & { complete: number })[]).map((r) => ({ ...r, complete: r.complete === 1 }))
    },
    async criterionStats(s) { return stats.all(params(s)) as CriterionStat[] },
    async criterionCuts(s) { return cuts.all(params(s)) as CriterionCut[] },
    async targets(s) {
      return (targets.all(params(s)) as (Omit<TargetRow, 'met'> & { met: number | null })[]).map((r) => ({ ...r, met: bool(r.met) }))
    },
    async previous(s) {
      return (previous.all(params(s)) as (Omit<RollupGroupRow, 'complete'> & { complete: number; state: AssessmentState })[])
        .map((r) => ({ ...r, complete: r.complete === 1 }))
    },
    async criterionPoints(s, groupCode, visit) {
      for (const row of points.iterate({ ...params(s), group: groupCode }) as Iterable<CriterionPoints>) visit(row)
    },
    async missingFacts(s) {
      const out = new Map<number, string[]>()
      for (const r of missing.all(params(s)) as { schoolId: number; missing: string | null }[]) out.set(r.schoolId, r.missing ? JSON.parse(r.missing) as string[] : [])
      return out
    },
    async children(unitId) { return children.all(unitId) as Unit[] },
  }
}
