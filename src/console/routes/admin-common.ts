// Shared parts of the management routes: reading form values, the page number, date inputs.
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../services/errors.js'
import type { Page } from '../../repositories/types.js'
import { errorText } from '../messages.js'
import type { FieldError } from '../views/layout.js'

export type Body = Record<string, string | string[] | undefined>
export const PAGE_SIZE = 50

export const str = (v: unknown, max = 500): string => (typeof v === 'string' ? v.slice(0, max).trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].slice(0, max).trim() : '')
export const list = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string' && x !== '').map((x) => x.slice(0, 200))

/** ?page=N (1 when missing or nonsense), and the store's window (one more row: is there a next page?). */
export function pageOf(request: FastifyRequest): { page: number; window: Page } {
  const n = Number((request.query as Record<string, unknown>).page)
  const page = Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1
  return { page, window: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } }
}

/** A date input (yyyy-mm-dd) as the end of that day in Vietnam (UTC+7, no daylight saving). */
export function endOfDayVn(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null
  const noon = new Date(`${day}T12:00:00Z`)
  if (Number.isNaN(noon.getTime()) || noon.toISOString().slice(0, 10) !== day) return null
  return new Date(`${day}T23:59:59+07:00`).toISOString()
}

/** A service's refusal as an error of the form field it names (`fields` maps a JSON path's last
 *  segment to the input id; anything else lands on `fallback`). 404/403/5xx go to the error page. */
export function formErrors(e: unknown, fields: Record<string, string>, fallback: string): FieldError[] {
  if (!(e instanceof AppError)) throw e
  if (e.statusCode >= 500 || e.statusCode === 403 || e.statusCode === 401 || (e.statusCode === 404 && !e.path)) throw e
  const last = (e.path ?? '').split('/').filter(Boolean)[0] ?? ''
  return [{ field: fields[last] ?? fallback, text: errorText(e) }]
}

/** A multipart form (a file input beside ordinary fields): every field's values, and the file's
 *  bytes when one was chosen (an empty file input sends a part with no name and no bytes). */
export async function readMultipart(request: FastifyRequest, maxFileBytes: number): Promise<{ fields: Record<string, string[]>; file: Buffer | null }> {
  if (!request.isMultipart()) throw new AppError(415, 'NOT_MULTIPART', 'the form must be sent as multipart/form-data')
  const fields: Record<string, string[]> = {}
  let file: Buffer | null = null
  for await (const part of request.parts({ limits: { fileSize: maxFileBytes, files: 1, fields: 30, parts: 32, fieldSize: 4 * 1024 * 1024 } })) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer()
      if (part.file.truncated) throw new AppError(413, 'FILE_TOO_LARGE', 'the file is too large')
      if (bytes.length > 0 || part.filename) file = bytes.length > 0 ? bytes : file
    } else {
      (fields[part.fieldname] ??= []).push(String(part.value))
    }
  }
  return { fields, file }
}
