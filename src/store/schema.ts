/**
 * The tables of the store, as Kysely sees them. One schema for SQLite and PostgreSQL: text, integer
 * and timestamps as RFC 3339 text in UTC (`Date.toISOString()`), so that ordering and comparison
 * are the same on both. Other parts add their tables with their own migrations and an interface
 * that extends this one.
 */
import type { RevisionInfo } from '../index/index.js';

export interface DistributionsTable {
  name: string;
  /** order in the imported database, kept so an export reproduces it */
  position: number;
  main_module: string | null;
  /** report-level metadata (JSON object) or null */
  meta: string | null;
}

export interface ReleasesTable {
  distribution: string;
  position: number;
  version: string;
  date: string | null;
}

export interface ModulesTable {
  module: string;
  distribution: string;
}

/** `import`: from a database import (bundled, file, URL); `local`: published here. */
export type AdvisoryOrigin = 'import' | 'local';

export interface AdvisoriesTable {
  distribution: string;
  id: string;
  /** the CPANSA data repeats an id within a distribution (one entry per embedded-library range) */
  variant: number;
  position: number;
  origin: AdvisoryOrigin;
  /** the CPANSA record (JSON, with `distribution`) */
  record: string;
  /** null: staged, not public; see public.ts */
  published_at: string | null;
  modified_at: string;
  withdrawn_at: string | null;
  revision: number;
}

/** One row per write: the revision counter, and the history of imports and publications (kind: import | publish). */
export interface RevisionsTable extends RevisionInfo {
  /** JSON summary of the change */
  summary: string | null;
}

/** One row per change of an advisory id in one distribution (kind: added | changed | removed | published | withdrawn). */
export interface AdvisoryHistoryTable {
  revision: number;
  at: string;
  id: string;
  distribution: string;
  kind: string;
  detail: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface StoreSchema {
  distributions: DistributionsTable;
  releases: ReleasesTable;
  modules: ModulesTable;
  advisories: AdvisoriesTable;
  revisions: RevisionsTable;
  settings: SettingsTable;
  advisory_history: AdvisoryHistoryTable;
}
