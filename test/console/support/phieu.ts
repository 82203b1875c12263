// Filling the phiếu in a browser, input by input, as a person types (the inputs' ids are fact-<key>).
import type { Page } from 'playwright-core'

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
