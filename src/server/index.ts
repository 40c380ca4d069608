/** The HTTP server: public site, OSV-compatible and MetaCPAN APIs, downloads. */
export { buildApp, type AppOptions } from './app.js';
export { startServer, createServer, seedStore, type ServeOptions, type ServerOptions, type Server, type RunningServer } from './serve.js';
export { Publication, type Clock } from './publication.js';
export { Snapshot } from './snapshot.js';
export { DEFAULT_CONFIG, type ServerConfig, type ServerContext } from './context.js';
export { ROUTES, type RouteModule } from './routes/index.js';
export { ApiError, GRPC, invalidArgument, notFound } from './http/errors.js';
export { openApiDocument } from './openapi.js';
export { fetchDatabase, replaceChecked, checkDatabase, MAX_DATABASE_BYTES, type Fetched, type FetchOptions, type DatabaseImporter } from './db-update.js';
export { provenanceRoutes, provenanceRuntime, startCheckpointer, httpPost, startWitness, type ProvenanceSettings, type ProvenanceRuntime, type RunningWitness } from './provenance/index.js';
export { refreshTuf } from './routes/tuf.js';
export { pendingForAuthor, publishAuthorRole, registeredAuthorKeys, registeredAuthors, signersFromDir, syncAuthorKeys } from './tuf-authors.js';
