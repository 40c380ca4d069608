/** The per-release API for MetaCPAN and other sites; every answer cacheable (ETag, Cache-Control). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cached, sendCached } from '../http/cache.js';
import { distributionAdvisories, moduleAdvisories, releaseAdvisories } from '../metacpan/lookup.js';
import type { RouteModule } from './module.js';

const MAX_AGE = 300;

function send(request: FastifyRequest, reply: FastifyReply, body: unknown): FastifyReply {
  return sendCached(request, reply, cached(JSON.stringify(body), 'application/json'), MAX_AGE);
}

type P = Record<string, string>;

export const metacpanRoutes: RouteModule = {
  name: 'metacpan',
  prefix: '/v1/metacpan',
  routes(app, ctx) {
    const base = ctx.config.baseUrl;
    app.get<{ Params: P }>('/release/:author/:distribution/:version', async (req, reply) =>
      send(req, reply, releaseAdvisories(ctx.publication.snapshot, { ...req.params } as { distribution: string; version: string; author: string }, base)),
    );
    app.get<{ Params: P }>('/release/:distribution/:version', async (req, reply) =>
      send(req, reply, releaseAdvisories(ctx.publication.snapshot, { distribution: req.params.distribution!, version: req.params.version! }, base)),
    );
    app.get<{ Params: P }>('/module/:module/:version', async (req, reply) =>
      send(req, reply, moduleAdvisories(ctx.publication.snapshot, req.params.module!, req.params.version!, base)),
    );
    app.get<{ Params: P }>('/distribution/:distribution', async (req, reply) =>
      send(req, reply, distributionAdvisories(ctx.publication.snapshot, req.params.distribution!, base)),
    );
  },
};
