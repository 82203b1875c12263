// Plain-text tables for the terminal. Strings are NFC, so one code point is one column.
export function width(s: string): number {
  return [...s].length
}

export function truncate(s: string, max: number): string {
  const chars = [...s]
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`
}

export function table(headers: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const line = (cells: string[]) => cells.map((c, i) => {
    const pad = ' '.repeat((widths[i] ?? 0) - width(c))
    return align[i] === 'r' ? pad + c : c + pad
  }).join('  ').trimEnd()
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}
