/** Administration pages: accounts, outbox, scheduled jobs on demand, the audit chain. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountView,
  authorize,
  parseAuditHead,
  inviteAccount,
  listOutbox,
  resetPassword,
  resetTotp,
  sendOutbox,
  sendReminders,
  updateAccount,
  verifyAudit,
} from '../../../disclosure/index.js';
import { CpansecError } from '../../../errors.js';
import { bodyOf, one } from '../http.js';
import { adminPage, type AdminPageData } from '../views/admin.js';
import type { FormState } from '../views/forms.js';
import type { Workspace } from '../workspace.js';
import { echo, formErrors, needAccount, render, statusOfForm } from './kit.js';

async function showAdmin(ws: Workspace, request: FastifyRequest, reply: FastifyReply, extra: { state?: FormState; status?: number; flash?: string; link?: string } = {}): Promise<FastifyReply> {
  const actor = request.caller.actor;
  authorize(actor, 'account.manage', null, ws.now());
  // a head seen elsewhere (a team mail, the operator's notes) to verify the log against as well
  const headText = one((request.query as Record<string, unknown> | undefined)?.head);
  const witnessed = headText ? parseAuditHead(headText) : undefined;
  if (headText && !witnessed) throw new CpansecError('PARSE_ERROR', 'give the head as SEQ HASH (the number and the 64 hex digits of a team mail)', { file: 'head' });
  const accounts = (await ws.deps.store.transaction((tx) => tx.accounts.list())).map(accountView);
  const outbox = (await listOutbox(ws.deps, actor, { limit: 1000 })).reverse();
  const counts: Record<string, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const m of outbox) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const data: AdminPageData = {
    accounts,
    outbox: outbox.slice(0, 30),
    counts,
    verification: await verifyAudit(ws.deps, actor, witnessed),
    ...(witnessed ? { witnessed } : {}),
    canDrain: ws.transport !== undefined,
    csrf: request.caller.csrf,
    ...(extra.state ? { state: extra.state } : {}),
    ...(extra.link ? { link: extra.link } : {}),
  };
  return render(ws, request, reply, { title: 'Administration', ...(extra.status ? { status: extra.status } : {}), ...(extra.flash ? { flash: extra.flash } : {}), body: adminPage(data) });
}

export function adminPages(app: FastifyInstance, ws: Workspace): void {
  app.get('/admin', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return showAdmin(ws, request, reply);
  });

  app.post('/admin/accounts', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const body = bodyOf(request);
    try {
      const { account } = await inviteAccount(ws.deps, request.caller.actor, { email: one(body.email) ?? '', name: one(body.name) ?? '', role: one(body.role) });
      return showAdmin(ws, request, reply, { flash: `${account.name} is invited as ${account.role}; the link to set the password is mailed to ${account.email} only.` });
    } catch (e) {
      return showAdmin(ws, request, reply, { state: formErrors(e, 'invite', echo(body)), status: statusOfForm(e) });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/accounts/:id', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const body = bodyOf(request);
    const disabled = one(body.disabled);
    try {
      await updateAccount(ws.deps, request.caller.actor, request.params.id, { ...(one(body.role) ? { role: one(body.role) } : {}), ...(disabled ? { disabled: disabled === 'yes' } : {}) }, one(body.reason) ?? '');
      return reply.redirect('/workspace/admin?done=account', 303);
    } catch (e) {
      return showAdmin(ws, request, reply, { state: formErrors(e, `acct-${request.params.id}`, {}), status: statusOfForm(e) });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/accounts/:id/reset-totp', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    try {
      const body = bodyOf(request);
      await resetTotp(ws.deps, request.caller.actor, request.params.id, one(body.reason) ?? '', { revokeTokens: one(body.revokeTokens) === 'yes' });
      return reply.redirect('/workspace/admin?done=account', 303);
    } catch (e) {
      return showAdmin(ws, request, reply, { state: formErrors(e, `totp-${request.params.id}`, {}), status: statusOfForm(e) });
    }
  });

  app.post<{ Params: { id: string } }>('/admin/accounts/:id/reset-password', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    try {
      const { account } = await resetPassword(ws.deps, request.caller.actor, request.params.id, one(bodyOf(request).reason) ?? '');
      return showAdmin(ws, request, reply, { flash: `The password of ${account.name} no longer works; the link to set a new one is mailed to ${account.email} only.` });
    } catch (e) {
      return showAdmin(ws, request, reply, { state: formErrors(e, `reset-${request.params.id}`, {}), status: statusOfForm(e) });
    }
  });

  app.post('/admin/reminders', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const r = await sendReminders(ws.deps, request.caller.actor);
    return showAdmin(ws, request, reply, { flash: `Queued: ${r.embargoReminders} embargo reminder(s), ${r.expiredFlagged} expired embargo flag(s), ${r.authorReminders} reminder(s) to authors, ${r.escalations} escalation(s).` });
  });

  app.post('/admin/outbox/drain', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    if (!ws.transport) throw new CpansecError('CONFLICT', 'no mail transport is configured (start the server with --smtp-url)', { file: 'outbox' });
    const r = await sendOutbox(ws.deps, request.caller.actor, ws.outgoing()!);
    return showAdmin(ws, request, reply, { flash: `Sent ${r.sent}, to retry ${r.retried}, failed ${r.failed}.` });
  });
}
