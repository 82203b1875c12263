// The admin's pages in a real browser: the units tree and a new unit, the QĐ 4725 set with the
// provenance of each criterion, a district model imported from its CSV table (the verifier's
// report, publish); and the keys pages without JavaScript. axe on every page reached.
import { readFileSync } from 'node:fs'
import t from 'tap'
import type { CriteriaSetDef, CriterionDef, Provenance } from '../../src/scoring/types.js'
import { consoleHarness, expectAccessible, newContext, signIn } from './support/browser.js'

const CSV = readFileSync(new URL('../../docs/examples/district-model.csv', import.meta.url), 'utf8')

t.test('admin: units, criteria browse and a district model import', async (t) => {
  const h = await consoleHarness(t, ['admin'])
  const ctx = await newContext(h)
  const page = await ctx.newPage()
  await signIn(page, 'admin')

  // ---- units ----
  await page.goto('/units')
  await expectAccessible(t, page, 'the units tree')
  const lb = page.locator('main li', { hasText: 'Quận Long Biên' }).first()
  t.match(await lb.locator('li').first().innerText(), 'LB-W1', 'LB-W1 is nested under LB')
  await page.getByLabel('Mã đơn vị', { exact: true }).fill('LB')
  await page.getByLabel('Tên đơn vị').fill('Trùng mã')
  await page.getByLabel('Từ năm học').fill('2024-2025')
  await page.getByRole('button', { name: 'Tạo đơn vị' }).click()
  await page.getByRole('alert').waitFor()
  t.match(await page.getByRole('alert').innerText(), 'Mã đơn vị này đã có', 'a taken code, in Vietnamese')
  await expectAccessible(t, page, 'the unit form with an error')
  await page.getByLabel('Mã đơn vị', { exact: true }).fill('LB-W2')
  await page.getByLabel('Tên đơn vị').fill('Phường Thượng Thanh')
  await page.getByLabel('Loại đơn vị').selectOption({ label: 'Phường' })
  await page.getByLabel('Mã đơn vị cấp trên').fill('LB')
  await page.getByLabel('Từ năm học').fill('2024-2025')
  await page.getByRole('button', { name: 'Tạo đơn vị' }).click()
  await page.waitForURL('**/units?notice=created')
  await expectAccessible(t, page, 'the units tree after creating a unit')
  t.match(await page.locator('main li', { hasText: 'Quận Long Biên' }).first().innerText(), 'LB-W2 — Phường Thượng Thanh')
  const made = h.json(await h.req(h.keys.admin, 'GET', '/v1/units/LB-W2'))
  t.match(made, { code: 'LB-W2', type: 'ward', parentCode: 'LB', fromYear: '2024-2025' })

  // ---- QĐ 4725 ----
  await page.goto('/criteria')
  await expectAccessible(t, page, 'the criteria sets')
  const def = h.app.services.scoring.catalog.find('moet-4725').def as CriteriaSetDef
  await page.getByRole('link', { name: def.title }).first().click()
  await page.waitForURL(`**/criteria/moet-4725/${def.version}`)
  await expectAccessible(t, page, 'the QĐ 4725 set')
  t.match(await page.locator('dl').first().innerText(), def.document.number)
  // Every provenance the page shows (criteria and level bands), and the unconfirmed among them.
  const all: Provenance[] = []
  const walk = (c: CriterionDef) => { if (c.levelBands) all.push(c.levelBands.provenance); all.push(c.provenance); c.children?.forEach(walk) }
  for (const g of def.groups) { if (g.levelBands) all.push(g.levelBands.provenance); g.criteria.forEach(walk) }
  t.equal(await page.locator('.provenance').count(), all.length, 'a provenance for each criterion and each set of level bands')
  const unconfirmed = all.filter((p) => p.confidence === 'unconfirmed').length
  t.ok(unconfirmed > 0, 'QĐ 4725 has unconfirmed items')
  t.equal(await page.locator('.provenance.unconfirmed').count(), unconfirmed, 'each unconfirmed one is marked')
  t.match(await page.locator('.provenance.unconfirmed').first().innerText(), 'Chưa xác nhận')

  // ---- a district model from its CSV table ----
  await page.goto('/criteria/import')
  await expectAccessible(t, page, 'the criteria import page')
  const fill = async (csv: string) => {
    await page.getByLabel('Mã đơn vị soạn').fill('LB')
    await page.getByLabel('Mã bộ tiêu chí').fill('lb-mo-hinh-vi-du')
    await page.getByLabel('Phiên bản').fill('2024-2025')
    await page.getByLabel('Tên bộ tiêu chí').fill('Bộ tiêu chí ví dụ của quận')
    await page.getByLabel('Cơ quan ban hành').fill('Phòng GDĐT quận Long Biên (ví dụ)')
    await page.getByLabel('Số văn bản').fill('01/VD-PGDĐT')
    await page.getByLabel('Ngày ban hành').fill('2024-08-05')
    await page.getByRole('checkbox', { name: 'TH', exact: true }).check()
    await page.getByRole('checkbox', { name: 'THCS', exact: true }).check()
    await page.getByLabel('Dán bảng CSV').fill(csv)
    await page.getByRole('button', { name: 'Nhập và kiểm tra' }).click()
  }
  const broken = 'Mã;Thuộc;Tên;Loại;Điểm tối đa;Cách tính;Nguồn\nI;;Nhóm một;nhóm;;;\n1.1;I;Tiêu chí;tính điểm;10;yes(;QĐ 01 mục 1\n1.2;X;Tiêu chí hai;tính điểm;5;yes(a);QĐ 01 mục 2\n'
  await fill(broken)
  await page.getByRole('alert').waitFor()
  const problems = await page.locator('main .task-list li').allInnerTexts()
  t.ok(problems.some((p) => p.startsWith('Dòng 3')), 'the bad rule on line 3 is listed')
  t.ok(problems.some((p) => p.startsWith('Dòng 4')), 'the unknown parent on line 4 is listed')
  await expectAccessible(t, page, 'the criteria import with table problems')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025')).statusCode, 404, 'nothing stored')

  // Converts, but the verifier finds rule 2.3 can give 15 of its 10 points.
  const above = CSV.replace('{""var"": ""online_admission""}]}, 10,', '{""var"": ""online_admission""}]}, 15,')
  t.not(above, CSV)
  await fill(above)
  await page.getByRole('heading', { name: /Đã lưu bản nháp/ }).waitFor()
  const report = await page.locator('main .task-list').innerText()
  t.match(report, 'Lỗi — tiêu chí 2.3', 'the verifier\'s error on 2.3')
  t.match(report, 'nhiều điểm hơn điểm tối đa')
  await expectAccessible(t, page, 'the verifier report with an error')
  await page.getByRole('link', { name: 'Xem bộ tiêu chí và công bố' }).click()
  t.ok(await page.getByRole('button', { name: 'Công bố' }).isDisabled(), 'publishing waits for the fix')
  await expectAccessible(t, page, 'a draft set with verifier errors')

  await page.goto('/criteria/import')
  await fill(CSV)
  await page.getByRole('heading', { name: /Đã lưu bản nháp/ }).waitFor()
  t.match(await page.locator('main').innerText(), /Bộ tiêu chí qua kiểm tra: không có lỗi|Kết quả kiểm tra: 0 lỗi/, 'the corrected table passes')
  t.equal((await h.req(h.keys.admin, 'GET', '/v1/authored-sets/lb-mo-hinh-vi-du/2024-2025').then((r) => h.json(r))).verification.errors, 0, 'as the API says')
  await expectAccessible(t, page, 'the verifier report after the fix')
  await page.getByRole('link', { name: 'Xem bộ tiêu chí và công bố' }).click()
  await page.getByRole('button', { name: 'Công bố' }).click()
  await page.waitForURL('**/criteria/lb-mo-hinh-vi-du/2024-2025?notice=published')
  await expectAccessible(t, page, 'a published district set')
  t.match(await page.locator('dl').first().innerText(), 'Đã công bố')
  const pub = h.json(await h.req(null, 'GET', '/v1/criteria-sets/lb-mo-hinh-vi-du'))
  t.equal(pub.version, '2024-2025', 'the published set is in the public catalog')
  await page.goto('/criteria')
  t.match(await page.getByRole('table', { name: /do các đơn vị/ }).innerText(), 'Đã công bố')
  await expectAccessible(t, page, 'the criteria sets with the district one')
  await ctx.close()
})

