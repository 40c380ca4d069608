/**
 * The workspace's timers in the server process: embargo reminders and author-contact
 * escalations (`sendReminders`, as the scheduler), the outbox drain through the mail transport,
 * catching up publications, and forgetting old login attempts. Each is off when its interval is
 * 0; a run never overlaps the previous one, and an error is logged, never thrown.
 */
import { DEFAULT_RATE_LIMIT, drainOutbox, mailLinks, sendReminders, type DrainReport, type ReminderReport } from '../../disclosure/index.js';
import { SCHEDULER, type Workspace } from './workspace.js';

export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export async function runReminders(ws: Workspace): Promise<ReminderReport> {
  await ws.syncPublished();
  const report = await sendReminders(ws.deps, SCHEDULER);
  const limits = { ...DEFAULT_RATE_LIMIT, ...ws.deps.config.rateLimit };
  const ago = (ms: number) => new Date(ws.now().getTime() - ms).toISOString();
  // failures count for the back-off's horizon; successes say which addresses are an account's own
  const failures = Math.max(limits.windowMinutes * 60_000, limits.backoffMaxHours * 3_600_000, 86_400_000);
  await ws.deps.store.transaction((tx) => tx.loginAttempts.prune(ago(failures), ago(Math.max(failures, limits.knownAddressDays * 86_400_000))));
  return report;
}

export async function runDrain(ws: Workspace): Promise<DrainReport | undefined> {
  const transport = ws.outgoing();
  if (!transport) return undefined;
  return drainOutbox(ws.deps.store, transport, ws.deps.clock, ws.deps.config.outbox, mailLinks(ws.deps));
}

function every(ms: number, name: string, log: JobLog, job: () => Promise<unknown>): () => void {
  if (!(ms > 0)) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job()
      .then((r) => {
        if (r && Object.values(r as Record<string, number>).some((n) => n > 0)) log.info({ job: name, ...(r as object) }, 'workspace job');
      })
      .catch((e: unknown) => log.error({ err: e, job: name }, 'workspace job failed'))
      .finally(() => {
        running = false;
      });
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** Start the timers; returns what stops them. */
export function startJobs(ws: Workspace, log: JobLog): () => void {
  const stops = [
    every(ws.settings.remindersIntervalMs, 'reminders', log, () => runReminders(ws)),
    every(ws.settings.drainIntervalMs, 'outbox', log, () => runDrain(ws)),
  ];
  return () => stops.forEach((s) => s());
}
