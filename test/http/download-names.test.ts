// Downloads are named by the server: the uploader's name cleaned (no bidi, format or control
// characters, no path separators or reserved characters, NFC, length-capped) plus the extension of
// the type the file was accepted as — never the uploader's extension. "Ke hoach CDS 2026\u202Efdp.hta"
// uploaded as a PDF downloaded as …\u202Efdp.hta (shown as "…ath.pdf", saved as .hta). And a
// .docx/.xlsx/.pptx must be an Office ZIP, not any ZIP.
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { crc32 } from 'node:zlib'
import t from 'tap'
import { contentDisposition, downloadName, MAX_STEM_CHARS } from '../../src/services/documents.js'
import { multipart, PDF } from './route-table.js'
import { harness, startAssessment, type Harness } from './app.js'

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation'

/** A ZIP of stored (uncompressed) entries: local headers, data, central directory, end record. */
function zip(entries: { name: string; data: string }[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const data = Buffer.from(e.data, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42)
    locals.push(local, name, data)
    centrals.push(central, name)
    offset += 30 + name.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}
const CONTENT_TYPES = { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' }
const RELS = { name: '_rels/.rels', data: '<?xml version="1.0"?><Relationships/>' }

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => relative(dir, join(d.parentPath, d.name))).sort()
}

async function upload(h: Harness, id: string, fileName: string, type: string, bytes: Buffer) {
  const up = multipart('Minh chứng', fileName, type, bytes)
  const res = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/file`, up.body, up.headers)
  return { status: res.statusCode, body: JSON.parse(res.body) }
}

t.test('the download name: a cleaned stem and the accepted type\'s extension', async (t) => {
  t.equal(downloadName('Ke hoach CDS 2026\u202Efdp.hta', 'application/pdf'), 'Ke hoach CDS 2026fdp.pdf', 'the bidi override goes, and .hta with it')
  t.equal(downloadName('minh-chung.pdf.bat', 'application/pdf'), 'minh-chung.pdf', 'a double extension ends in the accepted one')
  t.equal(downloadName('minh-chung.pdf.bat', 'image/png'), 'minh-chung.pdf.png', 'whatever the type, the last extension is the type\'s')
  t.equal(downloadName('anh.JPEG', 'image/jpeg'), 'anh.jpg')
  t.equal(downloadName('..\\..\\Windows/System32:evil.pdf', 'application/pdf'), '_.._Windows_System32_evil.pdf', 'no separators, no leading dots')
  t.equal(downloadName('Bao\u0000cao\u0007\u0085 \u200B\u2066nam\u2069\r\nhoc.docx', DOCX), 'Baocao namhoc.docx', 'C0, C1, zero-width and isolates removed; line breaks removed')
  t.equal(downloadName('Kế hoạch'.normalize('NFD') + '.pdf', 'application/pdf'), 'Kế hoạch.pdf'.normalize('NFC'), 'NFC')
  t.equal(downloadName('CON.pdf', 'application/pdf'), '_CON.pdf', 'a Windows device name is not a file name')
  t.equal(downloadName('\u202E.hta', 'application/pdf'), 'minh-chung.pdf', 'nothing left: a default stem')
  t.equal(downloadName(null, XLSX), 'minh-chung.xlsx')
  const long = downloadName('ả'.repeat(300) + '.pdf', 'application/pdf')
  t.equal([...long].length, MAX_STEM_CHARS + 4, `at most ${MAX_STEM_CHARS} characters before .pdf`)
  t.equal(downloadName('😀'.repeat(200), 'application/pdf'), '😀'.repeat(MAX_STEM_CHARS) + '.pdf', 'cut by code points, never inside a surrogate pair')

  t.equal(contentDisposition('Kế hoạch (bản 2).pdf'), `attachment; filename="Ke hoach (ban 2).pdf"; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%28b%E1%BA%A3n%202%29.pdf`)
  t.equal(contentDisposition('Đề án 100%.pdf'), `attachment; filename="De an 100_.pdf"; filename*=UTF-8''%C4%90%E1%BB%81%20%C3%A1n%20100%25.pdf`)
})

t.test('an upload named with a bidi override downloads under a safe name', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const up = await upload(h, id, 'Ke hoach CDS 2026\u202Efdp.hta', 'application/pdf', PDF)
  t.equal(up.status, 201)
  t.equal(up.body.fileName, 'Ke hoach CDS 2026fdp.pdf', 'stored and listed under the cleaned name')
  const dl = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${up.body.id}/content`)
  t.equal(dl.statusCode, 200)
  t.equal(dl.headers['content-disposition'], `attachment; filename="Ke hoach CDS 2026fdp.pdf"; filename*=UTF-8''Ke%20hoach%20CDS%202026fdp.pdf`)
  t.notMatch(dl.headers['content-disposition'], /%E2%80%AE|\u202E|hta/i, 'no override, no .hta')
  const bat = await upload(h, id, 'minh-chung.pdf.bat', 'application/pdf', Buffer.concat([PDF, Buffer.from('% 2\n')]))
  t.equal(bat.body.fileName, 'minh-chung.pdf')

  // A row stored before names were cleaned downloads under the cleaned name too.
  const store = h.app.services.ctx.store
  const old = await store.documents.create({
    id: 'old-doc', assessmentId: id, kind: 'file', title: 'cũ', url: null, fileName: 'Bao cao\u202Etxt.exe', mediaType: 'application/pdf',
    size: up.body.size, sha256: up.body.sha256, createdBy: 'test', createdAt: new Date('2025-04-15T03:00:00Z'),
  }, { actor: 'test', at: new Date('2025-04-15T03:00:00Z'), action: 'document.upload' })
  const oldDl = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${old.id}/content`)
  t.equal(oldDl.headers['content-disposition'], `attachment; filename="Bao caotxt.pdf"; filename*=UTF-8''Bao%20caotxt.pdf`)
  const listed = JSON.parse((await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents`)).body).items.find((d: any) => d.id === 'old-doc')
  t.equal(listed.fileName, 'Bao caotxt.pdf', 'listed under the cleaned name')
})

