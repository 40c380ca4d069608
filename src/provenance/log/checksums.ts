/**
 * PAUSE `CHECKSUMS` files (CPAN::Checksums): a Perl data structure `$cksum = { 'file' => { 'sha256'
 * => '…', 'mtime' => 'YYYY-MM-DD', … }, … };`, usually inside a PGP clear-signed block. It is
 * tokenised here — single-quoted strings, numbers, `=>`, braces — and never evaluated. The
 * structure around it is checked strictly: nothing before the signed block but CPAN::Checksums'
 * `0&&<<'';` line, one signed block only, nothing after the signature (the shapes of
 * CVE-2020-16154/16156). The PGP signature is checked by checksums-signature.ts, which parses
 * the text the signature covers with `parseChecksumsBody`.
 */
import { CpansecError } from '../../errors.js';

export interface ChecksumsFile {
  file: string;
  sha256: string;
  /** YYYY-MM-DD, when given */
  mtime?: string;
  size?: number;
}

export const MAX_CHECKSUMS_SIZE = 64 * 1024 * 1024;
const MAX_FILES = 200_000;

type Token = { kind: 'str' | 'num' | 'punct' | 'var'; value: string; line: number };

function tokenize(src: string, where: string, firstLine: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = firstLine;
  const fail = (msg: string) => new CpansecError('PARSE_ERROR', msg, { file: where, line });
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw fail('unterminated string');
        const d = src[i]!;
        if (d === '\\' && (src[i + 1] === "'" || src[i + 1] === '\\')) {
          s += src[i + 1];
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          if (d === '\n') line++;
          s += d;
          i++;
        }
        if (s.length > 4096) throw fail('string longer than 4096 characters');
      }
      out.push({ kind: 'str', value: s, line });
    } else if (/[0-9]/.test(c)) {
      const m = /^\d{1,15}/.exec(src.slice(i, i + 16))!;
      out.push({ kind: 'num', value: m[0], line });
      i += m[0].length;
    } else if (src.startsWith('=>', i)) {
      out.push({ kind: 'punct', value: '=>', line });
      i += 2;
    } else if ('{},;='.includes(c)) {
      out.push({ kind: 'punct', value: c, line });
      i++;
    } else if (src.startsWith('$cksum', i)) {
      out.push({ kind: 'var', value: '$cksum', line });
      i += 6;
    } else throw fail(`unexpected '${c === undefined ? '' : c.replace(/[^\x20-\x7e]/g, '?')}' (only a literal hash of strings and numbers is read)`);
    if (out.length > MAX_FILES * 40) throw fail('too many tokens');
  }
  return out;
}

export interface ChecksumsEnvelope {
  /** the message (dash-unescaped when signed) */
  body: string;
  /** the file's line the message starts on */
  line: number;
  /** the clear-signed block, from its BEGIN line to its END line, when there is one */
  signed?: string;
}

/** The clear-signed message, dash-unescaped, and the line it starts on; or the text as it is. */
export function checksumsEnvelope(text: string, where: string): ChecksumsEnvelope {
  if (text.length > MAX_CHECKSUMS_SIZE) throw new CpansecError('PARSE_ERROR', `larger than ${MAX_CHECKSUMS_SIZE} bytes`, { file: where });
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.trimEnd() === '-----BEGIN PGP SIGNED MESSAGE-----');
  const count = lines.filter((l) => l.trimEnd() === '-----BEGIN PGP SIGNED MESSAGE-----').length;
  if (begin < 0) {
    if (text.includes('-----BEGIN PGP')) throw new CpansecError('PARSE_ERROR', 'a PGP block that is not a clear-signed message', { file: where });
    return { body: text, line: 1 };
  }
  if (count > 1) throw new CpansecError('PARSE_ERROR', 'more than one signed block (a CHECKSUMS file has one)', { file: where });
  const before = lines.slice(0, begin).filter((l) => l.trim() !== '');
  if (before.length > 1 || (before.length === 1 && !/^0&&<<'';/.test(before[0]!))) {
    throw new CpansecError('PARSE_ERROR', 'text before the signed block (only CPAN::Checksums\' "0&&<<\'\';" line may be there)', { file: where, line: 1 });
  }
  let i = begin + 1;
  while (i < lines.length && lines[i]!.trim() !== '') {
    if (!/^Hash: [A-Za-z0-9, ]+$/.test(lines[i]!.trimEnd())) throw new CpansecError('PARSE_ERROR', 'unexpected armor header in the signed block', { file: where, line: i + 1 });
    i++;
  }
  const start = i + 1;
  const sigAt = lines.findIndex((l, k) => k > start && l.trimEnd() === '-----BEGIN PGP SIGNATURE-----');
  const endAt = lines.findIndex((l, k) => k > sigAt && l.trimEnd() === '-----END PGP SIGNATURE-----');
  if (sigAt < 0 || endAt < 0) throw new CpansecError('PARSE_ERROR', 'the signed block has no complete signature', { file: where });
  if (lines.slice(endAt + 1).some((l) => l.trim() !== '')) throw new CpansecError('PARSE_ERROR', 'text after the signature', { file: where, line: endAt + 2 });
  const body = lines.slice(start, sigAt).map((l) => (l.startsWith('- ') ? l.slice(2) : l));
  return { body: body.join('\n'), line: start + 1, signed: lines.slice(begin, endAt + 1).join('\n') };
}

