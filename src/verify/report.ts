// Verifier output a district officer can act on: file, criterion, what is wrong, how to fix it.
import { relative } from 'node:path'
import type { FileReport } from './verify.js'

const MARK = { error: '✗ lỗi (error)', warning: '! cảnh báo (warning)', acknowledged: '~ đã ghi nhận (acknowledged)' } as const

export interface Totals { files: number; errors: number; warnings: number; acknowledged: number }

export function totals(reports: FileReport[]): Totals {
  const all = reports.flatMap((r) => r.findings)
  return {
    files: new Set(reports.map((r) => r.file)).size,
    errors: all.filter((f) => f.severity === 'error').length,
    warnings: all.filter((f) => f.severity === 'warning').length,
    acknowledged: all.filter((f) => f.severity === 'acknowledged').length,
  }
}

export function formatReport(reports: FileReport[], cwd = process.cwd()): string {
  const lines: string[] = []
  for (const r of reports) {
    const file = relative(cwd, r.file) || r.file
    if (r.findings.length === 0) { lines.push(`✓ ${file}`); continue }
    const errors = r.findings.some((f) => f.severity === 'error')
    lines.push(`${errors ? '✗' : '✓'} ${file}`)
    for (const f of r.findings) {
      const where = [f.criterion ? `tiêu chí ${f.criterion}` : '', f.path ? `at ${f.path}` : ''].filter(Boolean).join(' ')
      lines.push(`    ${MARK[f.severity]} [${f.code}]${where ? ` ${where}` : ''}: ${f.message}`)
      if (f.fix) lines.push(`        → fix: ${f.fix}`)
    }
  }
  const t = totals(reports)
  lines.push('', `${t.files} file(s): ${t.errors} error(s), ${t.warnings} warning(s), ${t.acknowledged} acknowledged`)
  return lines.join('\n')
}