t.test('a .docx/.xlsx/.pptx must be an Office ZIP with its own part', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const docx = zip([CONTENT_TYPES, RELS, { name: 'word/document.xml', data: '<w:document/>' }])
  const ok = await upload(h, id, 'bao-cao.docx', DOCX, docx)
  t.equal(ok.status, 201, 'a Word document')
  t.equal(ok.body.fileName, 'bao-cao.docx')
  const { default: Excel } = await import('exceljs')
  const wb = new Excel.Workbook()
  wb.addWorksheet('Số liệu').addRow(['Mã trường', 'Tên trường'])
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer())
  t.equal((await upload(h, id, 'so-lieu.xlsx', XLSX, xlsx)).status, 201, 'a workbook exceljs wrote')
  const stored = filesIn(h.uploadsDir)

  const refused = async (what: string, bytes: Buffer, type: string, reason: RegExp) => {
    const r = await upload(h, id, 'x.docx', type, bytes)
    t.equal(r.status, 415, `${what}: 415`)
    t.equal(r.body.error?.code, 'NOT_AN_OFFICE_FILE', `${what}: NOT_AN_OFFICE_FILE`)
    t.equal(r.body.error?.path, '/file')
    t.match(r.body.error?.message, reason, `${what}: ${r.body.error?.message}`)
  }
  await refused('a plain ZIP', zip([{ name: 'readme.txt', data: 'xin chào' }]), DOCX, /\[Content_Types\]\.xml/)
  await refused('a workbook claimed as a Word document', xlsx, DOCX, /word\//)
  await refused('a Word document claimed as a presentation', docx, PPTX, /ppt\//)
  await refused('no central directory', docx.subarray(0, 60), DOCX, /central directory/)
  const damaged = Buffer.from(docx)
  damaged.writeUInt32LE(0x12345678, docx.length - 22 - (46 * 3 + 19 + 11 + 17)) // the first central entry's signature
  await refused('a damaged central directory', damaged, DOCX, /damaged/)
  t.same(filesIn(h.uploadsDir), stored, 'nothing refused was kept')
  const docs = JSON.parse((await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents`)).body).items
  t.equal(docs.length, 2, 'only the two real Office files')
})
