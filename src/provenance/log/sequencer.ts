/**
 * Group commit: concurrent additions wait in a queue and are sequenced together, one store
 * transaction per batch; each caller hears of its entries only after that transaction committed.
 * The entries of one call (`addAll`, a batch request) are never split between transactions.
 *
 * A batch starts on the event loop's next turn (setImmediate), not at the first addition: the
 * requests that arrived together are all parsed by then and join it. Starting at once made
 * batches of one on SQLite, whose synchronous driver runs a whole transaction without yielding.
 */
import type { ReleaseEntry } from './entry.js';
import { appendEntries, type AddOutcome } from './append.js';
import type { LogStore, TreeHead } from './store.js';
import type { TreeEdge } from '../tlog/edge.js';

export type SequencedOutcome = AddOutcome & { head: TreeHead };

interface Waiting {
  entries: readonly ReleaseEntry[];
  resolve: (o: SequencedOutcome[]) => void;
  reject: (e: unknown) => void;
}

export class Sequencer {
  private queue: Waiting[] = [];
  private running = false;
  /** the tree's right edge after the last committed batch (checked against the head each time) */
  private edge: TreeEdge | undefined;

  constructor(
    private readonly store: LogStore,
    private readonly now: () => Date = () => new Date(),
    private readonly maxBatch = 4096,
  ) {}

  async add(entry: ReleaseEntry): Promise<SequencedOutcome> {
    return (await this.addAll([entry]))[0]!;
  }

  /** Several entries, committed in one transaction: their outcomes in order. */
  addAll(entries: readonly ReleaseEntry[]): Promise<SequencedOutcome[]> {
    if (entries.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /** The next calls whose entries together stay within maxBatch (at least one call). */
  private take(): Waiting[] {
    let n = 0;
    let count = 0;
    while (n < this.queue.length && (n === 0 || count + this.queue[n]!.entries.length <= this.maxBatch)) count += this.queue[n++]!.entries.length;
    return this.queue.splice(0, n);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.take();
        try {
          const r = await this.store.transaction((tx) => appendEntries(tx, batch.flatMap((w) => w.entries), this.now(), this.edge));
          this.edge = r.edge;
          let at = 0;
          for (const w of batch) {
            w.resolve(r.outcomes.slice(at, at + w.entries.length).map((o) => ({ ...o, head: r.head })));
            at += w.entries.length;
          }
        } catch (e) {
          this.edge = undefined;
          for (const w of batch) w.reject(e);
        }
        // let the requests that came in meanwhile be parsed before the next batch
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }
}
