// The console's Vietnamese words for the domain's codes: states, roles, actions, and the API's error
// codes (services speak English to API clients; a person reads these). One place for each wording.
import type { AssessmentState, Role } from '../repositories/types.js'
import type { Action } from '../services/workflow.js'
import { AppError } from '../services/errors.js'

export const STATE_LABELS: Record<AssessmentState, string> = {
  draft: 'Đang nhập', submitted: 'Đã nộp', returned: 'Yêu cầu nhập lại', approved: 'Đã duyệt', published: 'Đã công bố',
}

export const ROLE_LABELS: Record<Role, string> = { admin: 'Quản trị hệ thống', reviewer: 'Cán bộ Phòng/Sở', school: 'Trường' }

/** Button words as the platforms schools know them use them (K12Online: "Yêu cầu nhập lại", "Duyệt", "Thu hồi"). */
export const ACTION_LABELS: Record<Action, string> = {
  submit: 'Nộp tự đánh giá', return: 'Yêu cầu nhập lại', approve: 'Duyệt', revoke: 'Thu hồi', publish: 'Công bố',
}

/** Who did it, for a person: "reviewer:<key id> (Sở GDĐT …)" (src/services/actor.ts actorName) reads
 *  as "Sở GDĐT … (Cán bộ Phòng/Sở)"; the CLI and other names are shown as they are. */
export function actorText(name: string): string {
  const m = /^(admin|reviewer|school):\S+ \((.*)\)$/.exec(name)
  return m ? `${m[2]} (${ROLE_LABELS[m[1] as Role]})` : name === 'cli' ? 'Máy chủ (dòng lệnh)' : name
}

export const LEVEL_LABEL = (level: number | null | undefined): string => (level === null || level === undefined ? 'Chưa xác định' : `Mức ${level}`)

const ERROR_TEXTS: Record<string, string> = {
  NOT_FOUND: 'Không tìm thấy trang hoặc dữ liệu này (hoặc bạn không có quyền xem).',
  FORBIDDEN: 'Bạn không có quyền thực hiện thao tác này.',
  UNAUTHENTICATED: 'Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.',
  VERSION_MISMATCH: 'Người khác vừa thay đổi phiếu này sau khi bạn mở nó. Dưới đây là nội dung hiện tại; hãy nhập lại thay đổi của bạn rồi lưu.',
  PRECONDITION_REQUIRED: 'Thiếu phiên bản của phiếu; hãy tải lại trang.',
  NOT_EDITABLE: 'Phiếu không còn ở trạng thái được sửa.',
  ILLEGAL_TRANSITION: 'Thao tác này không áp dụng cho trạng thái hiện tại của phiếu.',
  REASON_REQUIRED: 'Cần ghi lý do để trường biết phải sửa gì.',
  MISSING_REASON: 'Cần ghi lý do.',
  EVIDENCE_INCOMPLETE: 'Phiếu chưa đủ thông tin để nộp. Xem danh sách còn thiếu ở trang kiểm tra.',
  DEADLINE_PASSED: 'Đã quá hạn nộp. Hãy đề nghị đơn vị quản lý gia hạn.',
  ASSESSMENT_EXISTS: 'Trường đã có phiếu tự đánh giá cho đợt này.',
  OUTSIDE_PERIOD: 'Đợt đánh giá này không áp dụng cho trường.',
  INVALID_EVIDENCE: 'Một số thông tin nhập chưa hợp lệ.',
  EXTERNAL_NOT_ALLOWED: 'Chỉ ghi đánh giá ngoài khi phiếu đã nộp hoặc đã duyệt.',
  TOO_MANY_DOCUMENTS: 'Phiếu đã có số minh chứng tối đa.',
  FILE_TOO_LARGE: 'Tệp quá lớn.',
  UNSUPPORTED_MEDIA_TYPE: 'Loại tệp này không được nhận (chỉ nhận PDF, ảnh, tài liệu Office).',
  NOT_AN_OFFICE_FILE: 'Tệp không phải là tài liệu Office hợp lệ.',
  CONTENT_MISMATCH: 'Nội dung tệp không khớp với loại tệp.',
  USERNAME_TAKEN: 'Tên đăng nhập này đã có người dùng.',
  INVALID_USERNAME: 'Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới.',
  WEAK_PASSWORD: 'Mật khẩu chưa đạt yêu cầu.',
  WRONG_PASSWORD: 'Mật khẩu hiện tại không đúng.',
  INVITATION_EXPIRED: 'Liên kết mời đã hết hạn hoặc đã được dùng. Hãy xin đơn vị quản lý một liên kết mới.',
  USER_DISABLED: 'Tài khoản đã bị vô hiệu hóa.',
  KEY_SCOPE: 'Phạm vi (đơn vị hoặc trường) không phù hợp với vai trò.',
  SCHOOL_EXISTS: 'Mã trường này đã có.',
  UNIT_EXISTS: 'Mã đơn vị này đã có.',
  IMPORT_REJECTED: 'Tệp nhập có dòng lỗi; chưa có gì được ghi. Xem bảng lỗi từng dòng.',
  INVALID_CRITERIA_TABLE: 'Bảng tiêu chí có lỗi; xem danh sách bên dưới.',
  VERIFICATION_FAILED: 'Bộ tiêu chí chưa qua kiểm tra; xem báo cáo kiểm tra.',
  INVALID_DATE: 'Ngày không hợp lệ.',
  INVALID_DEADLINES: 'Các hạn chót không hợp lệ (hạn duyệt phải sau hạn nộp).',
  INVALID_EXTENSION: 'Gia hạn không hợp lệ (ngày gia hạn phải sau hạn nộp).',
  INVALID_NAME: 'Tên không hợp lệ.',
  CONTROL_CHARACTERS: 'Văn bản có ký tự điều khiển không hiển thị được; hãy gõ lại.',
  TOO_MANY_FAILED_AUTH: 'Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau.',
  BUSY: 'Hệ thống đang bận; vui lòng thử lại sau ít phút.',
  JOB_TIMEOUT: 'Yêu cầu mất quá nhiều thời gian; vui lòng thử lại sau.',
  CSRF: 'Biểu mẫu đã hết hạn (hoặc không đến từ trang này). Hãy tải lại trang rồi gửi lại.',
}

const VIETNAMESE = /[ăâđêôơưàáạảãèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ]/i
/** Codes whose services word the message for a person, in Vietnamese, more precisely than the table. */
const SPOKEN_BY_SERVICE = new Set(['WEAK_PASSWORD', 'WRONG_PASSWORD', 'INVALID_USERNAME', 'USERNAME_TAKEN', 'INVITATION_EXPIRED', 'USER_DISABLED'])

/** A Vietnamese sentence for an error a person caused or meets. */
export function errorText(e: unknown): string {
  if (!(e instanceof AppError)) return 'Đã có lỗi phía máy chủ. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo quản trị hệ thống.'
  // (An English gloss in parentheses at the end of a Vietnamese message is for API clients.)
  const spoken = e.message.replace(/\s*\([^()]*\)$/, '')
  if (SPOKEN_BY_SERVICE.has(e.code) && VIETNAMESE.test(spoken)) return spoken
  const known = ERROR_TEXTS[e.code]
  if (known) return known
  // An English message that merely quotes a Vietnamese term ("… (trả lại)") is not Vietnamese.
  if (VIETNAMESE.test(spoken) && !/^[\x00-\x7f]+$/.test(spoken.split(/[;(]/)[0] ?? '')) return spoken
  return `Không thực hiện được yêu cầu (mã lỗi ${e.code}).`
}
