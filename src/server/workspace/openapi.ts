/**
 * The workspace's part of the OpenAPI document: the JSON API under /api (API tokens or a session
 * with its CSRF header) and the pages under /workspace (HTML forms with the `_csrf` field). The
 * server's OpenAPI test checks that the document lists exactly the routes registered.
 */

type Op = Record<string, unknown>;

const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({
  description,
  content: json({ type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } } }),
});
const param = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const REF = param('ref', 'case reference (CPANSEC-YYYY-XXXX-XXXX) or internal id');

/** The answers every workspace API call may give besides its success. */
const ERRORS = {
  400: problem('bad input (PARSE_ERROR, the field named), malformed JSON'),
  401: problem('the API token is not valid'),
  403: problem('not allowed (FORBIDDEN), or the CSRF header is missing or wrong (CSRF)'),
  404: problem('no such case — or one the caller may not see'),
  409: problem('not possible in this state (CONFLICT): under embargo, taken, closed …'),
  413: problem('body too large'),
  429: problem('too many attempts (RATE_LIMITED), with Retry-After'),
};

function apiOp(summary: string, o: { body?: object; status?: number; params?: object[]; query?: object[] } = {}): Op {
  return {
    tags: ['workspace-api'],
    summary,
    security: [{ bearer: [] }, { session: [], csrf: [] }],
    parameters: [...(o.params ?? []), ...(o.query ?? [])],
    ...(o.body ? { requestBody: { required: true, content: json(o.body) } } : {}),
    responses: { [o.status ?? 200]: { description: 'done', content: json({ type: 'object' }) }, ...ERRORS },
  };
}

function page(summary: string, params: object[] = []): Op {
  return { tags: ['workspace'], summary, parameters: params, responses: { 200: { description: 'HTML page', content: { 'text/html': {} } }, 303: { description: 'to the login page (no session)' }, 403: { description: 'not allowed' }, 404: { description: 'no such page or case' } } };
}

function form(summary: string, params: object[] = []): Op {
  return {
    tags: ['workspace'],
    summary,
    parameters: params,
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['_csrf'], properties: { _csrf: { type: 'string', description: 'the CSRF token of the page' } } } } } },
    responses: { 303: { description: 'done: to the page that shows it' }, 200: { description: 'the page again (a computed answer)' }, 400: { description: 'the form again, with the error summary' }, 403: { description: 'not allowed, or a forged CSRF token' }, 404: { description: 'no such case' }, 409: { description: 'not possible now: the form again with the reason' }, 413: { description: 'body too large' } },
  };
}

const text = { type: 'string' };
const obj = (properties: Record<string, object>, required: string[] = []) => ({ type: 'object', required, properties });

/** Files: `attachment` parts of a multipart body (each at most the configured size, 10 MB by default; 5 at most). */
const FILES = { type: 'array', items: { type: 'string', format: 'binary' }, description: 'text, patch, PDF, PNG, JPEG, tar, gzip or zip, recognised by its bytes; programs, HTML, SVG and XML are refused (400), a file over the size limit is 413' };

/** A JSON body, or the same with files as multipart/form-data. */
function withFiles(op: Op, multipart: object): Op {
  const body = op.requestBody as { content: Record<string, unknown> };
  return { ...op, requestBody: { ...body, content: { ...body.content, 'multipart/form-data': { schema: multipart } } } };
}

