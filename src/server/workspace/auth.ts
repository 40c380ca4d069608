/**
 * Who is calling, and whether a state-changing request really comes from our own page.
 *
 * Browsers: a session cookie (HttpOnly, SameSite=Lax, Secure on https, `__Host-` prefixed there),
 * and on every unsafe request the session's CSRF token (synchronizer-token pattern: a hidden form
 * field `_csrf`, or the `X-CSRF-Token` header for scripts running in the page). Visitors without
 * a session (the report form, the login form, invitations) get a random token in a cookie of its
 * own and must send it back in the form (double submit), so these forms are protected as well.
 * Scripts: `Authorization: Bearer cpansec_…` API tokens, on /api only; no cookie, so no CSRF.
 * The domain's policy decides what the actor may do; this only establishes who it is.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie'; // its types: request.cookies, reply.setCookie
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, resolveApiToken, resolveSession, type Actor, type Session } from '../../disclosure/index.js';
import { HttpProblem, isUnsafe, one } from './http.js';
import type { Workspace } from './workspace.js';

export interface Caller {
  actor: Actor;
  via: 'session' | 'token' | 'anonymous';
  session?: Session;
  /** the cookie's token, to end the session on logout */
  sessionToken?: string;
  /** what forms of this response carry in `_csrf` */
  csrf: string;
  /** what this request's own `_csrf` must be, when not `csrf` (a pre-session begun by this very request: nothing) */
  expected?: string;
  /** an anonymous unsafe request that another site's page sent (Origin, Sec-Fetch-Site) */
  crossSite?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
    /** the CSRF check failed on a form that answers it itself (the report form keeps the text) */
    csrfRefused?: boolean;
  }
}

function cookieNames(secure: boolean): { session: string; csrf: string } {
  // the __Host- prefix: the browser keeps such a cookie only if Secure, for this host, path /
  return secure ? { session: '__Host-cpansec_session', csrf: '__Host-cpansec_csrf' } : { session: 'cpansec_session', csrf: 'cpansec_csrf' };
}

function isSecure(ws: Workspace): boolean {
  return ws.ctx.config.baseUrl.startsWith('https:');
}

const CSRF_SHAPE = /^[A-Za-z0-9_-]{32,64}$/;

function cookieOptions(ws: Workspace, maxAgeSeconds?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: isSecure(ws), ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
}

export function setSessionCookie(ws: Workspace, reply: FastifyReply, token: string): void {
  reply.setCookie(cookieNames(isSecure(ws)).session, token, cookieOptions(ws, ws.deps.config.session.absoluteHours * 3600));
}

export function clearSessionCookie(ws: Workspace, reply: FastifyReply): void {
  reply.clearCookie(cookieNames(isSecure(ws)).session, cookieOptions(ws));
}

async function fromSession(ws: Workspace, request: FastifyRequest, reply: FastifyReply): Promise<Caller | undefined> {
  const names = cookieNames(isSecure(ws));
  const token = request.cookies[names.session];
  if (!token) return undefined;
  const resolved = token.length <= 128 ? await resolveSession(ws.deps, token) : undefined;
  if (!resolved) {
    clearSessionCookie(ws, reply);
    return undefined;
  }
  return { actor: resolved.actor, via: 'session', session: resolved.session, sessionToken: token, csrf: resolved.session.csrfToken };
}

/**
 * An anonymous visitor's CSRF token, bound to a pre-session. The cookie holds a random pre-session
 * id; the form's token is an HMAC of it under a key only the servers know (shared through the
 * store), so a cookie and a form field chosen together by an attacker — planted on a plain-http
 * deployment or from a sibling subdomain — do not match (login CSRF). A valid pair the attacker
 * got from the server for themselves still fails where it matters: a browser sends the attacker's
 * page's Origin and Sec-Fetch-Site: cross-site with it, which the check refuses.
 */
async function anonymous(ws: Workspace, request: FastifyRequest, reply: FastifyReply): Promise<Caller> {
  const name = cookieNames(isSecure(ws)).csrf;
  let pre = request.cookies[name];
  let fresh = false;
  if (!pre || !CSRF_SHAPE.test(pre)) {
    pre = randomBytes(24).toString('base64url');
    fresh = true;
    // only pages show forms; the cookie is not needed for the API
    if (!request.url.startsWith('/api/')) reply.setCookie(name, pre, cookieOptions(ws));
  }
  const csrf = await presessionToken(ws, pre);
  // an unsafe request that brought no pre-session cannot pass the check
  return { actor: ANONYMOUS, via: 'anonymous', csrf, ...(fresh && isUnsafe(request.method) ? { expected: '' } : {}), crossSite: crossSite(ws, request) };
}

/** The form token of a pre-session id (the cookie's value). */
export async function presessionToken(ws: Workspace, pre: string): Promise<string> {
  return createHmac('sha256', await ws.presessionKey()).update(`presession-csrf\u0000${pre}`).digest('base64url');
}

/** Whether a browser says this request comes from another site's page. */
export function crossSite(ws: Workspace, request: FastifyRequest): boolean {
  const site = one(request.headers['sec-fetch-site']);
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = one(request.headers.origin);
  // "null": browsers send it for forms of pages with Referrer-Policy: no-referrer (ours): it says
  // nothing of where the form was; Sec-Fetch-Site above does
  if (origin === undefined || origin === 'null') return false;
  const own = new Set([`${request.protocol}://${request.host}`]);
  try {
    if (ws.ctx.config.baseUrl) own.add(new URL(ws.ctx.config.baseUrl).origin);
  } catch {
    // no base URL: the request's own host is the origin
  }
  return !own.has(origin);
}

/** onRequest of the pages: session or anonymous. */
export async function identifyBrowser(ws: Workspace, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  request.caller = (await fromSession(ws, request, reply)) ?? (await anonymous(ws, request, reply));
}

/** onRequest of the API: a Bearer token, else a session, else anonymous. */
export async function identifyClient(ws: Workspace, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
    const actor = m ? await resolveApiToken(ws.deps, m[1]!) : undefined;
    if (!actor) throw new HttpProblem(401, 'UNAUTHENTICATED', 'the API token is not valid (expired, revoked or mistyped)', { 'www-authenticate': 'Bearer realm="cpansec"' });
    request.caller = { actor, via: 'token', csrf: '' };
    return;
  }
  request.caller = (await fromSession(ws, request, reply)) ?? { actor: ANONYMOUS, via: 'anonymous', csrf: '' };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * preHandler: an unsafe request from a browser must carry the token of its session (or, without
 * a session, of its CSRF cookie). API tokens and anonymous API calls (JSON only, so no plain
 * form of another site can send them) need none.
 */
export function checkCsrf(request: FastifyRequest, api: boolean): void {
  if (!isUnsafe(request.method)) return;
  const c = request.caller;
  if (c.via === 'token' || (api && c.via === 'anonymous')) return;
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const sent = one(request.headers['x-csrf-token']) ?? one(body._csrf) ?? '';
  if (!csrfMatches(c, sent)) throw csrfProblem(c);
}

/** Whether a form's (or header's) token is the caller's, from our own page. */
export function csrfMatches(c: Caller, sent: string): boolean {
  return !c.crossSite && same(sent, c.expected ?? c.csrf);
}

export function csrfProblem(c: Caller): HttpProblem {
  return new HttpProblem(403, 'CSRF', c.via === 'session' ? 'the form’s security token does not match your session: reload the page and send it again' : 'the form expired or did not come from this site: reload the page and send it again');
}
