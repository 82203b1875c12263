// A demo province for a first look: units before and after the 2025 reform, 36 schools, a past
// period with published results and a current one with assessments in every workflow state.
// Names and numbers are invented ("Minh Họa" = illustration); nothing here is a real school.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { criteriaDir } from '../criteria/paths.js'
import type { Actor } from '../services/actor.js'
import { actorOf } from '../services/actor.js'
import type { Services } from '../services/index.js'

export interface DemoSummary {
  units: number; schools: number; periods: number; assessments: Record<string, number>; keys: { admin: string; reviewer: string; school: string; schoolCode: string }
  /** Console accounts (sign in at /login), all with the one random password shown once. */
  accounts: { password: string; admin: string; reviewer: string; school: string; returnedSchool: string }
}

const EXAMPLES = ['strong-thcs', 'weak-rural-th', 'gdtx-centre', 'thcs-missing-mandatory'] as const

function exampleFacts(name: string): Record<string, unknown> {
  const file = join(fileURLToPath(criteriaDir()), 'moet-4725', 'examples', `${name}.json`)
  return (JSON.parse(readFileSync(file, 'utf8')) as { facts: Record<string, unknown> }).facts
}

/** Deterministic variety: school i gets the example's facts with some counts scaled down. */
function variant(i: number): Record<string, unknown> {
  const facts = { ...exampleFacts(EXAMPLES[i % EXAMPLES.length] as string) }
  const scale = [1, 0.9, 0.75, 0.6][Math.floor(i / EXAMPLES.length) % 4] as number
  for (const k of ['subjects_with_digital_materials', 'periodic_tests_on_computer', 'teachers_using_digital_tools', 'teachers_creating_digital_materials']) {
    if (typeof facts[k] === 'number') facts[k] = Math.floor((facts[k] as number) * scale)
  }
  return facts
}

export class DemoExists extends Error {}

/** Seeds through the services (so every rule and audit entry applies). `clock.now` is moved to
 *  replay the past year's workflow before its deadline. */
