/**
 * The CNA's house rules for a CVE YAML record, beyond its schema: the CNA tool's lint rules (same
 * ids, same levels) and one of ours, that every affected version is a version Perl can read.
 */
import { parseVersion } from '../../perl/index.js';
import type { CnaDocument, CnaProblem } from './yaml.js';
import { interpolate } from './build.js';
import { versionRangeTemplate } from './version-phrase.js';

type Raw = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const inline = (s: string) => s.replace(/\s+/g, ' ').trim();
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function firstLine(text: string): string {
  for (const line of text.replace(/\r\n?/g, '\n').replace(/^\s+/, '').split('\n')) if (line.trim()) return line.trim();
  return '';
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function expectedLead(c: Raw): string {
  const module = inline(str(c.module));
  const phrase = versionRangeTemplate(strings(c.affected));
  if (!module || !phrase) return '';
  // the perl interpreter itself reads "Perl versions …", not "perl versions … for Perl"
  if (inline(str(c.distribution)).toLowerCase() === 'perl' && module.toLowerCase() === 'perl') return `Perl ${phrase}`;
  return `${module} ${phrase} for Perl`;
}

function isChangelogLink(url: string): boolean {
  if (!/^https?:\/\/metacpan\.org\//i.test(url)) return false;
  return (
    /\/dist\/[^/?#]+\/changes(?:[/?#]|$)/i.test(url) ||
    /\/changes?(?:[/?#]|$)/i.test(url) ||
    /\/source\/[^?#]+\/(?:changes?|changelog|history|news)(?:\.[A-Za-z0-9._-]+)?(?:[?#]|$)/i.test(url)
  );
}

function isPinnedChangelog(url: string): boolean {
  if (/^https?:\/\/metacpan\.org\/dist\//i.test(url)) return false;
  return /^https?:\/\/metacpan\.org\/(?:release|source)\/(?:[^/?#]+\/)?[^/?#]*-(?:v?\d)[^/?#]*(?:\/|$)/i.test(url);
}

export function lintCna(doc: CnaDocument): CnaProblem[] {
  const c = ((doc.data as Raw | null)?.cpansec ?? {}) as Raw;
  const out: CnaProblem[] = [];
  const add = (level: CnaProblem['level'], rule: string, key: string, message: string) =>
    out.push({ level, rule, path: key ? `$.cpansec.${key}` : '$.cpansec', line: doc.lineOf(key ? ['cpansec', key] : ['cpansec']), message });
  const affected = strings(c.affected);
  const title = interpolate({ affected }, str(c.title));
  const description = interpolate({ affected }, str(c.description));

  if (title && description && firstLine(description).toLowerCase() === title.toLowerCase()) {
    add('error', 'title_repeated_in_description', 'description', 'Title is repeated as the first line of description.');
  }

  const bad: string[] = [];
  for (const [name, value] of [['title', str(c.title)], ['description', str(c.description)]] as const) {
    for (const m of value.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)) {
      if (m[1] !== 'VERSION_RANGE') bad.push(`${name}:{{${m[1]}}}`);
      else if (!versionRangeTemplate(affected)) bad.push(`${name}:{{VERSION_RANGE}}`);
    }
    if (/\{\{|\}\}/.test(value.replace(/\{\{\s*[^{}]+?\s*\}\}/g, ''))) bad.push(`${name}:unmatched-template-delimiter`);
  }
  if (bad.length) add('warning', 'template_token_unresolved', '', `Template token issue(s): ${bad.join(', ')}.`);

  const lead = expectedLead(c);
  if (lead) {
    const re = new RegExp(`^${escapeRe(lead)}\\b`, 'i');
    const issues = [
      ...(inline(title) && !re.test(inline(title)) ? ['title'] : []),
      ...(inline(firstLine(description)) && !re.test(inline(firstLine(description))) ? ['description first line'] : []),
    ];
    if (issues.length) {
      add('warning', 'announce_wording_mismatch', 'title', `Announce wording guideline: ${issues.join(' and ')} should start with '${lead}' to match announce version phrasing.`);
    }
  }

  if (title) {
    const issues = [
      ...(/\bPerl\b/i.test(title) ? [] : ['should mention Perl']),
      ...(/\b(before|through|from|versions?)\b/i.test(title) ? [] : ['should include affected version context (e.g. before/through/from)']),
      ...(/[.!?]\s*$/.test(title) ? ['should not end with punctuation'] : []),
    ];
    if (issues.length) add('warning', 'title_style_standard', 'title', `Title style guideline: ${issues.join('; ')}.`);
  }

  const hasText = (v: unknown) => (Array.isArray(v) ? v.some((x) => typeof x === 'string' && /\S/.test(x)) : typeof v === 'string' && /\S/.test(v));
  if (!hasText(c.solution) && !hasText(c.mitigation)) add('warning', 'missing_solution_or_mitigation', '', 'Neither solution nor mitigation is provided.');

  const refs = (Array.isArray(c.references) ? c.references : []).filter((r): r is Raw => typeof r === 'object' && r !== null);
  if (refs.length) {
    const tags = new Set(refs.flatMap((r) => (Array.isArray(r.tags) ? r.tags : typeof r.tags === 'string' ? [r.tags] : [])));
    const issues = [
      ...(tags.has('patch') || tags.has('release-notes') || tags.has('issue-tracking') ? [] : ['no patch/release-notes/issue-tracking tag found']),
      ...(refs.some((r) => /github\.com|gitlab\.com|metacpan\.org\/release/i.test(str(r.link))) ? [] : ['references do not seem to include an upstream/vendor source']),
    ];
    if (issues.length) add('warning', 'reference_quality', 'references', `Reference quality guideline: ${issues.join('; ')}.`);
    const unpinned = refs.map((r) => str(r.link)).filter((u) => u && isChangelogLink(u) && !isPinnedChangelog(u));
    if (unpinned.length) {
      add(
        'warning',
        'metacpan_changelog_not_version_pinned',
        'references',
        `MetaCPAN changelog reference should target a specific release changelog file; avoid unversioned links like /dist/.../changes (e.g. ${unpinned[0]}${unpinned.length > 1 ? ` (+${unpinned.length - 1} more)` : ''}).`,
      );
    }
  }

  if (inline(str(c.description)).length < 80) add('warning', 'description_too_short', 'description', 'Description is very short; consider adding impact/context details.');

  const hits = ['title', 'description', 'distribution', 'module', 'author'].filter((k) => /\b(TODO|TBD|example\.invalid|FIXME)\b/i.test(str(c[k])));
  if (refs.some((r) => /example\.invalid/i.test(str(r.link)))) hits.push('references');
  if (hits.length) add('error', 'placeholder_content', '', `Placeholder content found in: ${hits.join(', ')}.`);

  // ours: a range the index cannot read would never match an installed version
  affected.forEach((expr, i) => {
    for (const v of expr.split(/\s*<=?\s*/).filter(Boolean)) {
      if (v === '*') continue;
      try {
        parseVersion(v);
      } catch (e) {
        out.push({ level: 'error', rule: 'unreadable_version', path: `$.cpansec.affected[${i}]`, line: doc.lineOf(['cpansec', 'affected', i]), message: `'${v}' is not a Perl version: ${(e as Error).message}` });
      }
    }
  });
  return out;
}
