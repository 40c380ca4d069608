import type { SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';

export function renderApi(data: SiteData): string {
  const base = data.info.baseUrl;
  return page({
    title: 'API',
    info: data.info,
    path: '/api',
    body: html`<h1>API</h1>
<p>Every endpoint is described in the <a href="/openapi.json">OpenAPI 3 document</a>. Responses are JSON; errors are <code>{"code": …, "message": …}</code> with a 4xx status.</p>
<h2>OSV-compatible</h2>
<p>The same requests and answers as the <a href="https://google.github.io/osv.dev/api/">osv.dev API</a>, for the ecosystem <code>CPAN</code>; OSV clients work when pointed at <code>${base}</code>.</p>
<pre><code>curl -d '{"package": {"name": "Mojolicious", "ecosystem": "CPAN"}, "version": "9.30"}' ${base}/v1/query
curl -d '{"package": {"purl": "pkg:cpan/Mojolicious@9.30?author=SRI"}}' ${base}/v1/query
curl -d '{"queries": [{"package": {"name": "DBI", "ecosystem": "CPAN"}, "version": "1.642"}]}' ${base}/v1/querybatch
curl ${base}/v1/vulns/CPANSA-Mojolicious-2022-03</code></pre>
<h2>For MetaCPAN and other sites</h2>
<p>The advisories affecting a release or a module version, and the release to upgrade to, as <code>cpansec audit</code> names it: the lowest that fixes them all or, when some have no fix released, the lowest that fixes the others (those are listed in <code>unfixed</code>). Cacheable: <code>ETag</code> and <code>Cache-Control</code>.</p>
<pre><code>curl ${base}/v1/metacpan/release/SRI/Mojolicious/9.30
curl ${base}/v1/metacpan/module/Mojo::DOM/9.30
curl ${base}/v1/metacpan/distribution/Mojolicious</code></pre>
<h2>Downloads</h2>
<ul>
<li><a href="/v1/download/cpansa.json">cpansa.json</a>: the whole database in the CPANSA JSON layout that <code>cpan-audit</code> and <code>cpansec audit --db URL</code> read (<a href="/v1/download/cpansa.json.sha256">SHA-256</a>).</li>
<li><a href="/v1/download/osv/all.zip">all.zip</a>: every advisory as an OSV record, as osv.dev publishes an ecosystem (<a href="/v1/download/osv/all.zip.sha256">SHA-256</a>).</li>
</ul>`,
  });
}
