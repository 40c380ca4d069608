/** The page shell: landmarks, skip link, navigation, feed discovery, footer. */
import type { SiteInfo } from './data.js';
import { html, raw, type Html } from './html.js';

export interface PageOptions {
  title: string;
  info: SiteInfo;
  /** the path of this page, for the canonical link and the current navigation item */
  path: string;
  description?: string;
  feeds?: { atom: string; rss: string; title: string };
  body: Html;
}

const NAV: [string, string][] = [
  ['/', 'Home'],
  ['/advisories', 'Advisories'],
  ['/distributions', 'Distributions'],
  ['/search', 'Search'],
  ['/stats', 'Statistics'],
  ['/api', 'API'],
  ['/security', 'Report a vulnerability'],
];

function current(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/**
 * Every table in its own scroll container, so that on a narrow screen only the table scrolls
 * (WCAG 1.4.10); the container is a named region a keyboard can reach and scroll (2.1.1).
 */
function scrollableTables(body: string): string {
  return body.replace(/<table>(\s*<caption>([^]*?)<\/caption>)?/g, (_m, cap: string | undefined, caption: string | undefined) => {
    // the caption is escaped HTML already: its text, tags dropped, is a safe attribute value
    const name = caption ? caption.replace(/<[^>]*>/g, '').trim() : 'Table';
    return `<div class="scroll" role="region" tabindex="0" aria-label="${name}"><table>${cap ?? ''}`;
  }).replace(/<\/table>/g, '</table></div>');
}

export function page(o: PageOptions): string {
  const title = o.title === o.info.title ? o.title : `${o.title} — ${o.info.title}`;
  const feeds = o.feeds ?? { atom: '/feed.atom', rss: '/feed.rss', title: `${o.info.title}: all advisories` };
  return `<!DOCTYPE html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
<link rel="canonical" href="${o.info.baseUrl}${o.path}">
<link rel="stylesheet" href="/static/site.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="${feeds.title} (Atom)" href="${feeds.atom}">
<link rel="alternate" type="application/rss+xml" title="${feeds.title} (RSS)" href="${feeds.rss}">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site">
<p class="brand"><a href="/">${o.info.title}</a></p>
<nav aria-label="Main">
<ul>${NAV.map(([href, label]) => html`<li><a href="${href}"${current(o.path, href) ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${raw(scrollableTables(o.body.value))}
</main>
<footer class="site">
<p><strong>Found a security problem in a CPAN distribution?</strong> <a href="/security">Report a vulnerability</a> privately to the CPAN Security Working Group.</p>
<p>Advisory data: the CPAN Security Advisory database (Artistic License 2.0), revision ${o.info.revision}, updated <time datetime="${o.info.updated}">${o.info.updated.slice(0, 10)}</time>.
Feeds: <a href="${feeds.atom}">Atom</a>, <a href="${feeds.rss}">RSS</a>.
Downloads: <a href="/v1/download/cpansa.json">CPANSA JSON</a>, <a href="/v1/download/osv/all.zip">OSV (zip)</a>.
<a href="/openapi.json">OpenAPI</a>.</p>
</footer>
</body>
</html>`.value}\n`;
}