/** A stored file, always as a download. */
const download = (summary: string, params: object[], tag: 'workspace' | 'workspace-api'): Op => ({
  tags: [tag],
  summary,
  parameters: params,
  ...(tag === 'workspace-api' ? { security: [{ bearer: [] }, { session: [] }] } : {}),
  responses: {
    200: {
      description: 'the file, with Content-Disposition: attachment, X-Content-Type-Options: nosniff, a sandboxing Content-Security-Policy and the type found from its bytes',
      headers: { 'Content-Disposition': { schema: text }, 'X-Content-Type-Options': { schema: { type: 'string', enum: ['nosniff'] } } },
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    303: { description: 'to the login page (no session)' },
    404: { description: 'no such file — or one the caller may not read (a file of an internal note, of another case; for a downstream packager any file but the fix patch)' },
  },
});

function workspacePaths(): Record<string, Record<string, Op>> {
  const report = obj(
    {
      distribution: text,
      affectedVersions: { type: 'array', items: text, example: ['< 1.23'] },
      description: text,
      proof: text,
      reporterName: text,
      reporterEmail: { type: 'string', format: 'email' },
      credit: text,
      encryptionKey: { type: 'string', description: 'OpenPGP public key block or age recipient' },
    },
    ['distribution', 'affectedVersions', 'description', 'reporterEmail'],
  );
  const reason = obj({ reason: text }, ['reason']);
  const C = [REF];
  return {
    '/api/me': { get: apiOp('Who the caller is') },
    '/api/reports': {
      post: {
        ...withFiles(apiOp('File a report (anyone); acknowledged with the case reference. With files: multipart/form-data, the report as JSON in a `report` part', { body: report, status: 201 }), obj({ report, attachment: FILES }, ['report'])),
        security: [{}, { bearer: [] }],
      },
    },
    '/api/cvss': { post: apiOp('Score a CVSS 3.0, 3.1 or 4.0 vector', { body: obj({ vector: text }, ['vector']) }) },
    '/api/cases': {
      get: apiOp('The cases the caller may see, newest first', {
        query: [
          { name: 'state', in: 'query', schema: { type: 'array', items: text }, style: 'form', explode: true },
          { name: 'distribution', in: 'query', schema: text },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 500 } },
          { name: 'offset', in: 'query', schema: { type: 'integer' } },
        ],
      }),
    },
    '/api/cases/{ref}': { get: apiOp('A case as the caller may see it (with the actions and moves open to them)', { params: C }) },
    '/api/cases/{ref}/report': { patch: apiOp('Amend the report (reporter while new; the team while open)', { params: C, body: obj({ ...report.properties, reason: text }) }) },
    '/api/cases/{ref}/transitions': { post: apiOp('Move the case to another state, with a reason', { params: C, body: obj({ to: text, reason: text, duplicateOf: text }, ['to', 'reason']) }) },
    '/api/cases/{ref}/assessment': { post: apiOp('Record scope, CVSS, CWEs, severity (team)', { params: C, body: obj({ scope: { type: 'object' }, cvss: { type: 'array', items: text }, cwes: { type: 'array', items: text }, severity: text }) }) },
    '/api/cases/{ref}/triage': { get: apiOp('Scope by the charter’s rules, existing advisories, other cases (team)', { params: C }) },
    '/api/cases/{ref}/embargo': { put: apiOp('Set or move the embargo (team)', { params: C, body: obj({ endsAt: { type: 'string', format: 'date-time' }, reason: text }, ['endsAt', 'reason']) }) },
    '/api/cases/{ref}/embargo/lift': { post: apiOp('Lift the embargo (publishes nothing)', { params: C, body: reason }) },
    '/api/cases/{ref}/messages': {
      get: apiOp('The thread as the caller may read it', { params: C }),
      post: withFiles(
        apiOp('Post a message (shared) or an internal note (team); with files as multipart/form-data, read by whoever reads the message', { params: C, body: obj({ body: text, visibility: { type: 'string', enum: ['shared', 'internal'] } }, ['body']), status: 201 }),
        obj({ body: text, visibility: { type: 'string', enum: ['shared', 'internal'] }, attachment: FILES }, ['body']),
      ),
    },
    '/api/cases/{ref}/attachments/{id}': { get: download('Download a file of the report or of a message the caller may read', [REF, param('id', 'attachment id')], 'workspace-api') },
    '/api/cases/{ref}/downstream': { get: apiOp('What downstream packagers read of the case: the team’s summary, affected and fixed versions, the fix patch, the embargo’s end (team, and the packagers it is shared with)', { params: C }) },
    '/api/cases/{ref}/downstream-shares': {
      post: apiOp('Share the case with a downstream account and/or write what packagers read (team; case accepted); the packager is told by mail', {
        params: C,
        body: obj({ accountId: { type: 'string', description: 'a downstream account; absent: only the summary or the fix change' }, summary: text, fixAttachmentId: { type: 'string', nullable: true, description: 'a patch attachment of the case (null: none)' } }),
        status: 201,
      }),
    },
    '/api/cases/{ref}/downstream-shares/{accountId}/revoke': { post: apiOp('End a downstream packager’s access to the case (team)', { params: [REF, param('accountId', 'the downstream account')], body: reason }) },
    '/api/cases/{ref}/contacts': { post: apiOp('Log an author-contact attempt (team); respondBy sets the case’s own response deadline', { params: C, body: obj({ channel: text, to: text, summary: text, at: text, respondBy: { type: 'string', format: 'date' } }, ['channel', 'to', 'summary']), status: 201 }) },
    '/api/cases/{ref}/contacts/{contactId}/answer': { post: apiOp('Record the author’s answer (team)', { params: [REF, param('contactId', 'contact log entry')], body: obj({ summary: text, at: text }, ['summary']) }) },
    '/api/cases/{ref}/author-invitations': { post: apiOp('Invite the distribution’s author to the case (team); the link is mailed, never returned; respondBy sets the response deadline', { params: C, body: obj({ email: text, name: text, respondBy: { type: 'string', format: 'date' } }, ['email']), status: 201 }) },
    '/api/cases/{ref}/author-reminders': { post: apiOp('Re-send to the author in one action (team): a reminder by mail to the address last written to, with a new single-use link while the author has no account (the case’s address after), logged as a contact attempt; answers { reference, mailedTo, contact }; 409 when the author answered, no e-mail address is known, or a reminder went there in the last 10 minutes', { params: C, status: 201 }) },
    '/api/cases/{ref}/reporter-link': { post: apiOp('Send the reporter of an unclaimed case a new link to claim it; the earlier links stop working (team)', { params: C, body: reason, status: 201 }) },
    '/api/cases/{ref}/audit': { get: apiOp('The case’s audit log, with its actors named (team)', { params: C }) },
    '/api/cases/{ref}/draft': {
      get: apiOp('The draft advisory and the linter’s findings', { params: C }),
      post: apiOp('Create the draft advisory (team)', { params: C, status: 201 }),
      patch: apiOp('Edit the draft: { advisory: {…}, cna: {…} } (team)', { params: C, body: obj({ advisory: { type: 'object' }, cna: { type: 'object' } }) }),
    },
    '/api/cases/{ref}/cve': { put: apiOp('Assign the CVE id the CNA reserved (team)', { params: C, body: obj({ cve: text }, ['cve']) }) },
    '/api/cases/{ref}/cve-record': { get: apiOp('The CVE JSON 5 record, the CNA YAML, and every problem the schemas and linters find (team)', { params: C }) },
    '/api/cases/{ref}/publish': { post: apiOp('Publish the advisory (team; refused under embargo, with linter errors, before a fix unless withoutFix)', { params: C, body: obj({ reason: text, withoutFix: { type: 'boolean' } }, ['reason']) }) },
    '/api/reminders': { get: apiOp('Reminders and escalations due (team)'), post: apiOp('Queue the due reminders now (administrator)') },
    '/api/outbox': { get: apiOp('The outbox (an administrator’s session; never through a token)', { query: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['pending', 'sending', 'sent', 'failed'] } }] }) },
    '/api/audit/verify': { get: apiOp('Verify the whole audit log’s hash chain against the recorded head, and a head seen elsewhere (team)', { query: [{ name: 'head', in: 'query', description: 'SEQ:HASH, e.g. from a team mail', schema: text }] }) },

    '/workspace': { get: page('The workspace: what needs the team, one’s cases') },
    '/workspace/static/workspace.css': { get: { tags: ['workspace'], summary: 'The stylesheet', responses: { 200: { description: 'CSS', content: { 'text/css': {} } } } } },
    '/workspace/report': { get: page('The report form'), post: withFiles(form('File a report (multipart/form-data when files come with it; the `_csrf` field first)'), obj({ _csrf: text, attachment: FILES }, ['_csrf'])) },
    '/workspace/report/received': { get: page('The report was received (POST-redirect-GET)') },
    '/workspace/forgot': { get: page('Forgotten password: ask for a link'), post: form('Mail a single-use link (the same answer for any address; rate limited)') },
    '/workspace/forgot/sent': { get: page('The link is on its way, if the account exists') },
    '/workspace/static/cvss-calculator.js': { get: { tags: ['workspace'], summary: 'The CVSS calculator of the case page’s triage tab (our one script; pages ask for it with ?v=CONTENT-HASH and its integrity hash)', responses: { 200: { description: 'JavaScript', content: { 'text/javascript': {} } } } } },
    '/workspace/static/favicon.svg': { get: { tags: ['workspace'], summary: "The workspace's icon", responses: { 200: { description: 'SVG', content: { 'image/svg+xml': {} } } } } },
    '/workspace/login': { get: page('The login form'), post: form('Log in (password, and the TOTP code when set up); 429 when rate limited') },
    '/workspace/logout': { post: form('Log out') },
    '/workspace/invitations/{token}': { get: page('An invitation link', [param('token', 'the secret of the link')]), post: form('Accept it (set the password)', [param('token', 'the secret of the link')]) },
    '/workspace/cases': { get: page('The cases one may see') },
    '/workspace/cases/{ref}': { get: page('A case', C) },
    '/workspace/cases/{ref}/edit': { get: page('Amend the report', C), post: form('Save the amended report', C) },
    '/workspace/cases/{ref}/transition': { post: form('Move the case', C) },
    '/workspace/cases/{ref}/assign': { post: form('Assign the case to a team member', C) },
    '/workspace/cases/{ref}/scope': { post: form('Record the scope decision', C) },
    '/workspace/cases/{ref}/rating': { post: form('Record CVSS vectors, CWEs, severity', C) },
    '/workspace/cases/{ref}/cvss/{version}': {
      get: page('The CVSS calculator (3.1 or 4.0) on a page of its own, for browsers without script', [REF, param('version', '3.1 or 4.0')]),
      post: form('Compute the score of the metrics sent (base, temporal/threat, environmental, supplemental), or save the vector to the case', [REF, param('version', '3.1 or 4.0')]),
    },
    '/workspace/cases/{ref}/embargo': { post: form('Set the embargo', C) },
    '/workspace/cases/{ref}/embargo/lift': { post: form('Lift the embargo', C) },
    '/workspace/cases/{ref}/invite-author': { post: form('Invite the author', C) },
    '/workspace/cases/{ref}/remind-author': { post: form('Re-send to the author: a reminder by mail (see POST /api/cases/{ref}/author-reminders)', C) },
    '/workspace/cases/{ref}/contacts': { post: form('Log a contact attempt', C) },
    '/workspace/cases/{ref}/contacts/{contactId}/answer': { post: form('Record the answer', [REF, param('contactId', 'contact log entry')]) },
    '/workspace/cases/{ref}/reporter-link': { post: form('Send the reporter a new link to claim the case', C) },
    '/workspace/cases/{ref}/messages': { post: withFiles(form('Post a message, with files (multipart/form-data, the `_csrf` field first)', C), obj({ _csrf: text, body: text, attachment: FILES }, ['_csrf', 'body'])) },
    '/workspace/cases/{ref}/attachments/{id}': { get: download('Download a file (as an attachment, never shown in the page)', [REF, param('id', 'attachment id')], 'workspace') },
    '/workspace/cases/{ref}/downstream': { post: form('Share the case with a downstream packager; save what packagers read', C) },
    '/workspace/cases/{ref}/downstream/{accountId}/revoke': { post: form('End a downstream packager’s access', [REF, param('accountId', 'the downstream account')]) },
    '/workspace/cases/{ref}/draft': { get: page('The draft, its checks and files', C), post: form('Create the draft', C) },
    '/workspace/cases/{ref}/draft/edit': { post: form('Save the draft', C) },
    '/workspace/cases/{ref}/cve': { post: form('Assign the CVE id', C) },
    '/workspace/cases/{ref}/publish': { post: form('Publish the advisory', C) },
    '/workspace/cases/{ref}/advisory.yml': { get: { ...page('The draft advisory as a CPANSA report', C), responses: { 200: { description: 'YAML', content: { 'text/yaml': {} } } } } },
    '/workspace/cases/{ref}/cve.json': { get: { ...page('The CVE JSON 5 record (team)', C), responses: { 200: { description: 'CVE JSON 5', content: json({ type: 'object' }) }, 409: { description: 'it cannot be built yet' } } } },
    '/workspace/account': { get: page('One’s account: password, second factor, API tokens') },
    '/workspace/account/password': { post: form('Change the password (every session ends)') },
    '/workspace/account/totp/begin': { post: form('Start setting up a second factor') },
    '/workspace/account/totp/confirm': { post: form('Confirm it with a first code; shows the recovery codes once') },
    '/workspace/account/totp/disable': { post: form('Turn the second factor off (password needed)') },
    '/workspace/account/tokens': { post: form('Make an API token (shown once; the password is needed)') },
    '/workspace/account/tokens/{id}/revoke': { post: form('Revoke a token', [param('id', 'token id')]) },
    '/workspace/admin': { get: page('Administration: accounts, outbox, audit chain') },
    '/workspace/admin/accounts': { post: form('Invite someone') },
    '/workspace/admin/accounts/{id}': { post: form('Change an account’s role, or disable it', [param('id', 'account id')]) },
    '/workspace/admin/accounts/{id}/reset-password': { post: form('Reset someone’s password: it stops working, a link to set a new one is mailed', [param('id', 'account id')]) },
    '/workspace/admin/accounts/{id}/reset-totp': { post: form('Remove someone’s second factor', [param('id', 'account id')]) },
    '/workspace/admin/reminders': { post: form('Queue due reminders now') },
    '/workspace/admin/outbox/drain': { post: form('Send queued mail now') },
  };
}

const WORKSPACE_SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: 'an API token, cpansec_<prefix>_<secret>' },
  session: { type: 'apiKey', in: 'cookie', name: 'cpansec_session', description: 'the browser session (__Host-cpansec_session on https)' },
  csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'the session’s CSRF token, on every request that changes something' },
};

/** Add the workspace to the server's OpenAPI document (when the workspace is served). */
export function withWorkspace(doc: Record<string, unknown>): Record<string, unknown> {
  const components = (doc.components ?? {}) as Record<string, unknown>;
  return {
    ...doc,
    tags: [
      ...((doc.tags as object[] | undefined) ?? []),
      { name: 'workspace-api', description: 'The disclosure workspace’s JSON API: an API token (Authorization: Bearer), or a session with its X-CSRF-Token header' },
      { name: 'workspace', description: 'The disclosure workspace’s pages and forms (server-rendered, no JavaScript needed)' },
    ],
    paths: { ...(doc.paths as object), ...workspacePaths() },
    components: { ...components, securitySchemes: { ...((components.securitySchemes as object | undefined) ?? {}), ...WORKSPACE_SECURITY_SCHEMES } },
  };
}
