/**
 * The one place that decides what an actor may do. Every operation the UI or the API offers is an
 * action here; handlers ask `authorize` (or `can`, to show a button) and nothing else.
 *
 * The decision, in order:
 *  1. A case the actor may not see does not exist for them: NOT_FOUND, the same answer as for an
 *     id that was never issued, so guessing ids reveals nothing. Staff see every case, a reporter
 *     the cases they filed, an author the cases they were invited to, a downstream packager the
 *     cases shared with them (and of those only the downstream view), anyone else a case only once
 *     `isPublic` (published and past its embargo), and then only its public view.
 *  2. The role must be one the action admits: FORBIDDEN.
 *  3. The case must be in a state where the action makes sense (no edits to a closed case, no
 *     publication under embargo …): CONFLICT, naming why.
 * Read-only API tokens may only do read actions; no token may manage accounts, make tokens or
 * read the outbox. An actor that must still enrol a second factor may do nothing but that.
 */
import { CpansecError } from '../errors.js';
import { caseRole, type Actor, type CaseRole } from './actor.js';
import type { Case } from './case.js';
import { embargoActive, isPublic } from './embargo.js';
import { ACCEPTED_STATES, CASE_STATES, isTerminal, moverAllows, TRANSITIONS, type CaseState } from './lifecycle.js';

/** An actor's role outside any case. */
export type GlobalRole = 'anonymous' | 'external' | 'downstream' | 'member' | 'admin' | 'system';

interface GlobalRule {
  who: readonly GlobalRole[];
  read: boolean;
  /** refused through an API token */
  noToken?: boolean;
  what: string;
}

interface CaseRule {
  who: readonly CaseRole[];
  read: boolean;
  /** why the action is not possible in this case's present state, or undefined when it is */
  when?: (c: Case, now: Date, role: CaseRole) => string | undefined;
  what: string;
}

const STAFF: readonly CaseRole[] = ['admin', 'member'];
const PARTICIPANTS: readonly CaseRole[] = ['admin', 'member', 'reporter', 'author'];

const open = (c: Case) => (isTerminal(c.state) ? `the case is ${c.state}` : undefined);
const accepted = (c: Case) => (ACCEPTED_STATES.includes(c.state) ? undefined : `the case is ${c.state}, not accepted`);

export const GLOBAL_RULES = {
  'case.file': { who: ['anonymous', 'external', 'downstream', 'member', 'admin'], read: false, what: 'file a report' },
  'case.list': { who: ['external', 'downstream', 'member', 'admin'], read: true, what: 'list the cases one may see' },
  'account.self': { who: ['external', 'downstream', 'member', 'admin'], read: false, noToken: true, what: 'change own password, second factor, revoke own tokens' },
  'account.token': { who: ['external', 'downstream', 'member', 'admin'], read: false, noToken: true, what: 'make an API token (with the password again)' },
  'account.manage': { who: ['admin'], read: false, noToken: true, what: 'create, disable and change the role of accounts; invite team members' },
  'audit.verify': { who: ['admin', 'member'], read: true, what: 'verify the whole audit log' },
  'reminders.view': { who: ['admin', 'member'], read: true, what: 'see embargo reminders and escalations due' },
  'reminders.send': { who: ['admin', 'system'], read: false, what: 'queue the due reminders' },
  // not a read action and never through a token: the outbox is the administrators' page only
  'outbox.view': { who: ['admin'], read: false, noToken: true, what: 'see the outbox' },
  'outbox.drain': { who: ['admin', 'system'], read: false, what: 'send queued mail' },
  'account.createFirstAdmin': { who: ['system'], read: false, what: 'create the first administrator (cpansec admin create)' },
} as const satisfies Record<string, GlobalRule>;

export const CASE_RULES = {
  'case.view': { who: PARTICIPANTS, read: true, what: 'see the case: report, state, shared messages' },
  'case.viewPublic': { who: [...PARTICIPANTS, 'downstream', 'public'], read: true, what: "see the case's public view (its published advisory)" },
  'case.viewDownstream': { who: [...STAFF, 'downstream'], read: true, what: "see what downstream packagers see: the team's summary, the versions, the fix" },
  'case.viewContact': { who: ['admin', 'member', 'reporter'], read: true, what: "see the reporter's contact and encryption key" },
  'case.viewAudit': { who: STAFF, read: true, what: "see the case's audit log" },
  'case.viewDraft': { who: PARTICIPANTS, read: true, what: 'see the draft advisory' },
  'message.viewInternal': { who: STAFF, read: true, what: 'see internal team notes' },
  'case.edit': {
    who: ['admin', 'member', 'reporter'],
    read: false,
    when: (c, _now, role) => (role === 'reporter' ? (c.state === 'received' || c.state === 'triaging' ? undefined : 'the report is being handled; add a message instead') : open(c)),
    what: 'amend the report',
  },
  'message.shared': {
    who: PARTICIPANTS,
    read: false,
    when: (c, _now, role) => (role === 'admin' || role === 'member' ? undefined : open(c)),
    what: 'post a message the reporter and author see',
  },
  'message.internal': { who: STAFF, read: false, what: 'post an internal team note' },
  'case.assess': { who: STAFF, read: false, when: open, what: 'record scope, CVSS, CWE' },
  'case.setEmbargo': { who: STAFF, read: false, when: open, what: 'set, change or lift the embargo' },
  'case.inviteAuthor': { who: STAFF, read: false, when: accepted, what: 'invite the distribution author' },
  'case.logContact': { who: STAFF, read: false, when: accepted, what: 'record a contact attempt or answer' },
  'case.editDraft': { who: STAFF, read: false, when: accepted, what: 'create and edit the draft advisory' },
  'case.assignCve': { who: STAFF, read: false, when: accepted, what: 'assign a CVE id' },
  'case.shareDownstream': { who: STAFF, read: false, when: accepted, what: 'share the case with a downstream packager, and write what they read' },
  'case.revokeDownstream': { who: STAFF, read: false, what: "end a downstream packager's access to the case" },
  'case.resendReporterLink': {
    who: STAFF,
    read: false,
    when: (c) => open(c) ?? (c.reporterAccountId ? 'the reporter has claimed the case already (they log in)' : undefined),
    what: "send the reporter a new link to claim the case",
  },
  'case.publish': {
    who: STAFF,
    read: false,
    when: (c, now) => accepted(c) ?? (embargoActive(c, now) ? `the case is under embargo until ${c.embargo!.endsAt}` : undefined),
    what: 'publish the advisory',
  },
} as const satisfies Record<string, CaseRule>;

