/** A case as its viewer may see it, with the forms of what they may do now. */
import { html, type Html } from '../../../publish/site/index.js';
import type { AuditActorView, AuditEntry, CaseView, MessageView, TriageInfo } from '../../../disclosure/index.js';
import { attachmentList, fileHint } from './attachments.js';
import { contactSection } from './case-contact.js';
import { downstreamSection } from './case-downstream.js';
import { triageSection } from './case-triage.js';
import { errorSummary, field, fieldId, fileField, postForm, selectField, type FormState } from './forms.js';

export interface CasePageData {
  view: CaseView;
  thread: MessageView[];
  audit?: { entries: AuditEntry[]; actors: Record<string, AuditActorView> };
  triage?: TriageInfo;
  csrf: string;
  state?: FormState;
  /** the section shown (the header is always); default: the form with an error, else the report */
  tab?: string;
  /** the team, to assign the case to */
  team?: { id: string; name: string }[];
  /** the downstream accounts the team may share the case with */
  downstreamAccounts?: { id: string; name: string; email: string }[];
  /** the file limits, for the hint of the message form */
  limits: { maxBytes: number; maxFiles: number };
}

export const CASE_TABS = ['report', 'triage', 'contact', 'discussion', 'downstream', 'draft', 'audit'] as const;
export type CaseTab = (typeof CASE_TABS)[number];

/** The tab a form's errors are shown on. */
const TAB_OF_FORM: Record<string, CaseTab> = {
  transition: 'report', 'reporter-link': 'report', assign: 'report',
  scope: 'triage', rating: 'triage', embargo: 'triage', lift: 'triage',
  invite: 'contact', contact: 'contact', answer: 'contact', remind: 'contact',
  message: 'discussion',
  downstream: 'downstream',
  'downstream-revoke': 'downstream',
};

export function tabOfForm(form: string | undefined): CaseTab | undefined {
  return form ? TAB_OF_FORM[form] : undefined;
}

const TAB_LABEL: Record<CaseTab, string> = { report: 'Report', triage: 'Triage', contact: 'Author contact', discussion: 'Discussion', downstream: 'Downstream', draft: 'Advisory', audit: 'Audit log' };

const day = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 10)}</time>`;

/** What a team triaging many cases reads first: state, severity, embargo, what is due next, who leads it. */
function summaryHeader(d: CasePageData): Html {
  const v = d.view;
  const severity = v.assessment?.severity;
  return html`<dl class="case-summary" aria-label="Case summary">
<div><dt>State</dt><dd class="state">${v.state}</dd></div>
<div><dt>Distribution</dt><dd>${v.distribution}</dd></div>
${v.assessment ? html`<div><dt>Severity</dt><dd>${severity ? html`<span class="severity severity-${severity}">${severity}</span>` : html`<span class="muted">not rated</span>`}${v.assessment.cvss.length ? html` <span class="muted">(${v.assessment.cvss.map((c) => `CVSS ${c.version} ${c.score ?? ''}`).join(', ')})</span>` : ''}</dd></div>` : ''}
<div><dt>Embargo</dt><dd>${v.embargo.endsAt ? html`until ${day(v.embargo.endsAt)}${v.embargo.state === 'expired' ? html` <strong>(expired)</strong>` : ''}` : html`<span class="muted">none</span>`}</dd></div>
${v.nextDeadline !== undefined ? html`<div><dt>Next deadline</dt><dd>${v.nextDeadline ? html`${day(v.nextDeadline.at)}: ${v.nextDeadline.what}` : html`<span class="muted">none</span>`}</dd></div>` : ''}
${v.assignee !== undefined ? html`<div><dt>Assignee</dt><dd id="assignee">${v.assignee ? v.assignee.name : html`<span class="muted">nobody</span>`}</dd></div>` : ''}
</dl>`;
}

function assignForm(d: CasePageData): Html {
  const v = d.view;
  if (!d.team || !v.actions.includes('case.assess')) return html``;
  return html`<section aria-labelledby="people-h">
