/**
 * The workspace's settings: what `cpansec serve` reads from its flags and environment, and what
 * tests inject (a cheap scrypt, a seeded random source, a recording mail transport).
 */
import type { ContactPolicy, CpanKnowledge, MailTransport, RandomSource, ScryptParams, ThrottleLimits } from '../../disclosure/index.js';

export interface WorkspaceOptions {
  /** false: no workspace routes at all (a public mirror) */
  enabled?: boolean;
  /** where team notifications go (the team's private list) */
  teamAddress?: string;
  /** the From: of every mail */
  mailFrom?: string;
  /** smtp(s)://user:pass@host:port — the outbox drain sends through it; without it mail stays queued */
  smtpUrl?: string;
  /** another transport (tests); wins over smtpUrl */
  transport?: MailTransport;
  /** how often the outbox is drained when a transport is set; 0: only on demand */
  drainIntervalMs?: number;
  /** how often embargo reminders and escalations are queued; 0: only on demand */
  remindersIntervalMs?: number;
  /** team members must enrol a second factor before anything else */
  requireTotpForStaff?: boolean;
  /** password hashing cost (tests lower it) */
  scrypt?: ScryptParams;
  random?: RandomSource;
  /** reports accepted per client address per hour */
  intakePerHour?: number;
  /** largest request body of the workspace, bytes (files are limited apart) */
  bodyLimit?: number;
  /** largest file with a report or message, bytes (default 10 MiB) */
  attachmentMaxBytes?: number;
  /** files with one report or message (default 5) */
  attachmentMaxFiles?: number;
  /** more CPAN knowledge for the scope rules (e.g. a 02packages list) */
  cpan?: CpanKnowledge;
  /** the author-contact deadlines (days), over the defaults */
  contact?: Partial<ContactPolicy>;
  /** logins and password checks in flight (tests lower them) */
  throttle?: Partial<ThrottleLimits>;
}

export interface WorkspaceSettings extends Required<Pick<WorkspaceOptions, 'drainIntervalMs' | 'remindersIntervalMs' | 'requireTotpForStaff' | 'intakePerHour' | 'bodyLimit' | 'attachmentMaxBytes' | 'attachmentMaxFiles'>> {
  teamAddress: string;
  mailFrom: string;
  smtpUrl?: string;
  transport?: MailTransport;
  scrypt?: ScryptParams;
  random?: RandomSource;
  cpan?: CpanKnowledge;
  contact?: Partial<ContactPolicy>;
  throttle?: Partial<ThrottleLimits>;
}

export const DEFAULT_WORKSPACE = {
  drainIntervalMs: 30_000,
  remindersIntervalMs: 15 * 60_000,
  requireTotpForStaff: false,
  intakePerHour: 20,
  bodyLimit: 1024 * 1024,
  attachmentMaxBytes: 10 * 1024 * 1024,
  attachmentMaxFiles: 5,
} as const;

/** The settings with defaults; addresses default to the base URL's host. */
export function workspaceSettings(o: WorkspaceOptions, baseUrl: string): WorkspaceSettings {
  let host = 'localhost';
  try {
    host = new URL(baseUrl).hostname || host;
  } catch {
    // no base URL yet (it is set once the server listens)
  }
  return {
    ...DEFAULT_WORKSPACE,
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
    teamAddress: o.teamAddress ?? `security-team@${host}`,
    mailFrom: o.mailFrom ?? `cpansec <noreply@${host}>`,
  };
}
