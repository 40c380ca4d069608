/** The cpansec library API. */
export { CpansecError, isCpansecError, type ErrorCode } from './errors.js';
export * from './perl/index.js';
export * from './advisory/index.js';
export * from './index/index.js';
export * from './audit/index.js';
export * from './sbom/index.js';
export * from './archive/index.js';
export * as disclosure from './disclosure/index.js';
export * from './publish/index.js';
export { Store, MIGRATIONS, type StoreMigration, type OpenStoreOptions } from './store/index.js';
export { startServer, createServer, seedStore, ROUTES, type RouteModule, type ServeOptions } from './server/index.js';
