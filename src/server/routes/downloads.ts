/** Downloads of the whole database: CPANSA JSON (for cpan-audit and `cpansec audit --db URL`) and the OSV zip. */
import { cpansaDownload, osvZipDownload, type Download } from '../downloads/files.js';
import { sendCached } from '../http/cache.js';
import type { RouteModule } from './module.js';

const MAX_AGE = 300;

export const downloadRoutes: RouteModule = {
  name: 'downloads',
  prefix: '/v1/download',
  routes(app, ctx) {
    const serve = (path: string, get: () => Download | Promise<Download>) => {
      app.get(path, async (request, reply) => {
        const d = await get();
        return sendCached(request, reply, d.file, MAX_AGE, d.gzip);
      });
      app.get(`${path}.sha256`, async (request, reply) => sendCached(request, reply, (await get()).sha256, MAX_AGE));
    };
    serve('/cpansa.json', () => cpansaDownload(ctx.publication.snapshot));
    serve('/osv/all.zip', () => osvZipDownload(ctx.publication.snapshot));
  },
};
