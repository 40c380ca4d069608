/** The case list, the case page, and every action a case page's forms post. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  assessCase,
  assignCase,
  editReport,
  inviteAuthor,
  isStaff,
  listCases,
  logContact,
  recordAnswer,
  remindAuthor,
  resendReporterLink,
  setEmbargo,
  liftEmbargo,
  transitionCase,
  viewCase,
  type Case,
} from '../../../disclosure/index.js';
import { CpansecError } from '../../../errors.js';
import { bodyOf, lines, one } from '../http.js';
import { tabOfForm } from '../views/case.js';
import { caseList } from '../views/cases.js';
import { editReportPage } from '../views/edit.js';
import type { Workspace } from '../workspace.js';
import { showCase } from './case-data.js';
import { echo, formErrors, needAccount, render, statusOfForm } from './kit.js';

type CaseRequest = FastifyRequest<{ Params: { ref: string } }>;

/**
 * A case action from a form: run it, then back to the case page with what was done; a mistake
 * the person can fix (bad input, not possible now) shows the case page again with the error at
 * the form; anything else (not found, not allowed) is the error page.
 */
export async function act(ws: Workspace, request: CaseRequest, reply: FastifyReply, form: string, done: string, run: (body: Record<string, unknown>) => Promise<Case | { case: Case } | unknown>, given?: Record<string, unknown>): Promise<FastifyReply> {
  const body = given ?? bodyOf(request);
  try {
    const r = await run(body);
    const c = (r && typeof r === 'object' && 'reference' in r ? r : r && typeof r === 'object' && 'case' in r ? (r as { case: Case }).case : undefined) as Case | undefined;
    const ref = c?.reference ?? (await viewCase(ws.deps, request.caller.actor, request.params.ref)).reference;
    return reply.redirect(`/workspace/cases/${ref}?done=${done}&tab=${tabOfForm(form) ?? 'report'}`, 303);
  } catch (e) {
    const state = formErrors(e, form, echo(body));
    return showCase(ws, request, reply, request.params.ref, state, statusOfForm(e));
  }
}

export const optional = (v: unknown) => {
  const s = one(v);
  return s === undefined || s.trim() === '' ? undefined : s;
};

