// cds — command line for criteria sets:
//   cds score <set>[@version]|<set.json> <evidence.json> [--json] [--engine compiled|json-logic-js]
//   cds verify [files…]     cds schema <set>[@version]     cds list
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Catalog, CatalogLookupError, readJson } from '../criteria/catalog.js'
import { scoreWithReferences } from '../criteria/score-bundle.js'
import { CriteriaSetError } from '../scoring/compile-set.js'
import { EvidenceError } from '../scoring/evidence.js'
import type { Backend } from '../scoring/rules/compile.js'
import { formatReport, totals } from '../verify/report.js'
import { verifyCatalog, verifyFile } from '../verify/verify.js'
import { renderScore } from './score-view.js'
import { AUTHORING_COMMANDS, AUTHORING_USAGE, runAuthoringCommand } from './criteria-commands.js'
import { runServiceCommand, SERVICE_COMMANDS } from './service-commands.js'
import { table, truncate } from './table.js'

const USAGE = `cds — đánh giá mức độ chuyển đổi số (QĐ 4725 and district criteria sets)

Usage:
  cds list                                   criteria sets and vocabularies in criteria/
  cds score <set>[@version] <evidence.json>  score a school's evidence (table with hints)
        [--json] [--engine compiled|json-logic-js]
        <set> may also be the path of a criteria file (e.g. a district's own draft)
  cds schema <set>[@version]                 the evidence JSON Schema of a set
  cds verify [files…]                        check criteria files (default: all of criteria/)

Service database (DATA_DIR / DB_FILE, as the server uses them):
  cds migrate                                apply pending migrations
  cds create-key --role admin --label "…"    issue an API key (admin bootstrap); also
        --role reviewer --unit CODE | --role school --school CODE
  cds create-user --username U --role admin  a console account (sign in at /login); the password
        is read from standard input; --role reviewer --unit CODE | --role school --school CODE;
        --name "Họ tên"
  cds seed-demo                              a demo province with schools and assessments
  cds backup <file> [--force]                a consistent copy of the database, safe while the
        server runs; never overwrites <file> without --force (restore: README, "Storage")
${AUTHORING_USAGE}`

export class UsageError extends Error {}

interface Io { out: (s: string) => void; err: (s: string) => void }

export function run(argv: string[], io: Io = { out: (s) => console.log(s), err: (s) => console.error(s) }): number | Promise<number> {
  const [first, ...restArgs] = argv
  if (first && (SERVICE_COMMANDS as readonly string[]).includes(first)) return runServiceCommand(first, restArgs, io)
  if (first && (AUTHORING_COMMANDS as readonly string[]).includes(first)) return runAuthoringCommand(first, restArgs, io)
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, engine: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  const [command, ...rest] = positionals
  if (values.help || !command) { io.out(USAGE); return command || values.help ? 0 : 2 }
  try {
    switch (command) {
      case 'list': return list(io)
      case 'score': return scoreCommand(rest, values, io)
      case 'schema': return schema(rest, io)
      case 'verify': return verify(rest, io)
      default: throw new UsageError(`unknown command "${command}"`)
    }
  } catch (e) {
    if (e instanceof UsageError) { io.err(`${e.message}\n\n${USAGE}`); return 2 }
    if (e instanceof EvidenceError) {
      io.err('Minh chứng không hợp lệ (invalid evidence):')
      for (const i of e.issues) io.err(`  ${i.path || '/'} [${i.code}]: ${i.message}`)
      return 1
    }
    if (e instanceof CriteriaSetError) {
      io.err(formatReport([{ file: e.setId, findings: e.findings }]))
      return 1
    }
    if (e instanceof CatalogLookupError) { io.err(e.message); return 1 }
    throw e
  }
}

/** `<set>[@version]` from the catalog, or a criteria file given by path. */
function resolveSet(catalog: Catalog, spec: string, backend: Backend = 'compiled') {
  if (spec.endsWith('.json') && existsSync(spec)) {
    const entry = catalog.addSetFile(resolve(spec))
    if (!entry) {
      const p = catalog.problems.at(-1)
      throw new CriteriaSetError(spec, p?.findings ?? [])
    }
    return catalog.compile(`${entry.def.id}@${entry.def.version}`, backend)
  }
  return catalog.compile(spec, backend)
}

function scoreCommand(args: string[], opts: { json?: boolean; engine?: string }, io: Io): number {
  const [spec, evidenceFile] = args
  if (!spec || !evidenceFile) throw new UsageError('score needs a criteria set and an evidence file')
  const backend = (opts.engine ?? 'compiled') as Backend
  if (backend !== 'compiled' && backend !== 'json-logic-js') throw new UsageError('--engine is compiled or json-logic-js')
  const catalog = Catalog.load()
  const set = resolveSet(catalog, spec, backend)
  const { json, problem } = readJson(evidenceFile)
  if (problem) { io.err(`${evidenceFile}: ${problem.message}`); return 1 }
  const result = scoreWithReferences(set, json, catalog, true)
  io.out(opts.json ? JSON.stringify(result, null, 2) : renderScore(set, result, evidenceFile))
  return result.errors.length > 0 ? 1 : 0
}

function schema(args: string[], io: Io): number {
  const [spec] = args
  if (!spec) throw new UsageError('schema needs a criteria set')
  io.out(JSON.stringify(resolveSet(Catalog.load(), spec).evidenceSchema, null, 2))
  return 0
}

function verify(files: string[], io: Io): number {
  const catalog = Catalog.load()
  const reports = files.length === 0 ? verifyCatalog(catalog) : files.flatMap((f) => verifyFile(resolve(f), catalog))
  io.out(formatReport(reports))
  return totals(reports).errors > 0 ? 1 : 0
}

function list(io: Io): number {
  const catalog = Catalog.load()
  const rows = catalog.list().map((e) => [
    `${e.def.id}@${e.def.version}`, e.def.status, `${e.def.document.number} (${e.def.document.date})`,
    e.def.appliesTo.join(','), truncate(e.def.title, 60),
  ])
  io.out(table(['Bộ tiêu chí', 'Trạng thái', 'Văn bản', 'Cấp học', 'Tên'], rows))
  io.out(`\nTừ vựng minh chứng: ${[...catalog.vocabularies.values()].map((v) => `${v.id}@${v.version} (${v.facts.length} facts)`).join(', ')}`)
  for (const p of catalog.problems) io.out(`(bỏ qua, lỗi) ${p.file}: ${p.findings[0]?.message ?? ''} — chạy: cds verify ${p.file}`)
  return 0
}
