/** C2SP tlog-proof@v1: an offline proof (index, inclusion proof, signed checkpoint, optional extra). */
import { CpansecError } from '../../errors.js';
import { HASH_SIZE } from './merkle.js';
import { strictBase64 } from './keys.js';

export const PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  extra?: Buffer;
  index: number;
  proof: Buffer[];
  /** the signed checkpoint, verbatim */
  checkpoint: string;
}

export function formatTlogProof(p: TlogProof): string {
  const extra = p.extra ? `extra ${p.extra.toString('base64')}\n` : '';
  return `${PROOF_HEADER}\n${extra}index ${p.index}\n${p.proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${p.checkpoint}`;
}

export function parseTlogProof(text: string, where: string): TlogProof {
  const fail = (line: number, msg: string) => new CpansecError('PARSE_ERROR', msg, { file: where, line });
  const lines = text.split('\n');
  if (lines[0] !== PROOF_HEADER) throw fail(1, `not a tlog proof: the first line must be ${PROOF_HEADER}`);
  let i = 1;
  let extra: Buffer | undefined;
  if (lines[i]?.startsWith('extra ')) {
    extra = strictBase64(lines[i]!.slice(6));
    if (!extra) throw fail(i + 1, 'extra is not base64');
    i++;
  }
  const m = /^index (0|[1-9]\d{0,15})$/.exec(lines[i] ?? '');
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw fail(i + 1, "expected 'index N'");
  i++;
  const proof: Buffer[] = [];
  for (; i < lines.length && lines[i] !== ''; i++) {
    const h = strictBase64(lines[i]!);
    if (!h || h.length !== HASH_SIZE) throw fail(i + 1, 'proof line is not a base64 SHA-256 hash');
    if (proof.length >= 64) throw fail(i + 1, 'more than 64 proof hashes');
    proof.push(h);
  }
  if (i >= lines.length) throw fail(i, 'no checkpoint after the proof (an empty line, then the checkpoint)');
  return { ...(extra ? { extra } : {}), index: Number(m[1]), proof, checkpoint: lines.slice(i + 1).join('\n') };
}
