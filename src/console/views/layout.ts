// The page around every console view: lang="vi", a skip link, the header with who is signed in and
// the sign-out button, the navigation for the role, the notice or the error summary, the content.
import type { Role } from '../../repositories/types.js'
import { assetUrl } from '../assets.js'
import { html, type Html } from '../html.js'
import { ROLE_LABELS } from '../messages.js'

export interface SessionView { displayName: string; username: string; role: Role; scopeLabel: string | null; csrf: string }

/** A problem with one field: `field` is the id of its input, so the summary's link focuses it. */
export interface FieldError { field: string; text: string }

export interface PageModel {
  title: string
  session: SessionView | null
  /** Which navigation entry is current. */
  nav?: string
  notice?: string | null
  errors?: FieldError[]
  /** Extra script modules of assets/ (progressive enhancement only). */
  scripts?: string[]
  body: Html
  /** Breadcrumbs: [label, href] pairs, the last one the current page (href null). */
  crumbs?: [string, string | null][]
}

const NAV: Record<Role, [string, string, string][]> = {
  school: [['home', '/', 'Trang chủ']],
  reviewer: [['dashboard', '/dashboard', 'Tổng quan'], ['review', '/review', 'Hàng chờ duyệt'], ['schools', '/schools', 'Trường'], ['periods', '/periods', 'Đợt đánh giá'], ['criteria', '/criteria', 'Bộ tiêu chí'], ['accounts', '/accounts', 'Tài khoản']],
  admin: [['dashboard', '/dashboard', 'Tổng quan'], ['review', '/review', 'Hàng chờ duyệt'], ['schools', '/schools', 'Trường'], ['periods', '/periods', 'Đợt đánh giá'], ['criteria', '/criteria', 'Bộ tiêu chí'], ['units', '/units', 'Đơn vị'], ['accounts', '/accounts', 'Tài khoản'], ['keys', '/keys', 'Khóa API']],
}

export function errorSummary(errors: FieldError[] | undefined): Html {
  if (!errors || errors.length === 0) return html``
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">Có ${errors.length} lỗi cần sửa</h2>
  <ul>${errors.map((e) => html`<li><a href="#${e.field}">${e.text}</a></li>`)}</ul>
</div>`
}

export function layout(m: PageModel): Html {
  const s = m.session
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.errors && m.errors.length > 0 ? 'Lỗi: ' : ''}${m.title} — Đánh giá chuyển đổi số</title>
<link rel="stylesheet" href="${assetUrl('console.css')}">
<script type="module" src="${assetUrl('console.js')}"></script>
${(m.scripts ?? []).map((name) => html`<script type="module" src="${assetUrl(name)}"></script>`)}
</head>
<body>
<a class="skip-link" href="#main">Bỏ qua, đến nội dung chính</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/">Đánh giá chuyển đổi số</a>
    ${s ? html`<div class="who"><span>${s.displayName}</span> <span class="muted">(${ROLE_LABELS[s.role]}${s.scopeLabel ? html` — ${s.scopeLabel}` : ''})</span>
      <a href="/account">Tài khoản của tôi</a>
      <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${s.csrf}"><button type="submit" class="link-button">Đăng xuất</button></form></div>` : ''}
  </div>
  ${s ? html`<nav class="wrap main-nav" aria-label="Điều hướng chính"><ul>${NAV[s.role].map(([key, href, label]) => html`<li><a href="${href}"${m.nav === key ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>` : ''}
</header>
<main id="main" class="wrap" tabindex="-1">
${m.crumbs && m.crumbs.length > 0 ? html`<nav aria-label="Đường dẫn" class="crumbs"><ol>${m.crumbs.map(([label, href]) => (href ? html`<li><a href="${href}">${label}</a></li>` : html`<li aria-current="page">${label}</li>`))}</ol></nav>` : ''}
${errorSummary(m.errors)}
${m.notice ? html`<div class="notice" role="status">${m.notice}</div>` : ''}
${m.body}
</main>
<footer class="site-footer wrap"><p>Theo QĐ 4725/QĐ-BGDĐT và các mô hình của địa phương. Thời gian hiển thị theo giờ Việt Nam.</p></footer>
</body>
</html>`
}
