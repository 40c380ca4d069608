/**
 * Reports per client address: a sliding window kept in the store, so every server on the database
 * counts the same reports (a second server does not double what a script may file). The intake
 * is open to anyone: a script must not be able to fill the team's queue.
 */
import type { DisclosureStore } from '../../disclosure/index.js';

const HOUR = 3_600_000;

export class IntakeLimit {
  private calls = 0;

  constructor(
    private readonly perHour: number,
    private readonly now: () => Date,
    private readonly store: DisclosureStore,
    private readonly bucket = 'intake',
  ) {}

  /** undefined when allowed (and counted), else when to try again */
  async take(address: string): Promise<Date | undefined> {
    const t = this.now().getTime();
    const prune = ++this.calls % 100 === 0;
    return this.store.transaction(async (tx) => {
      if (prune) await tx.limits.prune(new Date(t - 24 * HOUR).toISOString());
      const key = `${this.bucket}:${address}`;
      const recent = await tx.limits.since(key, new Date(t - HOUR).toISOString());
      if (recent.length >= this.perHour) return new Date(new Date(recent[0]!).getTime() + HOUR);
      await tx.limits.add(key, new Date(t).toISOString());
      return undefined;
    });
  }
}
