/**
 * The announcement mail of a CVE record, laid out as the CNA tool lays it out (cna-tool
 * `CPANSec::CVE::Announce`): a subject line, a header block, the title, then Description, Problem
 * types, Impacts, Workarounds, Solutions, References, Timeline and Credits sections, wrapped at 72
 * columns by Text::Wrap. One quirk is kept on purpose, since the text must be the tool's: the tool
 * reads an impact's text from `description`, which impact entries do not have, so it prints no
 * Impacts section; neither do we.
 */
import { wrap } from './wrap.js';
import { phraseOfCveVersion, type CveVersion } from './version-phrase.js';

const COLUMNS = 72;

interface CnaLike {
  title?: string;
  affected?: { packageName?: string; repo?: string; versions?: CveVersion[] }[];
  descriptions?: { lang?: string; value?: string; description?: string }[];
  problemTypes?: { descriptions?: { description?: string }[] }[];
  impacts?: { descriptions?: { description?: string }[] }[];
  workarounds?: { value?: string }[];
  solutions?: { value?: string }[];
  references?: { url?: string }[];
  timeline?: { time?: string; value?: string }[];
  credits?: { value?: string; type?: string }[];
}

export interface CveRecordLike {
  cveMetadata?: { cveId?: string };
  containers?: { cna?: CnaLike };
}

/** Perl's truth of a string: '' and '0' are false. */
const truthy = (s: string | undefined) => s !== undefined && s !== '' && s !== '0';
const w = (first: string, rest: string, text: string | undefined) => wrap(first, rest, text ?? '', COLUMNS);

function header(title: string | [string, string], rule: string): string[] {
  if (typeof title === 'string') return [title, rule.repeat([...title].length)];
  return [rule.repeat(72), `${title[0].padEnd(24)} ${title[1].padStart(47)}`, rule.repeat(72)];
}

const dt = (key: string, value: string | undefined) => `${(key ? `${key}:` : '').padStart(15)}  ${value ?? ''}`;

function section(title: string, items: string[]): string[] {
  return items.length && truthy(items[0]) ? [...header(title, '-'), ...items, ''] : [];
}

function descriptionText(cna: CnaLike): string {
  return (cna.descriptions ?? [])
    .filter((d) => d.lang === 'en')
    .map((d) => (truthy(d.value) ? d.value! : d.description))
    .filter((t): t is string => t !== undefined && t.length > 0)
    .map((t) => t.replace(/\u00a0/g, ' '))
    .join('\n\n');
}

function wrapDescription(text: string): string[] {
  if (!text) return [];
  const chunks = text.split(/\n{2,}/);
  while (chunks.length && chunks.at(-1) === '') chunks.pop(); // Perl's split drops trailing empty fields
  const out: string[] = [];
  for (const chunk of chunks) {
    if (/^\s/m.test(chunk)) {
      const lines = chunk.split('\n');
      while (lines.length && lines.at(-1) === '') lines.pop();
      out.push(...lines);
    } else {
      out.push(w('', '', chunk.replace(/\n/g, ' ')));
    }
    out.push('');
  }
  if (out.at(-1) === '') out.pop();
  return out;
}

function timelineEntry(t: { time?: string; value?: string }): string {
  const time = t.time ?? '';
  return `${/^(\d{4}-\d{2}-\d{2})/.exec(time)?.[1] ?? time}: ${t.value ?? ''}`;
}

/** The announcement text of a CVE record. */
export function announcement(record: CveRecordLike): string {
  const cna = record.containers?.cna ?? {};
  const cveId = record.cveMetadata?.cveId ?? '';
  const first = cna.affected?.[0] ?? {};
  const phrases = (first.versions ?? []).map(phraseOfCveVersion).filter(Boolean);
  const lines = [
    `Subject: ${cveId}: ${cna.title ?? ''}`,
    '',
    '',
    ...header([cveId, 'CPAN Security Group'], '='),
    '',
    dt('CVE ID', cveId),
    dt('Distribution', first.packageName),
    ...phrases.map((p, i) => dt(i ? '' : 'Versions', p)),
    '',
    dt('MetaCPAN', `https://metacpan.org/dist/${first.packageName ?? ''}`),
    ...(first.repo ? [dt('VCS Repo', first.repo)] : []),
    '',
    '',
    w('', '', cna.title),
    '',
    ...header('Description', '-'),
    ...wrapDescription(descriptionText(cna)),
    '',
    ...(cna.problemTypes ? section('Problem types', cna.problemTypes.map((p) => w('- ', '  ', p.descriptions?.[0]?.description))) : []),
    ...(cna.impacts ? section('Impacts', cna.impacts.map((p) => w('- ', '  ', p.descriptions?.[0]?.description))) : []),
    ...(cna.workarounds ? section('Workarounds', cna.workarounds.map((x) => `${w('', '', x.value)}${cna.workarounds!.length ? '\n' : ''}`)) : []),
    ...(cna.solutions ? section('Solutions', cna.solutions.map((x) => `${w('', '', x.value)}${cna.solutions!.length ? '\n' : ''}`)) : []),
    ...(cna.references ? section('References', cna.references.map((r) => r.url ?? '')) : []),
    ...(cna.timeline ? section('Timeline', cna.timeline.map((t) => w('- ', '  ', timelineEntry(t)))) : []),
    ...(cna.credits ? section('Credits', cna.credits.map((c) => `${c.value ?? ''}, ${c.type ?? ''}`)) : []),
    '',
    '',
  ];
  return lines.join('\n');
}
