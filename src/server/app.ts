/**
 * The HTTP application: Fastify with structured logs, limits, security headers, one error format,
 * and the route modules of routes/index.ts. Handlers stay thin: they parse, call a pure function,
 * and send.
 */
import type { FastifyError, FastifyInstance, FastifyServerOptions } from 'fastify';
import { renderNotFound } from '../publish/site/index.js';
import type { ServerContext } from './context.js';
import { ApiError, errorBody, GRPC, isApiPath } from './http/errors.js';
import { addCorsPreflight, addSecurityHeaders } from './http/security.js';
import { ROUTES } from './routes/index.js';
import type { RouteModule } from './routes/module.js';
import { siteDataOf } from './site-data.js';

/**
 * Which proxies in front of the server are believed about the client's address (X-Forwarded-For):
 * none (false), the last N hops, or the proxies at these addresses or networks (CIDR, or proxy-addr's
 * `loopback`, `linklocal`, `uniquelocal`). Never "every hop": that would let any client choose the
 * address the login and intake limits count.
 */
export type TrustProxy = false | number | readonly string[];

export interface AppOptions {
  /** pino options, or false for none (tests) */
  logger?: FastifyServerOptions['logger'];
  routes?: readonly RouteModule[];
  trustProxy?: TrustProxy;
  /** told of every route as it is added (the OpenAPI test lists them) */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

const CLIENT_MESSAGES: Record<string, (e: FastifyError, limit: number) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, limit) => `request body larger than ${limit} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'unsupported content type',
};

function htmlError(status: number, title: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/static/site.css"></head><body><main id="main"><h1>${title}</h1><p><a href="/">Home</a></p></main></body></html>\n`;
}

function trustProxyOption(t: TrustProxy | undefined): FastifyServerOptions['trustProxy'] {
  // N hops, as Express counts them: the peer (hop 0) and the N - 1 before it are proxies; Fastify
  // itself takes a number as "trust nothing", since a hop count cannot tell a proxy from a client
  // that reaches the server directly — hence the addresses, when the server can be reached so
  if (typeof t === 'number') return (_address: string, hop: number) => hop < t;
  return Array.isArray(t) ? [...(t as readonly string[])] : false;
}

export async function buildApp(ctx: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  // imported here: the CLI is one bundled file and only `serve` needs Fastify
  const { default: Fastify, LogController } = await import('fastify');
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: trustProxyOption(options.trustProxy),
    // one log line per request (below) instead of two; bodies are never logged
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: 30_000,
    routerOptions: { maxParamLength: 500 },
  });

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      // the path only: query strings (searches, heads, tokens someone pasted) stay out of the log
      { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  // responses compressed when the client accepts it (the distribution pages run to 345 kB); an
  // answer that is already compressed (content-encoding set) is passed through as it is
  const { default: compress } = await import('@fastify/compress');
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  addSecurityHeaders(app, ctx.config.baseUrl.startsWith('https:'));
  addCorsPreflight(app);

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const api = isApiPath(request.url);
    if (error instanceof ApiError) {
      return reply.code(error.status).type('application/json').send(errorBody(error.code, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = CLIENT_MESSAGES[error.code]?.(error, ctx.config.bodyLimit) ?? error.message;
      return api
        ? reply.code(status).type('application/json').send(errorBody(GRPC.INVALID_ARGUMENT, message))
        : reply.code(status).type('text/html; charset=utf-8').send(htmlError(status, 'Bad request'));
    }
    request.log.error({ err: error }, 'request failed');
    return api
      ? reply.code(500).type('application/json').send(errorBody(GRPC.INTERNAL, 'internal server error'))
      : reply.code(500).type('text/html; charset=utf-8').send(htmlError(500, 'Something went wrong'));
  });

  app.setNotFoundHandler((request, reply) => {
    if (isApiPath(request.url)) {
      return reply.code(404).type('application/json').send(errorBody(GRPC.NOT_FOUND, 'The current request is not defined by this API.'));
    }
    const path = request.url.split('?')[0]!;
    return reply.code(404).type('text/html; charset=utf-8').send(renderNotFound(siteDataOf(ctx.publication.snapshot, ctx), path));
  });

  const modules = options.routes ?? ROUTES;
  for (const m of modules) {
    await app.register(async (scope) => m.routes(scope, ctx), m.prefix ? { prefix: m.prefix } : {});
  }
  for (const m of modules) if (m.warm) ctx.publication.addWarmer((s) => m.warm!(s, ctx));
  return app;
}
