// The units tree and its create form, the accounts in scope (create, invitation link, disable), the
// API keys in scope (revoke).
import { UNIT_TYPES, type ApiKey, type Role, type Unit, type UnitType, type User } from '../../repositories/types.js'
import { schoolYearLabel, viDate, viDateTime } from '../format.js'
import { html, type Html } from '../html.js'
import { ROLE_LABELS } from '../messages.js'
import { layout, type SessionView } from './layout.js'
import { csrfField, pager, selectField, textField, type Errors } from './admin-common.js'

export const UNIT_TYPE_LABELS: Record<UnitType, string> = { ministry: 'Bộ', province: 'Tỉnh/Thành phố', district: 'Quận/Huyện', ward: 'Phường', commune: 'Xã', other: 'Khác' }

export interface UnitForm { code: string; name: string; type: string; parentCode: string; fromYear: string }

function tree(units: Unit[], parent: string | null, known: Set<string>): Html {
  const here = units.filter((u) => (parent === null ? u.parentCode === null || !known.has(u.parentCode) : u.parentCode === parent))
  if (here.length === 0) return html``
  return html`<ul>${here.map((u) => html`<li><strong>${u.code}</strong> — ${u.name} <span class="muted">(${UNIT_TYPE_LABELS[u.type]}; từ năm học ${schoolYearLabel(u.fromYear)}${u.toYear !== null ? ` đến ${schoolYearLabel(u.toYear)}` : ''})</span>${tree(units, u.code, known)}</li>`)}</ul>`
}

export function unitsPage(m: { session: SessionView; notice: string | null; units: Unit[]; year: string; form: UnitForm; errors: Errors }): Html {
  const f = m.form
  return layout({
    title: 'Đơn vị', session: m.session, nav: 'units', notice: m.notice, errors: m.errors,
    body: html`<h1>Đơn vị</h1>
<form method="get" action="/units" class="panel">
  ${textField({ id: 'year', label: 'Năm học', value: m.year, errors: [], hint: 'Dạng 2025-2026; để trống để xem mọi năm học.' })}
  <div class="actions"><button type="submit" class="secondary">Xem</button></div>
</form>
<h2>Cây đơn vị${m.year ? ` năm học ${m.year}` : ''}</h2>
${m.units.length === 0 ? html`<p>Không có đơn vị nào.</p>` : html`<div class="panel">${tree(m.units, null, new Set(m.units.map((u) => u.code)))}</div>`}
<h2>Tạo đơn vị</h2>
<form method="post" action="/units" class="panel" novalidate>
  ${csrfField(m.session)}
  ${textField({ id: 'code', label: 'Mã đơn vị', value: f.code, errors: m.errors, hint: 'Ví dụ: LB-W2' })}
  ${textField({ id: 'name', label: 'Tên đơn vị', value: f.name, errors: m.errors })}
  ${selectField({ id: 'type', label: 'Loại đơn vị', value: f.type, errors: m.errors, options: UNIT_TYPES.map((t) => [t, UNIT_TYPE_LABELS[t]] as [string, string]) })}
  ${textField({ id: 'parentCode', label: 'Mã đơn vị cấp trên', value: f.parentCode, errors: m.errors, hint: 'Để trống nếu là đơn vị cấp cao nhất.' })}
  ${textField({ id: 'fromYear', label: 'Từ năm học', value: f.fromYear, errors: m.errors, hint: 'Dạng 2025-2026' })}
  <div class="actions"><button type="submit">Tạo đơn vị</button></div>
</form>`,
  })
}

export interface AccountRow { user: User; scope: string }
export interface AccountForm { username: string; displayName: string; role: string; unitCode: string; schoolCode: string }

export const accountState = (u: User): string => (u.disabledAt !== null ? 'Đã vô hiệu hóa' : u.hasPassword ? 'Đang hoạt động' : 'Chưa đặt mật khẩu')

