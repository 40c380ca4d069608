import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import type { Snapshot } from '../snapshot.js';

/**
 * A group of routes. Each is registered as its own Fastify plugin (under `prefix` when given), so
 * hooks it adds (authentication, another content-security policy, its own body parsers) stay
 * inside it.
 */
export interface RouteModule {
  name: string;
  prefix?: string;
  routes(app: FastifyInstance, ctx: ServerContext): void | Promise<void>;
  /** precompute what this module serves from a new snapshot, before it goes live */
  warm?(snapshot: Snapshot, ctx: ServerContext): void;
}
