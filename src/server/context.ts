/** What every route module gets: the published advisories, the store, the configuration, the clock. */
import type { AdvisoryRepository } from '../index/index.js';
import type { Clock, Publication } from './publication.js';
import type { WorkspaceOptions } from './workspace/settings.js';
import type { ProvenanceRuntime } from './provenance/settings.js';

export interface ServerConfig {
  /** the public base URL, no trailing slash (feeds and API answers carry absolute links) */
  baseUrl: string;
  /** the site's name */
  title: string;
  /** largest request body accepted, in bytes */
  bodyLimit: number;
  /** largest querybatch (osv.dev's limit is 1,000) */
  maxBatchQueries: number;
  /** cpansec's version, for the OpenAPI document */
  version: string;
}

export const DEFAULT_CONFIG: Omit<ServerConfig, 'baseUrl'> = {
  title: 'CPAN Security Advisories',
  bodyLimit: 4 * 1024 * 1024,
  maxBatchQueries: 1000,
  version: '0.0.0',
};

export interface ServerContext {
  publication: Publication;
  repository: AdvisoryRepository;
  config: ServerConfig;
  clock: Clock;
  /** the disclosure workspace's settings (routes under /workspace and /api) */
  workspace?: WorkspaceOptions;
  /** the release transparency log (/checkpoint, /tile/…, /log/add, /add-checkpoint) */
  provenance?: ProvenanceRuntime;
  /** the TUF repository's online keys and how often its timestamp is refreshed (routes under /tuf) */
  tuf?: { keysDir?: string; refreshIntervalMs?: number };
}