t.test('admin without JavaScript: keys and accounts', async (t) => {
  const h = await consoleHarness(t, ['admin', 'reviewerQN'])
  const ctx = await newContext(h, { javaScript: false })
  const page = await ctx.newPage()
  await signIn(page, 'admin')
  await page.goto('/keys')
  await expectAccessible(t, page, 'the keys list without JavaScript')
  await page.getByRole('link', { name: 'Thu hồi khóa Sở GDĐT Quảng Ninh' }).click()
  await expectAccessible(t, page, 'the revoke confirmation without JavaScript')
  await page.getByRole('button', { name: 'Thu hồi' }).click()
  await page.waitForURL('**/keys?notice=revoked_key')
  t.equal((await h.req(h.keys.reviewerQN, 'GET', '/v1/periods')).statusCode, 401, 'the key is revoked')
  t.notMatch(await page.locator('tbody tr', { hasText: 'Sở GDĐT Quảng Ninh' }).first().innerText(), 'Còn hiệu lực')
  await page.goto('/accounts')
  await expectAccessible(t, page, 'the accounts list without JavaScript')
  const row = page.locator('tbody tr', { hasText: 'so-qn' })
  await row.getByRole('button', { name: 'Gửi lại liên kết mời cho so-qn' }).click()
  const link = (await page.locator('#invitation-link').innerText()).trim()
  t.match(link, /\/invite\/[A-Za-z0-9_-]{20,}$/, 'a fresh invitation link for a forgotten password')
  await expectAccessible(t, page, 'the invitation page without JavaScript')
  await ctx.close()
})
