// Uploaded evidence lives outside any served path: the only way to its bytes is the documents
// route, which checks the key's scope and answers as an attachment. Every guess at the stored file
// (its sha256 path under the uploads dir, with or without a key, with dot segments) is a 404 that
// carries none of the file's bytes; the one static route is swagger-ui's own assets.
import { createHash } from 'node:crypto'
import t from 'tap'
import { multipart, PDF, routesFromTree } from '../http/route-table.js'
import { harness, startAssessment } from '../http/app.js'

t.test('the stored file is reachable only through the documents route', async (t) => {
  const h = await harness(t)
  const { id } = await startAssessment(h)
  const marker = Buffer.from(`%PDF-1.4\n% unique-${Math.random().toString(36).slice(2)}\n`)
  const pdf = Buffer.concat([marker, PDF.subarray(9)])
  const up = multipart('Biên bản', 'bien-ban.pdf', 'application/pdf', pdf)
  const res = await h.req(h.keys.schoolS1, 'POST', `/v1/assessments/${id}/documents/file`, up.body, up.headers)
  t.equal(res.statusCode, 201, 'uploaded')
  const doc = h.json(res) as { id: string; sha256: string }
  t.equal(doc.sha256, createHash('sha256').update(pdf).digest('hex'))

  const sha = doc.sha256
  const guesses = [
    `/${sha}`, `/${sha.slice(0, 2)}/${sha}`, `/uploads/${sha.slice(0, 2)}/${sha}`, `/data/uploads/${sha.slice(0, 2)}/${sha}`,
    `/v1/uploads/${sha}`, `/v1/documents/${sha}`, `/docs/static/../../uploads/${sha.slice(0, 2)}/${sha}`,
    `/docs/static/%2e%2e/%2e%2e/uploads/${sha.slice(0, 2)}/${sha}`, `/docs/static/${sha}`,
  ]
  for (const url of guesses) {
    for (const key of [null, h.keys.admin]) {
      const r = await h.req(key, 'GET', url)
      t.ok([400, 401, 404].includes(r.statusCode), `${key ? 'admin' : 'no key'} GET ${url} → ${r.statusCode}`)
      t.notOk(r.rawPayload.includes(marker), 'none of the file\'s bytes')
    }
  }

  // The one route that serves files from disk is swagger-ui's (its own assets).
  const wildcards = routesFromTree(h.app.printRoutes({ commonPrefix: false })).filter((r) => r.includes('*'))
  t.equal(wildcards.length, 1, 'one wildcard route')
  t.match(wildcards[0], /^GET \/docs\//, 'under /docs: swagger-ui\'s assets')

  // The documents route: the bytes, as an attachment that is never sniffed or rendered inline.
  const dl = await h.req(h.keys.schoolS1, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`)
  t.equal(dl.statusCode, 200)
  t.ok(dl.rawPayload.equals(pdf), 'the documents route returns the bytes')
  t.match(dl.headers['content-disposition'], /^attachment;/, 'as an attachment')
  t.equal(dl.headers['x-content-type-options'], 'nosniff')
  const other = await h.req(h.keys.schoolS2, 'GET', `/v1/assessments/${id}/documents/${doc.id}/content`)
  t.equal(other.statusCode, 404, 'another school: 404')
  t.notOk(other.rawPayload.includes(marker))
})
