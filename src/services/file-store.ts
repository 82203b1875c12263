// Uploaded evidence documents on disk, content-addressed by sha256. A file is written to a temporary
// name, fsynced and renamed, so a crash never leaves a half file under a real name.
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, openSync, fsyncSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform, type Readable } from 'node:stream'

export class FileTooLarge extends Error {}
/** Thrown by a content check: the file is not what it claims to be. */
export class FileRejected extends Error {}

export interface StoredFile {
  sha256: string
  size: number
  head: Buffer
  /** False when a file with the same content was already stored (another document holds it). */
  created: boolean
}

export class FileStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256)
  }

  /** Streams `source` to disk, hashing it; rejects with FileTooLarge past `maxBytes`, and with
   *  FileRejected when `accept(first 16 bytes)` is false or `inspect` (given the whole file, still
   *  under its temporary name) throws it — before the file takes its real name. */
  async put(source: Readable, maxBytes: number, accept: (head: Buffer) => boolean = () => true,
    inspect?: (tmpPath: string, size: number) => void): Promise<StoredFile> {
    const tmpDir = join(this.dir, 'tmp')
    mkdirSync(tmpDir, { recursive: true })
    const tmp = join(tmpDir, randomUUID())
    const hash = createHash('sha256')
    let size = 0
    const chunks: Buffer[] = []
    let headLen = 0
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length
        if (size > maxBytes) { cb(new FileTooLarge(`the file is larger than ${maxBytes} bytes`)); return }
        if (headLen < 16) { chunks.push(chunk.subarray(0, 16 - headLen)); headLen += Math.min(chunk.length, 16 - headLen) }
        hash.update(chunk)
        cb(null, chunk)
      },
    })
    const out = createWriteStream(tmp)
    try {
      await pipeline(source, meter, out)
      // Multipart streams mark truncation instead of failing: treat it as too large.
      if ((source as Readable & { truncated?: boolean }).truncated) throw new FileTooLarge(`the file is larger than ${maxBytes} bytes`)
      const fd = openSync(tmp, 'r')
      try { fsyncSync(fd) } finally { closeSync(fd) }
      const head = Buffer.concat(chunks)
      if (!accept(head)) throw new FileRejected('the content does not match the declared type')
      inspect?.(tmp, size)
      const sha256 = hash.digest('hex')
      const dest = this.pathOf(sha256)
      mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true })
      const existed = existsSync(dest) && statSync(dest).size === size
      if (existed) rmSync(tmp)
      else renameSync(tmp, dest)
      return { sha256, size, head, created: !existed }
    } catch (e) {
      // A source that fails at once can reject before the file is even opened: removing it then
      // would race its creation. Wait until the stream has closed, then remove.
      if (!out.closed) await new Promise<void>((resolve) => { out.once('close', () => resolve()); out.destroy() })
      rmSync(tmp, { force: true })
      throw e
    }
  }

  /** Removes a stored file (one no document holds: its upload was refused after it was received). */
  remove(sha256: string): void {
    rmSync(this.pathOf(sha256), { force: true })
  }

  open(sha256: string): Readable {
    return createReadStream(this.pathOf(sha256))
  }
}
