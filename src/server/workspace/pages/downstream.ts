/** The team shares a case with downstream packagers and ends a share, from the case page's Downstream tab. */
import type { FastifyInstance } from 'fastify';
import { revokeDownstream, shareWithDownstream } from '../../../disclosure/index.js';
import { one } from '../http.js';
import type { Workspace } from '../workspace.js';
import { act, optional } from './cases.js';
import { needAccount } from './kit.js';

export function downstreamPages(app: FastifyInstance, ws: Workspace): void {
  app.post<{ Params: { ref: string } }>('/cases/:ref/downstream', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return act(ws, request, reply, 'downstream', 'downstream', (b) =>
      shareWithDownstream(ws.deps, request.caller.actor, request.params.ref, { accountId: optional(b.accountId), summary: one(b.summary) ?? '', fixAttachmentId: one(b.fixAttachmentId) ?? '' }),
    );
  });

  app.post<{ Params: { ref: string; accountId: string } }>('/cases/:ref/downstream/:accountId/revoke', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return act(ws, request, reply, 'downstream-revoke', 'unshared', (b) => revokeDownstream(ws.deps, request.caller.actor, request.params.ref, request.params.accountId, one(b.reason) ?? ''));
  });
}
