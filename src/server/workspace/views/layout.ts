/**
 * The workspace's page shell: the site's landmarks (skip link, banner, navigation, main,
 * footer), a navigation that follows the caller's role, the status message of the last action.
 */
import { html, type Html } from '../../../publish/site/index.js';
import { isStaff } from '../../../disclosure/index.js';
import type { Caller } from '../auth.js';
import { csrfField } from './forms.js';

export interface PageChrome {
  title: string;
  caller: Caller;
  /** the site's name */
  site: string;
  /** path of this page (the current navigation item) */
  path: string;
  /** what the last action did (shown in a status region) */
  flash?: string;
  body: Html;
  /** our own script files (deferred, with their integrity hash) */
  scripts?: { src: string; integrity: string }[];
}

function nav(caller: Caller, path: string): Html {
  const a = caller.actor;
  const items: [string, string][] = [['/workspace', 'Workspace']];
  if (a.kind === 'account') items.push(['/workspace/cases', isStaff(a) ? 'Cases' : a.role === 'downstream' ? 'Shared cases' : 'My cases']);
  items.push(['/workspace/report', 'Report a vulnerability']);
  if (a.kind === 'account') items.push(['/workspace/account', 'Account']);
  if (a.kind === 'account' && a.role === 'admin') items.push(['/workspace/admin', 'Administration']);
  if (a.kind !== 'account') items.push(['/workspace/login', 'Log in']);
  const current = (href: string) => (href === '/workspace' ? path === href : path === href || path.startsWith(`${href}/`));
  return html`<nav aria-label="Workspace">
<ul>${items.map(([href, label]) => html`<li><a href="${href}"${current(href) ? html` aria-current="page"` : ''}>${label}</a></li>`)}<li><a href="/">Public advisories</a></li></ul>
</nav>${
    a.kind === 'account'
      ? html`<form class="inline" method="post" action="/workspace/logout">${csrfField(caller.csrf)}<span class="muted">${a.name}</span> <button type="submit" class="secondary">Log out</button></form>`
      : ''
  }`;
}

export function workspacePage(o: PageChrome): string {
  return `<!DOCTYPE html>\n${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title} — ${o.site} workspace</title>
<link rel="stylesheet" href="/workspace/static/workspace.css">
<link rel="icon" href="/workspace/static/favicon.svg" type="image/svg+xml">
${(o.scripts ?? []).map((s) => html`<script src="${s.src}" integrity="${s.integrity}" defer></script>\n`)}</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site">
<p class="brand"><a href="/workspace">${o.site}: disclosure workspace</a></p>
${nav(o.caller, o.path)}
</header>
<main id="main" tabindex="-1">
${o.flash ? html`<p class="status" role="status">${o.flash}</p>` : ''}
${o.body}
</main>
<footer class="site">
<p>The CPAN Security Group’s private workspace. Reports and their details stay here until an advisory is published; mail carries only references and links.</p>
</footer>
</body>
</html>`.value}\n`;
}
