/**
 * Atom 1.0 (RFC 4287) and RSS 2.0 feeds of advisories, newest first, with the `feed` package. One
 * entry per vulnerability (per OSV record: the generated reports' repeated entries are one), so a
 * per-distribution feed is the same entries filtered to the distribution. Every text is escaped as
 * HTML before it goes into the feed's HTML-typed elements: advisory text is data, never markup.
 * A withdrawn advisory stays in the feed, marked so and dated when it was withdrawn.
 *
 * An entry's date is its reported date. An advisory with none is dated, given the index, by the
 * first listed release it affects (undated.ts), and the entry says so; it has no `published`.
 * Failing that it is dated when its record last changed (its OSV `modified`) and goes after every
 * dated entry: a build time is no news. Otherwise entries are ordered by the date they carry.
 */
import { Feed, type Item } from 'feed';
import { summaryOf, type Advisory } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import type { VulnerabilityIndex } from '../index/index.js';
import { osvGroups, type OsvGroup } from './osv/ids.js';
import { databaseModified } from './osv/record.js';
import { releaseDating, type ReleaseDating } from './undated.js';

export interface FeedOptions {
  /** the public site, e.g. https://security.example.org (no trailing slash needed) */
  baseUrl: string;
  title: string;
  /** only this distribution's advisories (pass all advisories: ids are computed over all of them) */
  distribution?: string;
  /** the feed's own URL (rel="self"); default `<baseUrl>/feed.atom` (`.rss`), per distribution `<baseUrl>/distributions/<name>/feed.atom` */
  selfUrl?: string;
  /** the page of one advisory; default `<baseUrl>/advisories/<id>` */
  advisoryUrl?: (id: string) => string;
  /** the site page the feed is about; default the base URL (or `<baseUrl>/distributions/<name>`) */
  pageUrl?: string;
  /** feed `updated`; default the newest entry's date */
  updated?: Date;
  /**
   * When an entry's record last changed (RFC 3339), as its OSV record's `modified`: the date of an
   * advisory without a reported date. One time for all (the database's build time), or each
   * record's own. Needed only when some advisory is undated.
   */
  modified?: string | ((group: OsvGroup) => string | undefined);
  /** the index the advisories come from: dates an undated advisory by its releases */
  index?: VulnerabilityIndex;
  /** at most this many entries (the newest) */
  limit?: number;
  description?: string;
  author?: string;
}