<h2 id="people-h">People</h2>
${v.participants?.length ? html`<ul>${v.participants.map((p) => html`<li>${p.name} <span class="muted">(${p.role})</span></li>`)}</ul>` : ''}
${postForm({
  action: `/workspace/cases/${v.reference}/assign`,
  csrf: d.csrf,
  label: 'Assign the case',
  submit: 'Assign',
  body: selectField({ form: 'assign', state: d.state, name: 'assignee', label: 'Assignee', value: v.assignee?.id ?? '', options: [['', 'nobody'], ...d.team.map((t): [string, string] => [t.id, t.name])] }),
})}
</section>`;
}

function tabNav(v: CaseView, tabs: CaseTab[], current: CaseTab): Html {
  return html`<nav class="tabs" aria-label="Case sections"><ul>${tabs.map((t) => html`<li><a href="/workspace/cases/${v.reference}?tab=${t}"${t === current ? html` aria-current="page"` : ''}>${TAB_LABEL[t]}</a></li>`)}</ul></nav>`;
}

const at = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;

function embargoNotice(v: CaseView): Html {
  const e = v.embargo;
  if (e.state === 'expired') return html`<p class="flag" role="alert"><strong>Embargo expired</strong> on ${at(e.endsAt!)} and the case is not published. Nothing is published automatically: publish it, or agree a new date with the reporter.</p>`;
  if (e.state === 'ending-soon') return html`<p class="note"><strong>Embargo ends soon:</strong> ${at(e.endsAt!)} (${e.daysLeft} day(s) left).</p>`;
  if (e.state === 'active') return html`<p class="note">Under embargo until ${at(e.endsAt!)}. Keep the details private until then.</p>`;
  return html``;
}

function reportSection(v: CaseView): Html {
  return html`<section aria-labelledby="report-h">
<h2 id="report-h">Report</h2>
<dl class="facts">
<dt>Distribution</dt><dd><a href="/distributions/${encodeURIComponent(v.distribution)}">${v.distribution}</a></dd>
<dt>Affected versions</dt><dd>${v.affectedVersions.map((r, i) => html`${i ? '; ' : ''}<code>${r}</code>`)}</dd>
<dt>Filed</dt><dd>${at(v.createdAt)}</dd>
${v.reporter ? html`<dt>Reporter</dt><dd>${v.reporter.name ?? ''} &lt;${v.reporter.email}&gt;${v.reporter.encryptionKey ? html`<br>Encryption key: ${v.reporter.encryptionKey.kind} <code>${v.reporter.encryptionKey.fingerprint}</code>` : ''}</dd>` : ''}
<dt>Credit</dt><dd>${v.credit ?? html`<span class="muted">not credited by name</span>`}</dd>
${v.cve ? html`<dt>CVE</dt><dd>${v.cve}</dd>` : ''}
${v.duplicateOf ? html`<dt>Duplicate of</dt><dd><a class="mono" href="/workspace/cases/${v.duplicateOf}">${v.duplicateOf}</a></dd>` : ''}
</dl>
<h3>Description</h3>
<p class="description">${v.description}</p>
${v.proof ? html`<h3>Proof of concept</h3><pre>${v.proof}</pre>` : ''}
${v.attachments?.length ? html`<h3>Files</h3>${attachmentList(v.reference, v.attachments, 'Files of the report')}` : ''}
${v.actions.includes('case.edit') ? html`<p><a href="/workspace/cases/${v.reference}/edit">Amend the report</a></p>` : ''}
</section>`;
}

function lifecycleSection(d: CasePageData): Html {
  const v = d.view;
  if (!v.nextStates.length) return html``;
  return html`<section aria-labelledby="state-h">
<h2 id="state-h">Move the case</h2>
${postForm({
  action: `/workspace/cases/${v.reference}/transition`,
  csrf: d.csrf,
  label: 'Move the case',
  submit: 'Move the case',
  body: html`${selectField({ form: 'transition', state: d.state, name: 'to', label: 'New state', options: v.nextStates.map((s) => [s, s]), fields: ['to', 'state'] })}
${field({ form: 'transition', state: d.state, name: 'reason', label: 'Reason', required: true, multiline: true, rows: 2, hint: 'Recorded in the audit log.' })}
${v.nextStates.includes('duplicate') ? field({ form: 'transition', state: d.state, name: 'duplicateOf', label: 'Duplicate of (case reference)', hint: 'Only when moving to duplicate.' }) : ''}`,
})}
</section>`;
}

function embargoSection(d: CasePageData): Html {
  const v = d.view;
  if (!v.actions.includes('case.setEmbargo')) return html``;
  return html`<section aria-labelledby="embargo-h">
