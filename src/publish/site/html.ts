/**
 * HTML by tagged template with automatic escaping: every interpolated value is escaped unless it
 * is already `Html` (made by this tag, or by `raw` for markup we generate ourselves, such as SVG).
 *
 * Chosen over a template engine (eta): templates are TypeScript, so a misspelt field is a type
 * error; nothing is read from disk at run time (tsc does not copy template files into dist/); and
 * escaping cannot be switched off by a template.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup we built ourselves and trust (never user or advisory text). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** An href for a URL from the data: only http(s) and mailto become links (no javascript:). */
export function safeUrl(url: string): string | undefined {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}
