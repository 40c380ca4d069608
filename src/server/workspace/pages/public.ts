/** Pages anyone reaches: the dashboard, the report form, logging in and out, invitation links. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  fileReport,
  hashInvitationToken,
  isStaff,
  listCases,
  dueItems,
  login,
  logout,
  redeemInvitation,
  checkInvitation,
  earlierReport,
  intakeKeyHash,
  reportProblems,
  requestPasswordReset,
  type Account,
  type Invitation,
} from '../../../disclosure/index.js';
import { FAVICON_SVG } from '../../../publish/site/index.js';
import type { FormState } from '../views/forms.js';

/** the cookie that lets the page after a filed report show its reference (the form's idempotency key) */
const ACK_COOKIE = 'cpansec_report';

/** A shield with a check mark: the workspace's icon (hand-drawn SVG, 300 bytes). */
import { clearSessionCookie, setSessionCookie } from '../auth.js';
import { bodyOf, HttpProblem, lines, one, retryAfter } from '../http.js';
import type { IntakeLimit } from '../intake-limit.js';
import { acknowledgementPage, reportForm } from '../views/report.js';
import { dashboard } from '../views/cases.js';
import { forgotForm, invitationForm, loginForm } from '../views/login.js';
import { WORKSPACE_CSS } from '../views/css.js';
import type { Workspace } from '../workspace.js';
import { echo, formErrors, render, safeNext, statusOfForm } from './kit.js';
import { isUpload, readUpload } from '../uploads.js';

/** The report form's fields as the domain's report input (empty optional fields left out). */
function reportInputOf(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    distribution: one(body.distribution) ?? '',
    affectedVersions: lines(body.affectedVersions),
    description: one(body.description) ?? '',
    reporterEmail: one(body.reporterEmail) ?? '',
  };
  for (const k of ['proof', 'reporterName', 'credit', 'encryptionKey']) {
    const v = one(body[k]);
    if (v !== undefined && v.trim() !== '') out[k] = v;
  }
  return out;
}

const newKey = () => randomBytes(18).toString('base64url');

function reportPage(ws: Workspace, request: FastifyRequest, reply: FastifyReply, o: { status?: number; state?: FormState; idempotencyKey: string; signedIn?: Account }) {
  return render(ws, request, reply, {
    title: 'Report a vulnerability',
    ...(o.status ? { status: o.status } : {}),
    body: reportForm({
      csrf: request.caller.csrf,
      idempotencyKey: o.idempotencyKey,
      limits: { maxBytes: ws.settings.attachmentMaxBytes, maxFiles: ws.settings.attachmentMaxFiles },
      ...(o.state ? { state: o.state } : {}),
      ...(o.signedIn ? { signedIn: o.signedIn } : {}),
    }),
  });
}

async function signedInReporter(ws: Workspace, request: FastifyRequest): Promise<Account | undefined> {
  const a = request.caller.actor;
  return a.kind === 'account' && a.role === 'external' ? ws.deps.store.transaction((tx) => tx.accounts.get(a.accountId)) : undefined;
}

/**
 * The report form's submission (in the upload routes' scope: it takes files). POST-redirect-GET:
 * the form posts here, and a filed report answers 303 to /report/received, so a refresh shows the
 * acknowledgement again instead of posting again; the hidden idempotency key makes a second post of
 * the same form (a double click, a retry) give the same case.
 */
export function reportSubmission(app: FastifyInstance, ws: Workspace, intake: IntakeLimit): void {
  app.post('/report', async (request, reply) => {
    const upload = isUpload(request) ? await readUpload(request, ws, { csrf: 'form', keepText: true }) : undefined;
    if (upload?.csrfRefused) request.csrfRefused = true;
    const body = upload ? upload.fields : bodyOf(request);
    const files = upload?.files ?? [];
    const key = one(body.idempotencyKey) && /^[A-Za-z0-9_-]{16,64}$/.test(one(body.idempotencyKey)!) ? one(body.idempotencyKey)! : newKey();
    const values = echo(body);
    const signedIn = await signedInReporter(ws, request);
    const again = (status: number, state: FormState) => reportPage(ws, request, reply, { status, state, idempotencyKey: key, ...(signedIn ? { signedIn } : {}) });
    if (request.csrfRefused) {
      return again(403, { form: 'report', errors: [{ message: `This form expired before it was sent (or your browser did not keep its cookie), so nothing was filed. Your text is kept below: check it${files.length || upload ? ', choose your files again' : ''} and send it again.` }], values });
    }
    if (upload?.problem) return again(413, formErrors(upload.problem, 'report', values));
    const input = reportInputOf(body);
    const problems = reportProblems(input, ws.deps.index);
    if (problems.length) return again(400, { form: 'report', errors: problems, values });
    const received = () => {
      reply.setCookie(ACK_COOKIE, key, { path: '/workspace/report', httpOnly: true, sameSite: 'lax', secure: ws.ctx.config.baseUrl.startsWith('https:'), maxAge: 3600 });
      return reply.redirect('/workspace/report/received', 303);
    };
    try {
      const earlier = await earlierReport(ws.deps, request.caller.actor, input, key, files);
      if (earlier) return received();
      const retry = await intake.take(request.ip);
      if (retry) throw new HttpProblem(429, 'RATE_LIMITED', 'too many reports from your address; try again later', { 'retry-after': retryAfter(retry, ws.now()) });
      await fileReport(ws.deps, request.caller.actor, input, { idempotencyKey: key, attachments: files });
      return received();
    } catch (e) {
      return again(statusOfForm(e), formErrors(e, 'report', values));
    }
  });
}

