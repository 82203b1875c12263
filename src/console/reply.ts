// How console routes answer: an HTML page, a redirect after a POST (303, so a reload never posts
// again), a notice carried as a code in the URL (never user text), and field errors from AppErrors.
import type { FastifyReply } from 'fastify'
import type { Html } from './html.js'
import { AppError } from '../services/errors.js'
import { errorText } from './messages.js'
import type { FieldError } from './views/layout.js'

export function sendPage(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value)
}

export function redirect(reply: FastifyReply, to: string): FastifyReply {
  return reply.status(303).header('location', to).header('cache-control', 'no-store').send()
}

/** What a notice code in ?notice= says. Codes only: a link cannot make the console say anything else. */
export const NOTICES: Record<string, string> = {
  'logged-out': 'Bạn đã đăng xuất.',
  'password-set': 'Đã đặt mật khẩu. Mời bạn đăng nhập.',
  'password-changed': 'Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.',
  'session-ended': 'Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.',
  saved: 'Đã lưu.',
  submitted: 'Đã nộp phiếu tự đánh giá.',
  started: 'Đã tạo phiếu tự đánh giá.',
  returned: 'Đã yêu cầu trường nhập lại.',
  approved: 'Đã duyệt.',
  revoked: 'Đã thu hồi phê duyệt.',
  published: 'Đã công bố.',
  'external-saved': 'Đã lưu đánh giá ngoài.',
  'document-added': 'Đã đính kèm minh chứng.',
  created: 'Đã tạo.',
  updated: 'Đã cập nhật.',
  imported: 'Đã nhập dữ liệu.',
  disabled: 'Đã vô hiệu hóa tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.',
  revoked_key: 'Đã thu hồi khóa.',
}

export function noticeOf(query: unknown): string | null {
  const code = (query as { notice?: unknown } | undefined)?.notice
  return typeof code === 'string' ? NOTICES[code] ?? null : null
}

/** An AppError as the field error of the form input it names (its JSON path's last segment → id). */
export function fieldErrors(e: unknown, fieldOf: (path: string | undefined) => string = (p) => (p ?? '').split('/').pop() || 'main'): FieldError[] {
  if (!(e instanceof AppError)) throw e
  if (e.statusCode >= 500 || e.statusCode === 404 || e.statusCode === 403 || e.statusCode === 401) throw e
  return [{ field: fieldOf(e.path), text: errorText(e) }]
}
