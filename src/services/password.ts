// Passwords: scrypt from node:crypto (memory-hard; runs on libuv's thread pool, off the event loop).
// Parameters follow OWASP's scrypt table (N=2^15, r=8, p=3: 32 MiB, ~0.1–0.3 s here) and are stored
// with each hash, so stronger ones later verify old hashes too.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const PARAMS = { N: 2 ** 15, r: 8, p: 3 }
const KEY_LEN = 32
/** Passwords are at least this long (NIST SP 800-63B's minimum for chosen passwords)… */
export const PASSWORD_MIN = 10
/** …and at most this many characters (a bounded cost per sign-in). */
export const PASSWORD_MAX = 200

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { ...o, maxmem: 256 * o.N * o.r }
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))))
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** A hash of no password, verified against when the account does not exist, so a wrong username
 *  costs as long as a wrong password (no telling which usernames exist by timing). */
let decoy: Promise<string> | null = null

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const target = stored ?? (await (decoy ??= hashPassword(randomBytes(12).toString('hex'))))
  const [kind, n, r, p, salt, key] = target.split('$')
  if (kind !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const got = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) })
  return stored !== null && got.length === expected.length && timingSafeEqual(got, expected)
}

/** Why a new password is refused, in Vietnamese, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const n = [...password.normalize('NFC')].length
  if (n < PASSWORD_MIN) return `Mật khẩu cần ít nhất ${PASSWORD_MIN} ký tự.`
  if (n > PASSWORD_MAX) return `Mật khẩu dài tối đa ${PASSWORD_MAX} ký tự.`
  return null
}
