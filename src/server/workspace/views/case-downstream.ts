/**
 * The team's side of pre-notifying downstream packagers: what they read (the summary, the versions,
 * the fix patch), with whom the case is shared, the form to share it and a button per share to end it.
 */
import { html, type Html } from '../../../publish/site/index.js';
import type { AttachmentView, CaseView, MessageView } from '../../../disclosure/index.js';
import { field, postForm, selectField, type FormState } from './forms.js';

export interface DownstreamSectionData {
  view: CaseView;
  thread: MessageView[];
  csrf: string;
  state: FormState | undefined;
  accounts: { id: string; name: string; email: string }[];
}

const at = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 10)}</time>`;

export function downstreamSection(d: DownstreamSectionData): Html {
  const v = d.view;
  const notice = v.downstream ?? null;
  const canShare = v.actions.includes('case.shareDownstream');
  const canRevoke = v.actions.includes('case.revokeDownstream');
  // the fix is a patch of the case: of the report or of any message
  const patches: AttachmentView[] = [...(v.attachments ?? []), ...d.thread.flatMap((m) => m.attachments)].filter((a) => a.kind === 'patch');
  const active = notice?.shares.filter((s) => s.revokedAt === null) ?? [];
  const sharedIds = new Set(active.map((s) => s.accountId));
  const candidates = d.accounts.filter((a) => !sharedIds.has(a.id));
  return html`<section aria-labelledby="downstream-h">
<h2 id="downstream-h">Downstream packagers</h2>
<p>Pre-notify package managers and distributions under embargo. They read only what is written here — the summary, the affected and fixed versions (from triage), the fix patch and the embargo’s end — never the report, the reporter, the discussion or the draft.</p>
${notice
  ? html`<h3>What they read</h3>
<p class="description">${notice.summary}</p>
<dl class="facts"><dt>Fixed versions</dt><dd>${v.assessment?.fixedVersions?.length ? v.assessment.fixedVersions.join('; ') : html`<span class="muted">none recorded (triage)</span>`}</dd>
<dt>Fix patch</dt><dd>${notice.fixAttachmentId ? patches.find((p) => p.id === notice.fixAttachmentId)?.fileName ?? notice.fixAttachmentId : html`<span class="muted">none</span>`}</dd></dl>
<h3>Shared with</h3>
${notice.shares.length
  ? html`<table><caption>Shares, oldest first</caption><thead><tr><th scope="col">Packager</th><th scope="col">Shared</th><th scope="col">Ended</th><th scope="col">End it</th></tr></thead>
<tbody>${notice.shares.map(
      (s) => html`<tr><th scope="row">${s.name}</th><td>${at(s.sharedAt)}</td><td>${s.revokedAt ? at(s.revokedAt) : html`<span class="muted">shared now</span>`}</td><td>${
        s.revokedAt === null && canRevoke
          ? postForm({
              action: `/workspace/cases/${v.reference}/downstream/${s.accountId}/revoke`,
              csrf: d.csrf,
              label: `End the share with ${s.name}`,
              submit: 'End the share',
              className: 'inline',
              danger: true,
              body: field({ form: 'downstream-revoke', state: d.state, name: 'reason', label: 'Reason', required: true }),
            })
          : ''
      }</td></tr>\n`,
    )}</tbody></table>`
  : html`<p>Not shared with anyone.</p>`}`
  : html`<p>Not shared with any packager yet.</p>`}
${canShare
  ? postForm({
      action: `/workspace/cases/${v.reference}/downstream`,
      csrf: d.csrf,
      label: 'Share with downstream packagers',
      submit: 'Save and share',
      body: html`${selectField({ form: 'downstream', state: d.state, name: 'accountId', label: 'Share with', hint: 'A downstream account (an administrator makes them); it is told by mail.', options: [['', notice ? 'nobody new (only save the text and the fix)' : 'choose a packager'], ...candidates.map((a): [string, string] => [a.id, `${a.name} <${a.email}>`])] })}
${field({ form: 'downstream', state: d.state, name: 'summary', label: 'Summary for packagers', required: true, multiline: true, rows: 5, value: notice?.summary ?? '', hint: 'What is affected and how to fix it, in your words: the packagers never see the report itself.' })}
${selectField({ form: 'downstream', state: d.state, name: 'fixAttachmentId', label: 'Fix patch', hint: 'A patch (unified or git diff) attached to the report or a message; the packagers may download it, and no other file.', value: notice?.fixAttachmentId ?? '', options: [['', 'none'], ...patches.map((p): [string, string] => [p.id, p.fileName])] })}`,
    })
  : html`<p class="hint">A case is shared once it is accepted.</p>`}
</section>`;
}
