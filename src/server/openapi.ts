/**
 * The OpenAPI 3 document of the server, served at /openapi.json. Written out rather than generated
 * from route schemas: the OSV endpoints answer with osv.dev's own error messages, which Fastify's
 * schema validation would replace. A test checks that every route the server registers is here.
 */
import { provenanceOpenApiPaths } from './provenance/openapi.js';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const html = (description: string, params: object[] = []) => ({
  get: { tags: ['site'], summary: description, parameters: params, responses: { 200: { description: 'HTML page', content: { 'text/html': {} } }, 404: { description: 'no such page' } } },
});
const cacheHeaders = {
  ETag: { schema: { type: 'string' }, description: 'send it back in If-None-Match to get 304 when unchanged' },
  'Cache-Control': { schema: { type: 'string' } },
};
const download = (summary: string, type: string) => ({
  get: {
    tags: ['downloads'],
    summary,
    responses: { 200: { description: summary, headers: cacheHeaders, content: { [type]: {} } }, 304: { description: 'not modified' } },
  },
});
const checksum = (file: string) => ({
  get: { tags: ['downloads'], summary: `SHA-256 of ${file}, in sha256sum format`, responses: { 200: { description: '"<hex>  <name>"', content: { 'text/plain': {} } } } },
});

const advisory = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'CPANSA-Mojolicious-2022-03' },
    osv_id: { type: 'string' },
    aliases: { type: 'array', items: { type: 'string' } },
    summary: { type: 'string' },
    severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low'], nullable: true },
    cvss: { type: 'array', items: { type: 'object', properties: { version: { type: 'string' }, vector: { type: 'string' }, score: { type: 'number' } } } },
    affected_versions: { type: 'array', items: { type: 'string' }, example: ['<9.31'] },
    fixed_versions: { type: 'array', items: { type: 'string' }, example: ['>=9.31'] },
    reported: { type: 'string', nullable: true, example: '2022-12-10' },
    references: { type: 'array', items: { type: 'string' } },
    url: { type: 'string', format: 'uri' },
    osv_url: { type: 'string', format: 'uri' },
  },
};

