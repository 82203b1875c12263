// Evidence documents (minh chứng): links, uploaded files (multipart built by hand here), download,
// the type and size checks, and document facts that cite an uploaded file by its id.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { act, exampleFacts, harness, startAssessment, type Harness } from './app.js'

// ---- fixtures ----

/** A small but real one-page PDF, with a correct xref table and a binary comment line. */
function tinyPdf(text = 'Minh chung chuyen doi so'): Buffer {
  const content = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1'), Buffer.from([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a])]
  const offsets: number[] = []
  let size = parts.reduce((n, b) => n + b.length, 0)
  objects.forEach((body, i) => {
    offsets.push(size)
    const b = Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1')
    parts.push(b)
    size += b.length
  })
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('')
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`, 'latin1'))
  return Buffer.concat(parts)
}

/** A PDF of exactly `n` bytes (padded with a comment before %%EOF). */
function pdfOfSize(n: number): Buffer {
  const base = tinyPdf()
  if (base.length > n) throw new Error(`the base PDF is already ${base.length} bytes`)
  const cut = base.lastIndexOf('%%EOF')
  const padding = Buffer.alloc(n - base.length, 0x20)
  padding[0] = 0x25 // "%": a comment line
  if (padding.length > 1) padding[padding.length - 1] = 0x0a
  return Buffer.concat([base.subarray(0, cut), padding, base.subarray(cut)])
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)])
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(120, 1)])
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

interface Part { name: string; value: string | Buffer; filename?: string; contentType?: string }

/** multipart/form-data by hand: each part with its headers, CRLF line ends, the closing delimiter. */
function multipart(parts: Part[], boundary = '----cdsTestBoundary7MA4YWxkTrZu0gW'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = []
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`
    if (p.filename !== undefined) head += `; filename="${p.filename}"`
    head += '\r\n'
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), typeof p.value === 'string' ? Buffer.from(p.value, 'utf8') : p.value, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

function upload(h: Harness, id: string, file: { bytes: Buffer; filename: string; type: string; title?: string }, key = h.keys.schoolS1): Promise<LightMyRequestResponse> {
  const { body, contentType } = multipart([
    ...(file.title === undefined ? [] : [{ name: 'title', value: file.title }]),
    { name: 'file', value: file.bytes, filename: file.filename, contentType: file.type },
  ])
  return h.req(key, 'POST', `/v1/assessments/${id}/documents/file`, body, { 'content-type': contentType })
}

async function listDocs(h: Harness, id: string, key = h.keys.schoolS1): Promise<any[]> {
  const res = await h.req(key, 'GET', `/v1/assessments/${id}/documents`)
  if (res.statusCode !== 200) throw new Error(`GET documents: status ${res.statusCode}`)
  return h.json(res).items
}

/** Every file below the uploads dir (relative paths); empty directories do not count. */
function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort()
}

function expectError(t: Test, res: LightMyRequestResponse, status: number, code: string, path?: string): any {
  t.equal(res.statusCode, status, `status ${status} (${code})`)
  const body = JSON.parse(res.body)
  t.same(Object.keys(body), ['error'], 'only an "error" member')
  t.equal(body.error?.code, code)
  t.type(body.error?.message, 'string')
  if (path !== undefined) t.equal(body.error?.path, path, `path ${path}`)
  return body.error
}

/** A document fact of the core vocabulary that the QĐ 4725 set reads. */
function documentFactOf4725(): string {
  const core = JSON.parse(readFileSync(new URL('../../criteria/facts/core.json', import.meta.url), 'utf8')) as { facts: { key: string; type: string }[] }
  const set = JSON.parse(readFileSync(new URL('../../criteria/moet-4725/2022-12-30.json', import.meta.url), 'utf8')) as { facts: { use: string[] } }
  const docs = core.facts.filter((f) => f.type === 'document' && set.facts.use.includes(f.key)).map((f) => f.key)
  if (!docs.includes('online_teaching_regulation_document')) throw new Error(`expected online_teaching_regulation_document among ${docs.join(', ')}`)
  return 'online_teaching_regulation_document'
}
const DOC_FACT = documentFactOf4725()

// ---- links ----

