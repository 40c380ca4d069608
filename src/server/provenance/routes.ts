/**
 * The log as C2SP tlog-tiles (GET /checkpoint, /tile/<L>/<N>[.p/<W>], /tile/entries/<N>[.p/<W>]),
 * a lookup of entries by SHA-256 (GET /lookup/sha256/<hex>, an untrusted hint: clients prove
 * what it names from the tiles), the uploaders' write API (POST /log/add and /log/add-batch with an
 * uploader token)
 * and, on a witness, POST /add-checkpoint (C2SP tlog-witness).
 */
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addCheckpoint, checkReleasePath, checkSha256, checkTime, encodeEntryBundle, parseTilePath, tileIn, type ReleaseEntry } from '../../provenance/index.js';
import { isCpansecError } from '../../errors.js';
import type { RouteModule } from '../routes/module.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** entries in one POST /log/add-batch */
export const MAX_BATCH = 1000;

function plain(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(text.endsWith('\n') ? text : `${text}\n`);
}

function acceptsGzip(request: FastifyRequest): boolean {
  const h = request.headers['accept-encoding'];
  return typeof h === 'string' && /\bgzip\b(?!;\s*q=0(\.0*)?\b)/i.test(h);
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return typeof h === 'string' && /^Bearer \S+$/i.test(h) ? h.slice(7) : undefined;
}

export const provenanceRoutes: RouteModule = {
  name: 'provenance',
  routes(app, ctx) {
    const rt = ctx.provenance;
    if (!rt) return;
    app.get('/checkpoint', async (_request, reply) => {
      const note = await rt.log.latestCheckpoint();
      if (!note) return plain(reply, 404, 'the log has no checkpoint yet');
      return reply.header('cache-control', 'public, max-age=2').type('text/plain; charset=utf-8').send(note);
    });
    app.get('/tile/*', async (request, reply) => {
      const t = parseTilePath(request.url.split('?')[0]!.slice(1));
      if (!t) return plain(reply, 404, 'not a tile path');
      const head = await rt.log.treeHead();
      const have = tileIn(head.size, Math.max(t.level, 0), t.index);
      if (!have || have.width < t.width) return plain(reply, 404, 'no such tile in the log');
      if (t.level < 0) {
        const bundle = encodeEntryBundle(await rt.log.readEntries(t.index * 256, t.width));
        reply.header('cache-control', IMMUTABLE).header('vary', 'accept-encoding').type('application/octet-stream');
        return acceptsGzip(request) ? reply.header('content-encoding', 'gzip').send(gzipSync(bundle)) : reply.send(bundle);
      }
      return reply.header('cache-control', IMMUTABLE).type('application/octet-stream').send(await rt.log.readTile(t.level, t.index, t.width));
    });
    app.get<{ Params: { sha: string } }>('/lookup/sha256/:sha', async (request, reply) => {
      if (!/^[0-9a-f]{64}$/.test(request.params.sha)) return plain(reply, 400, 'a SHA-256 in lower-case hex');
      const found = await rt.log.findSha256(request.params.sha);
      if (!found.length) return plain(reply, 404, 'no entry with this SHA-256');
      return reply.header('cache-control', 'public, max-age=60').type('text/plain; charset=utf-8').send(found.map((i) => `${i}\n`).join(''));
    });

    /** The entry a request asks to add, for the token's uploader; a one-line reason when it is not one. */
    const entryOf = (body: unknown, uploader: string, where: string): ReleaseEntry | { status: 400 | 403; error: string } => {
      const b = body as { path?: unknown; sha256?: unknown; time?: unknown } | undefined;
      const field = (name: string) => (where ? `${where}.${name}` : name);
      const prefix = where ? `${where}: ` : '';
      try {
        if (!b || typeof b !== 'object' || typeof b.path !== 'string' || typeof b.sha256 !== 'string') throw new Error(`${prefix}${where ? 'each entry' : 'the body'} must be JSON {"path": "AUTHOR/Dist-1.23.tar.gz", "sha256": "<hex>"}`);
        const path = checkReleasePath(b.path, field('path'));
        const time = b.time !== undefined ? checkTime(String(b.time), field('time')) : ctx.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
        // an uploader records releases in their own directory only
        if (path.split('/')[0] !== uploader) return { status: 403, error: `${prefix}the token of ${uploader} may add releases under ${uploader}/ only` };
        return { path, sha256: checkSha256(b.sha256, field('sha256')), time, uploader };
      } catch (e) {
        return { status: 400, error: (e as Error).message };
      }
    };
    const uploaderOf = async (request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> => {
      const token = bearer(request);
      const uploader = token ? await rt.tokens.resolve(token) : undefined;
      if (!uploader) void reply.code(401).header('www-authenticate', 'Bearer realm="cpansec-log"').type('application/json').send({ error: 'an uploader token is required (Authorization: Bearer cpansec_…)' });
      return uploader;
    };
    const busy = (reply: FastifyReply, e: unknown) => {
      if (isCpansecError(e) && e.code === 'CONFLICT') return reply.code(503).header('retry-after', '1').type('application/json').send({ error: e.message });
      throw e;
    };

    app.post('/log/add', { bodyLimit: 16 * 1024 }, async (request, reply) => {
      const uploader = await uploaderOf(request, reply);
      if (!uploader) return reply;
      const entry = entryOf(request.body, uploader, '');
      if ('error' in entry) return reply.code(entry.status).type('application/json').send({ error: entry.error });
      try {
        const o = await rt.sequencer.add(entry);
        if (o.status === 'conflict') return reply.code(409).type('application/json').send({ error: `${entry.path} is already in the log with another SHA-256: one path, one hash, forever`, index: o.index, sha256: o.sha256 });
        return reply.code(o.status === 'added' ? 201 : 200).type('application/json').send({ status: o.status, index: o.index, tree_size: o.head.size });
      } catch (e) {
        return busy(reply, e);
      }
    });

    // many releases in one request, sequenced in one transaction: all or nothing is acknowledged
    app.post('/log/add-batch', { bodyLimit: MAX_BATCH * 1024 }, async (request, reply) => {
      const uploader = await uploaderOf(request, reply);
      if (!uploader) return reply;
      const list = (request.body as { entries?: unknown } | undefined)?.entries;
      if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BATCH) return reply.code(400).type('application/json').send({ error: `the body must be JSON {"entries": [{"path": …, "sha256": …}, …]} with 1 to ${MAX_BATCH} entries` });
      const entries: ReleaseEntry[] = [];
      for (const [i, item] of list.entries()) {
        const e = entryOf(item, uploader, `entries[${i}]`);
        if ('error' in e) return reply.code(e.status).type('application/json').send({ error: e.error });
        entries.push(e);
      }
      try {
        const outcomes = await rt.sequencer.addAll(entries);
        return reply
          .code(200)
          .type('application/json')
          .send({ tree_size: outcomes[0]!.head.size, results: outcomes.map((o, i) => ({ path: entries[i]!.path, status: o.status, index: o.index, ...(o.status === 'conflict' ? { sha256: o.sha256 } : {}) })) });
      } catch (e) {
        return busy(reply, e);
      }
    });

    const w = rt.settings;
    if (w.witnessKey && w.witnessLogs?.length) {
      const config = { key: w.witnessKey, logs: w.witnessLogs, now: ctx.clock };
      app.register(async (scope) => {
        scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
        scope.post('/add-checkpoint', async (request, reply) => {
          const a = await addCheckpoint(rt.witness, config, typeof request.body === 'string' ? request.body : '');
          return reply.code(a.status).header('cache-control', 'no-store').type(a.contentType).send(a.body);
        });
      });
    }
  },
};
