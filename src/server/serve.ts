/**
 * Running the server: open the store (loading the bundled database on first start), build the
 * published snapshot, serve HTTP, and follow the store's changes until closed.
 */
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { CpansecError } from '../errors.js';
import { loadBundledDatabase } from '../index/index.js';
import { Store } from '../store/index.js';
import { buildApp, type AppOptions } from './app.js';
import { DEFAULT_CONFIG, type ServerConfig, type ServerContext } from './context.js';
import { Publication, type Clock } from './publication.js';
import type { RouteModule } from './routes/module.js';
import type { WorkspaceOptions } from './workspace/settings.js';
import { provenanceRuntime, startCheckpointer, type ProvenanceSettings } from './provenance/index.js';

export interface ServerOptions {
  clock?: Clock;
  config?: Partial<ServerConfig>;
  logger?: FastifyServerOptions['logger'];
  trustProxy?: AppOptions['trustProxy'];
  /** how often to look for changes written by other processes; 0: never */
  refreshIntervalMs?: number;
  routes?: readonly RouteModule[];
  onRoute?: AppOptions['onRoute'];
  /** the disclosure workspace's settings */
  workspace?: WorkspaceOptions;
  /** the release transparency log's keys and witnesses */
  provenance?: ProvenanceSettings;
  /** the TUF repository's online keys directory and refresh interval */
  tuf?: ServerContext['tuf'];
}

export interface ServeOptions extends ServerOptions {
  host: string;
  port: number;
  /** default http://HOST:PORT as listened on */
  baseUrl?: string;
  /** postgres://… ; else SQLite in dataDir */
  database?: string;
  dataDir?: string;
  logLevel?: string;
}

export interface Server {
  app: FastifyInstance;
  ctx: ServerContext;
  publication: Publication;
  /** stop following the store (the caller closes the app and the store) */
  stop(): void;
}

export interface RunningServer extends Server {
  store: Store;
  url: string;
  close(): Promise<void>;
}

/** Load the bundled database into an empty store; true when it did. */
export async function seedStore(store: Store, now: Date): Promise<boolean> {
  if ((await store.revision()) > 0) return false;
  try {
    const r = await store.replaceDatabase(loadBundledDatabase(), { kind: 'bundled', location: 'bundled' }, now);
    return r.written;
  } catch (e) {
    // another server seeding the same PostgreSQL database at the same moment
    if ((e as { code?: string }).code === 'CONFLICT' && (await store.revision()) > 0) return false;
    throw e;
  }
}

/** The application over a store, following its changes; not listening yet. */
export async function createServer(store: Store, o: ServerOptions = {}): Promise<Server> {
  const clock = o.clock ?? (() => new Date());
  const publication = await Publication.load(store, clock);
  const ctx: ServerContext = { publication, repository: store, clock, config: { ...DEFAULT_CONFIG, baseUrl: '', ...o.config }, ...(o.workspace ? { workspace: o.workspace } : {}), provenance: provenanceRuntime(store, o.provenance ?? {}, clock), ...(o.tuf ? { tuf: o.tuf } : {}) };
  const app = await buildApp(ctx, { logger: o.logger ?? false, trustProxy: o.trustProxy, onRoute: o.onRoute, ...(o.routes ? { routes: o.routes } : {}) });
  publication.log = app.log;
  const unsubscribe = store.onChange(() => {
    publication.refresh().catch((e: unknown) => app.log.error({ err: e }, 'refreshing the published database failed'));
  });
  const stopWatching = o.refreshIntervalMs ? publication.watch(o.refreshIntervalMs) : () => undefined;
  const stopCheckpointer = startCheckpointer(ctx.provenance!, clock, (e) => app.log.warn({ err: e }, 'publishing a log checkpoint failed'));
  return {
    app,
    ctx,
    publication,
    stop() {
      stopCheckpointer();
      stopWatching();
      unsubscribe();
    },
  };
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const clock = o.clock ?? (() => new Date());
  const store = await Store.open({ database: o.database, dataDir: o.dataDir });
  try {
    const seeded = await seedStore(store, clock());
    const server = await createServer(store, {
      ...o,
      clock,
      config: { ...o.config, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}) },
      logger: { level: o.logLevel ?? 'info' },
      refreshIntervalMs: o.refreshIntervalMs ?? 2000,
    });
    const { app, ctx } = server;
    if (seeded) app.log.info({ store: store.description }, 'loaded the bundled advisory database into the new store');
    let address: string;
    try {
      address = await app.listen({ host: o.host, port: o.port });
    } catch (e) {
      server.stop();
      await app.close();
      const code = (e as NodeJS.ErrnoException).code;
      throw new CpansecError('IO_ERROR', `cannot listen on ${o.host}:${o.port}: ${code === 'EADDRINUSE' ? 'the address is in use' : (e as Error).message}`);
    }
    const url = o.baseUrl ?? address.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');
    ctx.config.baseUrl = url.replace(/\/+$/, '');
    app.log.info({ url, store: store.description, revision: server.publication.snapshot.revision }, 'cpansec serving');
    return {
      ...server,
      store,
      url,
      async close() {
        server.stop();
        await app.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