export type GlobalAction = keyof typeof GLOBAL_RULES;
export type TransitionAction = `transition:${CaseState}`;
export type CaseAction = keyof typeof CASE_RULES | TransitionAction;
export type Action = GlobalAction | CaseAction;

export const TRANSITION_ACTIONS: readonly TransitionAction[] = CASE_STATES.map((s) => `transition:${s}` as const);
export const CASE_ACTIONS: readonly CaseAction[] = [...(Object.keys(CASE_RULES) as (keyof typeof CASE_RULES)[]), ...TRANSITION_ACTIONS];
export const GLOBAL_ACTIONS = Object.keys(GLOBAL_RULES) as GlobalAction[];

export type Decision = { allowed: true } | { allowed: false; code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'; reason: string };

export function globalRole(actor: Actor): GlobalRole {
  return actor.kind === 'account' ? actor.role : actor.kind;
}

export function isCaseAction(action: string): action is CaseAction {
  return action in CASE_RULES || action.startsWith('transition:');
}

function isReadAction(action: Action): boolean {
  if (action.startsWith('transition:')) return false;
  const rule = (GLOBAL_RULES as Record<string, GlobalRule>)[action] ?? (CASE_RULES as Record<string, CaseRule>)[action];
  return rule?.read ?? false;
}

/** 'an admin', 'a member', 'a member of the public' */
const a = (role: string) => (role === 'public' ? 'a member of the public' : role === 'downstream' ? 'a downstream packager' : `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`);

const deny = (code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT', reason: string): Decision => ({ allowed: false, code, reason });

/** May the actor see that the case exists at all? */
export function canSee(actor: Actor, c: Case, now: Date): boolean {
  return caseRole(actor, c) !== 'public' || isPublic(c, now);
}

function decideTransition(role: CaseRole, c: Case, to: string): Decision {
  const candidates = TRANSITIONS.filter((t) => t.to === to);
  if (!candidates.some((t) => moverAllows(t, role))) return deny('FORBIDDEN', `${a(role)} may not move a case to '${to}'`);
  const t = candidates.find((x) => x.from === c.state);
  if (!t) return deny('CONFLICT', `a case in state '${c.state}' cannot move to '${to}'`);
  if (!moverAllows(t, role)) return deny('FORBIDDEN', `${a(role)} may not move a case from '${c.state}' to '${to}'`);
  if (t.via === 'publish') return deny('CONFLICT', `a case is published by the publish command, which checks the draft and the embargo`);
  return { allowed: true };
}

export function decide(actor: Actor, action: Action, target: Case | null, now: Date): Decision {
  if (actor.kind === 'account' && actor.restricted && action !== 'account.self') {
    return deny('FORBIDDEN', 'enrol a second factor first (required for team members)');
  }
  if (actor.kind === 'account' && actor.readOnly && !isReadAction(action)) return deny('FORBIDDEN', 'a read-only token may not change anything');

  if (!isCaseAction(action)) {
    const rule: GlobalRule = GLOBAL_RULES[action as GlobalAction];
    if (!rule) return deny('FORBIDDEN', `unknown action '${String(action)}'`);
    if (rule.noToken && actor.kind === 'account' && actor.via === 'token') return deny('FORBIDDEN', 'not allowed through an API token');
    const role = globalRole(actor);
    if (!rule.who.includes(role)) return deny('FORBIDDEN', role === 'anonymous' ? 'log in first' : `${a(role)} may not ${rule.what}`);
    return { allowed: true };
  }

  if (!target) return deny('NOT_FOUND', 'no such case');
  if (!canSee(actor, target, now)) return deny('NOT_FOUND', 'no such case');
  const role = caseRole(actor, target);
  if (action.startsWith('transition:')) return decideTransition(role, target, action.slice('transition:'.length));
  const rule: CaseRule | undefined = (CASE_RULES as Record<string, CaseRule>)[action];
  if (!rule) return deny('FORBIDDEN', `unknown action '${action}'`);
  if (!rule.who.includes(role)) return deny('FORBIDDEN', `${a(role)} may not ${rule.what}`);
  const why = rule.when?.(target, now, role);
  if (why) return deny('CONFLICT', why);
  return { allowed: true };
}

export function can(actor: Actor, action: Action, target: Case | null, now: Date): boolean {
  return decide(actor, action, target, now).allowed;
}

/** Throws CpansecError (NOT_FOUND, FORBIDDEN or CONFLICT) unless the actor may do it. */
export function authorize(actor: Actor, action: Action, target: Case | null, now: Date, reference?: string): void {
  const d = decide(actor, action, target, now);
  if (d.allowed) return;
  // a NOT_FOUND names only what the caller asked for: the case's own reference would confirm it exists
  if (d.code === 'NOT_FOUND') throw new CpansecError('NOT_FOUND', 'no such case', { file: reference ?? 'case' });
  throw new CpansecError(d.code, d.reason, { file: target?.reference ?? action });
}
