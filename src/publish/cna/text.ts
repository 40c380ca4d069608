/**
 * How the CNA tool turns YAML block text into CVE text: line ends normalised, trailing space
 * dropped; prose paragraphs re-flowed to one line each, indented blocks kept as they are;
 * titles on one line.
 */

function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

/** Paragraphs (split at blank lines) joined to one line each; lines starting with white space are a block kept verbatim. */
export function normalizeProse(text: string): string {
  const t = normalizeText(text);
  if (!t) return t;
  const segments: { pre: boolean; lines: string[] }[] = [];
  let current: { pre: boolean; lines: string[] } | undefined;
  for (const line of t.split('\n')) {
    if (/^\s*$/.test(line)) {
      current = undefined;
      continue;
    }
    const pre = /^\s/.test(line);
    if (!current || current.pre !== pre) {
      current = { pre, lines: [] };
      segments.push(current);
    }
    current.lines.push(line);
  }
  return segments
    .map((s) =>
      s.pre
        ? s.lines.join('\n')
        : s.lines
            .map((l) => l.trim())
            .filter(Boolean)
            .join(' '),
    )
    .join('\n\n');
}

export function normalizeSingleLine(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ');
}
