// The H3 criteria table from the outside review: one scored criterion whose rule is
// {"if":[{"or":[{"or":[b0…b98]}, … 19 chunks]},10,0]} — 1,901 json-logic nodes reading 1,880
// boolean facts — and the same shape repeated to fill a table (the 2 MB body limit).
export const CHUNKS = 19
export const PER_CHUNK = 99

/** The rule over facts `${prefix}0…`: 19 chunks of 99 facts, less the last 1 (1,880 in all). */
export function hostileRule(prefix = 'b', facts = 1880): unknown {
  const chunks: unknown[] = []
  for (let c = 0, k = 0; c < CHUNKS && k < facts; c++) {
    const vars: unknown[] = []
    for (let i = 0; i < PER_CHUNK && k < facts; i++, k++) vars.push({ var: `${prefix}${k}` })
    chunks.push({ or: vars })
  }
  return { if: [{ or: chunks }, 10, 0] }
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`

/** A criteria table (CSV, ";") of one group holding `criteria` hostile criteria of 10 points. */
export function hostileCsv(criteria = 1, facts = 1880): string {
  const lines = ['Mã;Thuộc;Tên;Loại;Điểm tối đa;Cách tính;Dữ kiện;Nguồn;Độ tin cậy']
  lines.push(`I;;Nhóm;nhóm;;${quote('levels(Mức 1: >=0; Mức 2: >=5)')};;Thử nghiệm;chưa xác nhận`)
  for (let c = 0; c < criteria; c++) {
    const prefix = `c${c}_b`
    const labels = Array.from({ length: facts }, (_, k) => `${prefix}${k}: có/không = Có ${k}`).join('; ')
    lines.push([`1.${c + 1}`, 'I', `Tiêu chí ${c + 1}`, 'tính điểm', '10', quote(JSON.stringify(hostileRule(prefix, facts))), quote(labels), 'Thử nghiệm', 'chưa xác nhận'].join(';'))
  }
  return `${lines.join('\n')}\n`
}

export const HOSTILE_META = {
  id: 'hostile-set', version: '1', title: 'Bộ tiêu chí thử tải',
  document: { issuer: 'Phòng GDĐT (thử)', number: '01/TT', date: '2024-08-05' }, appliesTo: ['THCS'],
}

/** The H3 set as a definition (as it would be stored if it had been imported before the limits). */
export function hostileDef(status: 'draft' | 'published' = 'draft'): Record<string, unknown> {
  const facts = Array.from({ length: 1880 }, (_, k) => ({ key: `b${k}`, type: 'boolean', label: `Có ${k}` }))
  const prov = { source: 'Thử nghiệm', confidence: 'unconfirmed' }
  return {
    formatVersion: 1, status, ...HOSTILE_META,
    facts: { define: facts },
    groups: [{
      code: 'I', title: 'Nhóm', maxPoints: 10,
      levelBands: { bands: [{ level: 1, name: 'Mức 1', lt: 5 }, { level: 2, name: 'Mức 2', gte: 5 }], provenance: prov },
      criteria: [{ code: '1.1', title: 'Tiêu chí 1', kind: 'scored', maxPoints: 10, rule: hostileRule(), provenance: prov }],
    }],
  }
}
