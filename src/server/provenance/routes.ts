/**
 * The log as C2SP tlog-tiles (GET /checkpoint, /tile/<L>/<N>[.p/<W>], /tile/entries/<N>[.p/<W>]),
 * a lookup of entries by SHA-256 (GET /lookup/sha256/<hex>, an untrusted hint: clients prove
 * what it names from the tiles), the uploaders' write API (POST /log/add with an uploader token)
 * and, on a witness, POST /add-checkpoint (C2SP tlog-witness).
 */
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { addCheckpoint, checkReleasePath, checkSha256, checkTime, encodeEntryBundle, parseTilePath, tileIn } from '../../provenance/index.js';
import { isCpansecError } from '../../errors.js';
import type { RouteModule } from '../routes/module.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

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

    app.post('/log/add', { bodyLimit: 16 * 1024 }, async (request, reply) => {
      const token = bearer(request);
      const uploader = token ? await rt.tokens.resolve(token) : undefined;
      if (!uploader) return reply.code(401).header('www-authenticate', 'Bearer realm="cpansec-log"').type('application/json').send({ error: 'an uploader token is required (Authorization: Bearer cpansec_…)' });
      const body = request.body as { path?: unknown; sha256?: unknown; time?: unknown } | undefined;
      let entry;
      try {
        if (!body || typeof body !== 'object' || typeof body.path !== 'string' || typeof body.sha256 !== 'string') throw new Error('the body must be JSON {"path": "AUTHOR/Dist-1.23.tar.gz", "sha256": "<hex>"}');
        const path = checkReleasePath(body.path, 'path');
        const time = typeof body.time === 'string' ? checkTime(body.time, 'time') : ctx.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
        // an uploader records releases in their own directory only
        if (path.split('/')[0] !== uploader) return reply.code(403).type('application/json').send({ error: `the token of ${uploader} may add releases under ${uploader}/ only` });
        entry = { path, sha256: checkSha256(body.sha256, 'sha256'), time, uploader };
      } catch (e) {
        return reply.code(400).type('application/json').send({ error: (e as Error).message });
      }
      try {
        const o = await rt.sequencer.add(entry);
        if (o.status === 'conflict') return reply.code(409).type('application/json').send({ error: `${entry.path} is already in the log with another SHA-256: one path, one hash, forever`, index: o.index, sha256: o.sha256 });
        return reply.code(o.status === 'added' ? 201 : 200).type('application/json').send({ status: o.status, index: o.index, tree_size: o.head.size });
      } catch (e) {
        if (isCpansecError(e) && e.code === 'CONFLICT') return reply.code(503).header('retry-after', '1').type('application/json').send({ error: e.message });
        throw e;
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
