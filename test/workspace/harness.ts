/**
 * A server with the workspace over a fresh store of a backend, with a settable clock, a seeded
 * random source, cheap password hashing and a recording mail transport; and a small browser-like
 * client for app.inject that keeps cookies and sends the forms' CSRF token.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  accountActor,
  createApiToken,
  emailKey,
  hashPassword,
  type Account,
  type AccountRole,
  type MailMessage,
  type OutboxMail,
} from '../../src/disclosure/index.js';
import { runDrain, workspaceOf, type Workspace, type WorkspaceOptions } from '../../src/server/workspace/index.js';
import { seededRandom, TEST_SCRYPT, TestClock } from '../disclosure/helpers.js';
import type { Backend } from '../store/backends.js';
import { testServer, type TestServer } from '../server/harness.js';
import type { AdvisoryDatabase } from '../../src/advisory/index.js';
import type { ServerOptions } from '../../src/server/index.js';

export const PASSWORD = 'correct horse battery staple';

export class RecordingTransport {
  sent: MailMessage[] = [];
  async send(mail: MailMessage): Promise<void> {
    this.sent.push(mail);
  }
}

export interface WorkspaceServer extends TestServer {
  ws: Workspace;
  clock: TestClock;
  transport: RecordingTransport;
  routes: { method: string; url: string }[];
}

export async function workspaceServer(
  backend: Backend,
  o: { workspace?: WorkspaceOptions; database?: AdvisoryDatabase; seed?: string; logger?: ServerOptions['logger']; trustProxy?: ServerOptions['trustProxy'] } = {},
): Promise<WorkspaceServer> {
  const clock = new TestClock(new Date('2026-03-02T10:00:00Z'));
  const transport = new RecordingTransport();
  const routes: { method: string; url: string }[] = [];
  const server = await testServer(backend, {
    clock: () => clock.now(),
    ...(o.database ? { database: o.database } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.trustProxy !== undefined ? { trustProxy: o.trustProxy } : {}),
    onRoute: (r) => {
      for (const method of [r.method].flat()) routes.push({ method, url: r.url });
    },
    workspace: { scrypt: TEST_SCRYPT, random: seededRandom(o.seed ?? 'workspace'), transport, drainIntervalMs: 0, remindersIntervalMs: 0, intakePerHour: 1000, ...o.workspace },
  });
  const ws = workspaceOf(server.ctx)!;
  return { ...server, ws, clock, transport, routes };
}

/** An account with a password, put straight into the store. */
export async function addUser(ws: Workspace, name: string, role: AccountRole, password = PASSWORD): Promise<Account> {
  const now = ws.now().toISOString();
  const email = `${name}@example.org`;
  const account: Account = {
    id: name.padEnd(26, '0').slice(0, 26).toLowerCase().replace(/[^0-9a-z]/g, '0'),
    email,
    emailKey: emailKey(email),
    name,
    role,
    passwordHash: await hashPassword(password, ws.deps.random, TEST_SCRYPT),
    disabled: false,
    totp: null,
    createdAt: now,
    updatedAt: now,
  };
  await ws.deps.store.transaction((tx) => tx.accounts.insert(account));
  return account;
}

export async function tokenFor(ws: Workspace, account: Account, readOnly: boolean): Promise<string> {
  return (await createApiToken(ws.deps, accountActor(account), { name: readOnly ? 'read' : 'write', readOnly, password: PASSWORD })).token;
}

export async function outbox(ws: Workspace): Promise<OutboxMail[]> {
  return ws.deps.store.transaction((tx) => tx.outbox.list({}));
}

/**
 * The token of the newest invitation link mailed to this address. Links are made when the outbox
 * sends the mail (none is stored), so this drains the outbox through the recording transport, as
 * the server's timer would, and reads the mail as sent.
 */
export async function invitationToken(ws: Workspace, to: string): Promise<string> {
  const transport = ws.transport as RecordingTransport;
  while ((await runDrain(ws))?.sent) {
    // until nothing is due
  }
  const m = [...transport.sent].reverse().find((x) => x.to === to && /invitations\//.test(x.text));
  if (!m) throw new Error(`no invitation mailed to ${to}`);
  return /invitations\/([0-9a-z]+)/.exec(m.text)![1]!;
}

/** A browser over app.inject: cookies kept, the page's CSRF token sent with every form. */
export class Client {
  cookies = new Map<string, string>();
  csrf = '';
  /** follow the report form's redirect to its acknowledgement (POST-redirect-GET), as a browser does */
  followReport = true;

  constructor(readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(r: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of r.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(r.body);
    if (m) this.csrf = m[1]!;
    return r;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }

  /** A form post; `_csrf` is the last page's token unless the form gives its own. */
  async post(url: string, form: Record<string, string | string[]> = {}, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: this.csrf, ...form })) for (const x of [v].flat()) body.append(k, x);
    const r = this.keep(
      await this.app.inject({ method: 'POST', url, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...headers } }),
    );
    if (this.followReport && r.statusCode === 303 && r.headers.location === '/workspace/report/received') return this.get('/workspace/report/received');
    return r;
  }

  /**
   * A multipart form post, as a browser sends a form with files: `_csrf` first (the last page's
   * token unless `csrf` says otherwise; null: none), then the fields in order, then the files.
   */
  async postFiles(url: string, fields: Record<string, string>, files: { name: string; bytes: Uint8Array; field?: string }[], o: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
    const csrf = o.csrf === undefined ? this.csrf : o.csrf;
    const { payload, contentType } = await multipartBody([...(csrf === null ? [] : [['_csrf', csrf] as [string, string]]), ...Object.entries(fields)], files);
    const r = this.keep(await this.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, cookie: this.cookieHeader(), ...o.headers } }));
    if (this.followReport && r.statusCode === 303 && r.headers.location === '/workspace/report/received') return this.get('/workspace/report/received');
    return r;
  }

  async login(email: string, password = PASSWORD): Promise<void> {
    await this.get('/workspace/login');
    const r = await this.post('/workspace/login', { email, password, next: '/workspace' });
    if (r.statusCode !== 303) throw new Error(`login of ${email}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    await this.get('/workspace');
  }
}

/** A multipart/form-data body (fields in order, then files), made by the platform's own FormData. */
export async function multipartBody(fields: [string, string][], files: { name: string; bytes: Uint8Array; field?: string; type?: string }[]): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  for (const f of files) form.append(f.field ?? 'attachment', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}
