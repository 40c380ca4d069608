/** Atom and RSS feeds of the advisories, newest first: all of them, and one per distribution. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toAtom, toRss, type FeedOptions } from '../../publish/index.js';
import { advisoryPath, distributionPath } from '../../publish/site/index.js';
import type { ServerContext } from '../context.js';
import { cached, sendCached, type Cached } from '../http/cache.js';
import { osvIndexOf } from '../osv/records.js';
import type { Snapshot } from '../snapshot.js';
import type { RouteModule } from './module.js';

const TYPES = { atom: 'application/atom+xml; charset=utf-8', rss: 'application/rss+xml; charset=utf-8' } as const;
/** entries of the site-wide feed (a per-distribution feed has all of its own) */
const FEED_ENTRIES = 100;
const MAX_AGE = 300;

function feed(s: Snapshot, ctx: ServerContext, kind: 'atom' | 'rss', distribution?: string): Cached {
  return s.memo(`feed:${kind}:${distribution ?? ''}`, () => {
    const base = ctx.config.baseUrl;
    const records = osvIndexOf(s).records;
    const options: FeedOptions = {
      baseUrl: base,
      title: distribution ? `${ctx.config.title}: ${distribution}` : ctx.config.title,
      description: distribution ? `Security advisories for the CPAN distribution ${distribution}` : 'Security advisories for CPAN distributions',
      selfUrl: `${base}${distribution ? `${distributionPath(distribution)}/feed` : '/feed'}.${kind}`,
      // entries link to the site's page of the CPANSA id the OSV record comes from
      advisoryUrl: (id) => `${base}${advisoryPath(String(records.get(id)?.record.database_specific?.cpansa_id ?? id))}`,
      // an undated advisory is dated by the first release it affects; failing that as its OSV
      // record (when the store last changed it), and listed after the dated ones
      index: s.index,
      modified: (g) => records.get(g.id)?.record.modified ?? s.updated,
      ...(distribution ? { distribution } : { limit: FEED_ENTRIES }),
    };
    const advisories = s.index.allAdvisories();
    return cached(kind === 'atom' ? toAtom(advisories, options) : toRss(advisories, options), TYPES[kind]);
  });
}

function send(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply, kind: 'atom' | 'rss', distribution?: string) {
  const s = ctx.publication.snapshot;
  if (distribution !== undefined && !s.index.distribution(distribution)?.advisories.length) {
    return reply.callNotFound();
  }
  return sendCached(request, reply, feed(s, ctx, kind, distribution), MAX_AGE);
}

export const feedRoutes: RouteModule = {
  name: 'feeds',
  routes(app, ctx) {
    app.get('/feed.atom', (req, reply) => send(ctx, req, reply, 'atom'));
    app.get('/feed.rss', (req, reply) => send(ctx, req, reply, 'rss'));
    app.get<{ Params: { name: string } }>('/distributions/:name/feed.atom', (req, reply) => send(ctx, req, reply, 'atom', req.params.name));
    app.get<{ Params: { name: string } }>('/distributions/:name/feed.rss', (req, reply) => send(ctx, req, reply, 'rss', req.params.name));
  },
};
