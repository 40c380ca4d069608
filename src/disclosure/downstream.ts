/**
 * Pre-notification of downstream packagers (the charter's "communication with package managers and
 * distribution channels"): the team shares a case, under embargo, with `downstream` accounts. What
 * they read is written for them — the team's summary, the affected and fixed versions, the patch
 * that fixes it when the team picks one, the embargo's end — never the report, who reported, the
 * thread, the draft or any other file. A share is per account and per case, audited, and ends when
 * the team revokes it: from then on the case does not exist for that account.
 */
import type { AttachmentView } from './attachments.js';
import type { Case } from './case.js';

export interface DownstreamShare {
  accountId: string;
  sharedAt: string;
  /** actor label */
  sharedBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface DownstreamNotice {
  /** the team's summary for packagers (never the report's own words) */
  summary: string;
  /** the patch attachment that fixes it, which packagers may download; null: none */
  fixAttachmentId: string | null;
  /** every share, revoked ones included (the history) */
  shares: DownstreamShare[];
}

/** What a packager reads of a case shared with them. */
export interface DownstreamView {
  reference: string;
  distribution: string;
  /** the team's reading of the affected versions (the report's until triage says otherwise) */
  affectedVersions: string[];
  fixedVersions: string[];
  summary: string;
  /** the fix patch, to download from the case's attachments */
  fix: AttachmentView | null;
  /** until when it stays private (null: no embargo set) */
  embargoEndsAt: string | null;
}

export const DOWNSTREAM_SUMMARY_MAX = 5000;

/** The share in force for this account, if any. */
export function activeShare(c: Pick<Case, 'downstream'>, accountId: string): DownstreamShare | undefined {
  return c.downstream?.shares.find((s) => s.accountId === accountId && s.revokedAt === null);
}

/** The accounts the case is shared with now. */
export function sharedWith(c: Pick<Case, 'downstream'>): string[] {
  return [...new Set((c.downstream?.shares ?? []).filter((s) => s.revokedAt === null).map((s) => s.accountId))];
}

export function downstreamView(c: Case, fix: AttachmentView | null): DownstreamView {
  return {
    reference: c.reference,
    distribution: c.report.distribution,
    affectedVersions: c.assessment.affectedVersions ?? c.report.affectedVersions,
    fixedVersions: c.assessment.fixedVersions ?? [],
    summary: c.downstream?.summary ?? '',
    fix,
    embargoEndsAt: c.embargo?.endsAt ?? null,
  };
}
