// cds import-criteria / publish-criteria: the file-based path for a district's own model (the API
// does the same in the database). CSV table → draft JSON file + the verifier's report → publish.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { criteriaFromCsv } from '../authoring/criteria-csv.js'
import { Catalog, readJson } from '../criteria/catalog.js'
import type { CriteriaSetDef } from '../scoring/types.js'
import { formatReport, totals } from '../verify/report.js'
import { verifyFile } from '../verify/verify.js'

export const AUTHORING_COMMANDS = ['import-criteria', 'publish-criteria'] as const
interface Io { out: (s: string) => void; err: (s: string) => void }

export const AUTHORING_USAGE = `
District criteria sets (docs/criteria-csv.md):
  cds import-criteria <table.csv> --id ID --version V --title "…" --issuer "…" --number "…"
        --date YYYY-MM-DD --applies-to TH,THCS [--school-year 2025-2026] [--out FILE]
                                             CSV table → draft criteria file + verifier report
  cds publish-criteria <file.json>           verify, then mark the draft published (immutable)
`

export function runAuthoringCommand(command: string, args: string[], io: Io): number {
  return command === 'import-criteria' ? importCriteria(args, io) : publishCriteria(args, io)
}

function importCriteria(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      id: { type: 'string' }, version: { type: 'string' }, title: { type: 'string' }, issuer: { type: 'string' }, number: { type: 'string' },
      date: { type: 'string' }, 'applies-to': { type: 'string' }, 'school-year': { type: 'string' }, description: { type: 'string' }, out: { type: 'string' },
    },
  })
  const [csvFile] = positionals
  const missing = ['id', 'version', 'title', 'issuer', 'number', 'date', 'applies-to'].filter((k) => !values[k as keyof typeof values])
  if (!csvFile || missing.length > 0) {
    io.err(`import-criteria needs a CSV file${missing.length ? ` and --${missing.join(', --')}` : ''}\n${AUTHORING_USAGE}`)
    return 2
  }
  const { def, problems } = criteriaFromCsv(readFileSync(csvFile, 'utf8'), {
    id: values.id as string, version: values.version as string, title: values.title as string,
    document: { issuer: values.issuer as string, number: values.number as string, date: values.date as string },
    appliesTo: (values['applies-to'] as string).split(',').map((s) => s.trim()).filter(Boolean),
    ...(values['school-year'] ? { schoolYear: values['school-year'] } : {}),
    ...(values.description ? { description: values.description } : {}),
  })
  if (!def) {
    io.err(`${csvFile}: ${problems.length} problem(s) in the table; nothing written`)
    for (const p of problems) {
      io.err(`  dòng (line) ${p.line}${p.column ? `, cột (column) ${p.column}` : ''} [${p.code}]: ${p.message}`)
      if (p.fix) io.err(`      → fix: ${p.fix}`)
    }
    return 1
  }
  const out = resolve(values.out ?? `${def.id}@${def.version}.json`)
  if (existsSync(out) && (readJson(out).json as { status?: string } | undefined)?.status === 'published') {
    io.err(`${out} is a published set and is never overwritten; import the correction as a new --version`)
    return 1
  }
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, `${JSON.stringify(def, null, 2)}\n`)
  io.out(`draft written: ${out}`)
  const reports = verifyFile(out, Catalog.load())
  io.out(formatReport(reports))
  return totals(reports).errors > 0 ? 1 : 0
}

function publishCriteria(args: string[], io: Io): number {
  const [file] = args
  if (!file) { io.err(`publish-criteria needs a criteria file\n${AUTHORING_USAGE}`); return 2 }
  const path = resolve(file)
  const reports = verifyFile(path, Catalog.load())
  io.out(formatReport(reports))
  if (totals(reports).errors > 0) { io.err('not published: fix the errors above first'); return 1 }
  const def = readJson(path).json as CriteriaSetDef
  if (def.status === 'published') { io.err(`${def.id}@${def.version} is already published; a correction is a new version`); return 1 }
  writeFileSync(path, `${JSON.stringify({ ...def, status: 'published' }, null, 2)}\n`)
  io.out(`published: ${def.id}@${def.version} (${path})`)
  return 0
}
