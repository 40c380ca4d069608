/**
 * The stack's limit for `bench api-query`: a bare Fastify that answers every POST /v1/query with
 * one precomputed body (argv: port, body file), in its own process as `cpansec serve` is.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file!, 'utf8');
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'string' }, (_request, b, done) => done(null, b));
app.post('/v1/query', async (_request, reply) => reply.type('application/json').send(body));
app.get('/healthz', async () => 'ok');
await app.listen({ port: Number(port), host: '127.0.0.1' });
