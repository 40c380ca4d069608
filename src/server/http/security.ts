/**
 * Security headers on every answer. The site needs no script at all, so the policy allows none; a
 * route that needs another policy sets its own header first and this hook leaves it alone.
 */
import type { FastifyInstance } from 'fastify';

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The policy of a page that loads our own script files (the workspace's CVSS calculator): scripts
 * from this origin only — no inline script, no eval, nothing from elsewhere.
 */
export const SCRIPT_PAGE_CONTENT_SECURITY_POLICY = `${CONTENT_SECURITY_POLICY}; script-src 'self'`;

export function addSecurityHeaders(app: FastifyInstance, https: boolean): void {
  // a callback hook, not an async one: it runs on every request, the API's included
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (https) reply.header('strict-transport-security', 'max-age=31536000');
    // the public JSON API is meant to be called from other sites' pages (MetaCPAN)
    if (request.url.startsWith('/v1/')) reply.header('access-control-allow-origin', '*');
    done(null, payload);
  });
}

/** CORS preflight for the JSON API: browsers ask before a POST with a JSON body. */
export function addCorsPreflight(app: FastifyInstance): void {
  app.options('/v1/*', async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, if-none-match')
      .header('access-control-max-age', '86400')
      .send(),
  );
}
