/**
 * One published revision as the server answers from it: the vulnerability index built from the
 * store's public advisories, and whatever is derived from it (OSV records, pages, downloads),
 * computed on first use and kept until the next revision replaces the whole snapshot.
 */
import type { Advisory } from '../advisory/index.js';
import { VulnerabilityIndex, type AdvisoryTimes, type PublishedDatabase } from '../index/index.js';

export class Snapshot {
  readonly index: VulnerabilityIndex;
  private readonly memos = new Map<string, unknown>();

  constructor(readonly published: PublishedDatabase) {
    this.index = new VulnerabilityIndex(published.database);
  }

  get revision(): number {
    return this.published.revision;
  }

  /** RFC 3339: when the store last changed */
  get updated(): string {
    return this.published.updated;
  }

  times(advisory: Advisory): AdvisoryTimes | undefined {
    return this.published.times.get(advisory);
  }

  /** A value derived from this revision, computed once. */
  memo<T>(key: string, make: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = make();
    this.memos.set(key, value);
    return value;
  }
}
