// Server-rendered HTML with auto-escaping: every ${value} in an html`…` template is escaped unless
// it is itself Html (another template, or raw() of trusted markup). Views are pure functions of
// their view models returning Html; nothing else writes markup. (A tagged template keeps views
// type-checked TypeScript: a template engine would add a language and lose the types.)

export class Html {
  constructor(readonly value: string) {}
  toString(): string { return this.value }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[]

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] as string)
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return ''
  if (p instanceof Html) return p.value
  if (Array.isArray(p)) return p.map(render).join('')
  return escapeHtml(String(p))
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] as string
  for (let i = 0; i < values.length; i++) out += render(values[i] as Part) + (strings[i + 1] as string)
  return new Html(out)
}

/** Markup the code itself wrote (never user data). */
export function raw(s: string): Html { return new Html(s) }

/** Joins parts (e.g. a list of rows) into one Html. */
export function join(parts: readonly Part[], sep = ''): Html { return new Html(parts.map(render).join(sep)) }
