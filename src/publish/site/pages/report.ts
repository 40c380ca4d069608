/**
 * "Report a vulnerability": the contact point the charter asks the group to be. What to report,
 * what happens next, how the embargo works, and the charter's scope in plain words with where
 * out-of-scope reports go instead.
 */
import type { SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';

export const REPORT_PATH = '/security';

export interface ReportContact {
  /** the report form, absent on a public mirror without the workspace */
  formUrl?: string;
  /** the team's private address */
  teamAddress: string;
  /** the longest embargo the team grants */
  maxEmbargoDays: number;
}

export function renderReport(data: SiteData, c: ReportContact): string {
  return page({
    title: 'Report a vulnerability',
    info: data.info,
    path: REPORT_PATH,
    description: 'How to report a security vulnerability in a CPAN distribution to the CPAN Security Working Group, what happens next, and how the embargo works.',
    body: html`<h1>Report a vulnerability</h1>
<p>Found a security problem in a distribution on CPAN? Tell the CPAN Security Working Group privately. We check it, reach the author, and publish an advisory once a fix is out or the embargo ends.</p>
${c.formUrl
  ? html`<p class="cta"><a class="button" href="${c.formUrl}">Open the report form</a></p>
<p>No account needed. If you cannot use the form, write to <a href="mailto:${c.teamAddress}">${c.teamAddress}</a>.</p>`
  : html`<p>Write to <a href="mailto:${c.teamAddress}">${c.teamAddress}</a>. This copy of the site has no report form.</p>`}
<p>Machine-readable contact details: <a href="/.well-known/security.txt">/.well-known/security.txt</a>.</p>

<h2>What to report</h2>
<ul>
<li>The distribution and the versions you found the problem in (for example <code>Mojolicious</code>, <code>&lt; 9.31</code>). A module name is fine too: <a href="/search">search</a> to find its distribution.</li>
<li>What is wrong and where: the module, function or file.</li>
<li>What an attacker can do with it, and how: steps or a small proof of concept.</li>
<li>How you want to be credited in the advisory, or that you prefer not to be named.</li>
</ul>
<p>Please do not open a public bug report, pull request or forum post about it before the advisory is out.</p>

<h2>What happens next</h2>
<ol>
<li>You get a case reference at once. A member of the team reads the report, checks that it is in scope and that it is real, and rates its severity.</li>
<li>We contact the distribution’s author privately and invite them to the case. If the author does not answer, we try other ways to reach them; the group can help find a maintainer.</li>
<li>The author prepares a fix. You can follow the case and answer questions there.</li>
<li>We request a CVE identifier when one is needed, and publish an advisory here, in the feeds, in the OSV data and in the database that <code>cpan-audit</code> and <code>cpansec audit</code> read, crediting you as you asked.</li>
</ol>

<h2>The embargo</h2>
<p>While a case is open, what you reported stays private: only the team, you, and the author we invite can see it. Nothing of it appears on this site, in the feeds or in the API before it is published.</p>
<p>The team agrees an embargo end date with the author, at most ${c.maxEmbargoDays} days ahead. The advisory is published when the fix is released or when the embargo ends, whichever comes first. Please keep the details to yourself until then.</p>

<h2>In scope, and where other reports go</h2>
<table>
<caption>Who handles what</caption>
<thead><tr><th scope="col">The problem is in</th><th scope="col">Report it to</th></tr></thead>
<tbody>
<tr><th scope="row">A distribution on CPAN, including dual-life core modules, XS modules, <code>Alien::</code> distributions and the copies of libraries they ship</th><td>Us: this page.</td></tr>
<tr><th scope="row">The CPAN toolchain and supply chain: PAUSE, CPAN mirrors, signing and SBOM tooling</th><td>Us: this page.</td></tr>
<tr><th scope="row">The perl interpreter itself</th><td><a href="mailto:cpan-security@perl.org">cpan-security@perl.org</a>, as the charter says.</td></tr>
<tr><th scope="row">A core module that is not released on CPAN on its own</th><td><a href="mailto:cpan-security@perl.org">cpan-security@perl.org</a> as well. These modules are maintained by perl5-porters, whose list is public: do not post a vulnerability there.</td></tr>
<tr><th scope="row">A third-party library or service a distribution links to or calls (libxml2, OpenSSL, a web API)</th><td>That project’s own security contact. A flaw in how the CPAN distribution uses it is ours.</td></tr>
<tr><th scope="row">A repackaged distribution (Debian, Red Hat and other packagers)</th><td>The packager’s security team, unless the flaw is in the CPAN release too.</td></tr>
<tr><th scope="row">Perl software published outside CPAN (GitHub only, private hosting)</th><td>Its authors.</td></tr>
</tbody>
</table>
<p>Not sure? Report it anyway; we tell you where it belongs.</p>`,
  });
}
