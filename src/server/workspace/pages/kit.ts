/** What the page routes share: rendering in the shell, the login gate, forms that come back with errors. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Html } from '../../../publish/site/index.js';
import { isCpansecError } from '../../../errors.js';
import { SCRIPT_PAGE_CONTENT_SECURITY_POLICY } from '../../http/security.js';
import type { Workspace } from '../workspace.js';
import type { FormState } from '../views/forms.js';
import { workspacePage } from '../views/layout.js';

/** What `?done=` after a redirect says; fixed sentences, so a link cannot make the page say anything else. */
const FLASH: Record<string, string> = {
  transition: 'The case moved.',
  scope: 'The scope decision is recorded.',
  rating: 'The rating is recorded.',
  cvss: 'The CVSS vector is saved.',
  embargo: 'The embargo is set.',
  lift: 'The embargo is lifted.',
  invite: 'The invitation was sent to the author.',
  remind: 'A reminder was sent to the author.',
  reporterlink: 'A new link was sent to the reporter; the earlier ones no longer work.',
  contact: 'The contact is logged.',
  answer: 'The answer is recorded.',
  message: 'Your message was posted.',
  downstream: 'The downstream notice is saved; a packager it is newly shared with is told by mail.',
  unshared: 'The share is ended: that packager no longer sees the case.',
  draft: 'The draft advisory was created.',
  saved: 'The draft is saved.',
  cve: 'The CVE id is assigned.',
  published: 'The advisory is published: it is on the public site, in the feeds and the APIs.',
  edit: 'The report is amended.',
  login: 'You are logged in.',
  logout: 'You are logged out.',
  password: 'Your password is changed; log in with the new one.',
  revoked: 'The token is revoked.',
  totpoff: 'The second factor is off.',
  account: 'The account is changed.',
  welcome: 'Welcome: your access is set up.',
};

function flashOf(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' ? FLASH[done] : undefined;
}

export interface RenderOptions {
  title: string;
  body: Html;
  status?: number;
  flash?: string;
  /** our own script files the page loads (its Content-Security-Policy then admits scripts of this origin) */
  scripts?: { src: string; integrity: string }[];
}

export function render(ws: Workspace, request: FastifyRequest, reply: FastifyReply, o: RenderOptions): FastifyReply {
  const path = request.url.split('?')[0]!;
  const page = workspacePage({ title: o.title, caller: request.caller, site: ws.ctx.config.title, path, flash: o.flash ?? flashOf(request), body: o.body, scripts: o.scripts ?? [] });
  if (o.scripts?.length) reply.header('content-security-policy', SCRIPT_PAGE_CONTENT_SECURITY_POLICY);
  return reply.code(o.status ?? 200).type('text/html; charset=utf-8').send(page);
}

/** A relative workspace path to return to after logging in (never another site). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/workspace(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9=&._~%-]*)?$/.test(value) && !value.startsWith('//') ? value : '/workspace';
}

/**
 * Pages for people with an account: anyone else is sent to the login form (whether or not what
 * they asked for exists). An account that must first enrol a second factor is sent to its
 * account page.
 */
export function needAccount(request: FastifyRequest, reply: FastifyReply): boolean {
  const a = request.caller.actor;
  if (a.kind !== 'account') {
    const next = request.method === 'GET' ? request.url : '/workspace';
    void reply.redirect(`/workspace/login?next=${encodeURIComponent(safeNext(next))}`, 303);
    return false;
  }
  if (a.restricted && !request.url.startsWith('/workspace/account')) {
    void reply.redirect('/workspace/account', 303);
    return false;
  }
  return true;
}

/** The errors a person can fix on the form they sent (bad input, not possible now); others propagate. */
export function formErrors(e: unknown, form: string, values: Record<string, unknown>): FormState {
  if (isCpansecError(e) && (e.code === 'PARSE_ERROR' || e.code === 'CONFLICT' || e.code === 'USAGE' || e.code === 'TOO_LARGE')) {
    return { form, errors: [{ ...(e.file ? { field: e.file } : {}), message: e.message }], values };
  }
  throw e;
}

export const statusOfForm = (e: unknown) => (isCpansecError(e) && e.code === 'CONFLICT' ? 409 : isCpansecError(e) && e.code === 'TOO_LARGE' ? 413 : 400);

/** Form values to show again: everything but secrets and the CSRF token. */
export function echo(body: Record<string, unknown>): Record<string, unknown> {
  const { _csrf: _c, password: _p, current: _cu, next: _n, code: _co, ...rest } = body;
  return rest;
}
