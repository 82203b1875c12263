// Where each CSV record starts, for error reports a spreadsheet user can find.

/**
 * Start lines of records from csv-parse's byte offsets. csv-parse's own `info.lines` is the line a
 * record ends on, and counts a CRLF inside a quoted cell twice; byte offsets are exact.
 */
export class LineCounter {
  private readonly buf: Buffer
  private pos = 0
  private breaks = 0

  constructor(text: string) { this.buf = Buffer.from(text, 'utf8') }

  startLine(endByte: number, cells: string[]): number {
    let end = endByte
    // The record's own line break is not inside the record.
    if (this.buf[end - 1] === 0x0a) end--
    if (this.buf[end - 1] === 0x0d) end--
    this.advance(end)
    const inside = cells.reduce((n, c) => n + (c.match(/\r\n|\n|\r/g)?.length ?? 0), 0)
    return this.breaks + 1 - inside
  }

  private advance(to: number): void {
    for (; this.pos < to; this.pos++) {
      const b = this.buf[this.pos]
      if (b === 0x0a) this.breaks++
      else if (b === 0x0d && this.buf[this.pos + 1] !== 0x0a) this.breaks++
    }
  }
}
