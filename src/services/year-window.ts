// The school years a write may name: from 2015-2016 (well before QĐ 4725; earlier history is not
// assessed here) to the next school year by the service clock (offices open next year's period and
// record next year's reforms before it starts). Reads (?year=) are not bounded: they only filter.
import { invalid } from './errors.js'
import { formatSchoolYear } from './school-year.js'

export const EARLIEST_SCHOOL_YEAR = 2015

/** The school year `now` is in: it starts on 1 August, Vietnam time (UTC+7). */
export function schoolYearAt(now: Date): number {
  const vn = new Date(now.getTime() + 7 * 3600_000)
  return vn.getUTCMonth() >= 7 ? vn.getUTCFullYear() : vn.getUTCFullYear() - 1
}

export function latestSchoolYear(now: Date): number {
  return schoolYearAt(now) + 1
}

/** 400 SCHOOL_YEAR_OUT_OF_RANGE unless `year` is within the window. */
export function requireYearInWindow(year: number, now: Date, path: string): void {
  const latest = latestSchoolYear(now)
  if (year < EARLIEST_SCHOOL_YEAR || year > latest) {
    throw invalid('SCHOOL_YEAR_OUT_OF_RANGE',
      `năm học ${formatSchoolYear(year)} nằm ngoài khoảng cho phép: từ ${formatSchoolYear(EARLIEST_SCHOOL_YEAR)} đến ${formatSchoolYear(latest)} (năm học tới)`, path,
      { earliest: formatSchoolYear(EARLIEST_SCHOOL_YEAR), latest: formatSchoolYear(latest) })
  }
}

/** Whether a unit existing from `fromYear` to `toYear` (null: still) exists in `year`. */
export function unitExistsIn(u: { fromYear: number; toYear: number | null }, year: number): boolean {
  return u.fromYear <= year && (u.toYear === null || u.toYear >= year)
}

/** 400 UNIT_NOT_IN_YEAR unless the unit exists in `year`. */
export function requireUnitIn(u: { code: string; fromYear: number; toYear: number | null }, year: number, path: string): void {
  if (!unitExistsIn(u, year)) {
    const span = u.toYear === null ? `từ năm học ${formatSchoolYear(u.fromYear)}` : `từ năm học ${formatSchoolYear(u.fromYear)} đến ${formatSchoolYear(u.toYear)}`
    throw invalid('UNIT_NOT_IN_YEAR', `đơn vị ${u.code} không tồn tại trong năm học ${formatSchoolYear(year)} (đơn vị có ${span})`, path,
      { unitCode: u.code, fromYear: formatSchoolYear(u.fromYear), toYear: u.toYear === null ? null : formatSchoolYear(u.toYear) })
  }
}
