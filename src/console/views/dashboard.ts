// The education office's dashboard (Phòng/Sở, xã/phường): who has submitted, levels per group
// (overall, by cấp học, by child unit), mức 3 in both groups, weakest criteria, self vs external,
// the year before and plan targets. Numbers come from the unit summary (services.reports); every
// chart has its numbers in a table beside it.
import type { AssessmentState } from '../../repositories/types.js'
import type { UnitSummary } from '../../services/summary-compute.js'
import { viDate, viNumber, viPercent } from '../format.js'
import { html, type Html } from '../html.js'
import { STATE_LABELS } from '../messages.js'
import { levelFigure, levelTable, shareBarSvg, type LevelRow } from './charts.js'
import { layout, type SessionView } from './layout.js'

export interface PendingSchool {
  moetCode: string
  name: string
  unitCode: string
  state: AssessmentState | null
  assessmentId: string | null
  deadline: Date | null
}

export interface DashboardModel {
  session: SessionView
  notice: string | null
  /** The unit and period chosen (null: nothing to show yet). */
  unitCode: string | null
  periodId: string | null
  includeSubmitted: boolean
  unitOptions: { code: string; name: string }[]
  periodOptions: { id: string; label: string }[]
  /** Admin with no unit chosen: the top-level units to pick. */
  topUnits: { code: string; name: string }[] | null
  /** A reason the summary cannot be shown (Vietnamese). */
  problem: string | null
  summary: UnitSummary | null
  groups: { code: string; title: string }[]
  levels: number[]
  pending: PendingSchool[]
  pendingMore: number
}

const SCHOOL_LEVELS: Record<string, string> = { MN: 'Mầm non', TH: 'Tiểu học', THCS: 'Trung học cơ sở', THPT: 'Trung học phổ thông', GDTX: 'Giáo dục thường xuyên' }
const OWNERSHIP: Record<string, string> = { public: 'Công lập', private: 'Ngoài công lập' }

export function dashboardHref(unit: string, period: string | null, includeSubmitted = false): string {
  const q = new URLSearchParams({ unit })
  if (period) q.set('period', period)
  if (includeSubmitted) q.set('includeSubmitted', '1')
  return `/dashboard?${q.toString()}`
}

function filterForm(m: DashboardModel): Html {
  return html`<form method="get" action="/dashboard" class="panel no-print">
  <div class="field"><label for="unit">Đơn vị</label>
    <select id="unit" name="unit">${m.unitCode === null ? html`<option value="">— Chọn đơn vị —</option>` : ''}${m.unitOptions.map((u) => html`<option value="${u.code}"${u.code === m.unitCode ? html` selected` : ''}>${u.name} (${u.code})</option>`)}</select></div>
  <div class="field"><label for="period">Đợt đánh giá</label>
    <select id="period" name="period">${m.periodOptions.map((p) => html`<option value="${p.id}"${p.id === m.periodId ? html` selected` : ''}>${p.label}</option>`)}</select></div>
  <div class="field checkbox"><label for="includeSubmitted"><input type="checkbox" id="includeSubmitted" name="includeSubmitted" value="1"${m.includeSubmitted ? html` checked` : ''}> Tính cả phiếu đã nộp nhưng chưa duyệt</label></div>
  <div class="actions"><button type="submit" class="secondary">Xem</button></div>
</form>`
}

export function dashboardPage(m: DashboardModel): Html {
  const s = m.summary
  const title = s ? `Tổng quan — ${s.unit.name}` : 'Tổng quan'
  return layout({
    title, session: m.session, nav: 'dashboard', notice: m.notice,
    body: html`<h1>${title}</h1>
${s ? html`<p>${s.period.title} — năm học ${s.period.schoolYear.replace('-', '–')}. Bộ tiêu chí: ${s.criteriaSet.title}. <span class="muted">Số liệu tính lúc ${viDate(new Date(s.asOf.at))}.</span></p>` : ''}
${filterForm(m)}
${m.topUnits ? html`<h2>Chọn đơn vị</h2><ul>${m.topUnits.map((u) => html`<li><a href="${dashboardHref(u.code, m.periodId)}">${u.name}</a></li>`)}</ul>` : ''}
${m.problem ? html`<div class="warning-box"><p>${m.problem}</p></div>` : ''}
${s ? body(m, s) : ''}`,
  })
}

