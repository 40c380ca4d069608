/** The dashboard (what needs the team now) and the list of cases the caller may see. */
import { html, type Html } from '../../../publish/site/index.js';
import { CASE_STATES, type CaseSummary, type DueItem } from '../../../disclosure/index.js';

const DUE_LABEL: Record<string, string> = {
  'embargo-expired': 'Embargo expired, not published',
  'embargo-ending': 'Embargo ending soon',
  'team-decision': 'Author unresponsive: team decision',
  'try-another-channel': 'Author contact: try another channel',
  'send-reminder': 'Author contact: send a reminder',
  'contact-author': 'Author not contacted yet',
};

export const caseLink = (reference: string) => html`<a class="mono" href="/workspace/cases/${reference}">${reference}</a>`;

const day = (iso: string | undefined) => (iso ? html`<time datetime="${iso}">${iso.slice(0, 10)}</time>` : html`<span class="muted">—</span>`);

/** A downstream packager's cases: shared with them, when, until when private (no state, no filing date). */
function sharedTable(cases: CaseSummary[], caption: string): Html {
  if (!cases.length) return html`<p>No case is shared with you now.</p>`;
  return html`<div class="table-scroll"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Case</th><th scope="col">Distribution</th><th scope="col">Shared with you</th><th scope="col">Embargo until</th></tr></thead>
<tbody>${cases.map((c) => html`<tr><th scope="row">${caseLink(c.reference)}</th><td>${c.distribution}</td><td>${day(c.sharedAt ?? c.createdAt)}</td><td>${c.embargoEndsAt ? day(c.embargoEndsAt) : html`<span class="muted">none</span>`}</td></tr>\n`)}</tbody>
</table></div>`;
}

function caseTable(cases: CaseSummary[], caption: string, team?: Map<string, string>): Html {
  if (!cases.length) return html`<p>No cases.</p>`;
  if (cases.some((c) => c.sharedAt)) return sharedTable(cases, caption);
  return html`<div class="table-scroll"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Case</th><th scope="col">Distribution</th><th scope="col">State</th>${team ? html`<th scope="col">Severity</th><th scope="col">Assignee</th><th scope="col">Next deadline</th>` : ''}<th scope="col">Filed</th><th scope="col">Embargo until</th></tr></thead>
<tbody>${cases.map(
    (c) =>
      html`<tr><th scope="row">${caseLink(c.reference)}</th><td>${c.distribution}</td><td class="state">${c.state ?? '—'}</td>${team ? html`<td>${c.severity ?? html`<span class="muted">—</span>`}</td><td>${c.assigneeAccountId ? team.get(c.assigneeAccountId) ?? '?' : html`<span class="muted">nobody</span>`}</td><td>${c.nextDeadline ? html`<time datetime="${c.nextDeadline.at}">${c.nextDeadline.at.slice(0, 10)}</time> ${c.nextDeadline.what}` : html`<span class="muted">—</span>`}</td>` : ''}<td>${day(c.createdAt)}</td><td>${c.embargoEndsAt ? html`<time datetime="${c.embargoEndsAt}">${c.embargoEndsAt.slice(0, 10)}</time>` : html`<span class="muted">none</span>`}</td></tr>\n`,
  )}</tbody>
</table></div>`;
}

function dueTable(items: DueItem[]): Html {
  if (!items.length) return html`<p>Nothing is due: no embargo ends soon, no author contact is overdue.</p>`;
  return html`<table>
<caption>Reminders and escalations, most urgent first</caption>
<thead><tr><th scope="col">Case</th><th scope="col">What</th><th scope="col">When</th><th scope="col">Detail</th></tr></thead>
<tbody>${items.map(
    (d) =>
      html`<tr${d.kind === 'embargo-expired' || d.kind === 'team-decision' ? html` class="urgent"` : ''}><th scope="row">${caseLink(d.reference)}</th><td>${d.kind === 'embargo-expired' ? html`<strong>${DUE_LABEL[d.kind]}</strong>` : DUE_LABEL[d.kind] ?? d.kind}</td><td>${d.at ? html`<time datetime="${d.at}">${d.at.slice(0, 10)}</time>` : ''}</td><td>${d.detail}</td></tr>\n`,
  )}</tbody>
</table>`;
}

