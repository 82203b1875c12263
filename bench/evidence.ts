// Deterministic, plausible QĐ 4725 evidence for the benchmarks (bench/score.ts, bench/aggregate.ts):
// school profiles weighted roughly as in a Vietnamese province, one latent maturity per school,
// parts never above their wholes, some documents not uploaded.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type Bundle = { school: Record<string, unknown>; facts: Record<string, unknown> }

export function generateBundles(n: number, seed: number): Bundle[] {
  const rnd = mulberry32(seed)
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x)
  // Profiles of schools; weights roughly as in a Vietnamese province.
  const profiles: { kind: string; w: number; pupils: () => [number, number, number]; subjects: [number, number]; grades: number }[] = [
    { kind: 'TH', w: 40, pupils: () => [int(250, 1600), 0, 0], subjects: [8, 12], grades: 5 },
    { kind: 'THCS', w: 30, pupils: () => [0, int(300, 1500), 0], subjects: [12, 16], grades: 4 },
    { kind: 'THPT', w: 15, pupils: () => [0, 0, int(500, 2200)], subjects: [14, 20], grades: 3 },
    { kind: 'GDTX', w: 7, pupils: () => [0, int(0, 200), int(80, 900)], subjects: [10, 14], grades: 3 },
    { kind: 'TH-THCS', w: 5, pupils: () => [int(150, 700), int(150, 600), 0], subjects: [12, 16], grades: 9 },
    { kind: 'THCS-THPT', w: 3, pupils: () => [0, int(200, 700), int(300, 1000)], subjects: [14, 20], grades: 7 },
  ]
  const totalW = profiles.reduce((s, p) => s + p.w, 0)
  const lmsNames = ['Moodle', 'K12Online', 'VnEdu LMS', 'Google Classroom', 'Microsoft Teams for Education', 'Hệ thống học tập trực tuyến của Sở', 'OLM.vn', 'Trường học kết nối']
  const acquisitions = ['self_built', 'rented', 'purchased'] as const
  const out: Bundle[] = []
  for (let i = 0; i < n; i++) {
    let r = rnd() * totalW
    const profile = profiles.find((p) => (r -= p.w) < 0) ?? (profiles[0] as (typeof profiles)[number])
    // One latent "maturity" per school drives everything, so totals spread over all three levels.
    const m = 0.15 + 0.85 * ((rnd() + rnd()) / 2)
    const yes = (base = 0.1, slope = 0.85): boolean => rnd() < Math.min(0.98, Math.max(0.02, base + slope * m + (rnd() - 0.5) * 0.3))
    const part = (whole: number, bias = 0): number => {
      if (whole === 0) return 0
      if (rnd() < 0.12) return whole // exactly all
      return Math.min(whole, Math.round(whole * clamp01(m + bias + (rnd() - 0.5) * 0.5)))
    }
    const code = `${profile.kind}-${String(i + 1).padStart(4, '0')}`
    const doc = (issued: boolean, kind: string): Record<string, unknown> | null => {
      if (!issued || rnd() < 0.1) return null // not uploaded: evidence missing, still complete
      const no = int(1, 250)
      return rnd() < 0.6
        ? { title: `${kind} số ${no}/KH-${profile.kind} năm học 2024-2025`, url: `https://truong-${i + 1}.edu.vn/van-ban/${no}.pdf`, issuedOn: `2024-${String(int(8, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` }
        : { title: `${kind} số ${no}/QĐ-${profile.kind}`, ref: `doc-${i + 1}-${no}` }
    }

    let [th, thcs, thpt] = profile.pupils()
    if (rnd() < 0.004) { th = 0; thcs = 0; thpt = 0 } // a school with no pupils this year
    const pupils = th + thcs + thpt
    const teachers = pupils === 0 ? int(0, 5) : Math.max(8, Math.round(pupils / int(17, 26)))
    const classrooms = pupils === 0 ? int(0, 3) : Math.max(5, Math.round(pupils / int(30, 42)))
    const subjects = rnd() < 0.01 ? 0 : int(...profile.subjects)
    const periodic = rnd() < 0.03 ? 0 : Math.min(10000, subjects * profile.grades * int(2, 4))
    const norm = th / 24 + thcs / 16 + thpt / 12
    const computers = rnd() < 0.05 ? 0 : Math.min(5000, Math.round(norm * clamp01(m * 1.2 + (rnd() - 0.5) * 0.4) * 1.4))

    const planIssued = yes(0.8, 0.3)
    const regulationIssued = yes(0.75, 0.3)
    const liveSoftware = yes()
    const lms = [yes(), yes(), yes(0.05), yes(0.0)]
    const steering = yes(0.8, 0.3)
    const dxPlan = yes(0.8, 0.3)
    const facts: Record<string, unknown> = {
      online_teaching_plan_issued: planIssued,
      online_teaching_plan_document: doc(planIssued, 'Kế hoạch tổ chức dạy học trực tuyến'),
      online_teaching_regulation_issued: regulationIssued,
      online_teaching_regulation_document: doc(regulationIssued, 'Quy chế tổ chức dạy học trực tuyến'),
      live_online_teaching_software_deployed: liveSoftware,
      live_online_teaching_software_link: liveSoftware && rnd() < 0.9 ? { title: 'Phần mềm dạy học trực tuyến', url: `https://meet.truong-${i + 1}.edu.vn/` } : null,
      lms_solution_name: lms.some(Boolean) ? pick(lmsNames) : null,
      lms_acquisition: lms.some(Boolean) ? pick(acquisitions) : null,
      lms_assigns_self_study: lms[0],
      lms_answers_questions: lms[1],
      lms_continuous_assessment: lms[2],
      lms_parent_monitoring: lms[3],
      subjects_total: subjects,
      subjects_with_digital_materials: part(subjects),
      periodic_tests_total: periodic,
      periodic_tests_on_computer: part(periodic, -0.3),
      testing_software_exchanges_with_sis: yes(0.0, 0.8),
      teachers_total: teachers,
      teachers_with_online_training_account: part(teachers, 0.3),
      teachers_using_digital_tools: part(teachers, 0.1),
      teachers_creating_digital_materials: part(teachers, -0.15),
      classrooms_total: classrooms,
      classrooms_with_projector_and_internet: part(classrooms),
      pupils_th: th,
      pupils_thcs: thcs,
      pupils_thpt: thpt,
      informatics_computers: computers,
      digital_content_studio: yes(-0.2, 0.6),
      dx_steering_unit: steering,
      dx_steering_unit_document: doc(steering, 'Quyết định thành lập Ban chỉ đạo chuyển đổi số'),
      dx_plan_issued: dxPlan,
      dx_plan_document: doc(dxPlan, 'Kế hoạch ứng dụng CNTT, chuyển đổi số'),
      sis_usage_regulation_issued: yes(),
      sis_student_module: yes(0.4, 0.6),
      electronic_gradebook: yes(0.3, 0.7),
      electronic_transcript: yes(0.1, 0.8),
      sis_staff_module: yes(0.3, 0.6),
      sis_facilities_module: yes(),
      sis_health_module: yes(0.0, 0.8),
      sis_accounting_module: yes(0.2, 0.7),
      sis_syncs_with_sector_database: yes(0.2, 0.75),
      family_school_app: yes(),
      online_admission: yes(0.1, 0.7),
      cashless_fee_payment: yes(0.1, 0.85),
    }
    out.push({
      school: { code, name: `Trường ${profile.kind} số ${i + 1}`, levels: profile.kind.split('-') },
      facts,
    })
  }
  return out
}