<h2 id="embargo-h">Embargo</h2>
<p>${v.embargo.endsAt ? html`Ends ${at(v.embargo.endsAt)} (${v.embargo.state}).` : 'No embargo.'}</p>
${postForm({
  action: `/workspace/cases/${v.reference}/embargo`,
  csrf: d.csrf,
  label: 'Set the embargo',
  submit: v.embargo.endsAt ? 'Change the embargo' : 'Set the embargo',
  body: html`${field({ form: 'embargo', state: d.state, name: 'endsAt', label: 'Embargo ends on', type: 'date', required: true, value: v.embargo.endsAt?.slice(0, 10) ?? '', hint: 'The end, 00:00 UTC of that day (or an ISO 8601 time); at most 90 days ahead.', fields: ['endsAt', 'embargoEndsAt'] })}
${field({ form: 'embargo', state: d.state, name: 'reason', label: 'Reason', required: true, multiline: true, rows: 2 })}`,
})}
${v.embargo.endsAt
  ? postForm({ action: `/workspace/cases/${v.reference}/embargo/lift`, csrf: d.csrf, label: 'Lift the embargo', submit: 'Lift the embargo', body: field({ form: 'lift', state: d.state, name: 'reason', label: 'Reason for lifting', required: true }) })
  : ''}
</section>`;
}

function threadSection(d: CasePageData): Html {
  const v = d.view;
  const canShared = v.actions.includes('message.shared');
  const canInternal = v.actions.includes('message.internal');
  return html`<section aria-labelledby="thread-h">
<h2 id="thread-h">Discussion</h2>
${d.thread.length
  ? html`<ol class="thread">${d.thread.map((m) => html`<li${m.visibility === 'internal' ? html` class="internal"` : ''}><p><strong>${m.from}</strong>, ${at(m.at)}${m.visibility === 'internal' ? html` <span class="badge">internal note</span>` : ''}</p><p class="body">${m.body}</p>${attachmentList(v.reference, m.attachments, `Files of the message of ${m.at.slice(0, 16).replace('T', ' ')}`)}</li>\n`)}</ol>`
  : html`<p>No messages yet.</p>`}
${canShared || canInternal
  ? postForm({
      action: `/workspace/cases/${v.reference}/messages`,
      csrf: d.csrf,
      label: 'Write a message',
      submit: 'Send the message',
      files: true,
      body: html`${field({ form: 'message', state: d.state, name: 'body', label: 'Message', required: true, multiline: true, rows: 4, hint: canInternal ? 'Shared messages are read by the reporter and the author; internal notes by the team only.' : 'Read by the team and the other people on the case.' })}
${fileField({ form: 'message', state: d.state, label: 'Files', hint: `${fileHint(d.limits)} Files go to whoever reads the message.` })}
${canInternal ? selectField({ form: 'message', state: d.state, name: 'visibility', label: 'Who reads it', options: [...(canShared ? [['shared', 'Everyone on the case'] as [string, string]] : []), ['internal', 'The team only (internal note)']] }) : ''}`,
    })
  : ''}
</section>`;
}

function draftSection(d: CasePageData): Html {
  const v = d.view;
  const canEdit = v.actions.includes('case.editDraft');
  if (!v.draft && !canEdit) return html``;
  return html`<section aria-labelledby="draft-h">
<h2 id="draft-h">Advisory</h2>
${v.draft
  ? html`<p>Draft advisory <span class="mono">${v.draft.advisory.id}</span>, last edited ${at(v.draft.updatedAt)}. <a href="/workspace/cases/${v.reference}/draft">${canEdit ? 'Edit, check and publish the draft' : 'Read the draft'}</a></p>`
  : postForm({ action: `/workspace/cases/${v.reference}/draft`, csrf: d.csrf, label: 'Create the draft advisory', submit: 'Create the draft advisory', body: html`<p class="hint">From the report and the assessment; the team completes it before publication.</p>` })}
${v.publishedAt ? html`<p>Published ${at(v.publishedAt)}${v.draft ? html`: <a href="/advisories/${encodeURIComponent(v.draft.advisory.id)}">the public advisory</a>` : ''}.</p>` : ''}
</section>`;
}

/** An actor of the log by name (and address, for the team); the label with its id stays in the data. */
function who(label: string, actors: Record<string, AuditActorView>): Html {
  const a = actors[label];
  if (!a) return html`<span class="mono">${label}</span>`;
  return html`<span title="${label}">${a.name}${a.email ? html` &lt;${a.email}&gt;` : ''}</span>`;
}

function reporterLinkSection(d: CasePageData): Html {
  const v = d.view;
  if (!v.actions.includes('case.resendReporterLink')) return html``;
  return html`<section aria-labelledby="reporter-link-h">
