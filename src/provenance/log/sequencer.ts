/**
 * Group commit: concurrent additions wait in a queue and are sequenced together, one store
 * transaction per batch; each caller hears of its entry only after that transaction committed.
 */
import type { ReleaseEntry } from './entry.js';
import { appendEntries, type AddOutcome } from './append.js';
import type { LogStore, TreeHead } from './store.js';

interface Waiting {
  entry: ReleaseEntry;
  resolve: (o: AddOutcome & { head: TreeHead }) => void;
  reject: (e: unknown) => void;
}

export class Sequencer {
  private queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly store: LogStore,
    private readonly now: () => Date = () => new Date(),
    private readonly maxBatch = 4096,
  ) {}

  add(entry: ReleaseEntry): Promise<AddOutcome & { head: TreeHead }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const r = await this.store.transaction((tx) => appendEntries(tx, batch.map((w) => w.entry), this.now()));
          batch.forEach((w, i) => w.resolve({ ...r.outcomes[i]!, head: r.head }));
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
