import { cached, sendCached, type Cached } from '../http/cache.js';
import { openApiDocument } from '../openapi.js';
import { withWorkspace } from '../workspace/openapi.js';
import type { RouteModule } from './module.js';
import { withProvenance } from './provenance-openapi.js';

export const openApiRoutes: RouteModule = {
  name: 'openapi',
  routes(app, ctx) {
    // built on first request: the base URL is known only once the server listens
    let doc: Cached | undefined;
    app.get('/openapi.json', (req, reply) => {
      if (!doc) {
        const base = withProvenance(openApiDocument(ctx.config.baseUrl, ctx.config.version));
        doc = cached(JSON.stringify(ctx.workspace?.enabled === false ? base : withWorkspace(base), null, 2), 'application/json');
      }
      reply.header('access-control-allow-origin', '*');
      return sendCached(req, reply, doc, 3600);
    });
  },
};