t.test('a link is added and listed', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const res = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Kế hoạch chuyển đổi số'.normalize('NFD'), url: 'https://thcs-ngoc-thuy.edu.vn/vb/kh-cds.pdf' })
  t.equal(res.statusCode, 201)
  const doc = h.json(res)
  t.match(doc, { kind: 'link', title: 'Kế hoạch chuyển đổi số'.normalize('NFC'), url: 'https://thcs-ngoc-thuy.edu.vn/vb/kh-cds.pdf', fileName: null, mediaType: null, size: null, sha256: null })
  t.type(doc.id, 'string')
  t.type(doc.createdBy, 'string')
  t.equal(doc.createdAt, h.clock.now.toISOString(), 'stamped with the service clock')
  t.same(await listDocs(h, id), [doc])
  t.same(h.json(await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}`)).documents, [doc], 'shown with the assessment')

  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'x', url: 'ftp://example.org/a.pdf' }), 400, 'INVALID_FORMAT', '/url')
  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'x', url: 'javascript:alert(1)' }), 400, 'INVALID_FORMAT', '/url')
  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { url: 'https://example.org' }), 400, 'REQUIRED', '/title')
  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'x', url: 'https://example.org', kind: 'file' }), 400, 'UNKNOWN_FIELD', '/kind')
  expectError(t, await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`), 409, 'NOT_A_FILE')
  t.equal((await listDocs(h, id)).length, 1, 'the refused links were not added')
})

// ---- uploads ----

t.test('a PDF is stored, listed with size and sha256, and downloads byte-identical', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const pdf = tinyPdf()
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  const res = await upload(h, id, { bytes: pdf, filename: 'ke-hoach-cds.pdf', type: 'application/pdf', title: 'Kế hoạch chuyển đổi số năm học 2024-2025' })
  t.equal(res.statusCode, 201)
  const doc = h.json(res)
  t.match(doc, {
    kind: 'file', title: 'Kế hoạch chuyển đổi số năm học 2024-2025', url: null, fileName: 'ke-hoach-cds.pdf',
    mediaType: 'application/pdf', size: pdf.length, sha256: sha256(pdf),
  })
  t.same(await listDocs(h, id), [doc], 'listed with its size and sha256')

  const onDisk = join(h.uploadsDir, doc.sha256.slice(0, 2), doc.sha256)
  t.ok(existsSync(onDisk), 'stored under its sha256')
  t.ok(readFileSync(onDisk).equals(pdf), 'the stored bytes are the uploaded bytes')

  const dl = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`)
  t.equal(dl.statusCode, 200)
  t.equal(dl.headers['content-type'], 'application/pdf')
  t.equal(Number(dl.headers['content-length']), pdf.length)
  t.equal(dl.headers['x-content-sha256'], sha256(pdf))
  t.equal(dl.headers['content-disposition'], `attachment; filename="ke-hoach-cds.pdf"; filename*=UTF-8''ke-hoach-cds.pdf`)
  t.ok(dl.rawPayload.equals(pdf), 'downloaded byte for byte')
  t.equal(sha256(dl.rawPayload), doc.sha256)

  const reviewer = await h.req(h.keys.reviewerLB, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`)
  t.equal(reviewer.statusCode, 200, 'the school\'s reviewer downloads it too')
  t.ok(reviewer.rawPayload.equals(pdf))
})

t.test('without a title the file name is the title; a Vietnamese file name survives', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const name = 'Quy chế dạy học trực tuyến.pdf'
  const res = await upload(h, id, { bytes: tinyPdf('Quy che'), filename: name, type: 'application/pdf' })
  t.equal(res.statusCode, 201)
  const doc = h.json(res)
  t.equal(doc.fileName, name.normalize('NFC'))
  t.equal(doc.title, name.normalize('NFC'))
  const dl = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`)
  // The ASCII fallback drops the diacritics (for old clients); filename*= keeps the Vietnamese name.
  t.equal(dl.headers['content-disposition'], `attachment; filename="Quy che day hoc truc tuyen.pdf"; filename*=UTF-8''${encodeURIComponent(name.normalize('NFC'))}`)
})

t.test('other accepted types and the same file twice', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const png = await upload(h, id, { bytes: PNG, filename: 'anh-phong-hoc.png', type: 'image/png', title: 'Ảnh phòng học' })
  t.equal(png.statusCode, 201)
  t.equal(h.json(png).mediaType, 'image/png')
  const pdf = tinyPdf()
  const a = h.json(await upload(h, id, { bytes: pdf, filename: 'a.pdf', type: 'application/pdf', title: 'Bản A' }))
  const b = h.json(await upload(h, id, { bytes: pdf, filename: 'b.pdf', type: 'application/pdf', title: 'Bản B' }))
  t.not(a.id, b.id, 'two documents')
  t.equal(a.sha256, b.sha256)
  t.same(filesIn(h.uploadsDir), [sha256(PNG), sha256(pdf)].map((s) => join(s.slice(0, 2), s)).sort(), 'one copy on disk per content')
  const dl = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${b.id}/content`)
  t.ok(dl.rawPayload.equals(pdf))
  t.equal(dl.headers['content-type'], 'application/pdf')
  t.equal((await listDocs(h, id)).length, 3)
})

