/**
 * Reading a case for its page: the view, the thread, and for the team the audit log and triage
 * facts; for a downstream packager the case shared with them is the downstream view alone.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { caseAuditTrail, publicCase, readDownstream, readThread, triageInfo, viewCase, type CaseView } from '../../../disclosure/index.js';
import { isCpansecError } from '../../../errors.js';
import { casePage, tabOfForm } from '../views/case.js';
import { downstreamPage } from '../views/downstream.js';
import type { FormState } from '../views/forms.js';
import type { Workspace } from '../workspace.js';
import { scriptsOf } from './cvss.js';
import { render } from './kit.js';

export async function showCase(ws: Workspace, request: FastifyRequest, reply: FastifyReply, ref: string, state?: FormState, status?: number): Promise<FastifyReply> {
  const actor = request.caller.actor;
  let view: CaseView;
  try {
    view = await viewCase(ws.deps, actor, ref);
  } catch (e) {
    if (!isCpansecError(e) || e.code !== 'FORBIDDEN') throw e;
    // a downstream packager the case is shared with: what the team wrote for them
    const shared = await readDownstream(ws.deps, actor, ref).catch((x: unknown) => {
      if (isCpansecError(x) && x.code === 'FORBIDDEN') return undefined;
      throw x;
    });
    if (shared) return render(ws, request, reply, { title: `Case ${shared.reference}`, ...(status ? { status } : {}), body: downstreamPage(shared) });
    // someone not on a published case: its public part is the published advisory
    const open = await publicCase(ws.deps, actor, ref);
    return reply.redirect(`/advisories/${encodeURIComponent(open.advisory.id)}`, 303);
  }
  const staff = view.assessment !== undefined;
  const tab = (request.query as Record<string, unknown> | undefined)?.tab;
  const accounts = staff ? (await ws.deps.store.transaction((tx) => tx.accounts.list())).filter((a) => !a.disabled) : [];
  const team = staff ? accounts.filter((a) => a.role === 'admin' || a.role === 'member').map((a) => ({ id: a.id, name: a.name })) : undefined;
  const downstreamAccounts = accounts.filter((a) => a.role === 'downstream').map((a) => ({ id: a.id, name: a.name, email: a.email }));
  const [thread, audit, triage] = await Promise.all([
    readThread(ws.deps, actor, view.reference),
    staff ? caseAuditTrail(ws.deps, actor, view.reference) : Promise.resolve(undefined),
    staff ? triageInfo(ws.deps, actor, view.reference) : Promise.resolve(undefined),
  ]);
  // the triage tab of a case the team may rate has the CVSS calculators, and so their script
  const shown = tabOfForm(state?.form) ?? tab;
  const calculator = shown === 'triage' && view.actions.includes('case.assess');
  return render(ws, request, reply, {
    title: `Case ${view.reference}`,
    ...(status ? { status } : {}),
    ...(calculator ? { scripts: scriptsOf() } : {}),
    body: casePage({ view, thread, csrf: request.caller.csrf, limits: { maxBytes: ws.settings.attachmentMaxBytes, maxFiles: ws.settings.attachmentMaxFiles }, downstreamAccounts, ...(typeof tab === 'string' ? { tab } : {}), ...(team ? { team } : {}), ...(audit ? { audit } : {}), ...(triage ? { triage } : {}), ...(state ? { state } : {}) }),
  });
}
