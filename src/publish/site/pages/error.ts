import type { SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { searchForm } from '../components.js';

export function renderNotFound(data: SiteData, path: string): string {
  return page({
    title: 'Not found',
    info: data.info,
    path,
    body: html`<h1>Not found</h1>
<p>There is no page at <code>${path}</code>. Search for an advisory or a distribution:</p>
${searchForm()}`,
  });
}