export async function seedDemo(services: Services, clock: { now: Date }): Promise<DemoSummary> {
  const { units, schools, periods, assessments, keys, ctx } = services
  if (await ctx.store.units.byCode('MH')) throw new DemoExists('the demo province (unit MH) already exists; use a fresh DATA_DIR for a new demo')
  const realNow = new Date()
  const adminOut = await keys.create(null, { role: 'admin', label: 'demo admin' })
  const admin: Actor = actorOf(adminOut.record)
  const pastYear = '2024-2025'
  // School years start in September: the current one is this year's if it is autumn already.
  const y = realNow.getUTCMonth() >= 7 ? realNow.getUTCFullYear() : realNow.getUTCFullYear() - 1
  const currentYear = `${y}-${y + 1}`

  await units.create(admin, { code: 'MH', name: 'Tỉnh Minh Họa', type: 'province', fromYear: '2020-2021' })
  const districts = [['MH-D1', 'Huyện Đông Minh Họa'], ['MH-D2', 'Huyện Tây Minh Họa'], ['MH-D3', 'Thành phố Minh Họa']] as const
  let unitCount = 1
  for (const [code, name] of districts) {
    await units.create(admin, { code, name, type: 'district', parentCode: 'MH', fromYear: '2020-2021', toYear: pastYear }); unitCount++
  }
  // After the 2025 reform: communes and wards directly under the province.
  const wards = [['MH-X1', 'Xã Đông Hòa'], ['MH-X2', 'Xã Tây Sơn'], ['MH-P1', 'Phường Minh Khai'], ['MH-P2', 'Phường Hòa Bình']] as const
  for (const [code, name] of wards) {
    await units.create(admin, { code, name, type: code.includes('-X') ? 'commune' : 'ward', parentCode: 'MH', fromYear: '2025-2026' }); unitCount++
  }

  const levels = [['TH'], ['THCS'], ['TH', 'THCS'], ['THPT'], ['GDTX'], ['THCS', 'THPT']]
  const kind = (l: string[]): string => (l.includes('GDTX') ? 'Trung tâm GDNN-GDTX' : l.length > 1 ? 'Trường Liên cấp' : l[0] === 'TH' ? 'Trường Tiểu học' : l[0] === 'THCS' ? 'Trường THCS' : 'Trường THPT')
  const names = ['Hòa Bình', 'Minh Khai', 'Đông Hòa', 'Tây Sơn', 'Quang Trung', 'Lê Lợi', 'Nguyễn Du', 'Chu Văn An', 'Trần Phú', 'Lý Thường Kiệt', 'Kim Đồng', 'Võ Thị Sáu']
  const schoolCodes: string[] = []
  for (let i = 0; i < 36; i++) {
    const l = levels[i % levels.length] as string[]
    const code = `MH${String(i + 1).padStart(3, '0')}`
    const district = districts[i % 3] as readonly [string, string]
    await schools.create(admin, { moetCode: code, name: `${kind(l)} ${names[i % names.length]}${i >= names.length ? ` ${Math.floor(i / names.length) + 1}` : ''}`, levels: l, ownership: i % 9 === 8 ? 'private' : 'public', unitCode: district[0], fromYear: '2020-2021' })
    await schools.move(admin, code, { unitCode: (wards[i % 4] as readonly [string, string])[0], fromYear: '2025-2026' })
    schoolCodes.push(code)
  }

  const reviewerOut = await keys.create(admin, { role: 'reviewer', label: 'Sở GDĐT Minh Họa (demo)', unitCode: 'MH' })
  const reviewer = actorOf(reviewerOut.record)
  const counts: Record<string, number> = {}
  const schoolKeys = new Map<string, { actor: Actor; key: string }>()
  const asSchool = async (code: string): Promise<{ actor: Actor; key: string }> => {
    let k = schoolKeys.get(code)
    if (!k) {
      const out = await keys.create(admin, { role: 'school', label: `CNTT ${code} (demo)`, schoolCode: code })
      k = { actor: actorOf(out.record), key: out.key }
      schoolKeys.set(code, k)
    }
    return k
  }

  // The past year: the districts' schools, all published (a few approved only).
  clock.now = new Date('2025-04-20T02:00:00Z')
  const past = await periods.create(admin, { unitCode: 'MH', schoolYear: pastYear, title: `Đánh giá mức độ CĐS năm học ${pastYear}`, criteriaSets: ['moet-4725'], submissionDeadline: '2025-05-31T16:59:59Z', reviewDeadline: '2025-06-20T16:59:59Z' })
  for (const [i, code] of schoolCodes.entries()) {
    if (i % 2 === 1) continue
    const { actor } = await asSchool(code)
    let a = await assessments.create(actor, { schoolCode: code, periodId: past.id })
    a = await assessments.saveEvidence(actor, a.id, a.version, { facts: variant(i) })
    a = await assessments.transition(actor, a.id, a.version, 'submit')
    a = await assessments.transition(reviewer, a.id, a.version, 'approve')
    if (i % 6 !== 0) a = await assessments.transition(reviewer, a.id, a.version, 'publish')
    counts[`${pastYear} ${a.state}`] = (counts[`${pastYear} ${a.state}`] ?? 0) + 1
  }

  // The current year, under the new wards: every state of the workflow.
  clock.now = realNow
  const current = await periods.create(admin, {
    unitCode: 'MH', schoolYear: currentYear, title: `Đánh giá mức độ CĐS năm học ${currentYear}`, criteriaSets: ['moet-4725'],
    submissionDeadline: new Date(Date.UTC(y + 1, 4, 31, 16, 59, 59)).toISOString(), reviewDeadline: new Date(Date.UTC(y + 1, 5, 20, 16, 59, 59)).toISOString(),
  })
  let demoSchool = { code: '', key: '' }
  let returnedSchool = ''
  const states = ['draft-empty', 'draft-partial', 'submitted', 'returned', 'approved', 'external', 'published'] as const
  for (const [i, code] of schoolCodes.entries()) {
    const target = states[i % states.length] as (typeof states)[number]
    const { actor, key } = await asSchool(code)
    let a = await assessments.create(actor, { schoolCode: code, periodId: current.id })
    if (target === 'draft-empty') { if (!demoSchool.code) demoSchool = { code, key } } else {
      const facts = variant(i)
      const partial = target === 'draft-partial' ? Object.fromEntries(Object.entries(facts).slice(0, 12)) : facts
      a = await assessments.saveEvidence(actor, a.id, a.version, { facts: partial, description: 'Dữ liệu minh họa (demo).' })
      if (target !== 'draft-partial') {
        a = await assessments.transition(actor, a.id, a.version, 'submit')
        if (target === 'returned') returnedSchool ||= code
        if (target === 'returned') a = await assessments.transition(reviewer, a.id, a.version, 'return', 'Bổ sung minh chứng cho tiêu chí 1.4 (danh mục học liệu số).')
        if (target === 'external') a = await assessments.recordExternal(reviewer, a.id, a.version, { facts: { sis_health_module: false, digital_content_studio: false } })
        if (target === 'approved' || target === 'published') a = await assessments.transition(reviewer, a.id, a.version, 'approve')
        if (target === 'published') a = await assessments.transition(reviewer, a.id, a.version, 'publish')
      }
    }
    counts[`${currentYear} ${a.state}`] = (counts[`${currentYear} ${a.state}`] ?? 0) + 1
  }
  // People for the console: an admin, the Sở's officer, the empty draft's school and a returned one.
  const password = randomBytes(12).toString('base64url')
  const users = services.users
  await users.createWithPassword({ username: 'demo-quantri', displayName: 'Quản trị (demo)', role: 'admin' }, password)
  await users.createWithPassword({ username: 'demo-so', displayName: 'Cán bộ Sở GDĐT Minh Họa (demo)', role: 'reviewer', unitCode: 'MH' }, password)
  await users.createWithPassword({ username: 'demo-truong', displayName: `CNTT trường ${demoSchool.code} (demo)`, role: 'school', schoolCode: demoSchool.code }, password)
  await users.createWithPassword({ username: 'demo-truong-tra-lai', displayName: `CNTT trường ${returnedSchool} (demo)`, role: 'school', schoolCode: returnedSchool }, password)
  return {
    accounts: { password, admin: 'demo-quantri', reviewer: 'demo-so', school: 'demo-truong', returnedSchool: 'demo-truong-tra-lai' },
    units: unitCount, schools: schoolCodes.length, periods: 2, assessments: counts,
    keys: { admin: adminOut.key, reviewer: reviewerOut.key, school: demoSchool.key, schoolCode: demoSchool.code },
  }
}
