/**
 * Author signing keys bound to PAUSE ids:
 *   GET  /v1/authors/{PAUSEID}/keys          the keys (active, retired, revoked) as verifiers need them
 *   GET  /v1/authors/{PAUSEID}/keys/changes  the append-only history of the author's key changes
 *   GET  /v1/authors/{PAUSEID}/keys/changes/{seq}  one change as the document the transparency log
 *        records (PAUSEID/_keys/SEQ-ACTION.json, its SHA-256; see key-log.ts)
 *   POST /v1/authors/{PAUSEID}/keys          a change: by an administrator (workspace API token,
 *        body {action, publicKey | previousKeyId+publicKey | keyId, reason}), or by the author (a
 *        DSSE envelope signed with one of their active keys; see signed-change.ts)
 * Every change is appended to the transparency log through its sequencer, after the registry's
 * own commit; changes not in the log yet (a crash between the two) are logged at start and with the
 * next change.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isCpansecError } from '../../errors.js';
import { resolveApiToken } from '../../disclosure/index.js';
import { SqlAuthorKeyStore, Store } from '../../store/index.js';
import type { AppendToLog, KeyChange } from '../../provenance/attestation/index.js';
import type { ServerContext } from '../context.js';
import { signersFromDir, syncAuthorKeys } from '../tuf-authors.js';
import { ApiError, GRPC, invalidArgument, notFound } from '../http/errors.js';
import { workspaceOf } from '../workspace/index.js';
import type { RouteModule } from './module.js';

const PAUSE_ID = /^[A-Z][A-Z0-9-]{1,8}$/;

function authorOf(request: FastifyRequest): string {
  const id = String((request.params as { id?: string }).id ?? '').toUpperCase();
  if (!PAUSE_ID.test(id)) throw invalidArgument(`'${id.slice(0, 40)}' is not a PAUSE id`);
  return id;
}

function apiErrorOf(e: unknown): unknown {
  if (!isCpansecError(e)) return e;
  const status = { FORBIDDEN: 403, CONFLICT: 409, NOT_FOUND: 404 }[e.code as string] ?? 400;
  const code = status === 404 ? GRPC.NOT_FOUND : GRPC.INVALID_ARGUMENT;
  return new ApiError(code, e.message, status);
}

/** The administrator behind a workspace API token, or undefined. */
async function adminOf(ctx: ServerContext, request: FastifyRequest): Promise<string | undefined> {
  const m = /^Bearer (\S{1,200})$/.exec(String(request.headers.authorization ?? ''));
  if (!m) return undefined;
  const ws = workspaceOf(ctx);
  if (!ws) throw new ApiError(GRPC.INVALID_ARGUMENT, 'this server has no workspace accounts; sign the change with an author key', 403);
  const actor = await resolveApiToken(ws.deps, m[1]!);
  if (!actor || actor.role !== 'admin' || actor.readOnly || actor.restricted) throw new ApiError(GRPC.INVALID_ARGUMENT, 'the token is not a writable administrator token', 403);
  return `admin:${actor.name}`;
}