function body(m: DashboardModel, s: UnitSummary): Html {
  const st = s.schools.byState as Record<string, number>
  const n = (k: string) => st[k] ?? 0
  const submitted = n('submitted') + n('approved') + n('published')
  const started = s.schools.inScope - n('none')
  const cards: [string, number, string][] = [
    ['expected', s.schools.inScope, 'Trường cần đánh giá'], ['started', started, 'Đã bắt đầu'], ['submitted', submitted, 'Đã nộp'],
    ['approved', n('approved') + n('published'), 'Đã duyệt'], ['published', n('published'), 'Đã công bố'],
  ]
  const stateRows: [string, string][] = [['none', 'Chưa bắt đầu'], ['draft', STATE_LABELS.draft], ['submitted', 'Đã nộp, chờ duyệt'], ['returned', STATE_LABELS.returned], ['approved', STATE_LABELS.approved], ['published', STATE_LABELS.published]]
  const groupTitle = (code: string) => { const g = m.groups.find((x) => x.code === code); return g ? `Nhóm ${g.code}: ${g.title}` : `Nhóm ${code}` }
  const counting = s.counting.states.map((x) => STATE_LABELS[x as AssessmentState] ?? x).join(', ')
  const byUnitRows = (code: string): LevelRow[] => [
    ...s.byUnit.map((u) => ({ label: u.unit.name, href: dashboardHref(u.unit.code, s.period.id, m.includeSubmitted), levels: u.groups.find((g) => g.code === code)?.levels ?? {} })),
    ...(s.directlyInUnit ? [{ label: 'Trường trực thuộc trực tiếp', levels: s.directlyInUnit.groups.find((g) => g.code === code)?.levels ?? {} }] : []),
  ]
  const top = s.overall.topLevelInAllGroups
  const weakest = s.criteria.filter((c) => c.maxPoints !== null && c.depth === 0).slice(0, 10)
  return html`
<h2>Tiến độ nộp phiếu</h2>
<ul class="cards">${cards.map(([k, v, label]) => html`<li data-card="${k}"><span class="big">${viNumber(v)}</span> ${label}</li>`)}</ul>
<div class="table-wrap"><table id="by-state">
<caption>Số trường theo trạng thái phiếu</caption>
<thead><tr><th scope="col">Trạng thái</th><th scope="col" class="num">Số trường</th><th scope="col" class="num">Tỉ lệ</th></tr></thead>
<tbody>${stateRows.map(([k, label]) => html`<tr data-state="${k}"><th scope="row">${label}</th><td class="num">${viNumber(n(k))}</td><td class="num">${s.schools.inScope ? viPercent(n(k) / s.schools.inScope) : '—'}</td></tr>`)}
<tr data-state="total"><th scope="row">Tổng số trường</th><td class="num">${viNumber(s.schools.inScope)}</td><td class="num"></td></tr></tbody>
</table></div>

<h2 id="pending">Trường chưa nộp phiếu</h2>
${m.pending.length === 0 ? html`<p>Tất cả các trường đã nộp phiếu.</p>` : html`<div class="table-wrap"><table id="pending-table">
<caption>Trường chưa nộp (chưa bắt đầu, đang nhập hoặc được yêu cầu nhập lại), theo hạn nộp</caption>
<thead><tr><th scope="col">Trường</th><th scope="col">Mã</th><th scope="col">Đơn vị</th><th scope="col">Tình trạng</th><th scope="col">Hạn nộp</th></tr></thead>
<tbody>${m.pending.map((p) => html`<tr><th scope="row">${p.assessmentId ? html`<a href="/review/${p.assessmentId}">${p.name}</a>` : p.name}</th><td>${p.moetCode}</td><td>${p.unitCode}</td><td>${p.state ? html`<span class="tag ${p.state}">${STATE_LABELS[p.state]}</span>` : 'Chưa bắt đầu'}</td><td>${viDate(p.deadline)}</td></tr>`)}</tbody>
</table></div>${m.pendingMore > 0 ? html`<p>… và ${viNumber(m.pendingMore)} trường khác.</p>` : ''}`}

<h2>Mức đạt theo nhóm tiêu chí</h2>
<p>Tính trên ${viNumber(s.schools.counted)} phiếu ở trạng thái: ${counting}. Kết quả được công nhận: kết quả đánh giá ngoài nếu có, nếu không là kết quả tự đánh giá.</p>
${levelFigure({ id: 'chart-overall', title: 'Toàn đơn vị', rowHeader: 'Nhóm tiêu chí', levels: m.levels, rows: s.overall.groups.map((g) => ({ label: groupTitle(g.code), levels: g.levels })) })}

<h3>Trường đạt mức ${Math.max(...m.levels)} ở cả hai nhóm</h3>
${top === null ? html`<p>Chưa có dữ liệu.</p>` : html`<figure class="chart" id="chart-top"><figcaption>Trường đạt mức cao nhất ở mọi nhóm</figcaption>
<div class="side-by-side"><div>${shareBarSvg({ id: 'chart-top-bar', label: 'Trường đạt mức cao nhất ở mọi nhóm', count: top.schools, of: s.overall.schools })}</div>
<div class="table-wrap"><table id="top-table"><caption>Trường đạt mức cao nhất ở mọi nhóm</caption>
<thead><tr><th scope="col">Số trường đạt</th><th scope="col" class="num">Trên tổng số phiếu được tính</th><th scope="col" class="num">Tỉ lệ</th></tr></thead>
<tbody><tr><td class="num" data-top>${viNumber(top.schools)}</td><td class="num">${viNumber(s.overall.schools)}</td><td class="num">${viPercent(top.share)}</td></tr></tbody></table></div></div></figure>`}

<h2>Theo cấp học</h2>
${s.byLevel.length === 0 ? html`<p>Chưa có dữ liệu.</p>` : m.groups.map((g) => levelFigure({
    id: `chart-level-${g.code}`, title: `${groupTitle(g.code)} — theo cấp học`, rowHeader: 'Cấp học', levels: m.levels,
    rows: s.byLevel.map((b) => ({ label: SCHOOL_LEVELS[b.key] ?? b.key, levels: b.groups.find((x) => x.code === g.code)?.levels ?? {} })),
  }))}

<h2>Theo đơn vị trực thuộc</h2>
${s.byUnit.length === 0 && !s.directlyInUnit ? html`<p>Đơn vị không có đơn vị trực thuộc: chưa có dữ liệu.</p>` : m.groups.map((g) => levelFigure({
    id: `chart-unit-${g.code}`, title: `${groupTitle(g.code)} — theo đơn vị`, rowHeader: 'Đơn vị', levels: m.levels, rows: byUnitRows(g.code),
  }))}

${s.byOwnership.length > 1 ? html`<h2>Theo loại hình</h2>${m.groups.map((g) => levelTable({
    id: `table-own-${g.code}`, title: `${groupTitle(g.code)} — theo loại hình`, rowHeader: 'Loại hình', levels: m.levels,
    rows: s.byOwnership.map((b) => ({ label: OWNERSHIP[b.key] ?? b.key, levels: b.groups.find((x) => x.code === g.code)?.levels ?? {} })),
  }))}` : ''}

<h2>Tiêu chí yếu nhất</h2>
${weakest.length === 0 ? html`<p>Chưa có dữ liệu.</p>` : html`<div class="table-wrap"><table id="weakest">
<caption>Các tiêu chí có điểm trung bình thấp nhất so với điểm tối đa</caption>
<thead><tr><th scope="col">Tiêu chí</th><th scope="col">Nhóm</th><th scope="col" class="num">Điểm trung bình / tối đa</th><th scope="col" class="num">Tỉ lệ đạt trọn điểm</th><th scope="col" class="num">Tỉ lệ 0 điểm</th></tr></thead>
<tbody>${weakest.map((c) => html`<tr><th scope="row">${c.code}. ${c.title}</th><td>${c.groupCode}</td><td class="num">${viNumber(c.meanPoints)} / ${viNumber(c.maxPoints)} (${viPercent(c.meanShareOfMax)})</td><td class="num">${viPercent(c.fullShare)}</td><td class="num">${viPercent(c.zeroShare)}</td></tr>`)}</tbody>
</table></div>`}

<h2>Tự đánh giá và đánh giá ngoài</h2>
${s.external.assessments === 0 ? html`<p>Chưa có phiếu nào được đánh giá ngoài: chưa có dữ liệu.</p>` : html`
<p>${viNumber(s.external.assessments)} phiếu đã có đánh giá ngoài.</p>
${levelFigure({
    id: 'chart-self-external', title: 'Mức theo tự đánh giá và theo kết quả được công nhận', rowHeader: 'Nhóm, nguồn', levels: m.levels,
    rows: s.overall.groups.flatMap((g) => [
      { label: `Nhóm ${g.code} — tự đánh giá`, levels: s.overall.selfLevels.find((x) => x.code === g.code)?.levels ?? {} },
      { label: `Nhóm ${g.code} — được công nhận`, levels: g.levels },
    ]),
  })}
<div class="table-wrap"><table id="external-groups">
<caption>Chênh lệch giữa đánh giá ngoài và tự đánh giá</caption>
<thead><tr><th scope="col">Nhóm</th><th scope="col" class="num">Số phiếu</th><th scope="col" class="num">Chênh lệch điểm trung bình</th><th scope="col" class="num">Số trường bị hạ mức</th><th scope="col" class="num">Số trường được nâng mức</th></tr></thead>
<tbody>${s.external.groups.map((g) => html`<tr><th scope="row">${groupTitle(g.code)}</th><td class="num">${viNumber(g.schools)}</td><td class="num">${viNumber(g.meanDiff)}</td><td class="num">${viNumber(g.levelLowered)}</td><td class="num">${viNumber(g.levelRaised)}</td></tr>`)}</tbody>
</table></div>`}

<h2>So với năm học trước</h2>
${s.previousYear.schools === 0 ? html`<p>Chưa có dữ liệu năm học trước cho cùng bộ tiêu chí.</p>` : html`<div class="table-wrap"><table id="previous-year">
<caption>Thay đổi so với năm học trước (${viNumber(s.previousYear.schools)} trường có kết quả cả hai năm)</caption>
<thead><tr><th scope="col">Chỉ số</th><th scope="col" class="num">Giá trị</th></tr></thead>
<tbody>${s.previousYear.change.groups.map((g) => html`<tr><th scope="row">${groupTitle(g.code)}: thay đổi điểm trung bình</th><td class="num">${viNumber(g.meanTotal)}</td></tr>`)}
<tr><th scope="row">Thay đổi số trường đạt mức cao nhất ở mọi nhóm</th><td class="num">${viNumber(s.previousYear.change.topLevelInAllGroups)}</td></tr>
<tr><th scope="row">Số trường tăng mức</th><td class="num">${viNumber(s.previousYear.change.schoolsUp)}</td></tr>
<tr><th scope="row">Số trường giảm mức</th><td class="num">${viNumber(s.previousYear.change.schoolsDown)}</td></tr>
<tr><th scope="row">Số trường giữ nguyên</th><td class="num">${viNumber(s.previousYear.change.schoolsSame)}</td></tr></tbody>
</table></div>`}

<h2>Chỉ tiêu kế hoạch</h2>
${s.targets.length === 0 ? html`<p>Bộ tiêu chí này không có chỉ tiêu kế hoạch: chưa có dữ liệu.</p>` : html`<div class="table-wrap"><table id="targets">
<caption>Chỉ tiêu kế hoạch</caption>
<thead><tr><th scope="col">Chỉ tiêu</th><th scope="col" class="num">Đạt</th><th scope="col" class="num">Chưa đạt</th><th scope="col" class="num">Chưa đủ thông tin</th></tr></thead>
<tbody>${s.targets.map((x) => html`<tr><th scope="row">${x.code}. ${x.title}</th><td class="num">${viNumber(x.met)}</td><td class="num">${viNumber(x.notMet)}</td><td class="num">${viNumber(x.incomplete)}</td></tr>`)}</tbody>
</table></div>`}`
}
