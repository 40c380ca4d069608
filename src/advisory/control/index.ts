/**
 * Control characters in text that came from a database or an input file. Printed raw to a
 * terminal they are commands (ESC [2J clears the screen, OSC 8 makes a hidden link, CR overwrites
 * the line, bidirectional overrides reorder what is shown — CVE-2021-42574), so reports show them
 * as visible escapes and the linter flags them in advisory files.
 *
 * A sub-part of its own (it imports nothing): every command prints through `printable`, and
 * importing it from here rather than from the advisory part's index keeps the advisory, Perl and
 * YAML code out of the start-up of commands that need none of it (`cpansec verify`).
 */

/** C0 controls, DEL and C1 controls, and the Unicode bidirectional embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_EXCEPT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

/**
 * The text safe to print on a terminal: tab, newline and carriage return become spaces (one line
 * each: the layout is the report's), or with `newlines` newlines and tabs stay; every other
 * control character becomes a visible escape such as `\x1B`.
 */
export function printable(text: string, options: { newlines?: boolean } = {}): string {
  if (options.newlines) return text.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_LAYOUT, escape);
  return text.replace(/[\t\n\r]/g, ' ').replace(CONTROL, escape);
}

/**
 * The distinct control characters of a text as escapes (`\x1B`, `\u202E`); empty when none. With
 * `newlines`, newline and tab are layout (a description), not control characters.
 */
export function controlCharacters(text: string, options: { newlines?: boolean } = {}): string[] {
  return [...new Set(text.match(options.newlines ? CONTROL_EXCEPT_LAYOUT : CONTROL) ?? [])].map(escape);
}
