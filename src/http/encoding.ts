// Content coding for large answers that are made once and sent many times (the unit summary): the
// gzip bytes are made once too, and sent to clients that accept them (every browser does).
import { gzipSync } from 'node:zlib'

/** Whether an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3: a q of 0 refuses, "*" stands
 *  for any coding not listed). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false
  let gzip: number | undefined
  let any: number | undefined
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [raw = '', ...params] = part.toLowerCase().split(';')
    const coding = raw.trim()
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean)
    const weight = q ? Number(q[1]) : 1
    if (coding === 'gzip' || coding === 'x-gzip') gzip = weight
    else if (coding === '*') any = weight
  }
  return (gzip ?? any ?? 0) > 0
}

export interface Encoded { identity: Buffer; gzip: Buffer | null }

/** The answer's bytes and, made on first demand, their gzip. */
export function encoded(json: string): Encoded {
  return { identity: Buffer.from(json), gzip: null }
}

export function gzipOf(e: Encoded): Buffer {
  if (e.gzip === null) e.gzip = gzipSync(e.identity, { level: 6 })
  return e.gzip
}
