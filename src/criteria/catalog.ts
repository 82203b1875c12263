// The catalog of criteria sets and fact vocabularies on disk:
//   criteria/facts/<vocabulary>.json, criteria/<set-id>/<version>.json (+ examples/ beside it).
// Files are schema-validated at load; a broken file is reported and left out, never half-used.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileSet, type CompiledSet } from '../scoring/compile-set.js'
import type { Finding } from '../scoring/check-set.js'
import type { Backend } from '../scoring/rules/compile.js'
import type { CriteriaSetDef, Vocabulary } from '../scoring/types.js'
import { criteriaDir } from './paths.js'
import { validateSetSchema, validateVocabularySchema } from './schema-validation.js'

export interface SetEntry { file: string; def: CriteriaSetDef }
export interface CatalogSnapshot { dir: string; vocabularies: Vocabulary[]; sets: SetEntry[]; withdrawn: string[] }
export interface FileProblem { file: string; findings: Finding[] }

export class CatalogLookupError extends Error {
  readonly code = 'UNKNOWN_CRITERIA_SET'
}

const RESERVED_DIRS = new Set(['schema', 'facts'])
/** The `file` of sets that came from the database rather than criteria/. */
export const DATABASE_ORIGIN = 'database:'

export function readJson(file: string): { json?: unknown; problem?: Finding } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    return { problem: { severity: 'error', code: 'UNREADABLE', path: '', message: `cannot read the file: ${(e as Error).message}` } }
  }
  try {
    return { json: JSON.parse(text) }
  } catch (e) {
    return { problem: { severity: 'error', code: 'INVALID_JSON', path: '', message: `not valid JSON: ${(e as Error).message}`, fix: 'check commas, quotes and brackets (a JSON validator shows the line)' } }
  }
}

export class Catalog {
  readonly vocabularies = new Map<string, Vocabulary>()
  readonly sets = new Map<string, SetEntry>()
  readonly problems: FileProblem[] = []
  private readonly compiled = new Map<string, CompiledSet>()
  /** id@version of withdrawn sets: still found by version (assessments pinned to them keep
   *  working), never by id alone, not listed, refused for new use (isWithdrawn). */
  private readonly withdrawn = new Set<string>()

  constructor(readonly dir: string) {}

  static load(dir: string = fileURLToPath(criteriaDir())): Catalog {
    const c = new Catalog(dir)
    const factsDir = join(dir, 'facts')
    if (existsSync(factsDir)) {
      for (const name of readdirSync(factsDir).filter((n) => n.endsWith('.json')).sort()) c.addVocabularyFile(join(factsDir, name))
    }
    for (const sub of readdirSync(dir).sort()) {
      const subDir = join(dir, sub)
      if (RESERVED_DIRS.has(sub) || !statSync(subDir).isDirectory()) continue
      for (const name of readdirSync(subDir).filter((n) => n.endsWith('.json')).sort()) c.addSetFile(join(subDir, name))
    }
    return c
  }

  addVocabularyFile(file: string): Vocabulary | null {
    const v = this.readValid<Vocabulary>(file, validateVocabularySchema)
    if (v) this.vocabularies.set(v.id, v)
    return v
  }

  /** Adds a set file (also one outside the catalog dir, e.g. a district's own draft). */
  addSetFile(file: string): SetEntry | null {
    const def = this.readValid<CriteriaSetDef>(file, validateSetSchema)
    if (!def) return null
    return this.put({ file, def })
  }

  /** Adds a set held elsewhere (an education office's set stored in the database); `origin` names
   *  where it came from in reports, e.g. "database:LB". Schema-checked like a file. */
  addSetDef(def: CriteriaSetDef, origin: string): SetEntry | null {
    const findings = validateSetSchema(def)
    if (findings.length > 0) { this.problems.push({ file: origin, findings }); return null }
    return this.put({ file: origin, def })
  }

  /** What a worker thread needs to rebuild this catalog (plain data), and the rebuild: sets and
   *  vocabularies already checked here are not checked again. */
  snapshot(): CatalogSnapshot {
    return { dir: this.dir, vocabularies: [...this.vocabularies.values()], sets: [...this.sets.values()], withdrawn: [...this.withdrawn] }
  }

  static fromSnapshot(s: CatalogSnapshot): Catalog {
    const c = new Catalog(s.dir)
    for (const v of s.vocabularies) c.vocabularies.set(v.id, v)
    for (const e of s.sets) c.put(e)
    for (const w of s.withdrawn) c.withdrawn.add(w)
    return c
  }

  markWithdrawn(id: string, version: string): void {
    this.withdrawn.add(`${id}@${version}`)
  }

  isWithdrawn(id: string, version: string): boolean {
    return this.withdrawn.has(`${id}@${version}`)
  }

  /** Whether a set id comes from the project's criteria/ files (not from a database). */
  isFileSet(id: string): boolean {
    return [...this.sets.values()].some((e) => e.def.id === id && !e.file.startsWith(DATABASE_ORIGIN))
  }

  private put(entry: SetEntry): SetEntry {
    const key = `${entry.def.id}@${entry.def.version}`
    this.sets.set(key, entry)
    // A re-read set replaces its compiled forms (one per backend).
    for (const k of [...this.compiled.keys()]) if (k.startsWith(`${key}#`)) this.compiled.delete(k)
    return entry
  }

  /** Reads and schema-checks a file; a broken one is recorded in `problems` and left out. */
  private readValid<T>(file: string, validate: (json: unknown) => Finding[]): T | null {
    const { json, problem } = readJson(file)
    const findings = problem ? [problem] : validate(json)
    if (findings.length > 0) { this.problems.push({ file, findings }); return null }
    return json as T
  }

  vocabularyOf(def: CriteriaSetDef): Vocabulary | null {
    return def.vocabulary ? this.vocabularies.get(def.vocabulary) ?? null : null
  }

  /** `id` or `id@version`; without a version, the newest published one (drafts only by version). */
  find(spec: string): SetEntry {
    const [id, version] = spec.split('@') as [string, string | undefined]
    if (version !== undefined) {
      const e = this.sets.get(`${id}@${version}`)
      if (!e) throw new CatalogLookupError(`no criteria set ${spec}; known: ${this.known()}`)
      return e
    }
    const candidates = [...this.sets.values()].filter((e) => e.def.id === id && e.def.status === 'published' && !this.withdrawn.has(`${id}@${e.def.version}`))
    candidates.sort((a, b) => b.def.version.localeCompare(a.def.version))
    const newest = candidates[0]
    if (!newest) throw new CatalogLookupError(`no published criteria set "${id}"; known: ${this.known()}`)
    return newest
  }

  compile(spec: string, backend: Backend = 'compiled'): CompiledSet {
    const entry = this.find(spec)
    const key = `${entry.def.id}@${entry.def.version}#${backend}`
    let c = this.compiled.get(key)
    if (!c) {
      c = compileSet(entry.def, this.vocabularyOf(entry.def), { backend })
      this.compiled.set(key, c)
    }
    return c
  }

  list(): SetEntry[] {
    return [...this.sets.values()].filter((e) => !this.withdrawn.has(`${e.def.id}@${e.def.version}`)).sort((a, b) => a.def.id.localeCompare(b.def.id) || a.def.version.localeCompare(b.def.version))
  }

  private known(): string {
    return [...this.sets.keys()].join(', ') || '(none)'
  }
}
