// Console accounts: created by the CLI (the first admin) or by an officer for the units and schools
// below it (the same scope rule as API keys: Access.credentialScope), who then hands over a one-time
// invitation link; the invited person sets their own password. Disabling ends the sessions.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Page, Paged, Role, User, UserScope } from '../repositories/types.js'
import { DuplicateKeyError } from '../repositories/types.js'
import type { Actor } from './actor.js'
import { auditOf, type ServiceContext } from './context.js'
import { AppError, forbidden, invalid, notFound } from './errors.js'
import { hashPassword, passwordProblem, verifyPassword } from './password.js'

export interface UserInput { username: string; displayName: string; role: Role; unitCode?: string; schoolCode?: string }

/** Usernames: 3–64 of a–z, 0–9, dot, dash, underscore (compared whatever the case). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

export class UsersService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The CLI's bootstrap (`cds create-user`): an account with its password, no invitation. */
  async createWithPassword(input: UserInput, password: string): Promise<User> {
    const problem = passwordProblem(password)
    if (problem) throw invalid('WEAK_PASSWORD', problem, '/password')
    return this.insert(null, input, await hashPassword(password))
  }

  /** An officer's new account for someone below it, with the invitation link's token. */
  async invite(actor: Actor, input: UserInput): Promise<{ user: User; token: string }> {
    const user = await this.insert(actor, input, null)
    return { user, token: await this.newInvitation(actor, user) }
  }

  /** A fresh invitation for an existing account (a lost link; a forgotten password). */
  async reinvite(actor: Actor, userId: string): Promise<{ user: User; token: string }> {
    const user = await this.managed(actor, userId)
    if (user.disabledAt !== null) throw new AppError(409, 'USER_DISABLED', 'tài khoản đã bị vô hiệu hóa (the account is disabled)')
    return { user, token: await this.newInvitation(actor, user) }
  }

  async disable(actor: Actor, userId: string): Promise<User> {
    const user = await this.managed(actor, userId)
    if (user.id === actor.userId) throw forbidden('không thể tự vô hiệu hóa tài khoản của mình (you cannot disable your own account)')
    return this.ctx.store.users.disable(user.id, auditOf(this.ctx, actor, 'user.disable'))
  }

  async list(actor: Actor, page: Page): Promise<Paged<User>> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'listing accounts')
    const scope: UserScope = actor.role === 'admin' ? { kind: 'all' } : { kind: 'reviewer', unitId: actor.unitId as number }
    return this.ctx.store.users.list(scope, page)
  }

  async get(actor: Actor, userId: string): Promise<User> { return this.managed(actor, userId) }

  /** The account if the password is right and it is enabled; null otherwise (whichever it was). */
  async authenticate(username: string, password: string): Promise<User | null> {
    const found = USERNAME_PATTERN.test(username) ? await this.ctx.store.users.byUsername(username) : null
    const ok = await verifyPassword(password, found?.passwordHash ?? null)
    return ok && found && found.user.disabledAt === null ? found.user : null
  }

  /** Whether an invitation link is still open (the page that sets the password). */
  async invitation(token: string): Promise<User | null> {
    const inv = await this.ctx.store.users.invitation(tokenHash(token), this.ctx.now())
    if (!inv) return null
    const u = await this.ctx.store.users.byId(inv.userId)
    return u && u.disabledAt === null ? u : null
  }

  async acceptInvitation(token: string, password: string): Promise<User> {
    const problem = passwordProblem(password)
    if (problem) throw invalid('WEAK_PASSWORD', problem, '/password')
    const user = await this.ctx.store.users.acceptInvitation(tokenHash(token), await hashPassword(password), auditOf(this.ctx, 'invitation', 'user.password'))
    if (!user) throw new AppError(410, 'INVITATION_EXPIRED', 'liên kết mời đã hết hạn hoặc đã được dùng; hãy xin đơn vị quản lý một liên kết mới')
    return user
  }

  async changePassword(actor: Actor, current: string, next: string): Promise<User> {
    const user = actor.userId === undefined ? null : await this.ctx.store.users.byId(actor.userId)
    if (!user) throw forbidden('changing a password needs a signed-in person')
    const found = await this.ctx.store.users.byUsername(user.username)
    if (!(await verifyPassword(current, found?.passwordHash ?? null))) throw invalid('WRONG_PASSWORD', 'mật khẩu hiện tại không đúng', '/current')
    const problem = passwordProblem(next)
    if (problem) throw invalid('WEAK_PASSWORD', problem, '/password')
    return this.ctx.store.users.setPassword(user.id, await hashPassword(next), auditOf(this.ctx, actor, 'user.password'))
  }

  private async insert(actor: Actor | null, input: UserInput, passwordHash: string | null): Promise<User> {
    const username = input.username.normalize('NFC').trim()
    if (!USERNAME_PATTERN.test(username)) throw invalid('INVALID_USERNAME', 'tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới', '/username')
    const displayName = input.displayName.normalize('NFC').trim()
    if (displayName === '' || displayName.length > 200) throw invalid('INVALID_NAME', 'họ tên hiển thị cần từ 1 đến 200 ký tự', '/displayName')
    const { unitId, schoolId } = await this.ctx.access.credentialScope(actor, input, 'creating accounts')
    if (await this.ctx.store.users.byUsername(username)) throw taken(username)
    try {
      return await this.ctx.store.users.create({
        id: randomUUID(), username, displayName, role: input.role, unitId, schoolId, passwordHash,
        createdBy: actor ? `${actor.role}:${actor.keyId}` : 'cli', createdAt: this.ctx.now(),
      }, auditOf(this.ctx, actor ?? 'cli', 'user.create'))
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw taken(username)
      throw e
    }
  }

  private async newInvitation(actor: Actor, user: User): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.ctx.store.users.invite(user.id, tokenHash(token), new Date(this.ctx.now().getTime() + this.ctx.config.invitationTtlMs), auditOf(this.ctx, actor, 'user.invite'))
    return token
  }

  /** An account the actor may manage: its scope is visible to the actor under the credential rule. */
  private async managed(actor: Actor, userId: string): Promise<User> {
    this.ctx.access.requireRole(actor, ['admin', 'reviewer'], 'managing accounts')
    const u = await this.ctx.store.users.byId(userId)
    if (!u) throw notFound('account', userId, '/id')
    if (actor.role === 'admin') return u
    if (u.role === 'admin') throw notFound('account', userId, '/id')
    const within = u.unitId !== null
      ? await this.ctx.access.unitVisible(actor, u.unitId)
      : await this.ctx.access.schoolManaged(actor, await this.ctx.store.schools.byId(u.schoolId as number) as never)
    if (!within) throw notFound('account', userId, '/id')
    return u
  }
}

const taken = (username: string) => new AppError(409, 'USERNAME_TAKEN', `tên đăng nhập "${username}" đã có người dùng`, '/username')
