/** The public web site: server-rendered pages, each cached per revision with an ETag. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  renderAdvisories,
  renderAdvisory,
  renderApi,
  renderDistribution,
  renderDistributions,
  renderHome,
  renderNotFound,
  renderSearch,
  renderStats,
  renderReport,
  renderReleases,
  parseAdvisoryQuery,
  advisoryQueryString,
  securityTxt,
  parseSearchKind,
  type ReportContact,
  FAVICON_SVG,
  SITE_CSS,
  SITE_DARK_CSS,
  distributionPath,
  advisoryPath,
  type SiteData,
} from '../../publish/site/index.js';
import { DEFAULT_EMBARGO } from '../../disclosure/index.js';
import { Store } from '../../store/index.js';
import { cached, sendCached, type Cached } from '../http/cache.js';
import { workspaceSettings } from '../workspace/settings.js';
import type { ServerContext } from '../context.js';
import { osvIndexOf } from '../osv/records.js';
import { siteDataOf } from '../site-data.js';
import type { RouteModule } from './module.js';

const HTML = 'text/html; charset=utf-8';
const MAX_AGE = 60;
/** pages kept per revision; past this the cache starts over (crawlers walk every page) */
const PAGE_CACHE = 2000;

function pageCache(ctx: ServerContext): Map<string, Cached | null> {
  return ctx.publication.snapshot.memo('pages', () => new Map<string, Cached | null>());
}

/** Send a rendered page, rendering it once per revision; a 404 page when render returns undefined. */
function sendPage(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply, key: string, render: (data: SiteData) => string | undefined) {
  const data = siteDataOf(ctx.publication.snapshot, ctx);
  const pages = pageCache(ctx);
  let page = pages.get(key);
  if (page === undefined) {
    const html = render(data);
    page = html === undefined ? null : cached(html, HTML);
    if (pages.size >= PAGE_CACHE) pages.clear();
    pages.set(key, page);
  }
  if (!page) return reply.code(404).type(HTML).send(renderNotFound(data, request.url.split('?')[0]!));
  return sendCached(request, reply, page, MAX_AGE);
}

type Q = Record<string, string | undefined>;

/** Where reports go, from the server's settings: the workspace's form when it runs, the team's address. */
function reportContact(ctx: ServerContext): ReportContact {
  const ws = ctx.workspace ?? {};
  // the workspace runs only over the server's own SQL store (see workspace/index.ts)
  const form = ws.enabled !== false && ctx.repository instanceof Store;
  return {
    ...(form ? { formUrl: '/workspace/report' } : {}),
    teamAddress: workspaceSettings(ws, ctx.config.baseUrl).teamAddress,
    maxEmbargoDays: DEFAULT_EMBARGO.maxDays,
  };
}

export const siteRoutes: RouteModule = {
  name: 'site',
  routes(app, ctx) {
    app.get('/', (req, reply) => sendPage(ctx, req, reply, '/', renderHome));
    app.get<{ Querystring: Q }>('/advisories', (req, reply) => {
      const q = parseAdvisoryQuery(req.query);
      return sendPage(ctx, req, reply, `/advisories?${q.page}${advisoryQueryString(q)}`, (d) => renderAdvisories(d, q));
    });
    app.get<{ Params: { id: string } }>('/advisories/:id', (req, reply) => {
      // an OSV id made unique with a suffix (see publish/osv/ids.ts) is shown on its CPANSA id's page
      const cpansaId = osvIndexOf(ctx.publication.snapshot).records.get(req.params.id)?.record.database_specific?.cpansa_id;
      if (typeof cpansaId === 'string') return reply.redirect(advisoryPath(cpansaId), 301);
      return sendPage(ctx, req, reply, `/advisories/${req.params.id}`, (d) => renderAdvisory(d, req.params.id));
    });
    app.get('/distributions', (req, reply) => sendPage(ctx, req, reply, '/distributions', renderDistributions));
    app.get<{ Params: { name: string } }>('/distributions/:name', (req, reply) =>
      sendPage(ctx, req, reply, `/distributions/${req.params.name}`, (d) => renderDistribution(d, req.params.name)),
    );
    app.get<{ Params: { name: string }; Querystring: Q }>('/distributions/:name/releases', (req, reply) => {
      const n = req.query.page === undefined ? 1 : Number(req.query.page);
      return sendPage(ctx, req, reply, `/distributions/${req.params.name}/releases?${n}`, (d) => renderReleases(d, req.params.name, n));
    });
    app.get<{ Params: { module: string } }>('/modules/:module', async (req, reply) => {
      const dist = ctx.publication.snapshot.index.distributionOfModule(req.params.module);
      if (dist) return reply.redirect(distributionPath(dist), 302);
      return reply.code(404).type(HTML).send(renderNotFound(siteDataOf(ctx.publication.snapshot, ctx), req.url.split('?')[0]!));
    });
    app.get<{ Querystring: Q }>('/search', async (req, reply) => {
      const data = siteDataOf(ctx.publication.snapshot, ctx);
      reply.header('cache-control', `public, max-age=${MAX_AGE}`);
      return reply.type(HTML).send(renderSearch(data, String(req.query.q ?? ''), parseSearchKind(req.query.kind)));
    });
    app.get('/stats', (req, reply) => sendPage(ctx, req, reply, '/stats', renderStats));
    app.get('/api', (req, reply) => sendPage(ctx, req, reply, '/api', renderApi));
    app.get('/security', (req, reply) => sendPage(ctx, req, reply, '/security', (d) => renderReport(d, reportContact(ctx))));
    app.get('/.well-known/security.txt', (req, reply) => {
      const text = securityTxt({ ...reportContact(ctx), baseUrl: ctx.config.baseUrl, now: ctx.clock() });
      return sendCached(req, reply, cached(text, 'text/plain; charset=utf-8'), 3600);
    });
    // RFC 9116 §3: the legacy place redirects to the well-known one
    app.get('/security.txt', (_req, reply) => reply.redirect('/.well-known/security.txt', 301));
    const css = cached(SITE_CSS + SITE_DARK_CSS, 'text/css; charset=utf-8');
    app.get('/static/site.css', (req, reply) => sendCached(req, reply, css, 3600));
    const icon = cached(FAVICON_SVG, 'image/svg+xml');
    app.get('/static/favicon.svg', (req, reply) => sendCached(req, reply, icon, 86_400));
    // browsers that ignore the page's icon link ask for /favicon.ico by convention
    app.get('/favicon.ico', (_req, reply) => reply.redirect('/static/favicon.svg', 301));
  },
  warm(snapshot, ctx) {
    void siteDataOf(snapshot, ctx).groups;
  },
};
