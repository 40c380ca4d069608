/**
 * `POST /v1/query` answers, serialised (and gzip-compressed) once per revision: an answer depends
 * only on the query and the published revision, and the snapshot is replaced whole when the
 * revision changes, so an answer computed once is served as bytes until then. Bounded by count
 * and size (queries are the client's to choose), least recently used first out.
 */
import { gzipSync } from 'node:zlib';
import { cached, type Cached } from '../http/cache.js';
import type { Snapshot } from '../snapshot.js';

const MAX_ENTRIES = 4096;
const MAX_BYTES = 64 * 1024 * 1024;

export interface Answer {
  plain: Cached;
  gzip: Cached;
}

class AnswerCache {
  private readonly entries = new Map<string, Answer>();
  private bytes = 0;

  get(key: string, make: () => string): Answer {
    const hit = this.entries.get(key);
    if (hit) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const body = make();
    const plain = cached(body, 'application/json');
    const zipped = gzipSync(body, { level: 6 });
    // another representation, another ETag (RFC 9110 §8.8.3)
    const answer = { plain, gzip: { ...cached(zipped, 'application/json'), etag: plain.etag.replace(/"$/, '-gzip"') } };
    this.entries.set(key, answer);
    this.bytes += Buffer.byteLength(body) + zipped.length;
    while (this.entries.size > MAX_ENTRIES || this.bytes > MAX_BYTES) {
      const [oldest, a] = this.entries.entries().next().value as [string, Answer];
      this.entries.delete(oldest);
      this.bytes -= Buffer.byteLength(a.plain.body) + a.gzip.body.length;
    }
    return answer;
  }
}

export function answersOf(s: Snapshot): AnswerCache {
  return s.memo('osv-query-answers', () => new AnswerCache());
}
