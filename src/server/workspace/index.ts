/**
 * The disclosure workspace as a route module of the server: server-rendered pages under
 * /workspace and a JSON API under /api, on the server's own store, with its own hooks (who is
 * calling, CSRF), error answers, body limit and timers — all inside this plugin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Store } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import type { RouteModule } from '../routes/module.js';
import { apiRoutes, apiUploadRoutes } from './api/routes.js';
import { checkCsrf, identifyBrowser, identifyClient, type Caller } from './auth.js';
import { HttpProblem, logFault, problemOf, sendJsonProblem } from './http.js';
import { IntakeLimit } from './intake-limit.js';
import { startJobs } from './jobs.js';
import { smtpTransport } from './mail.js';
import { accountPages } from './pages/account.js';
import { adminPages } from './pages/admin.js';
import { casePages } from './pages/cases.js';
import { cvssPages } from './pages/cvss.js';
import { draftPages } from './pages/draft.js';
import { downstreamPages } from './pages/downstream.js';
import { attachmentPages, messagePosting } from './pages/files.js';
import { render } from './pages/kit.js';
import { publicPages, reportSubmission } from './pages/public.js';
import { workspaceSettings } from './settings.js';
import { isUpload, uploadRoutes } from './uploads.js';
import { errorBody, errorTitle } from './views/error.js';
import { Workspace } from './workspace.js';

export { Workspace } from './workspace.js';
export { presessionToken } from './auth.js';
export { workspaceSettings, DEFAULT_WORKSPACE, type WorkspaceOptions, type WorkspaceSettings } from './settings.js';
export { runDrain, runReminders } from './jobs.js';
export { smtpTransport } from './mail.js';

/** The workspace of a running app, for tests and the jobs (one per server context). */
const workspaces = new WeakMap<ServerContext, Workspace>();
export const workspaceOf = (ctx: ServerContext): Workspace | undefined => workspaces.get(ctx);

/** A URL with an invitation token cut out (for the log). */
function redactInvitation(url: unknown): unknown {
  return typeof url === 'string' ? url.replace(/\/invitations\/[^/?#]+/, '/invitations/[secret]') : url;
}

function pageError(ws: Workspace, error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const p = problemOf(error, ws.settings.bodyLimit, ws.now());
  if (!p) logFault(request, error);
  const status = p?.status ?? 500;
  for (const [k, v] of Object.entries(p?.headers ?? {})) reply.header(k, v);
  // a request that failed before the caller was known (a body too large) is shown as anonymous
  request.caller ??= { actor: { kind: 'anonymous' }, via: 'anonymous', csrf: '' } satisfies Caller;
  return render(ws, request, reply, { title: errorTitle(status), status, body: errorBody(status, p?.message ?? 'The server could not answer this request; the error is logged.') });
}

async function pages(app: FastifyInstance, ws: Workspace, intake: IntakeLimit): Promise<void> {
  const { default: formbody } = await import('@fastify/formbody');
  await app.register(formbody, { bodyLimit: ws.settings.bodyLimit });
  app.addHook('onRequest', (request, reply) => identifyBrowser(ws, request, reply));
  app.addHook('preHandler', async (request) => {
    // a form with files is read by its route, which checks its `_csrf` (the first field) before any file
    if (isUpload(request)) return;
    try {
      checkCsrf(request, false);
    } catch (e) {
      // the report form whose page expired (or lost its cookie) keeps what was typed: the handler
      // shows it again with a fresh token and files nothing (see pages/public.ts)
      if (e instanceof HttpProblem && e.code === 'CSRF' && request.method === 'POST' && request.routeOptions.url === '/workspace/report') request.csrfRefused = true;
      else throw e;
    }
  });
  app.setErrorHandler((error, request, reply) => pageError(ws, error, request, reply));
  app.setNotFoundHandler(async (request, reply) => {
    await identifyBrowser(ws, request, reply);
    return pageError(ws, Object.assign(new Error('not found'), { statusCode: 404 }), request, reply);
  });
  publicPages(app, ws);
  await uploadRoutes(app, ws, (scope) => {
    reportSubmission(scope, ws, intake);
    messagePosting(scope, ws);
  });
  casePages(app, ws);
  attachmentPages(app, ws);
  downstreamPages(app, ws);
  cvssPages(app, ws);
  draftPages(app, ws);
  accountPages(app, ws);
  adminPages(app, ws);
}

async function api(app: FastifyInstance, ws: Workspace, intake: IntakeLimit): Promise<void> {
  // JSON only: a plain form of another site cannot post here
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', (request, reply) => identifyClient(ws, request, reply));
  app.addHook('preHandler', async (request) => checkCsrf(request, true));
  app.setErrorHandler((error, request, reply) => {
    const p = problemOf(error, ws.settings.bodyLimit, ws.now());
    if (p) return sendJsonProblem(reply, p);
    logFault(request, error);
    return sendJsonProblem(reply, { status: 500, code: 'INTERNAL', message: 'internal server error', headers: {} });
  });
  app.setNotFoundHandler((_request, reply) => sendJsonProblem(reply, { status: 404, code: 'NOT_FOUND', message: 'no such API endpoint', headers: {} }));
  apiRoutes(app, ws);
  await uploadRoutes(app, ws, (scope) => apiUploadRoutes(scope, ws, intake));
}

export const workspaceRoutes: RouteModule = {
  name: 'workspace',
  async routes(app, ctx) {
    const options = ctx.workspace ?? {};
    // the workspace lives in the server's own database: without a SQL store there is none
    if (options.enabled === false || !(ctx.repository instanceof Store)) return;
    const ws = new Workspace(ctx.repository, ctx, workspaceSettings(options, ctx.config.baseUrl));
    if (!ws.transport && ws.settings.smtpUrl) ws.transport = await smtpTransport(ws.settings.smtpUrl);
    workspaces.set(ctx, ws);
    const intake = new IntakeLimit(ws.settings.intakePerHour, () => ws.now(), ws.deps.store);

    // invitation links carry their secret in the path: the request log must not keep it
    app.addHook('onRequest', async (request) => {
      if (request.url.includes('/invitations/')) request.log = request.log.child({}, { serializers: { url: redactInvitation } });
    });
    const { default: cookie } = await import('@fastify/cookie');
    await app.register(cookie);
    app.decorateRequest('caller', null as unknown as Caller);
    app.addHook('onRoute', (route) => {
      route.bodyLimit ??= ws.settings.bodyLimit;
    });
    app.addHook('onSend', async (request, reply, payload) => {
      // private pages: never cached, never sent along as a referrer (invitation links carry a secret);
      // the static files (stylesheet, icon, page script) are the same for everyone
      // (a registered static route's answer: a 404 page under /workspace/static/ shows who is logged in)
      const staticFile = reply.statusCode === 200 && (request.routeOptions.url ?? '').startsWith('/workspace/static/');
      if (!staticFile) reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-robots-tag', 'noindex');
      return payload;
    });
    await app.register((scope) => pages(scope, ws, intake), { prefix: '/workspace' });
    await app.register((scope) => api(scope, ws, intake), { prefix: '/api' });

    let stop: (() => void) | undefined;
    app.addHook('onReady', async () => {
      await ws.syncPublished();
      stop = startJobs(ws, app.log);
    });
    app.addHook('onClose', async () => {
      stop?.();
      (ws.transport as { close?: () => void } | undefined)?.close?.();
    });
  },
};
