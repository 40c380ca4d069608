/**
 * The settings of the disclosure workspace, with the defaults a small team starts from. Phase 2
 * reads them from the server's configuration; nothing here reads the environment.
 */
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './accounts/password-policy.js';
import { DEFAULT_SCRYPT, type ScryptParams } from './accounts/password.js';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from './attachments.js';
import { DEFAULT_RATE_LIMIT, type RateLimitConfig } from './accounts/rate-limit.js';
import { DEFAULT_SESSION, type SessionConfig } from './accounts/session.js';
import { DEFAULT_CONTACT_POLICY, type ContactPolicy } from './contact.js';
import { DEFAULT_EMBARGO, type EmbargoConfig } from './embargo.js';
import { DEFAULT_OUTBOX, type OutboxConfig } from './outbox.js';

export interface Links {
  /** the workspace page of a case */
  case(reference: string): string;
  /** where an invitation token is redeemed */
  invitation(token: string): string;
}

export interface DisclosureConfig {
  /** where team notifications go (the team's private list) */
  teamAddress: string;
  links: Links;
  outbox: OutboxConfig;
  embargo: EmbargoConfig;
  contact: ContactPolicy;
  rateLimit: RateLimitConfig;
  session: SessionConfig;
  password: PasswordPolicy;
  scrypt: ScryptParams;
  /** days an invitation link stays valid */
  invitationDays: number;
  /** team members must use a second factor */
  requireTotpForStaff: boolean;
  /** files with reports and messages */
  attachments: AttachmentLimits;
}

export interface ConfigInput extends Partial<Omit<DisclosureConfig, 'outbox'>> {
  teamAddress: string;
  from: string;
  links: Links;
  outbox?: Partial<Omit<OutboxConfig, 'from'>>;
}

export function disclosureConfig(input: ConfigInput): DisclosureConfig {
  const { from, outbox, ...rest } = input;
  return {
    embargo: DEFAULT_EMBARGO,
    contact: DEFAULT_CONTACT_POLICY,
    rateLimit: DEFAULT_RATE_LIMIT,
    session: DEFAULT_SESSION,
    password: DEFAULT_PASSWORD_POLICY,
    scrypt: DEFAULT_SCRYPT,
    invitationDays: 14,
    requireTotpForStaff: false,
    attachments: DEFAULT_ATTACHMENT_LIMITS,
    ...rest,
    outbox: { ...DEFAULT_OUTBOX, ...outbox, from },
  };
}
