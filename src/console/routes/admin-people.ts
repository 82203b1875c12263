// /units (the tree, creating a unit), /accounts (create with an invitation link, reinvite, disable),
// /keys (revoke). The services decide who may do what; these pages only ask them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Role, User } from '../../repositories/types.js'
import { AppError } from '../../services/errors.js'
import type { Services } from '../../services/index.js'
import { errorText } from '../messages.js'
import { noticeOf, redirect, sendPage } from '../reply.js'
import { session, sessionView } from '../session.js'
import type { FieldError, SessionView } from '../views/layout.js'
import { confirmPage } from '../views/admin-common.js'
import { accountsPage, invitationPage, keysPage, unitsPage, type AccountForm, type UnitForm } from '../views/admin-people.js'
import { formErrors, pageOf, str, type Body } from './admin-common.js'

export async function adminPeopleRoutes(app: FastifyInstance, { services }: { services: Services; now: () => number }): Promise<void> {
  const view = (request: FastifyRequest) => sessionView(session(request)) as SessionView
  const { store, config } = services.ctx

  // ---- units ----
  const unitsView = async (request: FastifyRequest, reply: FastifyReply, form: UnitForm, errors: FieldError[]) => {
    session(request)
    const y = str((request.query as Body).year, 20)
    const year = /^\d{4}-\d{4}$/.test(y) ? y : ''
    const units = await services.units.list({ year: year || undefined }, { limit: 5000, offset: 0 })
    return sendPage(reply, unitsPage({ session: view(request), notice: errors.length ? null : noticeOf(request.query), units, year, form, errors }), errors.length ? 400 : 200)
  }
  app.get('/units', async (request, reply) => unitsView(request, reply, { code: '', name: '', type: 'district', parentCode: '', fromYear: '' }, []))
  app.post('/units', async (request, reply) => {
    const s = session(request)
    const b = request.body as Body
    const form: UnitForm = { code: str(b.code, 64), name: str(b.name, 300), type: str(b.type, 20), parentCode: str(b.parentCode, 64), fromYear: str(b.fromYear, 20) }
    const errors: FieldError[] = []
    if (!/^[A-Za-z0-9._-]{1,32}$/.test(form.code)) errors.push({ field: 'code', text: 'Mã đơn vị gồm chữ không dấu, số, dấu . _ - (tối đa 32 ký tự).' })
    if (form.name.length < 2) errors.push({ field: 'name', text: 'Nhập tên đơn vị.' })
    if (!/^\d{4}-\d{4}$/.test(form.fromYear)) errors.push({ field: 'fromYear', text: 'Nhập năm học dạng 2025-2026.' })
    if (errors.length === 0) {
      try {
        await services.units.create(s.actor, { code: form.code, name: form.name, type: form.type as never, parentCode: form.parentCode || null, fromYear: form.fromYear })
        return redirect(reply, '/units?notice=created')
      } catch (e) {
        if (e instanceof AppError && e.statusCode === 403) errors.push({ field: 'parentCode', text: 'Bạn chỉ tạo được đơn vị trực thuộc đơn vị của mình.' })
        else if (e instanceof AppError && e.code === 'UNIT_EXISTS') errors.push({ field: 'code', text: errorText(e) })
        else errors.push(...formErrors(e, { code: 'code', name: 'name', type: 'type', parentCode: 'parentCode', fromYear: 'fromYear' }, 'code'))
      }
    }
    return unitsView(request, reply, form, errors)
  })

  // ---- accounts ----
  const unitCodes = new Map<number, string>()
  const scopeOf = async (x: { unitId: number | null; schoolId: number | null }): Promise<string> => {
    if (x.unitId !== null) {
      if (!unitCodes.has(x.unitId)) unitCodes.set(x.unitId, (await store.units.byId(x.unitId))?.code ?? '?')
      return `Đơn vị ${unitCodes.get(x.unitId)}`
    }
    if (x.schoolId !== null) { const sc = await store.schools.byId(x.schoolId); return sc ? `Trường ${sc.moetCode} — ${sc.name}` : 'Trường' }
    return 'Toàn hệ thống'
  }
  const rolesFor = (role: Role): Role[] => (role === 'admin' ? ['reviewer', 'school', 'admin'] : ['school', 'reviewer'])
  const accountsView = async (request: FastifyRequest, reply: FastifyReply, form: AccountForm, errors: FieldError[]) => {
    const s = session(request)
    const { page, window } = pageOf(request)
    const got = await services.users.list(s.actor, window)
    const rows = await Promise.all(got.items.map(async (user) => ({ user, scope: await scopeOf(user) })))
    return sendPage(reply, accountsPage({ session: view(request), notice: errors.length ? null : noticeOf(request.query), rows, page, hasNext: window.offset + got.items.length < got.total, roles: rolesFor(s.user.role), form, errors }), errors.length ? 400 : 200)
  }
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`
  const showInvitation = (request: FastifyRequest, reply: FastifyReply, user: User, token: string, created: boolean) =>
    sendPage(reply, invitationPage({ session: view(request), user, link: `${origin(request)}/invite/${token}`, expires: new Date(services.ctx.now().getTime() + config.invitationTtlMs), created }), created ? 201 : 200)

  app.get('/accounts', async (request, reply) => accountsView(request, reply, { username: '', displayName: '', role: 'school', unitCode: '', schoolCode: '' }, []))

  app.post('/accounts', async (request, reply) => {
    const s = session(request)
    const b = request.body as Body
    const form: AccountForm = { username: str(b.username, 64), displayName: str(b.displayName, 200), role: str(b.role, 20), unitCode: str(b.unitCode, 64), schoolCode: str(b.schoolCode, 64) }
    const errors: FieldError[] = []
    const role = rolesFor(s.user.role).find((r) => r === form.role)
    if (!role) errors.push({ field: 'role', text: 'Chọn vai trò.' })
    if (role === 'reviewer' && form.unitCode === '') errors.push({ field: 'unitCode', text: 'Nhập mã đơn vị của cán bộ.' })
    if (role === 'school' && form.schoolCode === '') errors.push({ field: 'schoolCode', text: 'Nhập mã trường.' })
    if (form.username === '') errors.push({ field: 'username', text: 'Nhập tên đăng nhập.' })
    if (form.displayName === '') errors.push({ field: 'displayName', text: 'Nhập họ tên hiển thị.' })
    if (errors.length === 0) {
      try {
        const { user, token } = await services.users.invite(s.actor, {
          username: form.username, displayName: form.displayName, role: role as Role,
          ...(role === 'reviewer' ? { unitCode: form.unitCode } : role === 'school' ? { schoolCode: form.schoolCode } : {}),
        })
        return showInvitation(request, reply, user, token, true)
      } catch (e) {
        if (e instanceof AppError && e.statusCode === 403) errors.push({ field: role === 'school' ? 'schoolCode' : 'role', text: errorText(e) })
        else errors.push(...formErrors(e, { username: 'username', displayName: 'displayName', unitCode: 'unitCode', schoolCode: 'schoolCode' }, 'username'))
      }
    }
    return accountsView(request, reply, form, errors)
  })

  app.post('/accounts/:id/reinvite', async (request, reply) => {
    const { user, token } = await services.users.reinvite(session(request).actor, (request.params as { id: string }).id)
    return showInvitation(request, reply, user, token, false)
  })

  app.get('/accounts/:id/disable', async (request, reply) => {
    const u = await services.users.get(session(request).actor, (request.params as { id: string }).id)
    return sendPage(reply, confirmPage({
      session: view(request), nav: 'accounts', title: 'Vô hiệu hóa tài khoản', crumbs: [['Tài khoản', '/accounts'], [u.username, null]],
      text: `Vô hiệu hóa tài khoản ${u.username} (${u.displayName})? Người này sẽ bị đăng xuất ngay và không đăng nhập được nữa; các khóa API của tài khoản cũng hết hiệu lực.`,
      action: `/accounts/${u.id}/disable`, button: 'Vô hiệu hóa', back: '/accounts',
    }))
  })

  app.post('/accounts/:id/disable', async (request, reply) => {
    await services.users.disable(session(request).actor, (request.params as { id: string }).id)
    return redirect(reply, '/accounts?notice=disabled')
  })

  // ---- API keys ----
  app.get('/keys', async (request, reply) => {
    const s = session(request)
    const { page, window } = pageOf(request)
    const got = await services.keys.list(s.actor, window)
    const rows = await Promise.all(got.items.map(async (key) => ({ key, scope: await scopeOf(key) })))
    return sendPage(reply, keysPage({ session: view(request), notice: noticeOf(request.query), rows, page, hasNext: window.offset + got.items.length < got.total }))
  })

  app.get('/keys/:id/revoke', async (request, reply) => {
    const s = session(request)
    const id = (request.params as { id: string }).id
    // The label shown is of a key the list gives this person (no other way to read one key).
    let found = null
    for (let offset = 0; !found; offset += 500) {
      const got = await services.keys.list(s.actor, { limit: 500, offset })
      found = got.items.find((k) => k.id === id) ?? null
      if (offset + 500 >= got.total) break
    }
    if (!found) throw new AppError(404, 'NOT_FOUND', `key ${id} not found`)
    return sendPage(reply, confirmPage({
      session: view(request), nav: 'keys', title: 'Thu hồi khóa API', crumbs: [['Khóa API', '/keys'], [found.label, null]],
      text: `Thu hồi khóa “${found.label}”? Phần mềm dùng khóa này sẽ không gọi được dịch vụ nữa; các khóa được cấp từ khóa này cũng bị thu hồi.`,
      action: `/keys/${found.id}/revoke`, button: 'Thu hồi', back: '/keys',
    }))
  })

  app.post('/keys/:id/revoke', async (request, reply) => {
    await services.keys.revoke(session(request).actor, (request.params as { id: string }).id)
    return redirect(reply, '/keys?notice=revoked_key')
  })
}
