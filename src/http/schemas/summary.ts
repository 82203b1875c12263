// The unit summary's response schema (serialisation and OpenAPI).
const str = { type: 'string' } as const
const int = { type: 'integer' } as const
const num = { type: 'number' } as const
const nNum = { type: ['number', 'null'] } as const
const nInt = { type: ['integer', 'null'] } as const
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({ type: 'object', properties, required }) as const
const arr = (items: unknown) => ({ type: 'array', items }) as const

const levelCounts = { type: 'object', additionalProperties: int, description: 'schools per level ("1", "2", "3")' } as const
const groupDistribution = obj({ code: str, schools: int, levels: levelCounts, meanTotal: nNum, medianTotal: nNum })
const topLevel = { anyOf: [obj({ schools: int, share: nNum }), { type: 'null' }], description: 'schools at the top level (mức 3) in every group; null when the set has no levels' } as const
const distribution = { schools: int, groups: arr(groupDistribution), topLevelInAllGroups: topLevel }
const bucket = (key: Record<string, unknown>) => obj({ ...key, schoolsInScope: int, ...distribution })
const schoolRef = { moetCode: str, name: str, unitCode: str }

export const unitSummarySchema = {
  $id: 'UnitSummary',
  ...obj({
    unit: obj({ code: str, name: str, type: str }),
    period: obj({ id: str, title: str, schoolYear: str, unitCode: str }),
    criteriaSet: obj({ id: str, version: str, title: str }),
    asOf: {
      ...obj({ at: str, dataVersion: str }),
      description: 'when this summary was counted and the database version it counted: a summary may be served up to SUMMARY_STALE_MS old while a newer one is being counted (the response then has an Age header)',
    },
    counting: obj({ states: arr(str), recognised: str }),
    schools: obj({
      inScope: int, counted: int,
      byState: { type: 'object', additionalProperties: int, description: 'schools per workflow state; "none" = no assessment at all' },
      notAssessed: arr(obj(schoolRef)),
    }),
    overall: obj({ ...distribution, selfLevels: arr(groupDistribution) }),
    byLevel: arr(bucket({ key: str })),
    byOwnership: arr(bucket({ key: str })),
    byUnit: arr(bucket({ unit: obj({ code: str, name: str }) })),
    directlyInUnit: bucket({}),
    criteria: arr(obj({
      code: str, title: str, groupCode: str, depth: int, maxPoints: nNum, schools: int,
      fullShare: nNum, zeroShare: nNum, meanPoints: num, meanShareOfMax: nNum,
    })),
    external: obj({
      assessments: int,
      groups: arr(obj({ code: str, schools: int, meanDiff: nNum, levelLowered: int, levelRaised: int })),
      criteria: arr(obj({ code: str, title: str, groupCode: str, depth: int, kind: str, schools: int, cut: int, raised: int, meanDiff: nNum, pointsCut: num })),
      schools: arr(obj({
        ...schoolRef, totalDiff: num,
        groups: arr(obj({ code: str, selfTotal: nNum, externalTotal: nNum, diff: nNum, selfLevel: nInt, externalLevel: nInt })),
      })),
    }),
    previousYear: obj({
      basis: str, schools: int, previous: obj(distribution), current: obj(distribution),
      change: obj({
        groups: arr(obj({ code: str, meanTotal: nNum })), topLevelInAllGroups: nInt, schoolsUp: int, schoolsDown: int, schoolsSame: int,
      }),
    }),
    targets: arr(obj({
      code: str, title: str,
      threshold: obj({ op: str, value: { type: ['number', 'boolean', 'string'] } }),
      unit: { type: ['string', 'null'] },
      provenance: { type: 'object', additionalProperties: true },
      met: int, notMet: int, incomplete: int,
      schools: arr(obj({ ...schoolRef, met: { type: ['boolean', 'null'] }, value: nNum, gap: nNum })),
    })),
  }, ['unit', 'period', 'criteriaSet', 'asOf', 'counting', 'schools', 'overall', 'byLevel', 'byOwnership', 'byUnit', 'criteria', 'external', 'previousYear', 'targets']),
} as const
