/**
 * A static reader of the cpanfile DSL (Module::CPANfile), never running Perl. It understands the
 * statements the DSL defines — requires/recommends/suggests/conflicts, the *_requires shortcuts,
 * `on PHASE => sub {…}`, `feature NAME, DESC => sub {…}`, mirror/osname — with Perl's quoting
 * (' " q qq qw), comments, POD and __END__. Anything else is Perl code it cannot evaluate: an error
 * naming the line, never a guess. Hand-written because no JavaScript library reads cpanfiles.
 */
import { CpansecError } from '../../errors.js';
import { perlNumberLiteral } from '../../perl/index.js';
import type { Dependency, Phase, Relationship } from '../dependency.js';

type Token =
  | { t: 'str'; v: string; line: number }
  | { t: 'num'; v: string; line: number }
  | { t: 'word'; v: string; line: number }
  | { t: 'op'; v: string; line: number };

const PAIRS: Record<string, string> = { '(': ')', '{': '}', '[': ']', '<': '>' };

function tokenize(src: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const fail = (why: string, at = line): never => {
    throw new CpansecError('PARSE_ERROR', why, { file, line: at });
  };
  const atLineStart = () => i === 0 || src[i - 1] === '\n';
  const readDelimited = (open: string, startLine: number): string => {
    const close = PAIRS[open] ?? open;
    let depth = 1;
    let s = '';
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\' && i + 1 < src.length) {
        s += c + src[i + 1];
        if (src[i + 1] === '\n') line++;
        i += 2;
        continue;
      }
      if (c === '\n') line++;
      if (c === close && PAIRS[open] !== undefined ? --depth === 0 : c === close) {
        i++;
        return s;
      }
      if (c === open && PAIRS[open] !== undefined) depth++;
      s += c;
      i++;
    }
    return fail(`unterminated string starting with ${open}`, startLine);
  };
  const unescape = (s: string, quote: 'single' | 'double') =>
    quote === 'single' ? s.replace(/\\([\\'])/g, '$1') : s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);

  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '=' && atLineStart() && /[A-Za-z]/.test(src[i + 1] ?? '')) {
      // POD runs to a =cut line (or the end of the file)
      const end = src.slice(i).search(/^=cut\b.*$/m);
      const pod = end === -1 ? src.slice(i) : src.slice(i, i + end);
      line += pod.split('\n').length - 1;
      i = end === -1 ? src.length : i + end;
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && !(c === 'v' && /^v[0-9][0-9_]*\.[0-9]/.test(src.slice(i, i + 32)))) {
      const m = /^[A-Za-z_][\w]*(?:::\w+)*/.exec(src.slice(i, i + 256))!;
      const word = m[0];
      if ((word === '__END__' || word === '__DATA__') && atLineStart()) break;
      i += word.length;
      if (/^(q|qq|qw)$/.test(word)) {
        let j = i;
        while (j < src.length && /[ \t]/.test(src[j]!)) j++;
        const d = src[j];
        if (d !== undefined && /[^\w\s=,;]/.test(d)) {
          const startLine = line;
          i = j + 1;
          const body = readDelimited(d, startLine);
          if (word === 'qw') {
            // a qw() list is its words separated by commas
            body.split(/\s+/).filter(Boolean).forEach((w, n) => {
              if (n > 0) out.push({ t: 'op', v: ',', line: startLine });
              out.push({ t: 'str', v: w, line: startLine });
            });
          }
          else out.push({ t: 'str', v: unescape(body, word === 'q' ? 'single' : 'double'), line: startLine });
          continue;
        }
      }
      out.push({ t: 'word', v: word, line });
      continue;
    }
    if (/[0-9]/.test(c) || (c === 'v' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^v?[0-9][0-9_]*(?:\.[0-9_]+)*/.exec(src.slice(i, i + 64))!;
      out.push({ t: 'num', v: m[0], line });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const startLine = line;
      i++;
      out.push({ t: 'str', v: unescape(readDelimited(c, startLine), c === "'" ? 'single' : 'double'), line: startLine });
      continue;
    }
    if (src.startsWith('=>', i)) {
      out.push({ t: 'op', v: '=>', line });
      i += 2;
      continue;
    }
    if (',;{}()'.includes(c)) {
      out.push({ t: 'op', v: c, line });
      i++;
      continue;
    }
    fail(`unexpected '${c}': not something a cpanfile can be read statically with`);
  }
  return out;
}

const RELATIONSHIPS: Record<string, [Relationship, Phase?]> = {
  requires: ['requires'],
  recommends: ['recommends'],
  suggests: ['suggests'],
  conflicts: ['conflicts'],
  test_requires: ['requires', 'test'],
  build_requires: ['requires', 'build'],
  configure_requires: ['requires', 'configure'],
  author_requires: ['requires', 'develop'],
};
const PHASES = new Set(['runtime', 'build', 'test', 'configure', 'develop']);
const IGNORED = new Set(['mirror', 'osname', 'use', 'no']);
/** Real cpanfiles nest two levels (feature, on); a hostile one must not exhaust the stack. */
export const MAX_CPANFILE_NESTING = 32;

/**
 * The arguments after the module, as Module::CPANfile's requirement_for reads them: a version only
 * when their count is odd (MODULE [, VERSION] [, KEY => VALUE …]), the rest options; an option
 * `version` overrides it, and a false version ('' or 0) is any version.
 */
function requirementArgs(rest: string[]): { version: string; options?: Record<string, string> } {
  let version = rest.length % 2 ? rest[0]! : '0';
  const options: [string, string][] = [];
  for (let n = rest.length % 2; n < rest.length; n += 2) {
    const [key, val] = [rest[n]!, rest[n + 1]!];
    if (key === 'version') version = val;
    // `name` would rename the requirement in Module::CPANfile, never an option; the module stays as listed
    else if (key !== 'name') options.push([key, val]);
  }
  return { version: version === '' ? '0' : version, ...(options.length ? { options: Object.fromEntries(options) } : {}) };
}

export function parseCpanfile(text: string, file: string): Dependency[] {
  const tokens = tokenize(text, file);
  const deps: Dependency[] = [];
  let k = 0;
  const peek = () => tokens[k];
  const lastLine = () => tokens[tokens.length - 1]?.line ?? 1;
  const fail = (why: string, at?: number): never => {
    throw new CpansecError('PARSE_ERROR', why, { file, line: at ?? peek()?.line ?? lastLine() });
  };
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const expectOp = (v: string) => {
    if (!isOp(v)) fail(`expected '${v}'${peek() ? ` before '${peek()!.v}'` : ' at the end of the file'}`);
    k++;
  };
  const value = (): string => {
    const tok = peek();
    if (!tok) return fail('unexpected end of file');
    if (tok.t === 'str') {
      k++;
      return tok.v;
    }
    if (tok.t === 'num') {
      k++;
      return perlNumberLiteral(tok.v);
    }
    if (tok.t === 'word' && tokens[k + 1]?.t === 'op' && tokens[k + 1]!.v === '=>') {
      k++;
      return tok.v;
    }
    return fail(`expected a string, got '${tok.v}'`);
  };
  // the argument list: values separated by , or =>; stops at ; } or a sub block
  const args = (): string[] => {
    const parens = isOp('(');
    if (parens) k++;
    const list: string[] = [];
    while (peek() && !(peek()!.t === 'op' && (peek()!.v === ';' || peek()!.v === '}' || peek()!.v === ')')) && !(peek()!.t === 'word' && peek()!.v === 'sub')) {
      list.push(value());
      if (isOp(',') || isOp('=>')) k++;
      else break;
    }
    if (parens) expectOp(')');
    return list;
  };
  const block = (ctx: { phase: Phase; feature?: string }, depth: number) => {
    if (!(peek()?.t === 'word' && peek()!.v === 'sub')) fail("expected 'sub { ... }'");
    k++;
    const open = peek()?.line;
    if (depth > MAX_CPANFILE_NESTING) fail(`blocks nested more than ${MAX_CPANFILE_NESTING} deep`);
    expectOp('{');
    statements(ctx, depth);
    if (!isOp('}')) fail(`unbalanced braces: the block opened at line ${open} is not closed`, lastLine());
    k++;
  };
  // depth 0 is the file itself; each `sub {` block is one deeper
  const statements = (ctx: { phase: Phase; feature?: string }, depth: number) => {
    const inBlock = depth > 0;
    while (peek()) {
      const tok = peek()!;
      if (tok.t === 'op' && tok.v === ';') {
        k++;
        continue;
      }
      if (tok.t === 'op' && tok.v === '}') {
        if (!inBlock) fail("unbalanced braces: '}' without '{'");
        return;
      }
      if (tok.t !== 'word') fail(`unexpected '${tok.v}'`);
      k++;
      const rel = RELATIONSHIPS[tok.v];
      if (rel) {
        const list = args();
        const [module, ...rest] = list;
        if (!module) fail(`${tok.v} needs a module name`, tok.line);
        const { version, options } = requirementArgs(rest);
        deps.push({
          name: module!,
          kind: 'module',
          range: version,
          phase: rel[1] ?? ctx.phase,
          relationship: rel[0],
          ...(ctx.feature ? { feature: ctx.feature } : {}),
          ...(options ? { options } : {}),
          source: { file, line: tok.line },
        });
      } else if (tok.v === 'on') {
        const list = args();
        const phase = list[0];
        if (!phase || !PHASES.has(phase)) fail(`unknown phase '${phase ?? ''}' (runtime, build, test, configure, develop)`, tok.line);
        block({ ...ctx, phase: phase as Phase }, depth + 1);
      } else if (tok.v === 'feature') {
        const list = args();
        if (!list[0]) fail('feature needs a name', tok.line);
        block({ ...ctx, feature: list[0] }, depth + 1);
      } else if (IGNORED.has(tok.v)) {
        while (peek() && !isOp(';') && !isOp('}')) k++;
      } else {
        fail(`'${tok.v}' is not a cpanfile statement (Perl code cannot be read statically)`, tok.line);
      }
      if (peek() && !isOp(';') && !isOp('}')) fail(`expected ';' after the ${tok.v} statement`);
    }
    if (inBlock) fail('unbalanced braces: a block is not closed', lastLine());
  };
  statements({ phase: 'runtime' }, 0);
  return deps;
}