export const authorRoutes: RouteModule = {
  name: 'authors',
  async routes(app, ctx) {
    if (!(ctx.repository instanceof Store)) return;
    const keys = new SqlAuthorKeyStore(ctx.repository.db, ctx.repository.dialect);
    const { catchUpKeyChanges, foldKeys, keyChangeDocument, keyChangePath, openKeyChange } = await import('../../provenance/attestation/index.js');
    const rt = ctx.provenance;
    const append: AppendToLog | undefined = rt ? async (entries) => Promise.all(entries.map((e) => rt.sequencer.add(e))) : undefined;
    /** log what is not logged yet; the index of `change`'s entry */
    const logged = async (change?: KeyChange): Promise<{ path: string; index: number } | undefined> => {
      if (!append) return undefined;
      await catchUpKeyChanges(keys, append);
      if (!change) return undefined;
      const path = keyChangePath(change);
      const found = await rt!.log.findPaths([path]);
      return found.has(path) ? { path, index: found.get(path)!.index } : undefined;
    };
    /** with the TUF online keys, the delegation to the author's own role follows their keys */
    const store = ctx.repository;
    const tufSync = async (author: string): Promise<Record<string, unknown> | null> => {
      if (!ctx.tuf?.keysDir) return null;
      try {
        const t = await import('../../provenance/tuf/index.js');
        const u = (await syncAuthorKeys(store, signersFromDir(t, ctx.tuf.keysDir), [author], ctx.clock())).get(author);
        return u ? { changed: u.changed, awaitingSignature: u.awaitingSignature } : null;
      } catch (e) {
        // e.g. per-author delegations live in targets, whose key stays offline: cpansec tuf sync-authors
        return { error: (e as Error).message };
      }
    };
    if (append) {
      app.addHook('onReady', async () => {
        await logged().catch((e: unknown) => app.log.error({ err: e }, 'logging author key changes failed'));
      });
    }
    const send = (reply: FastifyReply, body: unknown, status = 200) =>
      reply.code(status).header('cache-control', 'no-cache').type('application/json').send(JSON.stringify(body));

    app.get('/v1/authors/:id/keys', async (request, reply) => {
      const author = authorOf(request);
      const list = foldKeys(await keys.changes(author));
      if (list.length === 0) throw notFound(`no keys are registered for ${author}`);
      return send(reply, { author, keys: list.map((k) => ({ keyid: k.keyId, publicKey: k.publicKey, status: k.status, addedAt: k.addedAt, ...(k.changedAt ? { changedAt: k.changedAt } : {}), ...(k.reason ? { reason: k.reason } : {}) })) });
    });

    app.get('/v1/authors/:id/keys/changes', async (request, reply) => {
      const author = authorOf(request);
      return send(reply, { author, changes: await keys.changes(author) });
    });

    app.get('/v1/authors/:id/keys/changes/:seq', async (request, reply) => {
      const author = authorOf(request);
      const seq = Number((request.params as { seq: string }).seq);
      const change = Number.isSafeInteger(seq) ? (await keys.changes(author)).find((c) => c.seq === seq) : undefined;
      if (!change) throw notFound(`no key change ${String((request.params as { seq: string }).seq).slice(0, 20)} of ${author}`);
      return reply.code(200).header('cache-control', 'public, max-age=31536000, immutable').type('application/json').send(keyChangeDocument(change));
    });

    app.post('/v1/authors/:id/keys', { bodyLimit: 64 * 1024 }, async (request, reply) => {
      const author = authorOf(request);
      const now = ctx.clock();
      try {
        const admin = await adminOf(ctx, request);
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (admin) {
          const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
          const req =
            body.action === 'rotate' ? { action: 'rotate' as const, author, previousKeyId: s('previousKeyId'), publicKey: s('publicKey'), ...(s('reason') ? { reason: s('reason') } : {}) }
            : body.action === 'revoke' ? { action: 'revoke' as const, author, keyId: s('keyId'), ...(s('reason') ? { reason: s('reason') } : {}) }
            : body.action === 'add' ? { action: 'add' as const, author, publicKey: s('publicKey') }
            : undefined;
          if (!req) throw invalidArgument('action must be add, rotate or revoke');
          const change = await keys.apply(req, now.toISOString(), admin);
          return send(reply, { change, log: (await logged(change)) ?? null, tuf: await tufSync(author) }, 201);
        }
        const { req, signer } = openKeyChange(body, author, foldKeys(await keys.changes(author)), now);
        const change = await keys.apply(req, now.toISOString(), `key:${signer}`);
        return send(reply, { change, log: (await logged(change)) ?? null, tuf: await tufSync(author) }, 201);
      } catch (e) {
        throw apiErrorOf(e);
      }
    });
  },
};
