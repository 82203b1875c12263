// The school year of the real clock, for tests that drive a real server (it checks deadlines
// against the wall clock): the year starts in August; the deadline is safely in the future.
export function currentSchoolYear(now = new Date()): { year: string; deadline: string; reviewDeadline: string } {
  const start = now.getUTCMonth() >= 7 ? now.getUTCFullYear() : now.getUTCFullYear() - 1
  return { year: `${start}-${start + 1}`, deadline: `${start + 2}-05-31T23:59:59+07:00`, reviewDeadline: `${start + 2}-06-20T23:59:59+07:00` }
}
