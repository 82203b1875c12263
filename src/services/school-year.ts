// School years are written "2025-2026" in the API and stored as their first calendar year.
import { invalid } from './errors.js'

export const SCHOOL_YEAR_PATTERN = '^[0-9]{4}-[0-9]{4}$'

export function parseSchoolYear(s: string, path: string): number {
  const m = /^(\d{4})-(\d{4})$/.exec(s)
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw invalid('INVALID_SCHOOL_YEAR', `"${s}" is not a school year like "2025-2026" (năm học)`, path)
  return Number(m[1])
}

export function formatSchoolYear(year: number): string {
  return `${year}-${year + 1}`
}
