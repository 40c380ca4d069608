/**
 * The mirror's TUF repository over HTTP, in the layout TUF clients (tuf-js, python-tuf, go-tuf)
 * fetch with consistent snapshots:
 *   /tuf/metadata/VERSION.ROLE.json   every version of root, targets, snapshot and delegated roles
 *   /tuf/metadata/timestamp.json      the current timestamp (also ROLE.json: the latest of a role)
 *   /tuf/targets/authors/id/E/ET/ETHER/SHA256.Foo-1.0.tar.gz   a release by the hash TUF lists
 * and, when the server holds the online keys, a job that refreshes the timestamp (and snapshot)
 * before they expire. Authors with registered keys sign their own role:
 *   GET  /v1/tuf/authors/{PAUSEID}/pending     the version awaiting the author's signature
 *   POST /v1/tuf/authors/{PAUSEID}/signature   {"signatures": [{"keyid", "sig"}]}: published when
 *        the signature is by a key delegated to the author (the signature is the authorisation)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { SqlTufStore, Store } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { isCpansecError } from '../../errors.js';
import { ApiError, GRPC, invalidArgument, notFound } from '../http/errors.js';
import { pendingForAuthor, publishAuthorRole, signersFromDir } from '../tuf-authors.js';
import type { RouteModule } from './module.js';

function pauseId(params: unknown): string {
  const id = String((params as { id?: string }).id ?? '').toUpperCase();
  if (!/^[A-Z][A-Z0-9-]{1,8}$/.test(id)) throw invalidArgument(`'${id.slice(0, 40)}' is not a PAUSE id`);
  return id;
}

const METADATA_FILE = /^(?:(\d{1,9})\.)?([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\.json$/;

/** One refresh of the timestamp and snapshot with the online keys in `keysDir`; what it signed. */
export async function refreshTuf(tuf: SqlTufStore, keysDir: string, now: Date, force = false): Promise<{ snapshot: boolean; timestamp: boolean }> {
  const t = await import('../../provenance/tuf/index.js');
  if (await tuf.isEmpty()) return { snapshot: false, timestamp: false };
  const signer = (role: string) => {
    const file = path.join(keysDir, `${role}.pem`);
    try {
      return [t.signerFromPem(readFileSync(file, 'utf8'), file)];
    } catch {
      return undefined;
    }
  };
  const { latest, roots, pending } = await tuf.latest();
  const repo = t.TufRepository.load(latest, roots, t.DEFAULT_EXPIRY_DAYS, pending);
  const timestamp = signer('timestamp');
  const snapshot = signer('snapshot');
  const done = repo.refresh({ ...(timestamp ? { timestamp } : {}), ...(snapshot ? { snapshot } : {}) }, now, { force });
  await tuf.save(repo.drain(), [], now);
  return done;
}

/** The refresh job: once now (the server starts with a fresh timestamp), then every interval. */
async function startRefreshJob(tuf: SqlTufStore, ctx: ServerContext, log: FastifyBaseLogger): Promise<() => void> {
  const o = ctx.tuf!;
  const every = o.refreshIntervalMs ?? 3_600_000;
  if (!o.keysDir || every <= 0) return () => undefined;
  const run = () =>
    refreshTuf(tuf, o.keysDir!, ctx.clock())
      .then((r) => {
        if (r.timestamp) log.info({ snapshot: r.snapshot }, 'TUF timestamp refreshed');
      })
      .catch((e: unknown) => log.error({ err: e }, 'TUF refresh failed'));
  await run();
  const timer = setInterval(() => void run(), every);
  timer.unref();
  return () => clearInterval(timer);
}

export const tufRoutes: RouteModule = {
  name: 'tuf',
  routes(app, ctx) {
    if (!(ctx.repository instanceof Store)) return;
    const store = ctx.repository;
    const tuf = new SqlTufStore(store.db, store.dialect);

    app.get('/tuf/metadata/:file', async (request, reply) => {
      const m = METADATA_FILE.exec((request.params as { file: string }).file);
      if (!m) throw notFound('no such TUF metadata');
      const json = await tuf.document(m[2]!, m[1] === undefined ? undefined : Number(m[1]));
      if (json === undefined) throw notFound('no such TUF metadata');
      // a versioned file never changes; timestamp.json (and ROLE.json) do
      reply.header('cache-control', m[1] === undefined ? 'no-cache' : 'public, max-age=31536000, immutable');
      return reply.type('application/json').send(json);
    });

    app.get('/tuf/targets/*', async (request, reply) => {
      const wanted = (request.params as { '*': string })['*'];
      const dir = path.posix.dirname(wanted);
      const base = path.posix.basename(wanted);
      const prefixed = /^([0-9a-f]{64})\.(.+)$/.exec(base);
      const target = await tuf.target(prefixed ? `${dir}/${prefixed[2]}` : wanted);
      if (!target || (prefixed && prefixed[1] !== target.sha256)) throw notFound('no such target');
      reply.header('cache-control', prefixed ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.type('application/octet-stream').send(target.bytes);
    });

    app.get('/v1/tuf/authors/:id/pending', async (request, reply) => {
      const author = pauseId(request.params);
      const p = await pendingForAuthor(store, author);
      if (!p) throw notFound(`nothing awaits ${author}'s signature`);
      return reply.header('cache-control', 'no-store').type('application/json').send(JSON.stringify({ author, ...p }));
    });

    app.post('/v1/tuf/authors/:id/signature', { bodyLimit: 64 * 1024 }, async (request, reply) => {
      const author = pauseId(request.params);
      if (!ctx.tuf?.keysDir) throw new ApiError(GRPC.UNAVAILABLE, 'this server holds no TUF online keys (serve --tuf-keys); publish with cpansec tuf sign-author on the store', 503);
      const body = request.body as { signatures?: unknown } | undefined;
      const sigs = Array.isArray(body?.signatures) ? (body.signatures as unknown[]).filter((x): x is { keyid: string; sig: string } => typeof x === 'object' && x !== null && typeof (x as { keyid?: unknown }).keyid === 'string' && typeof (x as { sig?: unknown }).sig === 'string') : [];
      if (sigs.length === 0) throw invalidArgument('the body is {"signatures": [{"keyid": HEX, "sig": HEX}]}');
      try {
        const t = await import('../../provenance/tuf/index.js');
        const done = await publishAuthorRole(store, signersFromDir(t, ctx.tuf.keysDir), author, sigs, ctx.clock());
        return reply.code(201).header('cache-control', 'no-store').type('application/json').send(JSON.stringify({ author, ...done }));
      } catch (e) {
        if (isCpansecError(e)) {
          const status = ({ FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as Record<string, number>)[e.code] ?? 400;
          throw new ApiError(status === 404 ? GRPC.NOT_FOUND : GRPC.INVALID_ARGUMENT, e.message, status);
        }
        throw e;
      }
    });

    if (ctx.tuf?.keysDir) {
      let stop: (() => void) | undefined;
      app.addHook('onReady', async () => {
        stop = await startRefreshJob(tuf, ctx, app.log);
      });
      app.addHook('onClose', async () => stop?.());
    }
  },
};
