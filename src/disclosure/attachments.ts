/**
 * Files that come with a report or a message: a proof of concept, a log, a patch, a screenshot.
 * What a file is, is decided by its bytes (magic numbers through the `file-type` library, and for
 * text our own checks), never by the type or the name the sender claimed; the name must then agree
 * with it, so that a file saved from the download cannot open as something else (a page, a
 * program). Accepted: text, patches, PDF, PNG, JPEG, tar, gzip and zip. Refused: programs,
 * HTML, SVG and XML (active content when opened), and anything else. Sizes and counts are limited
 * (the server stops reading a file at the limit). Who may read a file is the thread's rule: a
 * report's files go with the report, a message's files with that message.
 */
import { createHash } from 'node:crypto';
import { CpansecError } from '../errors.js';
import { invalid, text } from './text.js';

export type AttachmentKind = 'text' | 'patch' | 'pdf' | 'png' | 'jpeg' | 'tar' | 'gzip' | 'zip';

export interface Attachment {
  id: string;
  caseId: string;
  /** the message it came with; null: it came with the report */
  messageId: string | null;
  at: string;
  /** who sent it; null when the sender had no account (an anonymous report) */
  accountId: string | null;
  fileName: string;
  kind: AttachmentKind;
  /** the Content-Type it is served with (from the kind, never from the sender) */
  mediaType: string;
  size: number;
  sha256: string;
}

/** What a reader sees of an attachment (everything but the case and the sender). */
export interface AttachmentView {
  id: string;
  fileName: string;
  kind: AttachmentKind;
  mediaType: string;
  size: number;
  sha256: string;
  at: string;
}

/** A file as received: the name the sender gave and its bytes. */
export interface AttachmentInput {
  fileName: unknown;
  content: Uint8Array;
}

/** A file checked and ready to store. */
export interface CheckedAttachment {
  fileName: string;
  kind: AttachmentKind;
  mediaType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
}

export interface AttachmentLimits {
  /** largest file, bytes */
  maxBytes: number;
  /** files with one report or one message */
  maxFiles: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

const FIELD = 'attachments';

interface KindRule {
  mediaType: string;
  /** the name endings a file of this kind may have ('' : no ending at all) */
  extensions: string[];
  label: string;
}

const TEXT_EXTENSIONS = ['txt', 'text', 'log', 'md', 'pod', 'pl', 'pm', 't', 'xs', 'c', 'h', 'cc', 'cpp', 'sh', 'py', 'rb', 'json', 'yml', 'yaml', 'csv', 'tsv', 'conf', 'cfg', 'ini', 'out', 'patch', 'diff', ''];

export const ATTACHMENT_KINDS: Record<AttachmentKind, KindRule> = {
  text: { mediaType: 'text/plain; charset=utf-8', extensions: TEXT_EXTENSIONS, label: 'text' },
  patch: { mediaType: 'text/x-diff; charset=utf-8', extensions: TEXT_EXTENSIONS, label: 'patch' },
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  png: { mediaType: 'image/png', extensions: ['png'], label: 'PNG image' },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG image' },
  tar: { mediaType: 'application/x-tar', extensions: ['tar'], label: 'tar archive' },
  gzip: { mediaType: 'application/gzip', extensions: ['gz', 'tgz'], label: 'gzip file' },
  zip: { mediaType: 'application/zip', extensions: ['zip'], label: 'zip archive' },
};

/** What file-type names, for the kinds we accept. */
const DETECTED: Record<string, AttachmentKind> = { pdf: 'pdf', png: 'png', jpg: 'jpeg', tar: 'tar', gz: 'gzip', 'tar.gz': 'gzip', zip: 'zip' };

/** Programs and installers, named as such in the refusal. */
const PROGRAMS = new Set(['exe', 'elf', 'macho', 'mach', 'wasm', 'class', 'dex', 'msi', 'apk', 'jar', 'xpi', 'crx', 'deb', 'rpm', 'dmg', 'lnk', 'swf', 'cab', 'ps1']);

const ACCEPTED = 'text, patches, PDF, PNG, JPEG, tar, gzip and zip';

const sizeText = (n: number) => (n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} kB` : `${n} bytes`);

export function attachmentTooLarge(fileName: string, limits: AttachmentLimits): CpansecError {
  return new CpansecError('TOO_LARGE', `'${fileName}' is larger than the limit of ${sizeText(limits.maxBytes)} a file`, { file: FIELD });
}

export function tooManyAttachments(limits: AttachmentLimits): CpansecError {
  return invalid(FIELD, `at most ${limits.maxFiles} files can come with one report or message`);
}

const WINDOWS_RESERVED = /[<>:"/\\|?*]/;

/**
 * The name to keep: the last part of what the sender gave (a browser may send a path), checked
 * as one line of text, without characters a file system or a header would trip on.
 */
export function attachmentName(value: unknown): string {
  const raw = typeof value === 'string' ? value.split(/[\\/]/).pop()! : value;
  const name = text(raw, FIELD, { max: 200 });
  if (WINDOWS_RESERVED.test(name)) throw invalid(FIELD, `'${name}': a file name may not contain < > : " / \\ | ? *`);
  if (name.startsWith('.')) throw invalid(FIELD, `'${name}': a file name may not start with a dot`);
  if (/[. ]$/.test(name)) throw invalid(FIELD, `'${name}': a file name may not end with a dot or a space`);
  return name;
}

function extensionOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz')) return 'gz';
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? '' : lower.slice(dot + 1);
}

// C0 controls but tab, line feed, vertical tab, form feed, carriage return and escape (logs with colours)
const TEXT_CONTROL = /[\u0000-\u0008\u000E-\u001A\u001C-\u001F\u007F]/;

/** Valid UTF-8 without NUL and the controls no text file holds. */
function asText(bytes: Uint8Array): string | undefined {
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return TEXT_CONTROL.test(s) ? undefined : s;
}

/**
 * Text a browser would take for a page or an image: the WHATWG MIME Sniffing standard's HTML
 * patterns (§7.1), with XML and SVG. Such a file, saved and opened, runs its scripts.
 */
const ACTIVE = /^(?:<!DOCTYPE HTML|<HTML|<HEAD|<SCRIPT|<IFRAME|<H1|<DIV|<FONT|<TABLE|<A|<STYLE|<TITLE|<B|<BODY|<BR|<P|<!--|<\?xml|<svg|<math|<object|<embed)(?=[\s>/]|$)/i;

/** A unified or git diff: a file header and a hunk. */
const DIFF_HEADER = /^(?:diff --git |Index: |--- \S[^\n]*\n\+\+\+ \S)/m;
const HUNK = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m;

async function kindOf(name: string, bytes: Uint8Array): Promise<AttachmentKind> {
  if (bytes.length === 0) throw invalid(FIELD, `'${name}' is empty`);
  // file-type is loaded on first use: most commands never see a file
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const kind = DETECTED[detected.ext];
    if (kind) return kind;
    if (PROGRAMS.has(detected.ext)) throw invalid(FIELD, `'${name}' is a program (${detected.ext}), which is not accepted; accepted are ${ACCEPTED}`);
    if (detected.ext === 'xml' || detected.ext === 'html' || detected.ext === 'svg') throw invalid(FIELD, `'${name}' is ${detected.ext.toUpperCase()}, which could run scripts when opened; attach it zipped, or paste it into the text`);
    throw invalid(FIELD, `'${name}' is ${detected.mime}, which is not accepted; accepted are ${ACCEPTED}`);
  }
  const s = asText(bytes);
  if (s === undefined) throw invalid(FIELD, `'${name}' is neither UTF-8 text nor a file type we accept (${ACCEPTED})`);
  if (ACTIVE.test(s.replace(/^\uFEFF/, '').trimStart())) throw invalid(FIELD, `'${name}' is HTML, SVG or XML, which could run scripts when opened; attach it zipped, or paste it into the text`);
  return DIFF_HEADER.test(s) && HUNK.test(s) ? 'patch' : 'text';
}

/** One file checked: its name, its kind from its bytes, the name agreeing with the kind, its size. */
export async function checkAttachment(input: AttachmentInput, limits: AttachmentLimits): Promise<CheckedAttachment> {
  const fileName = attachmentName(input.fileName);
  if (!(input.content instanceof Uint8Array)) throw invalid(FIELD, `'${fileName}' has no content`);
  if (input.content.length > limits.maxBytes) throw attachmentTooLarge(fileName, limits);
  const kind = await kindOf(fileName, input.content);
  const rule = ATTACHMENT_KINDS[kind];
  const ext = extensionOf(fileName);
  if (!rule.extensions.includes(ext)) {
    const endings = rule.extensions.filter(Boolean).map((e) => `.${e}`);
    throw invalid(FIELD, `'${fileName}' is a ${rule.label} but its name ends in ${ext ? `.${ext}` : 'nothing'}; name it with ${endings.length > 3 ? `${endings.slice(0, 3).join(', ')} …` : endings.join(' or ')}`);
  }
  return { fileName, kind, mediaType: rule.mediaType, size: input.content.length, sha256: createHash('sha256').update(input.content).digest('hex'), content: input.content };
}

/** The files of one report or message, each checked; none is stored unless all pass. */
export async function checkAttachments(inputs: readonly AttachmentInput[] | undefined, limits: AttachmentLimits): Promise<CheckedAttachment[]> {
  const list = inputs ?? [];
  if (!Array.isArray(list)) throw invalid(FIELD, 'must be a list of files');
  if (list.length > limits.maxFiles) throw tooManyAttachments(limits);
  const out: CheckedAttachment[] = [];
  for (const input of list) out.push(await checkAttachment(input, limits));
  return out;
}

export function attachmentView(a: Attachment): AttachmentView {
  return { id: a.id, fileName: a.fileName, kind: a.kind, mediaType: a.mediaType, size: a.size, sha256: a.sha256, at: a.at };
}

/** The record of a checked file, stored with the report or message it came with. */
export function newAttachment(id: string, f: CheckedAttachment, where: { caseId: string; messageId: string | null; accountId: string | null; at: string }): Attachment {
  return { id, caseId: where.caseId, messageId: where.messageId, at: where.at, accountId: where.accountId, fileName: f.fileName, kind: f.kind, mediaType: f.mediaType, size: f.size, sha256: f.sha256 };
}
