/** What a downstream packager reads of a case shared with them: the team's summary and the fix, nothing else. */
import { html, type Html } from '../../../publish/site/index.js';
import type { DownstreamView } from '../../../disclosure/index.js';
import { attachmentList } from './attachments.js';

export function downstreamPage(v: DownstreamView): Html {
  return html`<h1>Case <span class="mono">${v.reference}</span></h1>
<p>The CPAN Security Group shares this vulnerability with you ahead of its publication.</p>
${v.embargoEndsAt ? html`<p class="note"><strong>Under embargo until <time datetime="${v.embargoEndsAt}">${v.embargoEndsAt.slice(0, 10)}</time>.</strong> Keep it private until it is published: ship the fix without describing it before then.</p>` : html`<p class="note">Keep it private until it is published.</p>`}
<dl class="facts">
<dt>Distribution</dt><dd>${v.distribution}</dd>
<dt>Affected versions</dt><dd>${v.affectedVersions.map((r, i) => html`${i ? '; ' : ''}<code>${r}</code>`)}</dd>
<dt>Fixed versions</dt><dd>${v.fixedVersions.length ? v.fixedVersions.map((r, i) => html`${i ? '; ' : ''}<code>${r}</code>`) : html`<span class="muted">none released yet</span>`}</dd>
</dl>
<h2>Summary</h2>
<p class="description">${v.summary}</p>
<h2>Fix</h2>
${v.fix ? attachmentList(v.reference, [v.fix], 'The fix patch') : html`<p>No patch is shared (yet).</p>`}`;
}
