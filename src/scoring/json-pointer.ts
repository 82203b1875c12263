/** Escapes one JSON-pointer segment (RFC 6901): paths in error reports name keys exactly. */
export function pointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1')
}
