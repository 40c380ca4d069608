/** The release log's routes in the server's OpenAPI document (the witness route only where it is served). */
const text = { 'text/plain': { schema: { type: 'string' } } };
const entrySchema = { type: 'object', required: ['path', 'sha256'], properties: { path: { type: 'string', example: 'AUTHOR/Dist-1.23.tar.gz' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, time: { type: 'string', format: 'date-time', description: 'upload time, UTC, seconds (default: now)' } } };
const octets = { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };

export function provenanceOpenApiPaths(): Record<string, unknown> {
  return {
    '/checkpoint': { get: { tags: ['transparency log'], summary: "The log's newest checkpoint (C2SP tlog-checkpoint signed note, with witness cosignatures)", responses: { 200: { description: 'signed note', content: text }, 404: { description: 'no checkpoint yet' } } } },
    '/tile/*': {
      get: {
        tags: ['transparency log'],
        summary: 'C2SP tlog-tiles: tile/<L>/<N>[.p/<W>] (hashes) and tile/entries/<N>[.p/<W>] (entry bundles); immutable',
        responses: { 200: { description: 'tile or entry bundle', content: octets }, 404: { description: 'not a tile of this log' } },
      },
    },
    '/lookup/sha256/{sha}': {
      get: {
        tags: ['transparency log'],
        summary: 'Indexes of the entries with this SHA-256, one a line (a hint; prove them from the tiles)',
        parameters: [{ name: 'sha', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
        responses: { 200: { description: 'indexes', content: text }, 404: { description: 'none' } },
      },
    },
    '/log/add': {
      post: {
        tags: ['transparency log'],
        summary: 'Record a release (uploader token: Authorization: Bearer cpansec_…)',
        requestBody: { required: true, content: { 'application/json': { schema: entrySchema } } },
        responses: { 201: { description: 'added: {status, index, tree_size}' }, 200: { description: 'already logged with this hash' }, 401: { description: 'no valid uploader token' }, 403: { description: "not the token's author directory" }, 409: { description: 'the path is logged with another hash' }, 503: { description: 'the store is busy; retry' } },
      },
    },
    '/log/add-batch': {
      post: {
        tags: ['transparency log'],
        summary: 'Record up to 1,000 releases in one request, sequenced in one transaction and acknowledged together (uploader token)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['entries'], properties: { entries: { type: 'array', minItems: 1, maxItems: 1000, items: entrySchema } } } } },
        },
        responses: {
          200: {
            description: 'every entry sequenced (durable): {tree_size, results: [{path, status: added | exists | conflict, index, sha256 (the logged hash, on conflict)}]}, in the order given',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    tree_size: { type: 'integer' },
                    results: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, status: { type: 'string', enum: ['added', 'exists', 'conflict'] }, index: { type: 'integer' }, sha256: { type: 'string' } } } },
                  },
                },
              },
            },
          },
          400: { description: 'a malformed entry (named entries[i].field): nothing added' },
          401: { description: 'no valid uploader token' },
          403: { description: "an entry outside the token's author directory: nothing added" },
          503: { description: 'the store is busy; retry' },
        },
      },
    },
  };
}
