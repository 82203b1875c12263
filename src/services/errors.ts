// Domain errors: a stable machine-readable code, an HTTP status, a human message and, where one
// field is at fault, its JSON path. The HTTP layer turns them into { error: { code, message, path } }.

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly path?: string,
    /** Extra machine-readable detail (e.g. the current version on a 412, per-row import errors). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
  }
}

export const notFound = (what: string, id: string, path?: string): AppError =>
  new AppError(404, 'NOT_FOUND', `${what} ${JSON.stringify(id)} not found (or not visible to this key)`, path)

export const forbidden = (message: string): AppError => new AppError(403, 'FORBIDDEN', message)

export const invalid = (code: string, message: string, path?: string, details?: Record<string, unknown>): AppError =>
  new AppError(400, code, message, path, details)

export const conflict = (code: string, message: string, details?: Record<string, unknown>): AppError =>
  new AppError(409, code, message, undefined, details)