<h2 id="reporter-link-h">Reporter’s access</h2>
<p>The reporter filed without an account and has not claimed the case yet.</p>
${postForm({
  action: `/workspace/cases/${v.reference}/reporter-link`,
  csrf: d.csrf,
  label: 'Send the reporter a new link',
  submit: 'Send a new link',
  body: html`<p class="hint">A new single-use link goes to the address of the report; the earlier links stop working.</p>
${field({ form: 'reporter-link', state: d.state, name: 'reason', label: 'Reason', required: true, hint: 'Recorded in the audit log.' })}`,
})}
</section>`;
}

const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

/** An entry's fields with their value before (`field.before`) and after, or the values it recorded. */
function changes(e: AuditEntry): Html {
  const data = e.data as Record<string, unknown>;
  const keys = Object.keys(data).filter((k) => !k.endsWith('.before'));
  const changed = keys.filter((k) => `${k}.before` in data);
  if (changed.length) return html`<ul class="changes">${changed.map((k) => html`<li><span class="mono">${k}</span>: ${shown(data[`${k}.before`])} → ${shown(data[k])}</li>`)}</ul>`;
  if (e.action === 'case.assessed' || e.action === 'draft.edited') return html`<ul class="changes">${keys.map((k) => html`<li><span class="mono">${k}</span>: ${shown(data[k])}</li>`)}</ul>`;
  return html``;
}

function auditSection(trail: CasePageData['audit']): Html {
  if (!trail) return html``;
  const { entries, actors } = trail;
  return html`<section aria-labelledby="audit-h">
<h2 id="audit-h">Audit log</h2>
<table><caption>Everything done to this case, oldest first (append-only, hash-chained)</caption>
<thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">State</th><th scope="col">Changed (before → after)</th><th scope="col">Reason</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><th scope="row" class="num">${e.seq}</th><td>${at(e.at)}</td><td>${who(e.actor, actors)}</td><td>${e.action}</td><td>${e.from || e.to ? html`${e.from ?? ''} → ${e.to ?? ''}` : ''}</td><td>${changes(e)}</td><td>${e.reason}</td></tr>\n`)}</tbody>
</table>
</section>`;
}

const FIELD_FORMS: Record<string, string[]> = {
  transition: ['to', 'state', 'reason', 'duplicateOf'],
  embargo: ['endsAt', 'embargoEndsAt', 'reason'],
  message: ['body', 'visibility', 'attachments'],
  downstream: ['accountId', 'summary', 'fixAttachmentId'],
  'downstream-revoke': ['reason'],
  invite: ['email', 'name', 'respondBy'],
  contact: ['channel', 'to', 'summary', 'at', 'respondBy'],
  'reporter-link': ['reason'],
  scope: ['component', 'library', 'override', 'overrideReason'],
  rating: ['cvss', 'cwes', 'severity', 'affectedVersions', 'fixedVersions'],
  assign: ['assignee'],
};

export function casePage(d: CasePageData): Html {
  const v = d.view;
  const known = (name: string) => {
    const form = d.state?.form ?? '';
    const alias: Record<string, string> = { state: 'to', embargoEndsAt: 'endsAt', 'scope.component': 'component', 'scope.library': 'library', 'scope.override.inScope': 'override', 'scope.override.reason': 'overrideReason' };
    const n = alias[name] ?? name;
    return (FIELD_FORMS[form] ?? ['summary', 'at', 'reason']).includes(n) ? fieldId(form, n) : undefined;
  };
  const staff = d.audit !== undefined;
  const tabs: CaseTab[] = staff ? [...CASE_TABS] : ['report', 'discussion', ...(v.draft ? (['draft'] as CaseTab[]) : [])];
  const wanted = (tabOfForm(d.state?.form) ?? d.tab) as CaseTab | undefined;
  const tab: CaseTab = wanted && tabs.includes(wanted) ? wanted : 'report';
  const sections: Record<CaseTab, () => Html> = {
    report: () => html`${reportSection(v)}${assignForm(d)}${lifecycleSection(d)}${reporterLinkSection(d)}`,
    triage: () => html`${d.triage ? triageSection({ view: v, triage: d.triage, csrf: d.csrf, state: d.state }) : ''}${embargoSection(d)}`,
    contact: () => html`${v.contacts ? contactSection({ view: v, csrf: d.csrf, state: d.state }) : ''}`,
    discussion: () => threadSection(d),
    downstream: () => downstreamSection({ view: v, thread: d.thread, csrf: d.csrf, state: d.state, accounts: d.downstreamAccounts ?? [] }),
    draft: () => draftSection(d),
    audit: () => auditSection(d.audit),
  };
  return html`<h1>Case <span class="mono">${v.reference}</span></h1>
${errorSummary(d.state, known)}
<p>You see this case as ${v.viewerRole === 'admin' ? 'an administrator' : v.viewerRole === 'member' ? 'a team member' : `its ${v.viewerRole}`}.</p>
${summaryHeader(d)}
${embargoNotice(v)}
${tabNav(v, tabs, tab)}
<div class="tab-panel" id="tab-${tab}">${sections[tab]()}</div>`;
}
