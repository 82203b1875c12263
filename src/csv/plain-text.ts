// Names and titles are one line of plain text: no control characters (C0, DEL, C1), no line or
// paragraph separators, and no bidi controls, which make "Ke hoach\u202Efdp.hta" read as
// "Ke hoachath.pdf" on screen and in every export. One definition for the request schemas
// (src/http/schemas/common.ts) and the CSV school import.

/** The characters refused in a stored name or title. */
export const CONTROL_CHARS_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069'
/** The same without tab, LF and CR: a reason (lý do trả lại) may run over several lines. */
export const MULTILINE_CHARS_CLASS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069'
/** A JSON-schema `pattern` (ajv compiles it with the u flag) that a name without them matches. */
export const PLAIN_TEXT_PATTERN = `^[^${CONTROL_CHARS_CLASS}]*$`
export const MULTILINE_TEXT_PATTERN = `^[^${MULTILINE_CHARS_CLASS}]*$`
const CONTROL = new RegExp(`[${CONTROL_CHARS_CLASS}]`, 'u')
const CONTROL_MULTILINE = new RegExp(`[${MULTILINE_CHARS_CLASS}]`, 'u')

/** The first refused character of `s` as "U+202E", or null when there is none. */
export function firstControlChar(s: string, opts: { multiline?: boolean } = {}): string | null {
  const m = (opts.multiline ? CONTROL_MULTILINE : CONTROL).exec(s)
  return m ? `U+${(m[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}` : null
}

/** The message a person reads when a name holds one (Vietnamese: the officers' language). */
export function controlCharMessage(field: string, found: string): string {
  return `${field} chứa ký tự điều khiển hoặc ký tự đảo chiều văn bản (${found}); hãy gõ lại tên trên một dòng, không dán ký tự ẩn`
}

/** Whether a schema `pattern` that failed is one of the two above (for an error message that names
 *  the character and says what to do, rather than ajv's "must match pattern …"). */
export function isPlainTextPattern(pattern: unknown): boolean {
  return pattern === PLAIN_TEXT_PATTERN || pattern === MULTILINE_TEXT_PATTERN
}
