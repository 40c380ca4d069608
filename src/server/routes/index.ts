/**
 * Every route module of the server, registered in this order. A part that serves pages or an API
 * (the disclosure workspace) adds its module here.
 */
import { authorRoutes } from './authors.js';
import { tufRoutes } from './tuf.js';
import { downloadRoutes } from './downloads.js';
import { feedRoutes } from './feeds.js';
import { healthRoutes } from './health.js';
import { metacpanRoutes } from './metacpan.js';
import type { RouteModule } from './module.js';
import { openApiRoutes } from './openapi.js';
import { osvRoutes } from './osv.js';
import { siteRoutes } from './site.js';
import { workspaceRoutes } from '../workspace/index.js';
import { provenanceRoutes } from '../provenance/index.js';

export type { RouteModule } from './module.js';

export const ROUTES: RouteModule[] = [healthRoutes, openApiRoutes, osvRoutes, metacpanRoutes, downloadRoutes, feedRoutes, siteRoutes, workspaceRoutes, provenanceRoutes, authorRoutes, tufRoutes];
