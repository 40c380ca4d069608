/**
 * Forms and API calls that carry files (multipart/form-data, through @fastify/multipart): the
 * report and a case message. Only the routes registered through `uploadRoutes` parse multipart
 * bodies — anywhere else one is refused (415) — and each of them reads its body with `readUpload`,
 * which checks the form's CSRF token (its first field) before it takes any file.
 *
 * Limits: a body whose Content-Length says it is larger than the files and fields allowed is
 * refused before a byte is read; the parser stops a file at the size limit (nothing past the limit
 * is buffered) and the answer closes the connection, so the rest is not read either.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { attachmentTooLarge, tooManyAttachments, type AttachmentInput } from '../../disclosure/index.js';
import { CpansecError } from '../../errors.js';
import { csrfMatches, csrfProblem } from './auth.js';
import { HttpProblem } from './http.js';
import type { Workspace } from './workspace.js';

export interface Upload {
  /** the text fields, as @fastify/formbody gives them (a repeated name: a list) */
  fields: Record<string, string | string[]>;
  files: AttachmentInput[];
  /** the form's CSRF token did not match (only when the route keeps the text of such a form) */
  csrfRefused: boolean;
  /** a limit the body went past: a file too large, too many files, a field too long (the text read so far is kept) */
  problem?: CpansecError;
}

/** Requests whose body was not read to its end: their connection closes after the answer. */
const closing = new WeakSet<FastifyRequest>();

/** A request that @fastify/multipart parsed (only in the upload routes' scope). */
export function isUpload(request: FastifyRequest): boolean {
  return typeof (request as { isMultipart?: unknown }).isMultipart === 'function' && request.isMultipart();
}

/** What a multipart body may hold at most: the files, and the text fields (the workspace's body limit). */
function maxBody(ws: Workspace): number {
  return ws.settings.attachmentMaxFiles * (ws.settings.attachmentMaxBytes + 4096) + ws.settings.bodyLimit;
}

/** Register routes that take files: a scope of their own with the multipart parser and its limits. */
export async function uploadRoutes(app: FastifyInstance, ws: Workspace, routes: (scope: FastifyInstance) => void): Promise<void> {
  const { default: multipart } = await import('@fastify/multipart');
  await app.register(async (scope) => {
    await scope.register(multipart, { throwFileSizeLimit: false });
    scope.addHook('onRequest', async (request, reply) => {
      const declared = Number(request.headers['content-length']);
      if (/^multipart\/form-data/i.test(request.headers['content-type'] ?? '') && declared > maxBody(ws)) {
        reply.header('connection', 'close');
        throw new HttpProblem(413, 'TOO_LARGE', `the upload is larger than ${ws.settings.attachmentMaxFiles} files of ${megabytes(ws.settings.attachmentMaxBytes)} each`);
      }
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      if (closing.has(request)) reply.header('connection', 'close');
      return payload;
    });
    routes(scope);
  });
}


const megabytes = (n: number) => `${+(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Read a multipart body: text fields, and files up to the limits. `csrf: 'form'` checks the
 * `_csrf` field, which must come before any file (our forms put it first): with `keepText` a wrong
 * token still reads the text (so the form can show it again) but no file; without, it is 403 at
 * once. `csrf: 'checked'`: the caller was checked already (an API token, or the header).
 */
export async function readUpload(request: FastifyRequest, ws: Workspace, o: { csrf: 'form' | 'checked'; keepText?: boolean }): Promise<Upload> {
  const max = { maxBytes: ws.settings.attachmentMaxBytes, maxFiles: ws.settings.attachmentMaxFiles };
  const fields: Record<string, string | string[]> = {};
  const files: AttachmentInput[] = [];
  let verified = o.csrf === 'checked';
  // the text fields together are held to the workspace's body limit, as a form without files is
  let fieldBytes = 0;
  let csrfRefused = false;
  const refuse = () => {
    if (!o.keepText) throw csrfProblem(request.caller);
    csrfRefused = true;
  };
  const parts = request.parts({
    // one byte over the limit: a file that passes it is known to be too large at once, without waiting for the rest
    limits: { fileSize: max.maxBytes + 1, files: max.maxFiles + 1, fields: 200, fieldSize: ws.settings.bodyLimit, parts: max.maxFiles + 201 },
  });
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated) return stop({ fields, files, csrfRefused }, new CpansecError('TOO_LARGE', `is longer than ${ws.settings.bodyLimit} bytes`, { file: part.fieldname }), request);
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        fieldBytes += Buffer.byteLength(value) + part.fieldname.length;
        if (fieldBytes > ws.settings.bodyLimit) return stop({ fields, files, csrfRefused }, new CpansecError('TOO_LARGE', `the form's text is longer than ${ws.settings.bodyLimit} bytes`, { file: part.fieldname }), request);
        if (part.fieldname === '_csrf' && o.csrf === 'form' && !verified && !csrfRefused) {
          if (csrfMatches(request.caller, value)) verified = true;
          else refuse();
          continue;
        }
        const had = fields[part.fieldname];
        fields[part.fieldname] = had === undefined ? value : [...[had].flat(), value];
        continue;
      }
      // a file: only from a form whose token matched (a form without a token before its files is refused)
      if (!verified && !csrfRefused) refuse();
      if (csrfRefused) {
        part.file.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      part.file.on('limit', () => {
        over = true;
      });
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        chunks.push(chunk);
        if (over || size > max.maxBytes) break;
      }
      if (over || size > max.maxBytes || (part.file as { truncated?: boolean }).truncated) return stop({ fields, files, csrfRefused }, attachmentTooLarge(part.filename || 'the file', max), request);
      // a file input left empty sends a part without a name or content
      if (size === 0 && !part.filename) continue;
      if (files.length === max.maxFiles) return stop({ fields, files, csrfRefused }, tooManyAttachments(max), request);
      files.push({ fileName: part.filename, content: new Uint8Array(Buffer.concat(chunks, size)) });
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'FST_FILES_LIMIT') return stop({ fields, files, csrfRefused }, tooManyAttachments(max), request);
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return stop({ fields, files, csrfRefused }, new CpansecError('TOO_LARGE', 'the form has too many fields', { file: 'attachments' }), request);
    throw e;
  }
  if (o.csrf === 'form' && !verified && !csrfRefused) refuse();
  return { fields, files, csrfRefused };
}

/** A body past a limit: what was read so far and the problem; the connection closes after the answer, so the rest is not read. */
function stop(upload: Omit<Upload, 'problem'>, problem: CpansecError, request: FastifyRequest): Upload {
  request.raw.unpipe();
  closing.add(request);
  return { ...upload, problem };
}