t.test('bytes that do not match the declared type are 400 CONTENT_MISMATCH', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const e = expectError(t, await upload(h, id, { bytes: EXE, filename: 'ke-hoach.pdf', type: 'application/pdf', title: 'Kế hoạch' }), 400, 'CONTENT_MISMATCH', '/file')
  t.match(e.message, /application\/pdf/)
  expectError(t, await upload(h, id, { bytes: tinyPdf(), filename: 'anh.png', type: 'image/png', title: 'Ảnh' }), 400, 'CONTENT_MISMATCH', '/file')
  expectError(t, await upload(h, id, { bytes: Buffer.alloc(0), filename: 'rong.pdf', type: 'application/pdf', title: 'Rỗng' }), 400, 'CONTENT_MISMATCH', '/file')
  t.same(await listDocs(h, id), [], 'no document row')
})

// A refused file must not stay on disk: it belongs to no document, and it may be exactly the kind
// of file (a renamed executable) the check exists to keep out.
t.test('a refused mismatching file is not left in the uploads dir', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  expectError(t, await upload(h, id, { bytes: EXE, filename: 'ke-hoach.pdf', type: 'application/pdf', title: 'Kế hoạch' }), 400, 'CONTENT_MISMATCH', '/file')
  t.same(filesIn(h.uploadsDir), [], 'no file left behind')
})

t.test('a type that is not accepted is 415', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const e = expectError(t, await upload(h, id, { bytes: Buffer.from('Biên bản họp hội đồng\n'), filename: 'bien-ban.txt', type: 'text/plain', title: 'Biên bản' }), 415, 'UNSUPPORTED_MEDIA_TYPE', '/file')
  t.match(e.message, /text\/plain/)
  expectError(t, await upload(h, id, { bytes: EXE, filename: 'setup.exe', type: 'application/x-msdownload', title: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE', '/file')
  t.same(await listDocs(h, id), [])
  t.same(filesIn(h.uploadsDir), [])
})

t.test('a file over the limit is 413 FILE_TOO_LARGE and leaves nothing behind', async (t) => {
  const h = await harness(t, { maxUploadBytes: 1024 })
  const { id } = await startAssessment(h)
  const big = pdfOfSize(4000)
  t.equal(big.length, 4000)
  expectError(t, await upload(h, id, { bytes: big, filename: 'lon.pdf', type: 'application/pdf', title: 'Tệp lớn' }), 413, 'FILE_TOO_LARGE', '/file')
  expectError(t, await upload(h, id, { bytes: pdfOfSize(1025), filename: 'lon.pdf', type: 'application/pdf', title: 'Tệp lớn' }), 413, 'FILE_TOO_LARGE', '/file')
  t.same(await listDocs(h, id), [], 'no document row')
  t.same(filesIn(h.uploadsDir), [], 'no file left behind (an empty tmp/ dir is fine)')

  const exact = pdfOfSize(1024)
  const ok = await upload(h, id, { bytes: exact, filename: 'vua.pdf', type: 'application/pdf', title: 'Vừa đủ' })
  t.equal(ok.statusCode, 201, 'a file of exactly the limit is accepted, and the service still takes uploads')
  t.equal(h.json(ok).size, 1024)
  t.same(filesIn(h.uploadsDir), [join(sha256(exact).slice(0, 2), sha256(exact))])
})

t.test('the upload route wants a multipart form with a file', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/file`, { title: 'x' }), 415, 'NOT_MULTIPART', '/file')
  const onlyTitle = multipart([{ name: 'title', value: 'Chỉ có tiêu đề' }])
  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/file`, onlyTitle.body, { 'content-type': onlyTitle.contentType }), 400, 'REQUIRED', '/file')
  t.same(await listDocs(h, id), [])
})

// ---- who may add and read ----

