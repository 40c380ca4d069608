/**
 * The one-line summary of an advisory, the same everywhere it is shown (OSV `summary`, feed titles,
 * site pages, audit reports): the source's own title when it has one, else the description's first
 * sentence; a first sentence too long for a line is cut at a clause boundary (or at least between
 * words) and ends in "…". Never cut inside a word, never split at an abbreviation ("No. 4",
 * "e.g. Win32").
 *
 * Hand-written: sentence segmenters (Intl.Segmenter, the npm ones) split at "No." and "e.g." and
 * know nothing of version numbers and module names, which these texts are full of.
 */
import type { Advisory } from './advisory.js';

/** longest summary, in characters, before it is shortened (OSV asks for one short line) */
export const SUMMARY_MAX = 200;
/** a clause cut shorter than this says too little: cut between words instead */
const MIN_CLAUSE = 100;

/**
 * Words that end in a full stop inside a sentence when the next word is capitalised or a number.
 * Lower-case, without the final stop; "e.g" stands for "e.g.".
 */
const ABBREVIATIONS = new Set([
  'no', 'nos', 'nr', 'num', 'e.g', 'eg', 'i.e', 'ie', 'cf', 'vs', 'v', 'ver', 'vol', 'fig', 'figs', 'ch', 'sec', 'approx', 'ca',
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'inc', 'ltd', 'co', 'corp', 'resp', 'esp', 'al', 'incl', 'min', 'max', 'ref', 'p', 'pp',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);

/** A full stop, question or exclamation mark (with closing quotes or brackets) followed by a space or the end. */
// non-ASCII characters are written as \u escapes: the audit bundle stays ASCII (bin/audit-bundle.js)
const TERMINATOR = /[.!?]+["'\u2019\u201d)\]]*(?=\s|$)/g;

// Unicode property classes cost some 4 M instructions to compile (at their first use, in every
// run that summarises): ASCII text is tested with the ASCII classes they reduce to
const ASCII = /^[\x00-\x7f]*$/;
const SENTENCE_START = /^[\p{Lu}\p{N}"'\u2018\u201c([<`$@%&]/u;
const ASCII_SENTENCE_START = /^[A-Z0-9"'([<`$@%&]/;
const INITIALS = /^(\p{L}\.)*\p{L}$/u;
const ASCII_INITIALS = /^([A-Za-z]\.)*[A-Za-z]$/;

/** Does the text start as a sentence does: a capital, a digit, a quote or a bracket? */
function startsSentence(text: string): boolean {
  return (text.charCodeAt(0) < 0x80 ? ASCII_SENTENCE_START : SENTENCE_START).test(text);
}

/** Is the terminator ending at `end` (exclusive) the end of a sentence? */
function endsSentence(text: string, start: number, end: number): boolean {
  if (end >= text.length) return true;
  // a stop standing alone is a word ("modules from . (current directory)")
  if (start === 0 || /\s/.test(text[start - 1]!)) return false;
  const next = text.slice(end).trimStart();
  // the next sentence starts with a capital, a digit, a quote or a bracket, or with a name from
  // the code ("copy_string_tags() computes"); other lower case goes on
  if (!startsSentence(next) && !/^[a-z]\w*(::|->|\(|_)/.test(next)) return false;
  if (text[start] !== '.' || text[start + 1] === '.') return true; // "!", "?", "..." end a sentence
  // the word before the stop, found backwards (a regular expression anchored at the end would
  // try every position of a long description, for each stop)
  let from = start;
  while (from > 0 && !/\s/.test(text[from - 1]!)) from--;
  const word = text.slice(from, start);
  const bare = word.replace(/^["'\u2018\u201c([]+/, '').toLowerCase();
  if (ABBREVIATIONS.has(bare)) return false;
  // an initial ("J. Smith") or dotted initials ("U.S. Government")
  if (bare.length <= 3 && (ASCII.test(bare) ? ASCII_INITIALS : INITIALS).test(bare)) return false;
  return true;
}

/** The first sentence of a text whose white space is already collapsed. */
export function firstSentence(text: string): string {
  for (const m of text.matchAll(TERMINATOR)) {
    if (endsSentence(text, m.index, m.index + m[0].length)) return text.slice(0, m.index + m[0].length);
  }
  return text;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) if (c === '(') depth++; else if (c === ')') depth = Math.max(0, depth - 1);
  return depth === 0;
}

/** Shorten a long sentence at a clause boundary or between words, marked with "…". */
function shorten(sentence: string, max: number): string {
  const room = sentence.slice(0, max); // "…" takes the last place
  let cut = -1;
  for (const m of room.matchAll(/[,;:](?=\s)|\s[\u2013\u2014-](?=\s)|\s(?=\()/g)) {
    // not inside brackets: "methods (i.e. .html(), …" would leave one open
    if (m.index >= MIN_CLAUSE && balanced(room.slice(0, m.index))) cut = m.index;
  }
  if (cut < 0) {
    cut = room.lastIndexOf(' ');
    // a single word longer than a line (a URL): keep it whole rather than cut it
    if (cut <= 0) return /^\S+/.exec(sentence)![0];
  }
  let head = room.slice(0, cut).replace(/[\s,;:\u2013\u2014(-]+$/u, '');
  // "… via the…" reads as broken: end on a word that carries meaning
  for (let m; (m = /\s(the|a|an|and|or|of|to|in|into|via|with|for|by|on|that|which|when|from|as|at|is|are)$/i.exec(head)) && m.index >= MIN_CLAUSE; ) {
    head = head.slice(0, m.index).replace(/[\s,;:\u2013\u2014(-]+$/u, '');
  }
  return `${head}\u2026`;
}

/** The summary of a description (or a source title): a sentence, never cut mid-word. */
export function summarize(text: string, max = SUMMARY_MAX): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  if (!flat) return '';
  const sentence = firstSentence(flat);
  return sentence.length <= max ? sentence : shorten(sentence, max - 1);
}

const summaries = new WeakMap<Advisory, string>();

/** The source's own title, when the record carries one (an imported OSV `summary`, a `title`). */
function ownTitle(advisory: Advisory): string | undefined {
  const t = advisory.extra?.['title'] ?? advisory.extra?.['summary'];
  return typeof t === 'string' && t.trim() ? t : undefined;
}

/** An advisory's one-line summary (see the rule above); the same for every surface. */
export function summaryOf(advisory: Advisory): string {
  let summary = summaries.get(advisory);
  if (summary === undefined) {
    summary = summarize(ownTitle(advisory) ?? advisory.description);
    summaries.set(advisory, summary);
  }
  return summary;
}
