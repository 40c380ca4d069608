/** A server over a fresh store of a backend, for tests that talk to it with app.inject. */
import type { AdvisoryDatabase } from '../../src/advisory/index.js';
import { loadBundledDatabase } from '../../src/index/index.js';
import { createServer, type Server, type ServerOptions } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { onCleanup, type Backend } from '../store/backends.js';

export const BASE_URL = 'http://cpansec.test';
export const LOADED_AT = new Date('2026-11-20T12:00:00Z');

export interface TestServer extends Server {
  store: Store;
}

export async function testServer(backend: Backend, o: ServerOptions & { database?: AdvisoryDatabase } = {}): Promise<TestServer> {
  const store = await backend.open();
  await store.replaceDatabase(o.database ?? loadBundledDatabase(), { kind: 'bundled', location: 'bundled' }, LOADED_AT);
  const server = await createServer(store, { ...o, config: { baseUrl: BASE_URL, ...o.config } });
  onCleanup(async () => {
    server.stop();
    await server.app.close();
  });
  return { ...server, store };
}

export function json(body: string): unknown {
  return JSON.parse(body);
}