t.test('documents follow the assessment\'s access rules and state', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  const link = { title: 'Kế hoạch', url: 'https://example.edu.vn/kh.pdf' }
  const doc = h.json(await upload(h, id, { bytes: tinyPdf(), filename: 'kh.pdf', type: 'application/pdf', title: 'Kế hoạch' }))

  expectError(t, await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${id}/documents`), 404, 'NOT_FOUND')
  expectError(t, await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`), 404, 'NOT_FOUND')
  expectError(t, await h.req(h.keys.schoolS2, 'POST', `/v1/assessments/${id}/documents/link`, link), 404, 'NOT_FOUND')
  expectError(t, await upload(h, id, { bytes: tinyPdf(), filename: 'x.pdf', type: 'application/pdf', title: 'x' }, h.keys.schoolS2), 404, 'NOT_FOUND')
  expectError(t, await h.req(h.keys.reviewerQN, 'GET', `/v1/assessments/${id}/documents`), 404, 'NOT_FOUND')
  expectError(t, await h.req(null, 'GET', `/v1/assessments/${id}/documents`), 401, 'UNAUTHENTICATED')
  expectError(t, await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/no-such-doc/content`), 404, 'NOT_FOUND', '/docId')
  expectError(t, await h.req(h.keys.reviewerLB, 'POST', `/v1/assessments/${id}/documents/link`, link), 409, 'NOT_EDITABLE')

  // A document of another assessment is not reachable through this one.
  const other = await startAssessment(h, h.keys.schoolS2, 'S2')
  expectError(t, await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${other.id}/documents/${doc.id}/content`), 404, 'NOT_FOUND', '/docId')

  // Once submitted the school can no longer add documents; its reviewer can.
  const saved = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })
  t.equal(saved.statusCode, 200)
  t.equal((await act(h, h.keys.schoolS1, id, version + 1, 'submit')).statusCode, 200)
  expectError(t, await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, link), 409, 'NOT_EDITABLE')
  expectError(t, await upload(h, id, { bytes: tinyPdf(), filename: 'x.pdf', type: 'application/pdf', title: 'x' }), 409, 'NOT_EDITABLE')
  t.equal((await h.req(h.keys.reviewerLB, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Biên bản kiểm tra', url: 'https://pgd.example.vn/bb.pdf' })).statusCode, 201)
  t.equal((await listDocs(h, id)).length, 2)
})

// ---- document facts citing uploads ----

t.test(`a document fact (${DOC_FACT}) cites an uploaded document by id`, async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  const doc = h.json(await upload(h, id, { bytes: tinyPdf('Quy che'), filename: 'quy-che.pdf', type: 'application/pdf', title: 'Quy chế dạy học trực tuyến' }))
  const fact = { title: 'Quy chế tổ chức dạy học trực tuyến', ref: doc.id }
  const res = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { [DOC_FACT]: fact } }, { 'if-match': `"${version}"` })
  t.equal(res.statusCode, 200)
  t.same(h.json(res).facts[DOC_FACT], fact, 'stored as sent')
  t.equal(res.headers.etag, `"${version + 1}"`)

  const stale = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { [DOC_FACT]: { title: 'x', ref: 'no-such-document' } } }, { 'if-match': `"${version + 1}"` })
  expectError(t, stale, 400, 'UNKNOWN_DOCUMENT', `/facts/${DOC_FACT}/ref`)
  t.match(h.json(stale).error.message, /no-such-document/)

  const other = await startAssessment(h, h.keys.schoolS2, 'S2')
  const foreign = h.json(await upload(h, other.id, { bytes: tinyPdf('S2'), filename: 's2.pdf', type: 'application/pdf', title: 'Của S2' }, h.keys.schoolS2))
  expectError(t, await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { [DOC_FACT]: { title: 'x', ref: foreign.id } } }, { 'if-match': `"${version + 1}"` }),
    400, 'UNKNOWN_DOCUMENT', `/facts/${DOC_FACT}/ref`)

  const after = h.json(await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}`))
  t.equal(after.version, version + 1, 'the refused saves changed nothing')
  t.same(after.facts[DOC_FACT], fact)

  const link = h.json(await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/link`, { title: 'Quy chế (trang web)', url: 'https://example.edu.vn/qc' }))
  const byLink = await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: { [DOC_FACT]: { title: 'Quy chế', ref: link.id } } }, { 'if-match': `"${version + 1}"` })
  t.equal(byLink.statusCode, 200, 'a link document can be cited by id too')
})
