/**
 * A stored file as an answer: always a download (`Content-Disposition: attachment`, the name
 * encoded by the `content-disposition` library as RFC 6266 and RFC 8187 have it), with the type
 * its bytes were found to be (never the one the sender claimed), `nosniff`, and a sandboxing
 * policy, so that no browser runs or shows it as part of the site.
 */
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import type { Attachment } from '../../disclosure/index.js';

export function sendAttachment(reply: FastifyReply, a: Attachment, content: Uint8Array): FastifyReply {
  return reply
    .code(200)
    .header('content-type', a.mediaType)
    .header('content-disposition', contentDisposition(a.fileName, { type: 'attachment' }))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cross-origin-resource-policy', 'same-origin')
    .header('x-sha256', a.sha256)
    .send(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
}