export function dashboard(o: { name?: string; staff: boolean; downstream?: boolean; due?: DueItem[]; cases?: CaseSummary[] }): Html {
  if (!o.name) {
    return html`<h1>Disclosure workspace</h1>
<p>The CPAN Security Group’s workspace for private vulnerability reports: intake, triage, embargoes, author contact and publication.</p>
<ul><li><a href="/workspace/report">Report a vulnerability</a> (no account needed)</li><li><a href="/workspace/login">Log in</a> (team, reporters, invited authors)</li></ul>`;
  }
  return html`<h1>Disclosure workspace</h1>
<p>Logged in as ${o.name}.</p>
${o.staff ? html`<h2>Needs attention</h2>${dueTable(o.due ?? [])}` : ''}
<h2>${o.staff ? 'Recent cases' : o.downstream ? 'Cases shared with you' : 'Your cases'}</h2>
${o.downstream && !(o.cases ?? []).length ? html`<p>No case is shared with you now.</p>` : caseTable(o.cases ?? [], o.staff ? 'The 20 most recent cases' : o.downstream ? 'Cases the CPAN Security Group shares with you under embargo' : 'Cases you reported or were invited to')}
<p><a href="/workspace/cases">All ${o.staff ? '' : 'your '}cases</a></p>`;
}

export function caseList(o: { cases: CaseSummary[]; staff: boolean; state: string; distribution: string; assignee: string; due: string; team: { id: string; name: string }[]; page: number; pageSize: number }): Html {
  const more = o.cases.length === o.pageSize;
  const params = (p: number) => new URLSearchParams({ state: o.state, distribution: o.distribution, ...(o.staff ? { assignee: o.assignee, due: o.due } : {}), page: String(p) }).toString();
  const q = (p: number) => `/workspace/cases?${params(p)}`;
  const team = new Map(o.team.map((t) => [t.id, t.name]));
  const opt = (value: string, label: string, current: string) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<h1>${o.staff ? 'Cases' : 'My cases'}</h1>
${o.staff ? html`<p><a href="/workspace/cases?assignee=me">My cases</a> · <a href="/workspace/cases?due=overdue">Overdue</a> · <a href="/workspace/cases?due=7">Due within a week</a> · <a href="/workspace/cases?assignee=none">Unassigned</a></p>` : ''}
<form class="search" method="get" action="/workspace/cases" aria-label="Filter the cases">
<div class="field"><label for="filter-state">State</label><select id="filter-state" name="state"><option value="">any</option>${CASE_STATES.map((s) => html`<option value="${s}"${s === o.state ? html` selected` : ''}>${s}</option>`)}</select></div>
<div class="field"><label for="filter-distribution">Distribution</label><input type="search" id="filter-distribution" name="distribution" value="${o.distribution}" maxlength="128"></div>
${o.staff
  ? html`<div class="field"><label for="filter-assignee">Assignee</label><select id="filter-assignee" name="assignee">${opt('', 'anyone', o.assignee)}${opt('me', 'me', o.assignee)}${opt('none', 'nobody', o.assignee)}${o.team.map((t) => opt(t.id, t.name, o.assignee))}</select></div>
<div class="field"><label for="filter-due">Deadline</label><select id="filter-due" name="due">${opt('', 'any', o.due)}${opt('overdue', 'overdue', o.due)}${opt('7', 'within 7 days', o.due)}${opt('30', 'within 30 days', o.due)}</select></div>`
  : ''}
<button type="submit">Filter</button>
</form>
${caseTable(o.cases, o.staff ? 'Cases, newest first (by deadline when filtered by it)' : 'Your cases, newest first', o.staff ? team : undefined)}
${o.page > 1 || more ? html`<nav class="pager" aria-label="Pages">${o.page > 1 ? html`<a rel="prev" href="${q(o.page - 1)}">Previous page</a>` : ''}<span>Page ${o.page}</span>${more ? html`<a rel="next" href="${q(o.page + 1)}">Next page</a>` : ''}</nav>` : ''}`;
}
