/**
 * Perl's Text::Wrap::wrap (2021.0814, the behaviour of the `$columns`, `$huge = 'wrap'`,
 * `$unexpand = 1`, `$tabstop = 8` defaults), which the CNA tool's announcements are laid out
 * with. Ported by hand because the announcement must come out character for character the same,
 * tabs from `unexpand` included; a differential test runs the real perl's Text::Wrap as the oracle.
 */

const UNIT = String.raw`\P{M}\p{M}*`;
const BREAK = String.raw`(?=\s)(?:\r\n|${UNIT})`;
const TABSTOP = 8;

/** Count of characters that are not combining marks (Text::Wrap's `_xlen`). */
function xlen(s: string): number {
  return (s.match(/\P{M}/gu) ?? []).length;
}

/** Text::Tabs::expand: tabs to spaces, line by line. */
function expand(s: string): string {
  return s
    .split(/(?<=\n)/)
    .map((line) => {
      const pieces = line.split('\t');
      let out = pieces[0]!;
      let offs = xlen(pieces[0]!);
      for (const piece of pieces.slice(1)) {
        out += ' '.repeat(TABSTOP - (offs % TABSTOP)) + piece;
        offs = xlen(piece);
      }
      return out;
    })
    .join('');
}

/** Text::Tabs::unexpand: runs of two or more spaces that end a tab stop become a tab. */
function unexpand(s: string): string {
  const chunk = new RegExp(`((?:${UNIT}){${TABSTOP}})`, 'u');
  return s
    .split('\n')
    .map((raw) => {
      const parts = expand(raw).split(chunk);
      let last = parts.pop() ?? '';
      if (last === ' '.repeat(TABSTOP)) last = '\t';
      return parts.map((p) => p.replace(/ {2,}$/, '\t')).join('') + last;
    })
    .join('\n');
}

export function wrap(initialTab: string, subsequentTab: string, text: string, columns = 76): string {
  const t = expand(text);
  let lead = initialTab;
  const nll = Math.max(1, columns - xlen(expand(subsequentTab)) - 1);
  let ll = Math.max(0, columns - xlen(expand(initialTab)) - 1);
  let nl = '';
  let remainder = '';
  let r = '';
  let pos = 0;
  const done = new RegExp(`(?:${BREAK})*(?=\\n?$)`, 'uy');
  for (;;) {
    done.lastIndex = pos;
    if (done.exec(t)) {
      pos = done.lastIndex;
      break;
    }
    const line = new RegExp(`((?:(?!\\n)${UNIT}){0,${ll}})(${BREAK}|\\n+|$)`, 'uy');
    line.lastIndex = pos;
    let m = line.exec(t);
    if (m) {
      r += unexpand(nl + lead + m[1]!);
      remainder = m[2]!;
      pos = line.lastIndex;
    } else {
      // a word longer than the line: cut it ($huge = 'wrap')
      const cut = new RegExp(`((?:(?!\\n)${UNIT}){${ll}})`, 'uy');
      cut.lastIndex = pos;
      m = cut.exec(t);
      if (!m) throw new Error(`Text::Wrap: cannot wrap at ${pos}`);
      r += unexpand(nl + lead + m[1]!);
      remainder = '\n';
      pos = cut.lastIndex;
    }
    lead = subsequentTab;
    ll = nll;
    nl = '\n';
  }
  r += remainder;
  if (pos !== t.length) r += lead + t.slice(pos);
  return r;
}
