// Sign-in, invitation (set a password), my account, and the error page.
import { html, type Html } from '../html.js'
import { PASSWORD_MIN } from '../../services/password.js'
import { layout, type FieldError, type SessionView } from './layout.js'

export function loginPage(m: { csrf: string; next: string; username: string; errors: FieldError[]; notice: string | null }): Html {
  return layout({
    title: 'Đăng nhập', session: null, errors: m.errors, notice: m.notice,
    body: html`<h1>Đăng nhập</h1>
<form method="post" action="/login" class="narrow" novalidate>
  <input type="hidden" name="_csrf" value="${m.csrf}">
  <input type="hidden" name="next" value="${m.next}">
  <div class="field${m.errors.length > 0 ? ' has-error' : ''}">
    <label for="username">Tên đăng nhập</label>
    <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" value="${m.username}" required>
  </div>
  <div class="field${m.errors.length > 0 ? ' has-error' : ''}">
    <label for="password">Mật khẩu</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
  </div>
  <div class="actions"><button type="submit">Đăng nhập</button></div>
</form>
<p class="muted">Chưa có tài khoản? Đơn vị quản lý (Phòng/Sở GDĐT) tạo tài khoản và gửi bạn liên kết mời.</p>`,
  })
}

export function invitePage(m: { csrf: string; token: string; displayName: string; username: string; errors: FieldError[] }): Html {
  return layout({
    title: 'Đặt mật khẩu', session: null, errors: m.errors,
    body: html`<h1>Đặt mật khẩu cho tài khoản của bạn</h1>
<p>Xin chào <strong>${m.displayName}</strong>. Tên đăng nhập của bạn là <strong>${m.username}</strong>.</p>
<form method="post" action="/invite/${m.token}" novalidate>
  <input type="hidden" name="_csrf" value="${m.csrf}">
  <input type="text" name="username" value="${m.username}" autocomplete="username" hidden>
  ${passwordFields(m.errors)}
  <div class="actions"><button type="submit">Đặt mật khẩu</button></div>
</form>`,
  })
}

function passwordFields(errors: FieldError[]): Html {
  const err = (f: string) => errors.find((e) => e.field === f)
  const field = (id: string, label: string, hint: string | null) => html`<div class="field${err(id) ? ' has-error' : ''}">
    <label for="${id}">${label}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    ${err(id) ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Lỗi:</span> ${err(id)?.text}</p>` : ''}
    <input type="password" id="${id}" name="${id}" autocomplete="new-password"${hint || err(id) ? html` aria-describedby="${[hint ? `${id}-hint` : '', err(id) ? `${id}-error` : ''].filter(Boolean).join(' ')}"` : ''} required>
  </div>`
  return html`${field('password', 'Mật khẩu mới', `Ít nhất ${PASSWORD_MIN} ký tự. Một câu dễ nhớ với bạn là mật khẩu tốt.`)}${field('confirm', 'Nhập lại mật khẩu mới', null)}`
}

export function accountPage(m: { session: SessionView; errors: FieldError[]; notice: string | null; newKey: string | null; keyScope: string }): Html {
  const err = (f: string) => m.errors.find((e) => e.field === f)
  return layout({
    title: 'Tài khoản của tôi', session: m.session, errors: m.errors, notice: m.notice,
    body: html`<h1>Tài khoản của tôi</h1>
<dl class="summary-list"><dt>Họ tên</dt><dd>${m.session.displayName}</dd><dt>Tên đăng nhập</dt><dd>${m.session.username}</dd><dt>Phạm vi</dt><dd>${m.keyScope}</dd></dl>
<h2>Đổi mật khẩu</h2>
<form method="post" action="/account/password" novalidate>
  <input type="hidden" name="_csrf" value="${m.session.csrf}">
  <input type="text" name="username" value="${m.session.username}" autocomplete="username" hidden>
  <div class="field${err('current') ? ' has-error' : ''}">
    <label for="current">Mật khẩu hiện tại</label>
    ${err('current') ? html`<p class="field-error" id="current-error"><span class="visually-hidden">Lỗi:</span> ${err('current')?.text}</p>` : ''}
    <input type="password" id="current" name="current" autocomplete="current-password" required>
  </div>
  ${passwordFields(m.errors)}
  <div class="actions"><button type="submit">Đổi mật khẩu</button></div>
</form>
<h2>Khóa API cho phần mềm, tập lệnh</h2>
<p>Khóa API cho phép một phần mềm gọi dịch vụ thay bạn, trong đúng phạm vi của bạn (${m.keyScope}). Khóa chỉ hiện một lần.</p>
${m.newKey ? html`<div class="notice" role="status"><p><strong>Khóa mới (chỉ hiện lần này, hãy lưu lại ngay):</strong></p><p><code class="secret">${m.newKey}</code></p><p class="muted">Gửi kèm mỗi yêu cầu: <code>Authorization: Bearer &lt;khóa&gt;</code></p></div>` : ''}
<form method="post" action="/account/keys" novalidate>
  <input type="hidden" name="_csrf" value="${m.session.csrf}">
  <div class="field${err('label') ? ' has-error' : ''}">
    <label for="label">Tên gợi nhớ của khóa</label>
    <p class="hint" id="label-hint">Ví dụ: "Đồng bộ từ phần mềm quản lý trường".</p>
    ${err('label') ? html`<p class="field-error" id="label-error"><span class="visually-hidden">Lỗi:</span> ${err('label')?.text}</p>` : ''}
    <input type="text" id="label" name="label" maxlength="200" aria-describedby="label-hint">
  </div>
  <div class="actions"><button type="submit" class="secondary">Tạo khóa API</button></div>
</form>`,
  })
}

export function errorPage(m: { session: SessionView | null; status: number; text: string }): Html {
  const title = m.status === 404 ? 'Không tìm thấy' : m.status === 403 ? 'Không có quyền' : m.status >= 500 ? 'Lỗi hệ thống' : 'Không thực hiện được'
  return layout({
    title, session: m.session,
    body: html`<h1>${title}</h1><p>${m.text}</p><p><a href="/">Về trang chủ</a></p>`,
  })
}
