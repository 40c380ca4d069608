/** Files of reports and messages: a list of download links, and the hint of the file field. */
import { html, type Html } from '../../../publish/site/index.js';
import { ATTACHMENT_KINDS, type AttachmentView } from '../../../disclosure/index.js';

export const sizeText = (n: number) => (n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} kB` : `${n} bytes`);

export function attachmentHref(reference: string, id: string): string {
  return `/workspace/cases/${reference}/attachments/${id}`;
}

/** Download links (the file is sent as an attachment, never shown in the page). */
export function attachmentList(reference: string, list: readonly AttachmentView[], label = 'Files'): Html {
  if (!list.length) return html``;
  return html`<ul class="attachments" aria-label="${label}">${list.map(
    (a) => html`<li><a href="${attachmentHref(reference, a.id)}">${a.fileName}</a> <span class="muted">(${ATTACHMENT_KINDS[a.kind].label}, ${sizeText(a.size)}, SHA-256 <span class="mono">${a.sha256.slice(0, 12)}…</span>)</span></li>`,
  )}</ul>`;
}

export function fileHint(limits: { maxBytes: number; maxFiles: number }): string {
  return `Up to ${limits.maxFiles} files of ${sizeText(limits.maxBytes)} each: text, patches, PDF, PNG, JPEG, tar, gzip or zip (not programs, HTML or SVG). They stay private: only the people on the case can download them.`;
}
