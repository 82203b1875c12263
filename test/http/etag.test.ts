import t from 'tap'
import type { FastifyRequest } from 'fastify'
import { ifMatch } from '../../src/http/etag.js'
import { AppError } from '../../src/services/errors.js'

const req = (v?: string) => ({ headers: v === undefined ? {} : { 'if-match': v } }) as unknown as FastifyRequest
const code = (v?: string): string => { try { ifMatch(req(v)); return 'ok' } catch (e) { return (e as AppError).code } }

t.test('If-Match forms', async (t) => {
  t.equal(ifMatch(req('"3"')), 3)
  t.equal(ifMatch(req('W/"12"')), 12)
  t.equal(ifMatch(req('7')), 7)
  t.equal(ifMatch(req(' "0" ')), 0)
  t.equal(code(), 'PRECONDITION_REQUIRED')
  t.equal(code(''), 'PRECONDITION_REQUIRED')
  for (const bad of ['"2', '2"', '0004', '*', '"v3"', '"1", "2"', '1e3', '-1']) t.equal(code(bad), 'INVALID_IF_MATCH', bad)
})
