// An upload is checked again when it is inserted, after its file has been received: an upload that
// started while the assessment was a draft and finished after it was published was attached to the
// published assessment (201). Now: 409, no document row, no file left in the uploads dir. The same
// holds for the version a client sent in If-Match.
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { PassThrough } from 'node:stream'
import t from 'tap'
import { multipart, PDF } from './route-table.js'
import { act, exampleFacts, harness, startAssessment, type Harness } from './app.js'

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => relative(dir, join(d.parentPath, d.name))).sort()
}

/** Starts an upload whose body the test sends in two halves: the second only when told. */
function slowUpload(h: Harness, id: string, headers: Record<string, string> = {}) {
  const content = Buffer.concat([PDF, Buffer.from(`% ${'x'.repeat(200_000)}\n`)])
  const up = multipart('Biên bản họp', 'bien-ban.pdf', 'application/pdf', content)
  const body = new PassThrough()
  const half = Math.floor(up.body.length / 2)
  body.write(up.body.subarray(0, half))
  const response = h.app.inject({
    method: 'POST', url: `/v1/assessments/${id}/documents/file`,
    headers: { authorization: `Bearer ${h.keys.schoolS1}`, ...up.headers, ...headers }, payload: body,
  })
  return { response, finish: () => body.end(up.body.subarray(half)) }
}

/** Waits until the upload is being written to its temporary file (the early state check passed). */
async function receiving(h: Harness): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (filesIn(join(h.uploadsDir, 'tmp')).length > 0) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('the upload never started writing')
}

t.test('an upload started on a draft and finished after publication is refused at the insert', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { facts: exampleFacts('strong-thcs') }, { 'if-match': `"${version}"` })).statusCode, 200)
  const upload = slowUpload(h, id)
  await receiving(h)
  // Meanwhile: submitted, approved and published (công bố).
  t.equal((await act(h, h.keys.schoolS1, id, version + 1, 'submit')).statusCode, 200)
  t.equal((await act(h, h.keys.reviewerLB, id, version + 2, 'approve')).statusCode, 200)
  t.equal((await act(h, h.keys.reviewerLB, id, version + 3, 'publish')).statusCode, 200)
  upload.finish()
  const res = await upload.response
  t.equal(res.statusCode, 409, 'refused once the file has arrived')
  t.equal(JSON.parse(res.body).error.code, 'NOT_EDITABLE')
  t.match(JSON.parse(res.body).error.details, { state: 'published' })
  const docs = JSON.parse((await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/documents`)).body)
  t.same(docs.items, [], 'no document row')
  t.same(filesIn(h.uploadsDir), [], 'no file left in the uploads dir')
  const a = JSON.parse((await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}`)).body)
  t.same([a.state, a.version], ['published', version + 4], 'the published assessment is as it was published')
})

t.test('with If-Match, an upload lands only if the assessment is still at that version', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  const upload = slowUpload(h, id, { 'if-match': `"${version}"` })
  await receiving(h)
  t.equal((await h.req(h.keys.schoolS1, 'PATCH', `/v1/assessments/${id}/evidence`, { description: 'đổi trong lúc tải lên' }, { 'if-match': `"${version}"` })).statusCode, 200)
  upload.finish()
  const res = await upload.response
  t.equal(res.statusCode, 412)
  t.match(JSON.parse(res.body).error, { code: 'VERSION_MISMATCH', details: { currentVersion: version + 1 } })
  t.equal(res.headers.etag, `"${version + 1}"`)
  t.same(JSON.parse((await h.req(h.keys.admin, 'GET', `/v1/assessments/${id}/documents`)).body).items, [], 'no document row')
  t.same(filesIn(h.uploadsDir), [], 'no file left in the uploads dir')

  // At the current version it lands, and the same content uploaded again is one file on disk.
  const ok = slowUpload(h, id, { 'if-match': `"${version + 1}"` })
  ok.finish()
  const done = await ok.response
  t.equal(done.statusCode, 201)
  t.equal(done.headers.etag, `"${version + 1}"`, 'the ETag of the assessment it was added to')
  t.equal(filesIn(h.uploadsDir).length, 1)
})

t.test('a refused upload keeps a file another document holds', async (t) => {
  const h = await harness(t)
  const { id, version } = await startAssessment(h)
  const first = slowUpload(h, id)
  first.finish()
  t.equal((await first.response).statusCode, 201)
  const stored = filesIn(h.uploadsDir)
  t.equal(stored.length, 1)
  const again = slowUpload(h, id, { 'if-match': `"${version + 5}"` })
  again.finish()
  t.equal((await again.response).statusCode, 412)
  t.same(filesIn(h.uploadsDir), stored, 'the first document\'s file is still there')
})