export function accountsPage(m: { session: SessionView; notice: string | null; rows: AccountRow[]; page: number; hasNext: boolean; roles: Role[]; form: AccountForm; errors: Errors }): Html {
  const f = m.form
  return layout({
    title: 'Tài khoản', session: m.session, nav: 'accounts', notice: m.notice, errors: m.errors,
    body: html`<h1>Tài khoản</h1>
<div class="table-wrap"><table>
  <caption>Tài khoản trong phạm vi của bạn (trang ${m.page})</caption>
  <thead><tr><th scope="col">Họ tên</th><th scope="col">Tên đăng nhập</th><th scope="col">Vai trò</th><th scope="col">Phạm vi</th><th scope="col">Trạng thái</th><th scope="col">Thao tác</th></tr></thead>
  <tbody>${m.rows.map(({ user: u, scope }) => html`<tr><td>${u.displayName}</td><td>${u.username}</td><td>${ROLE_LABELS[u.role]}</td><td>${scope}</td><td>${accountState(u)}</td>
    <td>${u.disabledAt === null && u.username !== m.session.username ? html`<form method="post" action="/accounts/${u.id}/reinvite" class="inline">${csrfField(m.session)}<button type="submit" class="link-button" aria-label="Gửi lại liên kết mời cho ${u.username}">Gửi lại liên kết mời</button></form>
      <a href="/accounts/${u.id}/disable" aria-label="Vô hiệu hóa ${u.username}">Vô hiệu hóa</a>` : '—'}</td></tr>`)}</tbody>
</table></div>
${pager(m.page, m.hasNext, (p) => `/accounts?page=${p}`)}
<h2>Tạo tài khoản</h2>
<form method="post" action="/accounts" class="panel" novalidate>
  ${csrfField(m.session)}
  ${textField({ id: 'username', label: 'Tên đăng nhập', value: f.username, errors: m.errors, hint: '3–64 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.', attrs: html` autocomplete="off" autocapitalize="none" spellcheck="false"` })}
  ${textField({ id: 'displayName', label: 'Họ tên hiển thị', value: f.displayName, errors: m.errors })}
  ${selectField({ id: 'role', label: 'Vai trò', value: f.role, errors: m.errors, options: m.roles.map((r) => [r, ROLE_LABELS[r]] as [string, string]) })}
  ${textField({ id: 'unitCode', label: 'Mã đơn vị (cho cán bộ Phòng/Sở)', value: f.unitCode, errors: m.errors })}
  ${textField({ id: 'schoolCode', label: 'Mã trường (cho tài khoản trường)', value: f.schoolCode, errors: m.errors })}
  <div class="actions"><button type="submit">Tạo tài khoản</button></div>
</form>`,
  })
}

export function invitationPage(m: { session: SessionView; user: User; link: string; expires: Date; created: boolean }): Html {
  return layout({
    title: 'Liên kết mời', session: m.session, nav: 'accounts', crumbs: [['Tài khoản', '/accounts'], [m.user.username, null]],
    body: html`<h1>Liên kết mời cho ${m.user.displayName}</h1>
<div class="notice" role="status">${m.created ? 'Đã tạo tài khoản.' : 'Đã tạo liên kết mời mới; liên kết cũ không còn dùng được.'}</div>
<p>Gửi liên kết này cho <strong>${m.user.displayName}</strong> (tên đăng nhập <strong>${m.user.username}</strong>) để người đó tự đặt mật khẩu. Liên kết chỉ hiện một lần ở đây, dùng được một lần, hết hạn lúc <strong>${viDateTime(m.expires)}</strong>.</p>
<p><code class="secret" id="invitation-link">${m.link}</code></p>
<p><a href="/accounts">Quay lại danh sách tài khoản</a></p>`,
  })
}

export interface KeyRow { key: ApiKey; scope: string }

export function keysPage(m: { session: SessionView; notice: string | null; rows: KeyRow[]; page: number; hasNext: boolean }): Html {
  return layout({
    title: 'Khóa API', session: m.session, nav: 'keys', notice: m.notice,
    body: html`<h1>Khóa API</h1>
${m.rows.length === 0 ? html`<p>Không có khóa nào trong phạm vi của bạn.</p>` : html`<div class="table-wrap"><table>
  <caption>Khóa API trong phạm vi của bạn (trang ${m.page})</caption>
  <thead><tr><th scope="col">Tên gợi nhớ</th><th scope="col">Vai trò</th><th scope="col">Phạm vi</th><th scope="col">Ngày tạo</th><th scope="col">Thu hồi</th><th scope="col">Thao tác</th></tr></thead>
  <tbody>${m.rows.map(({ key: k, scope }) => html`<tr><td>${k.label}</td><td>${ROLE_LABELS[k.role]}</td><td>${scope}</td><td>${viDate(k.createdAt)}</td><td>${k.revokedAt ? viDate(k.revokedAt) : 'Còn hiệu lực'}</td>
    <td>${k.revokedAt ? '—' : html`<a href="/keys/${k.id}/revoke" aria-label="Thu hồi khóa ${k.label}">Thu hồi</a>`}</td></tr>`)}</tbody>
</table></div>`}
${pager(m.page, m.hasNext, (p) => `/keys?page=${p}`)}`,
  })
}
