/**
 * Field validation for everything a person types: a string, NFC-normalised, trimmed, within its
 * length limit (counted in characters), without control characters. Single-line fields also
 * refuse line breaks and the bidirectional controls of "Trojan Source" (CVE-2021-42574), which
 * would make a distribution name or a subject line display differently from what it is.
 * Errors are PARSE_ERROR naming the field, so a form can show them next to it.
 */
import { CpansecError } from '../errors.js';

export interface TextRule {
  max: number;
  min?: number;
  multiline?: boolean;
}

// C0 controls but tab and newline, DEL, C1 controls
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\n\u2028\u2029]/;
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function invalid(field: string, message: string): CpansecError {
  return new CpansecError('PARSE_ERROR', message, { file: field });
}

/** Characters (code points), not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function text(value: unknown, field: string, rule: TextRule): string {
  if (typeof value !== 'string') throw invalid(field, `must be text`);
  if (LONE_SURROGATE.test(value)) throw invalid(field, 'is not valid Unicode text');
  let s = value.normalize('NFC').replace(/\r\n?/g, '\n');
  s = rule.multiline ? s.replace(/^\s*\n|\s+$/g, '') : s.trim();
  const at = CONTROL.exec(s);
  if (at) throw invalid(field, `contains a control character (U+${at[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`);
  if (!rule.multiline && LINE_BREAK.test(s)) throw invalid(field, 'must be one line');
  if (!rule.multiline && BIDI.test(s)) throw invalid(field, 'contains a bidirectional control character');
  const n = charCount(s);
  if (n < (rule.min ?? 1)) throw invalid(field, rule.min && rule.min > 1 ? `must be at least ${rule.min} characters` : 'is required');
  if (n > rule.max) throw invalid(field, `is too long (${n} characters, at most ${rule.max})`);
  return s;
}

/** An optional text field: undefined, null and blank mean absent. */
export function optionalText(value: unknown, field: string, rule: TextRule): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return text(value, field, rule);
}

export const EMAIL = /^[^\s@<>(),;:"[\]\\]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** An e-mail address (the pragmatic subset a mail transport accepts), lower-cased domain. */
export function email(value: unknown, field: string): string {
  const s = text(value, field, { max: 254 });
  if (!EMAIL.test(s)) throw invalid(field, `'${s.slice(0, 60)}' is not an e-mail address`);
  const at = s.lastIndexOf('@');
  return `${s.slice(0, at)}@${s.slice(at + 1).toLowerCase()}`;
}

/** The key accounts are looked up by: the address with its local part folded too. */
export function emailKey(address: string): string {
  return address.toLowerCase();
}

/** A list of text items, each checked, with a limit on their number. */
export function textList(value: unknown, field: string, rule: TextRule & { maxItems: number; minItems?: number }): string[] {
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  if (list.length > rule.maxItems) throw invalid(field, `has too many entries (${list.length}, at most ${rule.maxItems})`);
  const out = list.map((v, i) => text(v, `${field}[${i}]`, rule));
  if (out.length < (rule.minItems ?? 0)) throw invalid(field, rule.minItems === 1 ? 'is required' : `needs at least ${rule.minItems} entries`);
  return out;
}

const URL_RE = /^https?:\/\/[^\s]+$/;
/** RFC 3986 §2: unreserved, reserved and percent-encoded characters, nothing else. */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * An http(s) URL, for references: as RFC 3986 has them (what the CVE record schema's `uri` format
 * checks), so a draft that passes here does not fail there; characters such as spaces, quotes,
 * `<>{}|\^` and non-ASCII letters must be percent-encoded.
 */
export function url(value: unknown, field: string): string {
  const s = text(value, field, { max: 2048 });
  if (URL_RE.test(s) && (!URI_CHARACTERS.test(s) || BAD_PERCENT.test(s))) {
    const bad = [...s].find((ch) => !URI_CHARACTERS.test(ch)) ?? '%';
    throw invalid(field, `'${s.slice(0, 60)}' is not an http(s) URL: '${bad}' must be percent-encoded (RFC 3986)`);
  }
  let ok = URL_RE.test(s);
  if (ok) {
    try {
      const u = new URL(s);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
    } catch {
      ok = false;
    }
  }
  if (!ok) throw invalid(field, `'${s.slice(0, 60)}' is not an http(s) URL`);
  return s;
}

/** The reason every state change and decision records in the audit log. */
export function reasonText(value: unknown, field = 'reason'): string {
  return text(value, field, { max: 2000, multiline: true });
}
