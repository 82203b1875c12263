// Shared pieces of the management pages (schools, periods, criteria, units, accounts, keys): form
// fields that show their own error, the pager, and a plain confirmation page.
import { html, type Html } from '../html.js'
import { layout, type FieldError, type SessionView } from './layout.js'

export type Errors = FieldError[]
export const errOf = (errors: Errors, id: string): FieldError | undefined => errors.find((e) => e.field === id)

function describedBy(id: string, hint: string | undefined, err: FieldError | undefined): Html {
  const ids = [hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ')
  return ids ? html` aria-describedby="${ids}"` : html``
}

function fieldTop(id: string, label: string, hint: string | undefined, err: FieldError | undefined): Html {
  return html`<label for="${id}">${label}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
    ${err ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">Lỗi:</span> ${err.text}</p>` : ''}`
}

export interface FieldOpts { id: string; name?: string; label: string; value?: string; hint?: string; errors: Errors; type?: string; required?: boolean; attrs?: Html }

export function textField(o: FieldOpts): Html {
  const err = errOf(o.errors, o.id)
  return html`<div class="field${err ? ' has-error' : ''}">
    ${fieldTop(o.id, o.label, o.hint, err)}
    <input type="${o.type ?? 'text'}" id="${o.id}" name="${o.name ?? o.id}" value="${o.value ?? ''}"${describedBy(o.id, o.hint, err)}${o.required ? html` required` : ''}${o.attrs ?? ''}>
  </div>`
}

export function textareaField(o: FieldOpts & { rows?: number }): Html {
  const err = errOf(o.errors, o.id)
  return html`<div class="field${err ? ' has-error' : ''}">
    ${fieldTop(o.id, o.label, o.hint, err)}
    <textarea id="${o.id}" name="${o.name ?? o.id}" rows="${o.rows ?? 8}" spellcheck="false"${describedBy(o.id, o.hint, err)}>${o.value ?? ''}</textarea>
  </div>`
}

export function selectField(o: FieldOpts & { options: [string, string][] }): Html {
  const err = errOf(o.errors, o.id)
  return html`<div class="field${err ? ' has-error' : ''}">
    ${fieldTop(o.id, o.label, o.hint, err)}
    <select id="${o.id}" name="${o.name ?? o.id}"${describedBy(o.id, o.hint, err)}>
      ${o.options.map(([v, l]) => html`<option value="${v}"${v === (o.value ?? '') ? html` selected` : ''}>${l}</option>`)}
    </select>
  </div>`
}

/** "Trang trước" / "Trang sau" links (page numbers from 1). */
export function pager(page: number, hasNext: boolean, hrefOf: (page: number) => string): Html {
  if (page <= 1 && !hasNext) return html``
  return html`<nav class="actions" aria-label="Phân trang">
    ${page > 1 ? html`<a href="${hrefOf(page - 1)}" rel="prev">Trang trước</a>` : ''}
    <span>Trang ${page}</span>
    ${hasNext ? html`<a href="${hrefOf(page + 1)}" rel="next">Trang sau</a>` : ''}
  </nav>`
}

export const csrfField = (s: SessionView): Html => html`<input type="hidden" name="_csrf" value="${s.csrf}">`

/** A page asking to confirm a step that cannot be undone; the button posts to `action`. */
export function confirmPage(m: { session: SessionView; nav: string; title: string; text: Html | string; action: string; button: string; back: string; crumbs?: [string, string | null][] }): Html {
  return layout({
    title: m.title, session: m.session, nav: m.nav, crumbs: m.crumbs,
    body: html`<h1>${m.title}</h1>
<div class="warning-box"><p>${m.text}</p></div>
<form method="post" action="${m.action}">
  ${csrfField(m.session)}
  <div class="actions"><button type="submit" class="warning">${m.button}</button> <a href="${m.back}">Hủy, quay lại</a></div>
</form>`,
  })
}
