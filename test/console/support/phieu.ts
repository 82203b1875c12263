// Filling the phiếu in a browser, input by input, as a person types (the inputs' ids are fact-<key>).
import type { Page } from 'playwright-core'
import { act, exampleFacts, startAssessment } from '../../http/app.js'
import type { ConsoleHarness } from './browser.js'

/** Types a fact's value into its input: radios for yes/no, title and link for a document, a
 *  comma for a decimal point. */
export async function fillFact(page: Page, key: string, v: unknown): Promise<void> {
  const id = `#fact-${key}`
  if (typeof v === 'boolean') await page.locator(`${id}-${v ? 'yes' : 'no'}`).check()
  else if (typeof v === 'object' && v !== null) {
    const d = v as { title: string; url: string }
    await page.locator(`${id}-title`).fill(d.title)
    await page.locator(`${id}-url`).fill(d.url)
  } else if (key === 'lms_acquisition') await page.locator(id).selectOption(String(v))
  else await page.locator(id).fill(typeof v === 'number' ? String(v).replace('.', ',') : String(v))
}

export async function fillAll(page: Page, facts: Record<string, unknown>): Promise<void> {
  for (const [k, v] of Object.entries(facts)) await fillFact(page, k, v)
}

/** A school's assessment submitted through the API with one of criteria/moet-4725/examples' facts
 *  (the state a reviewer's test starts from). */
export async function submittedViaApi(h: ConsoleHarness, key: string, school: string, example: string): Promise<{ id: string; version: number }> {
  const a = await startAssessment(h, key, school)
  const saved = await h.req(key, 'PATCH', `/v1/assessments/${a.id}/evidence`, { facts: exampleFacts(example) }, { 'if-match': `"${a.version}"` })
  if (saved.statusCode !== 200) throw new Error(`evidence: ${saved.statusCode} ${saved.body}`)
  const res = await act(h, key, a.id, h.json(saved).version, 'submit')
  if (res.statusCode !== 200) throw new Error(`submit: ${res.statusCode} ${res.body}`)
  return { id: a.id, version: h.json(res).version }
}
