/**
 * Coordinated disclosure: the domain of the team's private workspace. Pure rules (policy,
 * lifecycle, scope, CVSS, embargo, escalation, audit chain, accounts) and commands that act
 * through a `DisclosureStore` (one transaction each) with an injected clock and random source.
 * No HTTP and no SQL here: src/store implements the store, src/server calls the commands.
 */
export * from './clock.js';
export { newCaseReference, parseCaseReference, isCaseReference, randomId } from './ids.js';
export { text, optionalText, email, emailKey, url, reasonText, type TextRule } from './text.js';
export * from './encryption-key.js';
export * from './lifecycle.js';
export * from './actor.js';
export * from './case.js';
export * from './scope.js';
export * from './cvss.js';
export * from './embargo.js';
export * from './contact.js';
export * from './messages.js';
export * from './attachments.js';
export * from './downstream.js';
export * from './outbox.js';
export * from './audit-log.js';
export * from './timeline.js';
export * from './draft.js';
export * from './policy.js';
export * from './repository.js';
export { MemoryStore, SimulatedCrash } from './memory-repository.js';
export * from './config.js';
export * from './accounts/account.js';
export * from './accounts/password.js';
export * from './accounts/password-policy.js';
export * from './accounts/rate-limit.js';
export * from './accounts/throttle.js';
export * from './accounts/session.js';
export * from './accounts/tokens.js';
export * from './accounts/totp.js';
export * from './accounts/invitation.js';
export { type DisclosureDeps, type CveRecordCheck, type CveRecordProblem } from './commands/context.js';
export { fileReport, earlierReport, intakeKeyHash, editReport, type Acknowledgement, type FiledReport, type IntakeOptions } from './commands/intake.js';
export { transitionCase, type TransitionOptions } from './commands/lifecycle.js';
export { assessCase, triageInfo, scopeFor, type AssessmentInput, type TriageInfo, type ExistingAdvisory } from './commands/triage.js';
export { setEmbargo, liftEmbargo } from './commands/embargo.js';
export { dueItems, sendReminders, type DueItem, type DueKind, type ReminderReport } from './commands/reminders.js';
export { logContact, recordAnswer, inviteAuthor, remindAuthor, REMINDER_REPEAT_MINUTES } from './commands/contact.js';
export { postMessage, readThread } from './commands/messages.js';
export { readAttachment } from './commands/attachments.js';
export { shareWithDownstream, revokeDownstream, readDownstream, type ShareInput } from './commands/downstream.js';
export { createDraft, editDraft, assignCve, checkDraft, cveInputFor } from './commands/draft.js';
export { publishCase, type PublishOptions, type PublishResult, type AdvisoryPublished } from './commands/publish.js';
export { resendReporterLink } from './commands/reporter-link.js';
export { createFirstAdmin, inviteAccount, resetPassword, redeemInvitation, changePassword, updateAccount, accountView, type AccountView } from './commands/accounts.js';
export { login, resolveSession, logout, resolveApiToken, mustEnrolSecondFactor, type LoginInput, type LoginResult, type Resolved } from './commands/auth.js';
export { createApiToken, issueApiToken, listApiTokens, revokeApiToken, beginTotp, confirmTotp, disableTotp, resetTotp, type TokenView, type TokenInput } from './commands/security.js';
export {
  viewCase,
  caseView,
  listCases,
  publicCase,
  publishedCases,
  caseAuditLog,
  caseAuditTrail,
  auditActors,
  verifyAudit,
  listOutbox,
  sendOutbox,
  mailLinks,
  type AuditActorView,
  type CaseView,
  type CaseSummary,
  type CaseListFilter,
  nextDeadline,
} from './commands/queries.js';
export { reportProblems, type FieldProblem } from './report-problems.js';
export { assignCase } from './commands/assign.js';
export { requestPasswordReset, RESET_LIMITS, type ResetRequestResult } from './commands/forgotten-password.js';