export function openApiDocument(baseUrl: string, version: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'cpansec API',
      version,
      description:
        'CPAN security advisories: an OSV-compatible API (the same requests and answers as api.osv.dev, ecosystem "CPAN"), per-release answers for MetaCPAN, and downloads of the database.',
      license: { name: 'Artistic-2.0' },
    },
    servers: [{ url: baseUrl }],
    tags: [
      { name: 'osv', description: 'OSV-compatible (api.osv.dev v1)', externalDocs: { url: 'https://google.github.io/osv.dev/api/' } },
      { name: 'metacpan', description: 'For MetaCPAN and other sites; cacheable' },
      { name: 'downloads' },
      { name: 'operations' },
      { name: 'site', description: 'The HTML web site and its feeds' },
    ],
    paths: {
      '/v1/query': {
        post: {
          tags: ['osv'],
          summary: 'Vulnerabilities of a package (and version), full OSV records',
          description:
            'As api.osv.dev: by {package: {name, ecosystem}} with an optional version, or by {package: {purl}} (pkg:cpan/DIST@VERSION). A commit query is accepted and matches nothing (no commit ranges are known). Empty result: {}. Any Content-Type; the body is read as JSON.',
          requestBody: { required: true, content: json(ref('Query')) },
          responses: { 200: { description: 'matching records', content: json(ref('VulnerabilityList')) }, 400: error('invalid query, hash, ecosystem, purl or cursor') },
        },
      },
      '/v1/querybatch': {
        post: {
          tags: ['osv'],
          summary: 'Several queries at once; ids and modified times only',
          description: 'At most 1,000 queries. Each result lists {id, modified}; fetch records with /v1/vulns/{id}. Paged per query with next_page_token.',
          requestBody: { required: true, content: json({ type: 'object', properties: { queries: { type: 'array', maxItems: 1000, items: ref('Query') } } }) },
          responses: {
            200: { description: 'one result per query, in order', content: json({ type: 'object', properties: { results: { type: 'array', items: ref('BatchResult') } } }) },
            400: error('a query is invalid ("error in query at index N: …") or too many queries'),
          },
        },
      },
      '/v1/vulns/{id}': {
        get: {
          tags: ['osv'],
          summary: 'One OSV record',
          parameters: [pathParam('id', 'OSV id, e.g. CPANSA-Mojolicious-2022-03')],
          responses: {
            200: { description: 'the OSV record (schema 1.7.5 with the CPAN ecosystem)', headers: cacheHeaders, content: json(ref('Vulnerability')) },
            304: { description: 'not modified' },
            400: error('id too long'),
            404: error('not found; the message names records that have the id as an alias'),
          },
        },
      },
      '/v1/metacpan/release/{author}/{distribution}/{version}': {
        get: {
          tags: ['metacpan'],
          summary: 'Advisories affecting a release, and the lowest release that fixes them',
          parameters: [pathParam('author', 'PAUSE id'), pathParam('distribution', 'distribution name'), pathParam('version', 'release version')],
          responses: { 200: { description: 'the release', headers: cacheHeaders, content: json(ref('ReleaseAdvisories')) }, 304: { description: 'not modified' }, 400: error('unreadable version or author') },
        },
      },
      '/v1/metacpan/release/{distribution}/{version}': {
        get: {
          tags: ['metacpan'],
          summary: 'Advisories affecting a release (author not given)',
          parameters: [pathParam('distribution', 'distribution name'), pathParam('version', 'release version')],
          responses: { 200: { description: 'the release', headers: cacheHeaders, content: json(ref('ReleaseAdvisories')) }, 304: { description: 'not modified' }, 400: error('unreadable version') },
        },
      },
      '/v1/metacpan/module/{module}/{version}': {
        get: {
          tags: ['metacpan'],
          summary: 'Advisories affecting the distribution that contains a module, at a version',
          parameters: [pathParam('module', 'module name, e.g. Mojo::DOM'), pathParam('version', 'version of the distribution')],
          responses: { 200: { description: 'the release; known: false when the module map does not know the module', headers: cacheHeaders, content: json(ref('ReleaseAdvisories')) }, 304: { description: 'not modified' }, 400: error('unreadable version') },
        },
      },
      '/v1/metacpan/distribution/{distribution}': {
        get: {
          tags: ['metacpan'],
          summary: 'Every advisory of a distribution, with the releases each affects',
          parameters: [pathParam('distribution', 'distribution name')],
          responses: { 200: { description: 'the distribution', headers: cacheHeaders, content: json(ref('DistributionAdvisories')) }, 304: { description: 'not modified' } },
        },
      },
      '/v1/download/cpansa.json': download('The database in the CPANSA JSON layout (cpan-audit, cpansec audit --db URL); gzip on request', 'application/json'),
      '/v1/download/cpansa.json.sha256': checksum('cpansa.json'),
      '/v1/download/osv/all.zip': download('Every OSV record, one JSON file each, as osv.dev publishes an ecosystem', 'application/zip'),
      '/v1/download/osv/all.zip.sha256': checksum('all.zip'),
      '/healthz': {
        get: {
          tags: ['operations'],
          summary: 'Health: 200 when the store answers',
          responses: { 200: { description: 'ok', content: json(ref('Health')) }, 503: error('the store does not answer') },
        },
      },
      '/openapi.json': { get: { tags: ['operations'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3', content: json({ type: 'object' }) } } } },
      '/': html('Home: the latest advisories'),
      '/advisories': html('All advisories, newest first, 100 a page', [{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }]),
      '/advisories/{id}': html('One advisory', [pathParam('id', 'advisory id')]),
      '/distributions': html('Distributions with advisories'),
      '/distributions/{name}': html('One distribution: its advisories, affected and fixed versions, releases', [pathParam('name', 'distribution name')]),
      '/distributions/{name}/feed.atom': { get: { tags: ['site'], summary: 'Atom feed of one distribution', parameters: [pathParam('name', 'distribution name')], responses: { 200: { description: 'Atom 1.0', content: { 'application/atom+xml': {} } }, 404: { description: 'unknown distribution' } } } },
      '/distributions/{name}/feed.rss': { get: { tags: ['site'], summary: 'RSS feed of one distribution', parameters: [pathParam('name', 'distribution name')], responses: { 200: { description: 'RSS 2.0', content: { 'application/rss+xml': {} } }, 404: { description: 'unknown distribution' } } } },
      '/feed.atom': { get: { tags: ['site'], summary: 'Atom feed of all advisories, newest first', responses: { 200: { description: 'Atom 1.0', content: { 'application/atom+xml': {} } } } } },
      '/feed.rss': { get: { tags: ['site'], summary: 'RSS feed of all advisories, newest first', responses: { 200: { description: 'RSS 2.0', content: { 'application/rss+xml': {} } } } } },
      '/modules/{module}': { get: { tags: ['site'], summary: 'Redirect to the distribution of a module', parameters: [pathParam('module', 'module name')], responses: { 302: { description: 'to /distributions/{name}' }, 404: { description: 'unknown module' } } } },
      '/search': html('Search', [
        { name: 'q', in: 'query', schema: { type: 'string' } },
        { name: 'kind', in: 'query', schema: { type: 'string', enum: ['any', 'distribution', 'module', 'cve', 'id', 'text'] } },
      ]),
      '/stats': html('Statistics with charts'),
      '/stats.json': { get: { tags: ['site'], summary: 'Security metrics as JSON (docs/server.md)', responses: { 200: { description: 'the metrics of the statistics page', content: { 'application/json': {} } } } } },
      '/api': html('API overview'),
      '/distributions/{name}/releases': html('Every release of a distribution with the advisories affecting it, a page at a time', [pathParam('name', 'distribution name'), { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }]),
      '/security': html('Report a vulnerability: what to report, what happens next, the embargo, the scope'),
      '/.well-known/security.txt': { get: { tags: ['site'], summary: 'RFC 9116 security.txt, from the server settings', responses: { 200: { description: 'security.txt', content: { 'text/plain': {} } } } } },
      '/security.txt': { get: { tags: ['site'], summary: 'Redirects to /.well-known/security.txt (RFC 9116 §3)', responses: { 301: { description: 'to the well-known place' } } } },
      ...provenanceOpenApiPaths(),
      '/static/site.css': { get: { tags: ['site'], summary: 'The stylesheet', responses: { 200: { description: 'CSS', content: { 'text/css': {} } } } } },
      '/static/favicon.svg': { get: { tags: ['site'], summary: "The site's icon", responses: { 200: { description: 'SVG', content: { 'image/svg+xml': {} } } } } },
      '/favicon.ico': { get: { tags: ['site'], summary: 'Redirects to /static/favicon.svg', responses: { 301: { description: 'to the SVG icon' } } } },
    },
    components: {
      schemas: {
        Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer', description: 'gRPC status code (3 invalid argument, 5 not found, 13 internal)' }, message: { type: 'string' } } },
        Package: { type: 'object', properties: { name: { type: 'string', example: 'Mojolicious' }, ecosystem: { type: 'string', example: 'CPAN' }, purl: { type: 'string', example: 'pkg:cpan/Mojolicious@9.30' } } },
        Query: {
          type: 'object',
          properties: {
            package: ref('Package'),
            version: { type: 'string', example: '9.30' },
            commit: { type: 'string', description: 'hex; matches nothing here' },
            page_token: { type: 'string' },
          },
        },
        Vulnerability: { type: 'object', description: 'An OSV record: https://ossf.github.io/osv-schema/', externalDocs: { url: 'https://ossf.github.io/osv-schema/' } },
        VulnerabilityList: { type: 'object', properties: { vulns: { type: 'array', items: ref('Vulnerability') }, next_page_token: { type: 'string' } } },
        BatchResult: {
          type: 'object',
          properties: {
            vulns: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, modified: { type: 'string', format: 'date-time' } } } },
            next_page_token: { type: 'string' },
          },
        },
        Advisory: advisory,
        Database: { type: 'object', properties: { revision: { type: 'integer' }, updated: { type: 'string', format: 'date-time' } } },
        ReleaseAdvisories: {
          type: 'object',
          properties: {
            distribution: { type: 'string', nullable: true },
            version: { type: 'string' },
            author: { type: 'string' },
            module: { type: 'string' },
            purl: {
              type: 'string',
              nullable: true,
              description: 'the release as a package URL, the author as the `author` qualifier (the cpan type\'s preferred form)',
              example: 'pkg:cpan/Mojolicious@9.30?author=SRI',
            },
            known: { type: 'boolean', description: 'the database knows the distribution (or module)' },
            vulnerable: { type: 'boolean' },
            advisories: { type: 'array', items: ref('Advisory') },
            lowest_fixed_version: {
              type: 'string',
              nullable: true,
              description:
                'the release to upgrade to, as `cpansec audit` says: the lowest stable release above this version that no known advisory affects; when none is, the lowest one free of every advisory that has a released fix (see `unfixed`); null when the release is not vulnerable or no release fixes any advisory affecting it',
              example: '9.48',
            },
            unfixed: {
              type: 'array',
              items: { type: 'string' },
              description: 'ids of the advisories affecting this release that no release fixes (they affect the newest stable release too): upgrading to lowest_fixed_version leaves these',
              example: ['CPANSA-Mojolicious-2024-58134'],
            },
            database: ref('Database'),
          },
        },
        DistributionAdvisories: {
          type: 'object',
          properties: {
            distribution: { type: 'string' },
            purl: { type: 'string', nullable: true },
            known: { type: 'boolean' },
            main_module: { type: 'string', nullable: true },
            advisories: { type: 'array', items: { allOf: [ref('Advisory'), { type: 'object', properties: { affected_releases: { type: 'array', items: { type: 'string' } } } }] } },
            unfixed: { type: 'array', items: { type: 'string' }, description: 'advisories affecting the newest stable release' },
            latest_release: { type: 'string', nullable: true },
            lowest_unaffected_release: { type: 'string', nullable: true },
            database: ref('Database'),
          },
        },
        Health: { type: 'object', properties: { status: { type: 'string' }, revision: { type: 'integer' }, stored_revision: { type: 'integer' }, updated: { type: 'string' }, advisories: { type: 'integer' } } },
      },
    },
  };
}
