// The assessment workflow as data: which action moves which state to which, and who may take it.
//   draft → submitted → returned (reason) → submitted … → approved → published
//   approved → returned (revoke, with a reason)
import type { AssessmentState, Role } from '../repositories/types.js'
import { AppError } from './errors.js'

export const ACTIONS = ['submit', 'return', 'approve', 'revoke', 'publish'] as const
export type Action = (typeof ACTIONS)[number]

export interface Transition { from: readonly AssessmentState[]; to: AssessmentState; roles: readonly Role[]; needsReason: boolean; label: string }

export const TRANSITIONS: Record<Action, Transition> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', roles: ['school', 'admin'], needsReason: false, label: 'nộp tự đánh giá' },
  return: { from: ['submitted'], to: 'returned', roles: ['reviewer', 'admin'], needsReason: true, label: 'trả lại' },
  approve: { from: ['submitted'], to: 'approved', roles: ['reviewer', 'admin'], needsReason: false, label: 'phê duyệt' },
  revoke: { from: ['approved'], to: 'returned', roles: ['reviewer', 'admin'], needsReason: true, label: 'thu hồi phê duyệt' },
  publish: { from: ['approved'], to: 'published', roles: ['reviewer', 'admin'], needsReason: false, label: 'công bố' },
}

/** States in which the school edits its evidence and documents. */
export const EDITABLE: readonly AssessmentState[] = ['draft', 'returned']
/** States in which a reviewer records the external assessment (đánh giá ngoài). */
export const EXTERNAL_ALLOWED: readonly AssessmentState[] = ['submitted', 'approved']

export function checkTransition(action: Action, state: AssessmentState): Transition {
  const t = TRANSITIONS[action]
  if (!t.from.includes(state)) {
    throw new AppError(409, 'ILLEGAL_TRANSITION', `cannot ${action} (${t.label}) an assessment in state "${state}"; allowed from: ${t.from.join(', ')}`, undefined, { state, action, allowedFrom: [...t.from] })
  }
  return t
}

/** The actions open from a state, for clients to show the right buttons. */
export function actionsFrom(state: AssessmentState, role: Role): Action[] {
  return ACTIONS.filter((a) => TRANSITIONS[a].from.includes(state) && TRANSITIONS[a].roles.includes(role))
}