export function publicPages(app: FastifyInstance, ws: Workspace): void {
  app.get('/static/workspace.css', async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(WORKSPACE_CSS));

  // our own icon, so no page load asks for a /favicon.ico that is not there
  app.get('/static/favicon.svg', async (_request, reply) => reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(FAVICON_SVG));

  app.get('/', async (request, reply) => {
    const a = request.caller.actor;
    if (a.kind !== 'account') return render(ws, request, reply, { title: 'Workspace', body: dashboard({ staff: false }) });
    if (a.restricted) return reply.redirect('/workspace/account', 303);
    const staff = isStaff(a);
    const [due, cases] = await Promise.all([staff ? dueItems(ws.deps, a) : Promise.resolve([]), listCases(ws.deps, a, { limit: 20 })]);
    return render(ws, request, reply, { title: 'Workspace', body: dashboard({ name: a.name, staff, downstream: a.role === 'downstream', due, cases }) });
  });

  app.get('/report', async (request, reply) => {
    const signedIn = await signedInReporter(ws, request);
    return reportPage(ws, request, reply, { idempotencyKey: newKey(), ...(signedIn ? { signedIn } : {}) });
  });

  app.get('/report/received', async (request, reply) => {
    const key = request.cookies[ACK_COOKIE];
    const filed = key && /^[A-Za-z0-9_-]{16,64}$/.test(key) ? await ws.deps.store.transaction((tx) => tx.cases.getByIntakeKey(intakeKeyHash(key))) : undefined;
    if (!filed) return reply.redirect('/workspace/report', 303);
    const ack = { reference: filed.reference, receivedAt: filed.createdAt, message: '' };
    return render(ws, request, reply, { title: 'Report received', body: acknowledgementPage(ack, request.caller.actor.kind === 'account', filed.report.reporter.email) });
  });

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    return render(ws, request, reply, { title: 'Log in', body: loginForm({ csrf: request.caller.csrf, next }) });
  });

  app.post('/login', async (request, reply) => {
    const body = bodyOf(request);
    const next = safeNext(one(body.next));
    const email = one(body.email) ?? '';
    const code = one(body.code)?.trim();
    const result = await login(ws.deps, { email, password: one(body.password) ?? '', ...(code ? { secondFactor: code } : {}), ip: request.ip });
    if (result.ok) {
      setSessionCookie(ws, reply, result.token);
      return reply.redirect(next === '/workspace' ? '/workspace?done=login' : next, 303);
    }
    const messages = {
      invalid: ['password', 'The e-mail address or the password is not right.'],
      'second-factor-required': ['code', 'Enter the code from your authenticator app (or a recovery code).'],
      'second-factor-invalid': ['code', 'The code is not right (or was used already); check the clock of your device.'],
      'rate-limited': ['email', 'Too many attempts: wait a few minutes and try again.'],
      busy: ['email', 'The server is busy checking passwords: try again in a moment.'],
    } as const;
    const [field, message] = messages[result.reason];
    if (result.retryAt) reply.header('retry-after', retryAfter(result.retryAt, ws.now()));
    const status = result.reason === 'rate-limited' ? 429 : result.reason === 'busy' ? 503 : 401;
    return render(ws, request, reply, {
      title: 'Log in',
      status,
      body: loginForm({ csrf: request.caller.csrf, next, askCode: result.reason.startsWith('second'), state: { form: 'login', errors: [{ field, message }], values: { email } } }),
    });
  });

  app.get('/forgot', async (request, reply) => render(ws, request, reply, { title: 'Forgotten password', body: forgotForm({ csrf: request.caller.csrf }) }));

  // POST-redirect-GET: the same page whatever the address, so nothing is learnt by asking
  app.post('/forgot', async (request, reply) => {
    const r = await requestPasswordReset(ws.deps, request.caller.actor, { email: one(bodyOf(request).email) ?? '', ip: request.ip });
    if (!r.ok) {
      reply.header('retry-after', retryAfter(r.retryAt, ws.now()));
      return render(ws, request, reply, { title: 'Forgotten password', status: 429, body: forgotForm({ csrf: request.caller.csrf, state: { form: 'forgot', errors: [{ field: 'email', message: 'Too many requests from your network: wait an hour and try again.' }], values: echo(bodyOf(request)) } }) });
    }
    return reply.redirect('/workspace/forgot/sent', 303);
  });

  app.get('/forgot/sent', async (request, reply) => render(ws, request, reply, { title: 'Forgotten password', body: forgotForm({ csrf: request.caller.csrf, sent: true }) }));

  app.post('/logout', async (request, reply) => {
    if (request.caller.sessionToken) await logout(ws.deps, request.caller.sessionToken);
    clearSessionCookie(ws, reply);
    return reply.redirect('/workspace/login?done=logout', 303);
  });

  const invitationOf = async (token: string): Promise<{ invitation?: Invitation; problem?: string }> => {
    if (!/^[0-9a-z]{20,80}$/.test(token)) return { problem: 'This invitation link is not valid.' };
    const invitation = await ws.deps.store.transaction((tx) => tx.invitations.getByTokenHash(hashInvitationToken(token)));
    if (!invitation) return { problem: 'This invitation link is not valid.' };
    const check = checkInvitation(invitation, ws.now());
    if (check === 'redeemed') return { invitation, problem: 'This invitation was used already: log in instead.' };
    if (check === 'expired') return { invitation, problem: 'This invitation has expired: ask the team for a new one.' };
    if (check === 'closed') return { invitation, problem: 'This link is no longer valid: a newer one was sent, or the password was set meanwhile.' };
    return { invitation };
  };

  const signedInAs = (request: { caller: { actor: { kind: string; name?: string } } }) => (request.caller.actor.kind === 'account' ? request.caller.actor.name : undefined);

  app.get<{ Params: { token: string } }>('/invitations/:token', async (request, reply) => {
    const found = await invitationOf(request.params.token);
    const who = signedInAs(request);
    return render(ws, request, reply, {
      title: 'Invitation',
      status: found.problem ? (found.invitation ? 409 : 404) : 200,
      body: invitationForm({ csrf: request.caller.csrf, token: request.params.token, ...found, ...(who ? { signedInAs: who } : {}) }),
    });
  });

  app.post<{ Params: { token: string } }>('/invitations/:token', async (request, reply) => {
    const body = bodyOf(request);
    const token = request.params.token;
    const found = await invitationOf(token);
    const who = signedInAs(request);
    if (!found.invitation || found.problem) {
      return render(ws, request, reply, { title: 'Invitation', status: found.invitation ? 409 : 404, body: invitationForm({ csrf: request.caller.csrf, token, ...found }) });
    }
    const password = one(body.password);
    try {
      const account = await redeemInvitation(ws.deps, request.caller.actor, token, { ...(password !== undefined ? { password } : {}), ...(one(body.name) ? { name: one(body.name) } : {}) });
      const caseId = found.invitation.caseId;
      const c = caseId ? await ws.deps.store.transaction((tx) => tx.cases.get(caseId)) : undefined;
      if (request.caller.actor.kind !== 'account' || found.invitation.kind === 'account') {
        const session = await login(ws.deps, { email: account.email, password: password ?? '', ip: request.ip });
        if (!session.ok) return reply.redirect('/workspace/login?done=welcome', 303);
        setSessionCookie(ws, reply, session.token);
      }
      return reply.redirect(c ? `/workspace/cases/${c.reference}?done=welcome` : '/workspace?done=welcome', 303);
    } catch (e) {
      const state = formErrors(e, 'invitation', echo(body));
      return render(ws, request, reply, { title: 'Invitation', status: statusOfForm(e), body: invitationForm({ csrf: request.caller.csrf, token, invitation: found.invitation, state, ...(who ? { signedInAs: who } : {}) }) });
    }
  });
}
