/**
 * `GET /stats.json`: the security metrics of the statistics page as JSON (docs/server.md), built
 * once per revision, with an ETag.
 */
import { cached, sendCached } from '../http/cache.js';
import { securityMetrics } from '../../publish/site/index.js';
import { siteDataOf } from '../site-data.js';
import type { RouteModule } from './module.js';

export const statsRoutes: RouteModule = {
  name: 'stats',
  routes(app, ctx) {
    app.get('/stats.json', async (request, reply) => {
      const s = ctx.publication.snapshot;
      const body = s.memo('stats-json', () => cached(`${JSON.stringify(securityMetrics(siteDataOf(s, ctx)), null, 2)}\n`, 'application/json'));
      return sendCached(request, reply, body, 300);
    });
  },
};