// characters XML 1.0 does not allow, even escaped
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeHtml(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const base = (url: string) => url.replace(/\/+$/, '');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface DatedGroup {
  group: OsvGroup;
  date: Date;
  /** the reported date, when the advisory has one */
  reported?: Date;
  /** undated: the release it is dated by */
  release?: ReleaseDating;
  /** undated and no release to date it by: after every dated entry */
  last?: boolean;
}

function reportedOf(g: OsvGroup): Date | undefined {
  const r = g.advisories[0]!.reported;
  return r && DATE.test(r) ? new Date(`${r}T00:00:00Z`) : undefined;
}

function dated(g: OsvGroup, modified: FeedOptions['modified'], index?: VulnerabilityIndex): DatedGroup {
  const reported = reportedOf(g);
  // a withdrawn advisory's entry is updated when it was withdrawn, so readers see it again
  const withdrawn = g.advisories[0]!.withdrawn?.date;
  const w = withdrawn ? new Date(withdrawn) : undefined;
  if (w && !Number.isNaN(w.getTime())) return { group: g, date: w, ...(reported ? { reported } : {}) };
  if (reported) return { group: g, date: reported, reported };
  const time = typeof modified === 'function' ? modified(g) : modified;
  const date = time === undefined ? undefined : new Date(time);
  // the database's build time stamps every record of a bundle: no news, never the date of an entry
  const stamp = index && databaseModified(index);
  const news = date && !Number.isNaN(date.getTime()) && !(stamp && Date.parse(stamp) === date.getTime());
  if (index && !news) {
    const release = releaseDating(index, g.advisories);
    if (release) return { group: g, date: new Date(release.date), release };
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new CpansecError(
      'USAGE',
      time === undefined
        ? `cannot date the feed entry ${g.id}: it has no reported date and no modified time was given (the database has no meta.epoch)`
        : `cannot date the feed entry ${g.id}: modified time '${time}' is not an RFC 3339 time`,
    );
  }
  // with the index, a build stamp goes after every dated entry; a real change is placed by its time
  return { group: g, date, last: !!index && !news };
}

/** Newest first by the date each entry carries; ties by id. */
function newestFirst(a: DatedGroup, b: DatedGroup): number {
  if (!a.last !== !b.last) return a.last ? 1 : -1;
  const d = b.date.getTime() - a.date.getTime();
  if (d !== 0) return d;
  return a.group.id < b.group.id ? -1 : a.group.id > b.group.id ? 1 : 0;
}

function contentOf(g: OsvGroup): string {
  const lead = g.advisories[0]!;
  const rows = g.advisories.map(
    (a) =>
      `<li>${escapeHtml(a.distribution)}: affected ${escapeHtml(a.affectedVersions.join(' || ') || 'none')}` +
      (a.fixedVersions.length ? `; fixed ${escapeHtml(a.fixedVersions.join(' || '))}` : '') +
      '</li>',
  );
  const ids = [...lead.cves, ...lead.ghsas];
  return [
    lead.withdrawn ? `<p><strong>Withdrawn</strong> on ${escapeHtml(lead.withdrawn.date.slice(0, 10))}: ${escapeHtml(lead.withdrawn.reason)}</p>` : '',
    ...lead.description
      .trim()
      .split(/\n\s*\n/)
      .filter((p) => p.trim())
      .map((p) => `<p>${escapeHtml(p.trim())}</p>`),
    `<ul>${rows.join('')}</ul>`,
    ids.length ? `<p>Aliases: ${ids.map(escapeHtml).join(', ')}</p>` : '',
    lead.severityText ? `<p>Severity: ${escapeHtml(lead.severityText)}</p>` : '',
    lead.cvss.length ? `<p>CVSS: ${lead.cvss.map((c) => escapeHtml(c.vector)).join(', ')}</p>` : '',
    lead.cwes?.length ? `<p>Weaknesses: ${lead.cwes.map(escapeHtml).join(', ')}</p>` : '',
    lead.references.length
      ? `<p>References:</p><ul>${[...new Set(lead.references)].map((u) => `<li>${escapeHtml(u)}</li>`).join('')}</ul>`
      : '',
  ].join('');
}

/** How an undated entry got its date, in the entry itself. */
function datingNote(release: ReleaseDating | undefined, last: boolean | undefined): string {
  if (release) {
    const what = release.fixed ? 'dated by the first listed release, which is not affected' : 'dated by the first listed release it affects';
    return `<p>No report date: ${what}, ${escapeHtml(release.distribution)} ${escapeHtml(release.version)} (${release.date.slice(0, 10)}).</p>`;
  }
  return last ? '<p>No report date and no dated release: dated when its record last changed.</p>' : '';
}

function buildFeed(advisories: Advisory[], options: FeedOptions, kind: 'atom' | 'rss'): Feed {
  const site = base(options.baseUrl);
  const link = options.advisoryUrl ?? ((id: string) => `${site}/advisories/${encodeURIComponent(id)}`);
  let groups = osvGroups(advisories);
  if (options.distribution !== undefined) {
    const d = options.distribution;
    groups = groups.filter((g) => g.advisories.some((a) => a.distribution === d));
  }
  let entries = groups.map((g) => dated(g, options.modified, options.index)).sort(newestFirst);
  if (options.limit !== undefined) entries = entries.slice(0, Math.max(0, options.limit));
  const updated = options.updated ?? entries[0]?.date ?? new Date(0);
  const pageUrl =
    options.pageUrl ?? (options.distribution !== undefined ? `${site}/distributions/${encodeURIComponent(options.distribution)}` : `${site}/`);
  const selfUrl =
    options.selfUrl ??
    (options.distribution !== undefined ? `${site}/distributions/${encodeURIComponent(options.distribution)}/feed.${kind}` : `${site}/feed.${kind}`);
  const feed = new Feed({
    id: selfUrl,
    title: options.title.replace(NOT_XML, ''),
    description: (options.description ?? options.title).replace(NOT_XML, ''),
    link: pageUrl,
    updated,
    generator: 'cpansec',
    author: { name: (options.author ?? options.title).replace(NOT_XML, '') },
    feedLinks: kind === 'atom' ? { atom: selfUrl } : { rss: selfUrl },
  });
  for (const { group: g, date, reported, release, last } of entries) {
    const lead = g.advisories[0]!;
    const distributions = [...new Set(g.advisories.map((a) => a.distribution))];
    const item: Item = {
      title: escapeHtml(`${lead.withdrawn ? '[WITHDRAWN] ' : ''}${g.id} (${distributions.join(', ')}): ${summaryOf(lead)}`),
      // RSS: without an id the guid is the link, a permalink (isPermaLink true); Atom needs the id
      ...(kind === 'atom' ? { id: link(g.id) } : {}),
      link: link(g.id),
      date,
      // RSS has one date: for a withdrawn entry it is the withdrawal, so readers see the change
      ...(reported && !(kind === 'rss' && lead.withdrawn) ? { published: reported } : {}),
      description: escapeHtml(summaryOf(lead)),
      content: contentOf(g) + datingNote(release, last),
      category: distributions.map((d) => ({ name: d, term: d })),
    };
    feed.addItem(item);
  }
  return feed;
}

/** An Atom 1.0 feed of the advisories (all, or one distribution's). */
export function toAtom(advisories: Advisory[], options: FeedOptions): string {
  return buildFeed(advisories, options, 'atom').atom1();
}

/** An RSS 2.0 feed of the advisories (all, or one distribution's). */
export function toRss(advisories: Advisory[], options: FeedOptions): string {
  return buildFeed(advisories, options, 'rss').rss2();
}
