/**
 * in-toto Statement v1 (github.com/in-toto/attestation, spec/v1/statement.md) about one release
 * tarball, and the reading of a statement out of a verified envelope (hostile: shape checked,
 * sizes bounded).
 */
import { CpansecError } from '../../errors.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

export function statementFor(name: string, sha256: string, predicateType: string, predicate: Record<string, unknown>): Statement {
  return { _type: STATEMENT_TYPE, subject: [{ name, digest: { sha256 } }], predicateType, predicate };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_SUBJECTS = 1000;

/** The statement in a payload, or the one-line reason it is none. */
export function parseStatement(payload: Buffer): Statement | string {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (e) {
    return `the payload is not JSON (${(e as Error).message})`;
  }
  if (!isObj(doc)) return 'the payload is not a JSON object';
  if (doc._type !== STATEMENT_TYPE) return `the payload's _type is ${JSON.stringify(doc._type)}, not ${STATEMENT_TYPE}`;
  if (!Array.isArray(doc.subject) || doc.subject.length === 0) return 'the statement has no subject';
  if (doc.subject.length > MAX_SUBJECTS) return `the statement has more than ${MAX_SUBJECTS} subjects`;
  for (const [i, s] of doc.subject.entries()) {
    if (!isObj(s) || !isObj(s.digest) || Object.keys(s.digest).length === 0) return `subject[${i}] has no digest`;
    if (Object.values(s.digest).some((d) => typeof d !== 'string')) return `subject[${i}] has a digest that is not a string`;
    if (s.name !== undefined && typeof s.name !== 'string') return `subject[${i}].name is not a string`;
  }
  if (typeof doc.predicateType !== 'string' || doc.predicateType === '') return 'the statement has no predicateType';
  if (doc.predicate !== undefined && !isObj(doc.predicate)) return 'the predicate is not a JSON object';
  return { _type: STATEMENT_TYPE, subject: doc.subject as ResourceDescriptor[], predicateType: doc.predicateType, predicate: (doc.predicate ?? {}) as Record<string, unknown> };
}

export function statementOrThrow(payload: Buffer, file: string): Statement {
  const s = parseStatement(payload);
  if (typeof s === 'string') throw new CpansecError('PARSE_ERROR', s, { file });
  return s;
}
