/** The provenance routes' part of the OpenAPI document: author keys (/v1/authors) and the TUF repository (/tuf). */

const json = (schema: object) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json({ type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' } } }) });
const author = { name: 'id', in: 'path', required: true, description: 'PAUSE id', schema: { type: 'string' } };
const change = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string' },
    author: { type: 'string' },
    action: { type: 'string', enum: ['add', 'rotate', 'revoke'] },
    keyId: { type: 'string' },
    publicKey: { type: 'string', nullable: true },
    previousKeyId: { type: 'string', nullable: true },
    reason: { type: 'string', nullable: true },
    by: { type: 'string' },
  },
};

function provenancePaths(): Record<string, unknown> {
  return {
    '/v1/authors/{id}/keys': {
      get: {
        tags: ['provenance'],
        summary: "An author's signing keys (active, retired, revoked), for `cpansec verify --server`",
        parameters: [author],
        responses: {
          200: { description: 'the keys', content: json({ type: 'object', properties: { author: { type: 'string' }, keys: { type: 'array', items: { type: 'object', properties: { keyid: { type: 'string' }, publicKey: { type: 'string', description: 'SPKI PEM' }, status: { type: 'string', enum: ['active', 'retired', 'revoked'] }, addedAt: { type: 'string' }, changedAt: { type: 'string' }, reason: { type: 'string' } } } } } }) },
          400: error('not a PAUSE id'),
          404: error('no keys are registered for the author'),
        },
      },
      post: {
        tags: ['provenance'],
        summary: "Change an author's keys: an administrator's API token with {action, …}, or a DSSE envelope signed by one of the author's active keys",
        parameters: [author],
        requestBody: { required: true, content: json({ type: 'object' }) },
        responses: { 201: { description: 'the change, appended to the history and to the transparency log (its entry, or null on a server without a log)', content: json({ type: 'object', properties: { change, log: { type: 'object', nullable: true, properties: { path: { type: 'string' }, index: { type: 'integer' } } }, tuf: { type: 'object', nullable: true, description: "on a server with the TUF online keys: the roles whose delegation to the author changed, whether a version awaits the author's signature, or the error (per-author delegations need the offline targets key: cpansec tuf sync-authors)" } } }) }, 400: error('malformed change'), 403: error('not an administrator, or not signed by an active key of the author'), 404: error('no such key of the author'), 409: error('key registered already, or already revoked/retired') },
      },
    },
    '/v1/authors/{id}/keys/changes': {
      get: { tags: ['provenance'], summary: "The append-only history of an author's key changes", parameters: [author], responses: { 200: { description: 'the changes, oldest first', content: json({ type: 'object', properties: { author: { type: 'string' }, changes: { type: 'array', items: change } } }) }, 400: error('not a PAUSE id') } },
    },
    '/v1/authors/{id}/keys/changes/{seq}': {
      get: {
        tags: ['provenance'],
        summary: 'One key change as the document the transparency log records (entry PAUSEID/_keys/SEQ-ACTION.json with its SHA-256)',
        parameters: [author, { name: 'seq', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { 200: { description: 'the canonical JSON document', content: json({ type: 'object' }) }, 400: error('not a PAUSE id'), 404: error('no such change of the author') },
      },
    },
    '/v1/tuf/authors/{id}/pending': {
      get: {
        tags: ['provenance'],
        summary: "The version of an author's own TUF role awaiting their signature (new releases, or a re-signature after a key change)",
        parameters: [author],
        responses: { 200: { description: "the role's signed part, and the role as served", content: json({ type: 'object', properties: { author: { type: 'string' }, signed: { type: 'object' }, served: { type: 'object' } } }) }, 400: error('not a PAUSE id'), 404: error('nothing awaits the author') },
      },
    },
    '/v1/tuf/authors/{id}/signature': {
      post: {
        tags: ['provenance'],
        summary: "Publish the pending version of an author's role with their signature (Ed25519 over its canonical JSON, hex), verified against the delegation to the author's registered keys",
        parameters: [author],
        requestBody: { required: true, content: json({ type: 'object', properties: { signatures: { type: 'array', items: { type: 'object', properties: { keyid: { type: 'string' }, sig: { type: 'string' } } } } } }) },
        responses: { 201: { description: 'published, with a new snapshot and timestamp', content: json({ type: 'object', properties: { author: { type: 'string' }, version: { type: 'integer' }, targets: { type: 'integer' } } }) }, 400: error('malformed'), 403: error("not signed by a key delegated to the author"), 404: error('nothing awaits the author'), 503: error('the server holds no TUF online keys') },
      },
    },
    '/tuf/metadata/{file}': {
      get: {
        tags: ['provenance'],
        summary: 'TUF metadata: VERSION.ROLE.json (immutable), timestamp.json, ROLE.json (the latest)',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'the signed metadata', content: json({ type: 'object' }) }, 404: error('no such metadata') },
      },
    },
    '/tuf/targets/*': {
      get: { tags: ['provenance'], summary: 'A release by its TUF target path, with the consistent-snapshot hash prefix: authors/id/E/ET/ETHER/SHA256.FILE', responses: { 200: { description: 'the file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, 404: error('no such target') } },
    },
  };
}

/** Add the provenance routes to the server's OpenAPI document. */
export function withProvenance(doc: Record<string, unknown>): Record<string, unknown> {
  return {
    ...doc,
    tags: [...((doc.tags as object[] | undefined) ?? []), { name: 'provenance', description: 'Author signing keys bound to PAUSE ids, and the TUF repository for mirrors' }],
    paths: { ...(doc.paths as object), ...provenancePaths() },
  };
}
