/**
 * The workspace's JSON API under /api: every command of the domain for scripts (API tokens) and
 * for pages that call it (session cookie plus the X-CSRF-Token header). Handlers translate the
 * JSON body into a command call; the domain's policy decides, errors map to 400/403/404/409.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  earlierReport,
  assessCase,
  assignCve,
  caseAuditTrail,
  checkDraft,
  createDraft,
  cveInputFor,
  dueItems,
  editDraft,
  editReport,
  fileReport,
  inviteAuthor,
  liftEmbargo,
  listCases,
  listOutbox,
  logContact,
  parseAuditHead,
  parseCvss,
  postMessage,
  publishCase,
  readAttachment,
  readDownstream,
  readThread,
  recordAnswer,
  remindAuthor,
  resendReporterLink,
  revokeDownstream,
  sendReminders,
  setEmbargo,
  shareWithDownstream,
  transitionCase,
  triageInfo,
  verifyAudit,
  viewCase,
  type AssessmentInput,
  type AttachmentInput,
} from '../../../disclosure/index.js';
import { CpansecError } from '../../../errors.js';
import { crossSite } from '../auth.js';
import { buildCveRecord } from '../cve-record.js';
import { sendAttachment } from '../download.js';
import { bodyOf, HttpProblem, one, retryAfter } from '../http.js';
import type { IntakeLimit } from '../intake-limit.js';
import { isUpload, readUpload } from '../uploads.js';
import type { Workspace } from '../workspace.js';

type CaseRequest = FastifyRequest<{ Params: { ref: string } }>;

const json = (reply: FastifyReply, status: number, value: unknown) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(value));

/** A list from a query parameter given once or repeated. */
const many = (v: unknown): unknown[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function apiRoutes(app: FastifyInstance, ws: Workspace): void {
  const d = ws.deps;
  const who = (request: FastifyRequest) => request.caller.actor;
  const view = (request: CaseRequest, ref?: string) => viewCase(d, who(request), ref ?? request.params.ref);

  app.get('/me', async (request, reply) => {
    const a = who(request);
    return json(reply, 200, a.kind === 'account' ? { kind: 'account', id: a.accountId, name: a.name, role: a.role, via: a.via, readOnly: a.readOnly } : { kind: a.kind });
  });

  app.post('/cvss', async (request, reply) => {
    const vector = bodyOf(request).vector;
    if (typeof vector !== 'string') throw new CpansecError('PARSE_ERROR', 'must be a CVSS vector string', { file: 'vector' });
    const r = parseCvss(vector);
    return json(reply, 200, { version: r.version, vector: r.vector, baseScore: r.baseScore, score: r.score, severity: r.severity, nomenclature: r.nomenclature });
  });

  app.get<{ Querystring: Record<string, unknown> }>('/cases', async (request, reply) => {
    const q = request.query;
    const states = many(q.state);
    return json(reply, 200, { cases: await listCases(d, who(request), { ...(states ? { states } : {}), distribution: q.distribution, limit: q.limit, offset: q.offset }) });
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref', async (request, reply) => json(reply, 200, await view(request)));

  app.patch<{ Params: { ref: string } }>('/cases/:ref/report', async (request, reply) => {
    const { reason, ...edit } = bodyOf(request);
    const c = await editReport(d, who(request), request.params.ref, edit, typeof reason === 'string' ? reason : undefined);
    return json(reply, 200, await view(request, c.reference));
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/transitions', async (request, reply) => {
    const b = bodyOf(request);
    const c = await transitionCase(d, who(request), request.params.ref, b.to, b.reason, typeof b.duplicateOf === 'string' ? { duplicateOf: b.duplicateOf } : {});
    return json(reply, 200, await view(request, c.reference));
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/assessment', async (request, reply) => {
    const c = await assessCase(d, who(request), request.params.ref, bodyOf(request) as AssessmentInput);
    return json(reply, 200, await view(request, c.reference));
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/triage', async (request, reply) => json(reply, 200, await triageInfo(d, who(request), request.params.ref)));

  app.put<{ Params: { ref: string } }>('/cases/:ref/embargo', async (request, reply) => {
    const b = bodyOf(request);
    const c = await setEmbargo(d, who(request), request.params.ref, b.endsAt, b.reason);
    return json(reply, 200, await view(request, c.reference));
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/embargo/lift', async (request, reply) => {
    const c = await liftEmbargo(d, who(request), request.params.ref, bodyOf(request).reason);
    return json(reply, 200, await view(request, c.reference));
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/messages', async (request, reply) => json(reply, 200, { messages: await readThread(d, who(request), request.params.ref) }));

  app.get<{ Params: { ref: string; id: string } }>('/cases/:ref/attachments/:id', async (request, reply) => {
    const { attachment, content } = await readAttachment(d, who(request), request.params.ref, request.params.id);
    return sendAttachment(reply, attachment, content);
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/downstream', async (request, reply) => json(reply, 200, await readDownstream(d, who(request), request.params.ref)));

  app.post<{ Params: { ref: string } }>('/cases/:ref/downstream-shares', async (request, reply) => {
    const b = bodyOf(request);
    const c = await shareWithDownstream(d, who(request), request.params.ref, {
      ...(b.accountId !== undefined ? { accountId: b.accountId } : {}),
      ...(b.summary !== undefined ? { summary: b.summary } : {}),
      ...(b.fixAttachmentId !== undefined ? { fixAttachmentId: b.fixAttachmentId } : {}),
    });
    return json(reply, 201, { downstream: (await view(request, c.reference)).downstream });
  });

  app.post<{ Params: { ref: string; accountId: string } }>('/cases/:ref/downstream-shares/:accountId/revoke', async (request, reply) => {
    const c = await revokeDownstream(d, who(request), request.params.ref, request.params.accountId, bodyOf(request).reason);
    return json(reply, 200, { downstream: (await viewCase(d, who(request), c.reference)).downstream });
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/contacts', async (request, reply) => {
    const b = bodyOf(request);
    const { contact } = await logContact(d, who(request), request.params.ref, { channel: b.channel, to: b.to, summary: b.summary, at: b.at, respondBy: b.respondBy });
    return json(reply, 201, contact);
  });

  app.post<{ Params: { ref: string; contactId: string } }>('/cases/:ref/contacts/:contactId/answer', async (request, reply) => {
    const b = bodyOf(request);
    return json(reply, 200, await recordAnswer(d, who(request), request.params.ref, request.params.contactId, { summary: b.summary, at: b.at }));
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/author-invitations', async (request, reply) => {
    const b = bodyOf(request);
    const { case: c } = await inviteAuthor(d, who(request), request.params.ref, { email: b.email, name: b.name, respondBy: b.respondBy });
    // the link goes to the author by mail only
    return json(reply, 201, { case: await view(request, c.reference), mailedTo: b.email });
  });

  // the team re-sends to the author in one action: a reminder to the address last written to
  app.post<{ Params: { ref: string } }>('/cases/:ref/author-reminders', async (request, reply) => {
    const r = await remindAuthor(d, who(request), request.params.ref);
    return json(reply, 201, { reference: r.case.reference, mailedTo: r.to, contact: r.contact });
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/reporter-link', async (request, reply) => {
    const r = await resendReporterLink(d, who(request), request.params.ref, bodyOf(request).reason);
    return json(reply, 201, { reference: r.reference, sentTo: r.to, closed: r.closed });
  });

  // the entries keep the actors' ids (the chain covers them); `actors` names them
  app.get<{ Params: { ref: string } }>('/cases/:ref/audit', async (request, reply) => json(reply, 200, await caseAuditTrail(d, who(request), request.params.ref)));

  app.post<{ Params: { ref: string } }>('/cases/:ref/draft', async (request, reply) => {
    const c = await createDraft(d, who(request), request.params.ref);
    return json(reply, 201, { draft: c.draft, problems: await checkDraft(d, who(request), c.reference) });
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/draft', async (request, reply) => {
    const problems = await checkDraft(d, who(request), request.params.ref);
    return json(reply, 200, { draft: (await view(request)).draft, problems });
  });

  app.patch<{ Params: { ref: string } }>('/cases/:ref/draft', async (request, reply) => {
    const c = await editDraft(d, who(request), request.params.ref, request.body);
    return json(reply, 200, { draft: c.draft, problems: await checkDraft(d, who(request), c.reference) });
  });

  app.put<{ Params: { ref: string } }>('/cases/:ref/cve', async (request, reply) => {
    const c = await assignCve(d, who(request), request.params.ref, bodyOf(request).cve);
    return json(reply, 200, await view(request, c.reference));
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/cve-record', async (request, reply) => {
    const built = buildCveRecord(await cveInputFor(d, who(request), request.params.ref));
    return json(reply, 200, { record: built.record ?? null, problems: built.problems, yaml: built.yaml });
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/publish', async (request, reply) => {
    const b = bodyOf(request);
    const { case: c, events } = await publishCase(d, who(request), request.params.ref, b.reason, { withoutFix: b.withoutFix === true });
    await ws.published(events[0], c.publishedAt!);
    return json(reply, 200, { reference: c.reference, state: c.state, publishedAt: c.publishedAt, advisory: events[0].advisory.id, url: `${ws.ctx.config.baseUrl}/advisories/${encodeURIComponent(events[0].advisory.id)}` });
  });

  app.get('/reminders', async (request, reply) => json(reply, 200, { due: await dueItems(d, who(request)) }));

  app.post('/reminders', async (request, reply) => json(reply, 200, await sendReminders(d, who(request))));

  app.get<{ Querystring: Record<string, string | undefined> }>('/outbox', async (request, reply) => {
    const status = request.query.status;
    if (status !== undefined && !['pending', 'sending', 'sent', 'failed'].includes(status)) throw new CpansecError('PARSE_ERROR', 'one of pending, sending, sent, failed', { file: 'status' });
    return json(reply, 200, { mails: await listOutbox(d, who(request), { ...(status ? { status: status as 'pending' } : {}), limit: 1000 }) });
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/audit/verify', async (request, reply) => {
    // against the store's recorded head always; against a head seen elsewhere (a team mail) when given
    const text = request.query.head;
    const head = text === undefined ? undefined : parseAuditHead(text);
    if (text !== undefined && !head) throw new CpansecError('PARSE_ERROR', 'give the head as SEQ:HASH (the number and the 64 hex digits)', { file: 'head' });
    const result = await verifyAudit(d, who(request), head);
    return json(reply, 200, { ...result, recordedHead: await d.store.transaction((tx) => tx.audit.recordedHead()) });
  });
}

/**
 * The routes that take files (multipart/form-data) as well as JSON: a report (its fields as JSON in
 * a `report` part, the files as `attachment` parts) and a message (`body`, `visibility` and
 * `attachment` parts). A session's call carries the X-CSRF-Token header (checked before the body is
 * read); an anonymous multipart call sent by another site's page is refused, as a form would be.
 */
export function apiUploadRoutes(app: FastifyInstance, ws: Workspace, intake: IntakeLimit): void {
  const d = ws.deps;
  const who = (request: FastifyRequest) => request.caller.actor;
  const upload = async (request: FastifyRequest): Promise<{ body: Record<string, unknown>; files: AttachmentInput[] }> => {
    if (!isUpload(request)) return { body: bodyOf(request), files: [] };
    if (request.caller.via === 'anonymous' && crossSite(ws, request)) throw new HttpProblem(403, 'CSRF', 'a file upload from another site’s page is refused');
    const u = await readUpload(request, ws, { csrf: 'checked' });
    if (u.problem) throw u.problem;
    return { body: u.fields, files: u.files };
  };

  app.post('/reports', async (request, reply) => {
    const { body, files } = await upload(request);
    // a multipart report carries its fields as JSON in the `report` part; a JSON one is the body as sent (an array is refused by the domain)
    const input = isUpload(request) ? reportPart(body.report) : request.body;
    const key = one(request.headers['idempotency-key']);
    // a retry with the key of a report already filed answers as the first time, and costs no quota
    const replay = key ? await earlierReport(d, who(request), input, key, files) : undefined;
    if (replay) {
      reply.header('location', `/workspace/cases/${replay.acknowledgement.reference}`).header('idempotent-replayed', 'true');
      return json(reply, 201, replay.acknowledgement);
    }
    const retry = await intake.take(request.ip);
    if (retry) throw new HttpProblem(429, 'RATE_LIMITED', 'too many reports from your address; try again later', { 'retry-after': retryAfter(retry, ws.now()) });
    const filed = await fileReport(d, who(request), input, { ...(key ? { idempotencyKey: key } : {}), attachments: files });
    reply.header('location', `/workspace/cases/${filed.acknowledgement.reference}`);
    if (filed.replayed) reply.header('idempotent-replayed', 'true');
    return json(reply, 201, filed.acknowledgement);
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/messages', async (request, reply) => {
    // someone not on the case sends no file into the server's memory: the case must be theirs first
    if (isUpload(request)) await viewCase(d, who(request), request.params.ref);
    const { body, files } = await upload(request);
    const m = await postMessage(d, who(request), request.params.ref, { body: body.body, visibility: body.visibility, attachments: files });
    const thread = await readThread(d, who(request), request.params.ref);
    return json(reply, 201, { id: m.id, at: m.at, visibility: m.visibility, attachments: thread.find((x) => x.id === m.id)?.attachments ?? [] });
  });
}

/** The `report` part of a multipart report: JSON (sent with or without its content type). */
function reportPart(value: unknown): unknown {
  if (value === undefined) throw new CpansecError('PARSE_ERROR', 'a multipart report needs a `report` part with the report as JSON', { file: 'report' });
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new CpansecError('PARSE_ERROR', 'is not valid JSON', { file: 'report' });
  }
}
