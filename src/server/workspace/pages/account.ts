/** One's own account: password, second factor, API tokens. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountView,
  authorize,
  beginTotp,
  changePassword,
  confirmTotp,
  createApiToken,
  disableTotp,
  listApiTokens,
  revokeApiToken,
  Throttled,
  type AccountActor,
} from '../../../disclosure/index.js';
import { CpansecError, isCpansecError } from '../../../errors.js';
import { clearSessionCookie } from '../auth.js';
import { bodyOf, one, retryAfter } from '../http.js';
import { accountPage, type AccountPageData } from '../views/account.js';
import type { FormState } from '../views/forms.js';
import type { Workspace } from '../workspace.js';
import { echo, formErrors, needAccount, render, statusOfForm } from './kit.js';

type Extra = Partial<Pick<AccountPageData, 'newToken' | 'totpSetup' | 'recoveryCodes'>> & { state?: FormState; status?: number; flash?: string };

async function showAccount(ws: Workspace, request: FastifyRequest, reply: FastifyReply, extra: Extra = {}): Promise<FastifyReply> {
  const actor = request.caller.actor as AccountActor;
  authorize(actor, 'account.self', null, ws.now());
  const account = await ws.deps.store.transaction((tx) => tx.accounts.get(actor.accountId));
  if (!account) throw new CpansecError('NOT_FOUND', 'no such account', { file: 'account' });
  const tokens = await listApiTokens(ws.deps, actor);
  const { state, status, flash, ...shown } = extra;
  return render(ws, request, reply, {
    title: 'Your account',
    ...(status ? { status } : {}),
    ...(flash ? { flash } : {}),
    body: accountPage({ account: accountView(account), tokens, csrf: request.caller.csrf, restricted: actor.restricted, ...shown, ...(state ? { state } : {}) }),
  });
}

export function accountPages(app: FastifyInstance, ws: Workspace): void {
  app.get('/account', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return showAccount(ws, request, reply);
  });

  /** An account form: run it; on a mistake show the page again with the error at that form. */
  const post = (path: string, form: string, run: (request: FastifyRequest, reply: FastifyReply, body: Record<string, unknown>) => Promise<FastifyReply>) =>
    app.post(path, async (request, reply) => {
      if (!needAccount(request, reply)) return reply;
      const body = bodyOf(request);
      try {
        return await run(request, reply, body);
      } catch (e) {
        // too many password checks: said at the form, with the status and when to try again
        if (e instanceof Throttled) {
          reply.header('retry-after', retryAfter(e.retryAt, ws.now()));
          return showAccount(ws, request, reply, { state: { form, errors: [{ field: e.file ?? 'password', message: e.message }], values: echo(body) }, status: e.status });
        }
        // a wrong password is a mistake on this form (shown at its field), not a refusal of the page
        if (isCpansecError(e) && e.code === 'FORBIDDEN' && (e.file === 'current' || e.file === 'password')) {
          return showAccount(ws, request, reply, { state: { form, errors: [{ field: e.file, message: e.message }], values: echo(body) }, status: 403 });
        }
        return showAccount(ws, request, reply, { state: formErrors(e, form, echo(body)), status: statusOfForm(e) });
      }
    });

  post('/account/password', 'password', async (request, reply, body) => {
    await changePassword(ws.deps, request.caller.actor, { current: one(body.current) ?? '', next: one(body.next) ?? '', revokeTokens: one(body.revokeTokens) === 'yes', ip: request.ip });
    clearSessionCookie(ws, reply);
    return reply.redirect('/workspace/login?done=password', 303);
  });
  post('/account/totp/begin', 'totp-begin', async (request, reply) => {
    const totpSetup = await beginTotp(ws.deps, request.caller.actor);
    return showAccount(ws, request, reply, { totpSetup });
  });
  post('/account/totp/confirm', 'totp-confirm', async (request, reply, body) => {
    const { recoveryCodes } = await confirmTotp(ws.deps, request.caller.actor, one(body.code) ?? '');
    return showAccount(ws, request, reply, { recoveryCodes });
  });
  post('/account/totp/disable', 'totp-disable', async (request, reply, body) => {
    await disableTotp(ws.deps, request.caller.actor, one(body.password) ?? '', { ip: request.ip });
    return reply.redirect('/workspace/account?done=totpoff', 303);
  });
  post('/account/tokens', 'token', async (request, reply, body) => {
    const days = one(body.expiresInDays);
    const { token } = await createApiToken(ws.deps, request.caller.actor, {
      name: one(body.name) ?? '',
      readOnly: one(body.readOnly) === 'yes',
      expiresInDays: days ? Number(days) : undefined,
      password: one(body.password) ?? '',
      ip: request.ip,
    });
    return showAccount(ws, request, reply, { newToken: token });
  });
  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    await revokeApiToken(ws.deps, request.caller.actor, request.params.id);
    return reply.redirect('/workspace/account?done=revoked', 303);
  });
}
