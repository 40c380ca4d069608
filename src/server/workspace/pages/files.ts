/** Files on case pages: posting a message with files (an upload route), downloading a file. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { postMessage, readAttachment, viewCase } from '../../../disclosure/index.js';
import { sendAttachment } from '../download.js';
import { bodyOf, one } from '../http.js';
import { isUpload, readUpload } from '../uploads.js';
import type { Workspace } from '../workspace.js';
import { showCase } from './case-data.js';
import { act, optional } from './cases.js';
import { echo, formErrors, needAccount } from './kit.js';

type CaseRequest = FastifyRequest<{ Params: { ref: string } }>;

/** The message form: text, and files (in the upload routes' scope). */
export function messagePosting(app: FastifyInstance, ws: Workspace): void {
  app.post<{ Params: { ref: string } }>('/cases/:ref/messages', async (request: CaseRequest, reply) => {
    if (!needAccount(request, reply)) return reply;
    // someone not on the case sends no file into the server's memory: the case must be theirs first
    if (isUpload(request)) await viewCase(ws.deps, request.caller.actor, request.params.ref);
    const upload = isUpload(request) ? await readUpload(request, ws, { csrf: 'form' }) : undefined;
    const body = upload?.fields ?? bodyOf(request);
    if (upload?.problem) return showCase(ws, request, reply, request.params.ref, formErrors(upload.problem, 'message', echo(body)), 413);
    return act(
      ws,
      request,
      reply,
      'message',
      'message',
      (b) => postMessage(ws.deps, request.caller.actor, request.params.ref, { body: one(b.body) ?? '', visibility: optional(b.visibility), attachments: upload?.files ?? [] }),
      body,
    );
  });
}

export function attachmentPages(app: FastifyInstance, ws: Workspace): void {
  app.get<{ Params: { ref: string; id: string } }>('/cases/:ref/attachments/:id', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const { attachment, content } = await readAttachment(ws.deps, request.caller.actor, request.params.ref, request.params.id);
    return sendAttachment(reply, attachment, content);
  });
}
