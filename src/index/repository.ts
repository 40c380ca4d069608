/**
 * What the vulnerability index needs from persistence. The store (src/store) implements it for
 * SQLite and PostgreSQL; the server and the CLI use it through this interface only.
 *
 * Time is always passed in (`now`), so that publication schedules are testable.
 */
import type { Advisory, AdvisoryDatabase } from '../advisory/index.js';
import type { DatabaseChanges } from './changes.js';

/** When an advisory entry became public and when it last changed, as recorded (RFC 3339, UTC). */
export interface AdvisoryTimes {
  published: string;
  modified: string;
}

/** The public part of the stored database at one revision. */
export interface PublishedDatabase {
  revision: number;
  database: AdvisoryDatabase;
  /** keyed by the advisory objects of `database` */
  times: Map<Advisory, AdvisoryTimes>;
  /** when the database last changed (RFC 3339) */
  updated: string;
  /** the next time a scheduled entry becomes public, when one is scheduled (RFC 3339) */
  nextChange?: string;
}

/** Where an imported database came from. */
export interface ImportSource {
  kind: 'bundled' | 'file' | 'url';
  location: string;
  sha256?: string;
  /** the HTTP ETag of a downloaded database, to ask for changes only next time */
  etag?: string;
}

export interface ImportResult {
  /** false when the imported database equals the stored one: nothing was written */
  written: boolean;
  previousRevision: number;
  revision: number;
  changes: DatabaseChanges;
  /** imported entries left out because an advisory published here has the same distribution and id */
  shadowedByLocal: { id: string; distribution: string }[];
}

export interface RevisionInfo {
  revision: number;
  at: string;
  kind: string;
  source: string | null;
  sha256: string | null;
  etag: string | null;
}

export interface AdvisoryRepository {
  /** the current revision: 0 for an empty store; it grows on every write */
  revision(): Promise<number>;
  /** the most recent import (bundled, file or URL), if any */
  lastImport(): Promise<RevisionInfo | undefined>;
  /** the advisories public at `now`, with the releases and the module map */
  loadPublished(now: Date): Promise<PublishedDatabase>;
  /**
   * Replace the imported database in one transaction: on any failure the stored one is kept.
   * Advisories published here (not imported) are kept.
   */
  replaceDatabase(db: AdvisoryDatabase, source: ImportSource, now: Date): Promise<ImportResult>;
  /**
   * Add (or replace, by distribution and id) an advisory published here, public from `publishAt`
   * (default `now`); returns the new revision.
   */
  publishAdvisory(advisory: Advisory, now: Date, options?: { publishAt?: Date; by?: string }): Promise<number>;
}
