/**
 * `cpansec witness`: a stand-alone C2SP tlog-witness (POST /add-checkpoint, GET /healthz) over
 * the store, for an operator who witnesses logs without running the site.
 */
import type { FastifyInstance } from 'fastify';
import { addCheckpoint, type SignerKey, type VerifierKey } from '../../provenance/index.js';
import { CpansecError } from '../../errors.js';
import { SqlWitnessStore, Store } from '../../store/index.js';

export interface WitnessOptions {
  key: SignerKey;
  logs: VerifierKey[];
  host: string;
  port: number;
  database?: string;
  dataDir?: string;
  logLevel?: string;
}

export interface RunningWitness {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startWitness(o: WitnessOptions): Promise<RunningWitness> {
  const { default: Fastify } = await import('fastify');
  const store = await Store.open({ database: o.database, dataDir: o.dataDir });
  const ws = new SqlWitnessStore(store.db, store.dialect);
  const app = Fastify({ logger: { level: o.logLevel ?? 'info' }, bodyLimit: 64 * 1024, forceCloseConnections: 'idle' });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/add-checkpoint', async (request, reply) => {
    const a = await addCheckpoint(ws, { key: o.key, logs: o.logs, now: () => new Date() }, typeof request.body === 'string' ? request.body : '');
    return reply.code(a.status).header('cache-control', 'no-store').type(a.contentType).send(a.body);
  });
  app.get('/healthz', async (_request, reply) => reply.type('text/plain').send(`witness ${o.key.name}: ${o.logs.map((l) => l.name).join(', ')}\n`));
  let address: string;
  try {
    address = await app.listen({ host: o.host, port: o.port });
  } catch (e) {
    await app.close();
    await store.close();
    throw new CpansecError('IO_ERROR', `cannot listen on ${o.host}:${o.port}: ${(e as Error).message}`);
  }
  const url = address.replace('://0.0.0.0:', '://127.0.0.1:');
  app.log.info({ url, witness: o.key.name, logs: o.logs.map((l) => l.name) }, 'cpansec witness serving');
  return {
    app,
    url,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
