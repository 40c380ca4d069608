/**
 * The OSV-compatible API (osv.dev's /v1): query, querybatch, vulns/{id}. Same requests, same
 * answers and errors, so OSV clients (osv-scanner's osvdev client) work against this server.
 * Limits as osv.dev: 3,000 records a page for a query, 1,000 ids a page and 1,000 queries for a batch.
 */
import type { FastifyRequest } from 'fastify';
import { acceptsGzip, sendCached, cached } from '../http/cache.js';
import { answersOf } from '../osv/answers.js';
import { invalidArgument, notFound } from '../http/errors.js';
import { matchQuery } from '../osv/match.js';
import { parseQuery, rejectUnknownFields } from '../osv/query.js';
import { osvIndexOf } from '../osv/records.js';
import type { RouteModule } from './module.js';

const QUERY_PAGE = 3000;
const BATCH_PAGE = 1000;
const BATCH_FIELDS = new Set(['queries']);

/** The body as JSON; like osv.dev, whatever the Content-Type (curl -d sends a form type). */
function jsonBody(request: FastifyRequest): unknown {
  const text = typeof request.body === 'string' ? request.body : '';
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidArgument(`Invalid JSON payload received. ${(e as Error).message}`);
  }
}

const tokenField = (next: string) => (next ? `,"next_page_token":${JSON.stringify(next)}` : '');

export const osvRoutes: RouteModule = {
  name: 'osv',
  routes(app, ctx) {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    // compressed once per answer below: the plugin's hooks are left off this route
    app.post('/v1/query', { compress: false, decompress: false }, async (request, reply) => {
      const s = ctx.publication.snapshot;
      const query = parseQuery(jsonBody(request));
      const key = JSON.stringify(query);
      const answer = answersOf(s).get(key, () => {
        const page = matchQuery(s, query, QUERY_PAGE);
        if (!page.ids.length && !page.next) return '{}';
        const records = osvIndexOf(s).records;
        return `{"vulns":[${page.ids.map((id) => records.get(id)!.json).join(',')}]${tokenField(page.next)}}`;
      });
      // a POST answer is not served from caches (no 304), but its ETag names the revision's answer
      const gzip = acceptsGzip(request);
      const chosen = gzip ? answer.gzip : answer.plain;
      reply.header('etag', chosen.etag).header('vary', 'accept-encoding');
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply.type('application/json').send(chosen.body);
    });

    app.post('/v1/querybatch', async (request, reply) => {
      const body = jsonBody(request);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidArgument("Invalid value at 'query': expected an object");
      rejectUnknownFields(body as Record<string, unknown>, BATCH_FIELDS, 'osv.v1.BatchQuery');
      const queries = (body as { queries?: unknown }).queries ?? [];
      if (!Array.isArray(queries)) throw invalidArgument("Invalid value at 'queries': expected a list");
      let firstError: string | undefined;
      const parsed = queries.map((q, i) => {
        try {
          return parseQuery(q, `queries[${i}].`);
        } catch (e) {
          firstError ??= `error in query at index ${i}: rpc error: code = InvalidArgument desc = ${(e as Error).message}`;
          return undefined;
        }
      });
      if (queries.length > ctx.config.maxBatchQueries) throw invalidArgument('too many queries');
      if (firstError) throw invalidArgument(firstError);
      if (!parsed.length) return reply.type('application/json').send('{}');
      const s = ctx.publication.snapshot;
      const records = osvIndexOf(s).records;
      const results = parsed.map((q, i) => {
        let page;
        try {
          page = matchQuery(s, q!, BATCH_PAGE);
        } catch (e) {
          throw invalidArgument(`error in query at index ${i}: rpc error: code = InvalidArgument desc = ${(e as Error).message}`);
        }
        if (!page.ids.length && !page.next) return '{}';
        const vulns = page.ids.map((id) => `{"id":${JSON.stringify(id)},"modified":${JSON.stringify(records.get(id)!.record.modified)}}`);
        return `{"vulns":[${vulns.join(',')}]${tokenField(page.next)}}`;
      });
      return reply.type('application/json').send(`{"results":[${results.join(',')}]}`);
    });

    app.get<{ Params: { id: string } }>('/v1/vulns/:id', async (request, reply) => {
      const id = request.params.id;
      if (!id) throw invalidArgument('ID is required');
      if (id.length > 100) throw invalidArgument('ID is too long');
      const osv = osvIndexOf(ctx.publication.snapshot);
      const entry = osv.records.get(id);
      if (entry) return sendCached(request, reply, ctx.publication.snapshot.memo(`vuln:${id}`, () => cached(entry.json, 'application/json')), 300);
      const aliases = osv.byAlias.get(id);
      if (aliases) throw notFound(`Vulnerability not found, but the following aliases were: ${aliases.join(' ')}`);
      throw notFound('Vulnerability not found');
    });
  },
  warm(snapshot) {
    osvIndexOf(snapshot);
  },
};
