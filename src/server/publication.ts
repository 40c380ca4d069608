/**
 * The published advisories the server answers from: a Snapshot, replaced as a whole when the store
 * changes. A write in this process (a disclosure case published) refreshes at once; a write by
 * another process (`cpansec db update`) is seen by polling the store's revision; a scheduled
 * publication is picked up when its time comes.
 */
import type { AdvisoryRepository } from '../index/index.js';
import { Snapshot } from './snapshot.js';

export type Clock = () => Date;

interface HistoryRow {
  at: string;
  id: string;
  distribution: string;
  kind: string;
  detail: string | null;
}

/** The store's history of changes, by advisory id, attached to the snapshot it was read with (the site's History). */
async function attachHistory(repository: AdvisoryRepository, snapshot: Snapshot): Promise<Snapshot> {
  const source = (repository as { history?: () => Promise<HistoryRow[]> }).history;
  const rows = source ? await source.call(repository) : [];
  const byId = new Map<string, { at: string; kind: string; distribution: string; detail: string | null }[]>();
  for (const r of rows) {
    const list = byId.get(r.id) ?? [];
    list.push({ at: r.at, kind: r.kind, distribution: r.distribution, detail: r.detail });
    byId.set(r.id, list);
  }
  snapshot.memo(HISTORY_MEMO, () => byId);
  return snapshot;
}

export const HISTORY_MEMO = 'advisory-history';

export interface PublicationLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class Publication {
  private current: Snapshot;
  private loading?: Promise<boolean>;
  /** a revision refused as unreadable: not loaded again until the store moves on */
  private rejected?: number;
  private readonly warmers: ((s: Snapshot) => void)[] = [];

  private constructor(
    private readonly repository: AdvisoryRepository,
    private readonly clock: Clock,
    /** where refreshes are logged (the server sets its logger once it has one) */
    public log: PublicationLog | undefined,
    first: Snapshot,
  ) {
    this.current = first;
  }

  static async load(repository: AdvisoryRepository, clock: Clock, log?: PublicationLog): Promise<Publication> {
    const first = await attachHistory(repository, new Snapshot(await repository.loadPublished(clock())));
    first.index.validate();
    return new Publication(repository, clock, log, first);
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  /** Work to do on a new snapshot before it serves requests (building OSV records, …). */
  addWarmer(warm: (s: Snapshot) => void): void {
    this.warmers.push(warm);
    warm(this.current);
  }

  private due(): boolean {
    const next = this.current.published.nextChange;
    return !!next && next <= this.clock().toISOString();
  }

  /** Reload when the store's revision moved or a scheduled publication came due; true when replaced. */
  refresh(force = false): Promise<boolean> {
    this.loading ??= this.reload(force).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async reload(force: boolean): Promise<boolean> {
    const revision = await this.repository.revision();
    if (!force && (revision === this.current.revision || revision === this.rejected) && !this.due()) return false;
    const next = await attachHistory(this.repository, new Snapshot(await this.repository.loadPublished(this.clock())));
    try {
      next.index.validate();
      for (const warm of this.warmers) warm(next);
    } catch (e) {
      // a bad revision must not take the site down: keep serving the last good one
      this.log?.error({ err: e, revision: next.revision }, 'published database rejected; still serving the previous revision');
      this.rejected = next.revision;
      return false;
    }
    this.current = next;
    this.log?.info({ revision: next.revision }, 'published database refreshed');
    return true;
  }

  /** Poll the store every `intervalMs`; returns a function that stops it. */
  watch(intervalMs: number): () => void {
    const timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.log?.error({ err: e }, 'refreshing the published database failed'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
