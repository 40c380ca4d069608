/** `GET /healthz`: 200 when the store answers, 503 when it does not; with the published revision. */
import { errorBody, GRPC } from '../http/errors.js';
import type { RouteModule } from './module.js';

export const healthRoutes: RouteModule = {
  name: 'health',
  routes(app, ctx) {
    app.get('/healthz', async (request, reply) => {
      const s = ctx.publication.snapshot;
      reply.header('cache-control', 'no-store');
      try {
        const stored = await Promise.race([
          ctx.repository.revision(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('store timeout after 3 s')), 3000).unref()),
        ]);
        return reply.type('application/json').send(
          JSON.stringify({ status: 'ok', revision: s.revision, stored_revision: stored, updated: s.updated, advisories: s.index.allAdvisories().length }),
        );
      } catch (e) {
        request.log.error({ err: e }, 'health check: the store does not answer');
        return reply.code(503).type('application/json').send(errorBody(GRPC.UNAVAILABLE, 'the store does not answer'));
      }
    });
  },
};
