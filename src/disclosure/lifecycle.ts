/**
 * The case lifecycle as an explicit state machine. Every allowed move is a row of TRANSITIONS with
 * the roles that may make it; anything else is refused. `published` is reached only through the
 * publish command (it needs a linted draft and a lifted embargo), never by a plain transition.
 */
import { CpansecError } from '../errors.js';

export const CASE_STATES = [
  'received',
  'triaging',
  'accepted',
  'rejected',
  'duplicate',
  'author-contacted',
  'fix-in-progress',
  'fix-released',
  'published',
  'withdrawn',
] as const;

export type CaseState = (typeof CASE_STATES)[number];

/** States a case does not leave except by an administrator reopening it (or never: published). */
export const TERMINAL_STATES: readonly CaseState[] = ['rejected', 'duplicate', 'published', 'withdrawn'];

/** The states of an accepted vulnerability on its way to publication. */
export const ACCEPTED_STATES: readonly CaseState[] = ['accepted', 'author-contacted', 'fix-in-progress', 'fix-released'];

/** Who may make a move: staff is administrators and team members. */
export type Mover = 'admin' | 'staff' | 'reporter' | 'author';

export interface Transition {
  from: CaseState;
  to: CaseState;
  by: readonly Mover[];
  /** 'publish': only the publish command makes this move */
  via?: 'publish';
}

const t = (from: CaseState, to: CaseState, by: Mover[], via?: 'publish'): Transition => ({ from, to, by, ...(via ? { via } : {}) });

export const TRANSITIONS: readonly Transition[] = [
  t('received', 'triaging', ['staff']),
  t('received', 'rejected', ['staff']),
  t('received', 'duplicate', ['staff']),
  t('received', 'withdrawn', ['staff', 'reporter']),
  t('triaging', 'accepted', ['staff']),
  t('triaging', 'rejected', ['staff']),
  t('triaging', 'duplicate', ['staff']),
  t('triaging', 'withdrawn', ['staff', 'reporter']),
  t('accepted', 'author-contacted', ['staff']),
  t('accepted', 'fix-in-progress', ['staff']),
  t('accepted', 'withdrawn', ['staff']),
  t('accepted', 'published', ['staff'], 'publish'),
  t('author-contacted', 'fix-in-progress', ['staff', 'author']),
  t('author-contacted', 'fix-released', ['staff', 'author']),
  t('author-contacted', 'withdrawn', ['staff']),
  t('author-contacted', 'published', ['staff'], 'publish'),
  t('fix-in-progress', 'fix-released', ['staff', 'author']),
  t('fix-in-progress', 'withdrawn', ['staff']),
  t('fix-in-progress', 'published', ['staff'], 'publish'),
  t('fix-released', 'withdrawn', ['staff']),
  t('fix-released', 'published', ['staff'], 'publish'),
  t('rejected', 'triaging', ['admin']),
  t('duplicate', 'triaging', ['admin']),
  t('withdrawn', 'triaging', ['admin']),
];

export function isCaseState(s: unknown): s is CaseState {
  return typeof s === 'string' && (CASE_STATES as readonly string[]).includes(s);
}

/** The state named by untrusted input; PARSE_ERROR naming the valid ones otherwise. */
export function parseCaseState(s: unknown): CaseState {
  if (isCaseState(s)) return s;
  throw new CpansecError('PARSE_ERROR', `unknown state '${String(s).slice(0, 40)}' (one of: ${CASE_STATES.join(', ')})`, { file: 'state' });
}

export function isTerminal(state: CaseState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function transitionOf(from: CaseState, to: CaseState): Transition | undefined {
  return TRANSITIONS.find((x) => x.from === from && x.to === to);
}

/** May a case role make this move? Staff rows admit both staff roles. */
export function moverAllows(transition: Transition, role: 'admin' | 'member' | 'reporter' | 'author' | 'downstream' | 'public'): boolean {
  return transition.by.some((m) =>
    m === 'staff' ? role === 'admin' || role === 'member' : m === role,
  );
}

/**
 * The move itself, whatever the role: PARSE_ERROR for an unknown state, CONFLICT when the
 * machine has no such edge (the message names the moves that exist from here).
 */
export function requireTransition(from: CaseState, toInput: unknown): Transition {
  const to = parseCaseState(toInput);
  const found = transitionOf(from, to);
  if (!found) {
    const next = TRANSITIONS.filter((x) => x.from === from).map((x) => x.to);
    throw new CpansecError(
      'CONFLICT',
      `a case in state '${from}' cannot move to '${to}'${next.length ? ` (possible: ${next.join(', ')})` : ' (it is final)'}`,
      { file: 'state' },
    );
  }
  return found;
}
