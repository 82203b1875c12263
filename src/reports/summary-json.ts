// The unit summary's JSON, made by the same schema-driven serialiser Fastify uses for the route's
// response (fast-json-stringify over unitSummarySchema), so the worker thread and the in-process
// path produce the same bytes.
import fastJson from 'fast-json-stringify'
import { unitSummarySchema } from '../http/schemas/summary.js'

let stringify: ((doc: unknown) => string) | null = null

export function summaryJson(summary: unknown): string {
  stringify ??= fastJson(unitSummarySchema as never) as (doc: unknown) => string
  return stringify(summary)
}