/** Read a CHECKSUMS file's text: every file it lists with a SHA-256, in the file's order. */
export function parseChecksums(text: string, where: string): ChecksumsFile[] {
  const { body, line } = checksumsEnvelope(text, where);
  return parseChecksumsBody(body, where, line);
}

/** Read the `$cksum = {…};` message itself (`line`: where it starts in the file, for messages). */
export function parseChecksumsBody(body: string, where: string, line = 1): ChecksumsFile[] {
  // perl stops at __END__; so do we
  const end = body.search(/^__END__\s*$/m);
  const toks = tokenize(end >= 0 ? body.slice(0, end) : body, where, line);
  let p = 0;
  const fail = (msg: string) => new CpansecError('PARSE_ERROR', msg, { file: where, line: toks[Math.min(p, toks.length - 1)]?.line ?? line });
  const expect = (value: string) => {
    const t = toks[p];
    if (!t || t.value !== value || t.kind === 'str') throw fail(`expected '${value}'`);
    p++;
  };
  const scalar = (): string => {
    const t = toks[p];
    if (!t || (t.kind !== 'str' && t.kind !== 'num')) throw fail('expected a string or a number');
    p++;
    return t.value;
  };
  expect('$cksum');
  expect('=');
  expect('{');
  const out: ChecksumsFile[] = [];
  const names = new Set<string>();
  while (toks[p]?.value !== '}' || toks[p]?.kind === 'str') {
    const name = scalar();
    expect('=>');
    expect('{');
    const fields: Record<string, string> = {};
    while (toks[p]?.value !== '}' || toks[p]?.kind === 'str') {
      const k = scalar();
      expect('=>');
      if (Object.hasOwn(fields, k)) throw fail(`'${name}' has '${k}' twice`);
      fields[k] = scalar();
      if (toks[p]?.value === ',' && toks[p]?.kind === 'punct') p++;
      else break;
    }
    expect('}');
    if (names.has(name)) throw fail(`'${name}' is listed twice`);
    names.add(name);
    if (out.length >= MAX_FILES) throw fail(`more than ${MAX_FILES} files`);
    if (fields.sha256 !== undefined) {
      if (!/^[0-9a-f]{64}$/.test(fields.sha256)) throw fail(`'${name}': sha256 is not 64 hex digits`);
      const f: ChecksumsFile = { file: name, sha256: fields.sha256 };
      if (fields.mtime !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(fields.mtime)) f.mtime = fields.mtime;
      if (fields.size !== undefined && /^\d+$/.test(fields.size)) f.size = Number(fields.size);
      out.push(f);
    }
    if (toks[p]?.value === ',' && toks[p]?.kind === 'punct') p++;
    else break;
  }
  expect('}');
  expect(';');
  if (p !== toks.length) throw fail('unexpected text after the hash');
  return out;
}

/** Release archives (what the log records); CHECKSUMS also lists .meta, .readme, patches. */
export function isReleaseArchive(file: string): boolean {
  return /\.(tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|zip)$/.test(file);
}
