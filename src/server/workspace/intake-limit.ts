/**
 * Reports per client address: a sliding window in memory. The intake is open to anyone, so a
 * script must not be able to fill the team's queue; the window is per process (a restart or a
 * second server gives a little more, which is fine for this purpose).
 */
export class IntakeLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly perHour: number,
    private readonly now: () => Date,
  ) {}

  /** undefined when allowed (and counted), else when to try again */
  take(address: string): Date | undefined {
    const t = this.now().getTime();
    const since = t - 3_600_000;
    const recent = (this.seen.get(address) ?? []).filter((x) => x > since);
    if (recent.length >= this.perHour) {
      this.seen.set(address, recent);
      return new Date(recent[0]! + 3_600_000);
    }
    recent.push(t);
    this.seen.set(address, recent);
    if (this.seen.size > 10_000) {
      for (const [k, v] of this.seen) if (!v.some((x) => x > since)) this.seen.delete(k);
    }
    return undefined;
  }
}
