/**
 * Cacheable answers: a strong ETag from the body's hash, Cache-Control, 304 Not Modified when the
 * client's If-None-Match already names it (RFC 9110 §13.1.2, weak comparison), and a gzip copy
 * for clients that accept it (its own ETag: another representation).
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Cached {
  body: string | Buffer;
  etag: string;
  type: string;
}

export function cached(body: string | Buffer, type: string): Cached {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

export function acceptsGzip(request: FastifyRequest): boolean {
  const h = request.headers['accept-encoding'];
  return typeof h === 'string' && /\bgzip\b(?!;\s*q=0(\.0*)?\b)/i.test(h);
}

export function sendCached(request: FastifyRequest, reply: FastifyReply, c: Cached, maxAgeSeconds: number, gzip?: Cached): FastifyReply {
  const chosen = gzip && acceptsGzip(request) ? gzip : c;
  reply.header('etag', chosen.etag);
  reply.header('cache-control', `public, max-age=${maxAgeSeconds}`);
  if (gzip) reply.header('vary', 'accept-encoding');
  if (matches(request.headers['if-none-match'], chosen.etag)) return reply.code(304).send();
  if (chosen === gzip) reply.header('content-encoding', 'gzip');
  return reply.type(c.type).send(chosen.body);
}
