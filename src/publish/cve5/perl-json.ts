/**
 * JSON as the CNA tool writes it: Perl's `JSON::PP->new->utf8->pretty->canonical` (keys sorted,
 * three-space indent, `"key" : value`, a final newline), so that a record we build is the same
 * file the tool would commit, byte for byte. Written by hand: no npm package imitates JSON::PP's
 * layout; the real perl checks it in a differential test.
 */

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\b': '\\b' };

function quote(s: string): string {
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function encode(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = `${indent}   `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + encode(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${quote(k)} : ${encode(v, inner)}`).join(',\n')}\n${indent}}`;
}

export function perlJson(value: unknown): string {
  return `${encode(value, '')}\n`;
}