export function casePages(app: FastifyInstance, ws: Workspace): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/cases', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const a = request.caller.actor;
    const q = request.query;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const pageSize = 50;
    const state = q.state ?? '';
    const distribution = q.distribution ?? '';
    const assignee = q.assignee ?? '';
    const due = q.due ?? '';
    const staff = isStaff(a);
    const cases = await listCases(ws.deps, a, { ...(state ? { states: [state] } : {}), distribution, ...(staff ? { assignee, due } : {}), limit: pageSize, offset: (page - 1) * pageSize });
    const team = staff ? (await ws.deps.store.transaction((tx) => tx.accounts.list())).filter((x) => x.role === 'admin' || x.role === 'member').map((x) => ({ id: x.id, name: x.name })) : [];
    return render(ws, request, reply, { title: 'Cases', body: caseList({ cases, staff, state, distribution, assignee, due, team, page, pageSize }) });
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return showCase(ws, request, reply, request.params.ref);
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/edit', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const view = await viewCase(ws.deps, request.caller.actor, request.params.ref);
    if (!view.actions.includes('case.edit')) throw new CpansecError('FORBIDDEN', 'you may not amend this report now (add a message instead)', { file: view.reference });
    return render(ws, request, reply, { title: `Amend ${view.reference}`, body: editReportPage({ view, csrf: request.caller.csrf }) });
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/edit', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const body = bodyOf(request);
    try {
      const edit: Record<string, unknown> = {
        distribution: one(body.distribution) ?? '',
        affectedVersions: lines(body.affectedVersions),
        description: one(body.description) ?? '',
        proof: optional(body.proof) ?? null,
        credit: optional(body.credit) ?? null,
        encryptionKey: optional(body.encryptionKey) ?? null,
      };
      const c = await editReport(ws.deps, request.caller.actor, request.params.ref, edit, optional(body.reason));
      return reply.redirect(`/workspace/cases/${c.reference}?done=edit`, 303);
    } catch (e) {
      const state = formErrors(e, 'edit', echo(body));
      const view = await viewCase(ws.deps, request.caller.actor, request.params.ref);
      return render(ws, request, reply, { title: `Amend ${view.reference}`, status: statusOfForm(e), body: editReportPage({ view, csrf: request.caller.csrf, state }) });
    }
  });

  const post = (path: string, form: string, done: string, run: (request: CaseRequest, body: Record<string, unknown>) => Promise<unknown>) =>
    app.post<{ Params: { ref: string } }>(`/cases/:ref${path}`, async (request, reply) => {
      if (!needAccount(request, reply)) return reply;
      return act(ws, request, reply, form, done, (body) => run(request, body));
    });

  post('/transition', 'transition', 'transition', (r, b) =>
    transitionCase(ws.deps, r.caller.actor, r.params.ref, one(b.to), one(b.reason) ?? '', optional(b.duplicateOf) ? { duplicateOf: optional(b.duplicateOf)! } : {}),
  );
  post('/scope', 'scope', 'scope', (r, b) => {
    const override = one(b.override);
    return assessCase(ws.deps, r.caller.actor, r.params.ref, {
      scope: {
        component: one(b.component) ?? 'own-code',
        library: optional(b.library),
        override: override === 'in' || override === 'out' ? { inScope: override === 'in', reason: one(b.overrideReason) ?? '' } : null,
      },
    });
  });
  post('/rating', 'rating', 'rating', (r, b) => {
    const severity = optional(b.severity);
    return assessCase(ws.deps, r.caller.actor, r.params.ref, {
      cvss: lines(b.cvss),
      cwes: (one(b.cwes) ?? '').split(/[\s,]+/).filter(Boolean),
      ...(severity ? { severity } : {}),
      ...(lines(b.affectedVersions).length ? { affectedVersions: lines(b.affectedVersions) } : {}),
      ...(b.fixedVersions !== undefined ? { fixedVersions: lines(b.fixedVersions) } : {}),
    });
  });
  post('/assign', 'assign', 'assign', (r, b) => assignCase(ws.deps, r.caller.actor, r.params.ref, optional(b.assignee) ?? null));
  post('/embargo', 'embargo', 'embargo', (r, b) => setEmbargo(ws.deps, r.caller.actor, r.params.ref, one(b.endsAt) ?? '', one(b.reason) ?? ''));
  post('/embargo/lift', 'lift', 'lift', (r, b) => liftEmbargo(ws.deps, r.caller.actor, r.params.ref, one(b.reason) ?? ''));
  post('/invite-author', 'invite', 'invite', (r, b) => inviteAuthor(ws.deps, r.caller.actor, r.params.ref, { email: one(b.email) ?? '', name: optional(b.name), respondBy: optional(b.respondBy) }));
  post('/contacts', 'contact', 'contact', (r, b) =>
    logContact(ws.deps, r.caller.actor, r.params.ref, { channel: one(b.channel), to: one(b.to) ?? '', summary: one(b.summary) ?? '', at: optional(b.at), respondBy: optional(b.respondBy) }),
  );
  post('/remind-author', 'remind', 'remind', (r) => remindAuthor(ws.deps, r.caller.actor, r.params.ref));
  post('/reporter-link', 'reporter-link', 'reporterlink', (r, b) => resendReporterLink(ws.deps, r.caller.actor, r.params.ref, one(b.reason) ?? ''));
  app.post<{ Params: { ref: string; contactId: string } }>('/cases/:ref/contacts/:contactId/answer', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return act(ws, request, reply, `answer-${request.params.contactId}`, 'answer', (b) =>
      recordAnswer(ws.deps, request.caller.actor, request.params.ref, request.params.contactId, { summary: one(b.summary) ?? '', at: optional(b.at) }),
    );
  });
}
