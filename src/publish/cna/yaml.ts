/**
 * Reading a CNA YAML record (the CNA tool's input): YAML 1.2 core schema, as the tool reads it,
 * then the record schema. Every problem comes back with its JSON path and line; nothing here is
 * trusted (aliases are capped, keys must be unique).
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { CpansecError } from '../../errors.js';
import { jsonPath } from '../schemas.js';
import { CNA_RECORD_SCHEMA, type CnaRecord } from './schema.js';

// CommonJS modules: under NodeNext the default import is the module, `.default` the export
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

export interface CnaProblem {
  level: 'error' | 'warning';
  /** JSON path in the YAML document, e.g. `$.cpansec.affected[0]` */
  path: string;
  line: number;
  message: string;
  /** lint rule id, for lint findings */
  rule?: string;
}

export interface CnaDocument {
  file: string;
  /** present when the record passed the schema */
  record?: CnaRecord;
  /** the parsed data, valid or not (the linter reads it too) */
  data: unknown;
  problems: CnaProblem[];
  /** 1-based line of a key (e.g. ['cpansec', 'title']); the record's start when absent */
  lineOf(path: (string | number)[]): number;
}

let validate: ReturnType<InstanceType<typeof Ajv>['compile']> | undefined;

/** The CNA tool accepts a list written as one string, `"[a, b]"`; so do we. */
function coerce(data: unknown, schema: Record<string, unknown> | undefined): unknown {
  if (!schema) return data;
  if (schema.type === 'array') {
    if (typeof data === 'string') {
      const m = /^\[(.*)\]$/.exec(data.trim());
      if (m) {
        return m[1]!
          .split(/\s*,\s*/)
          .map((x) => x.trim().replace(/^['"]|['"]$/g, ''))
          .filter(Boolean)
          .map((x) => coerce(x, schema.items as Record<string, unknown>));
      }
    }
    if (Array.isArray(data)) return data.map((x) => coerce(x, schema.items as Record<string, unknown>));
    return data;
  }
  if (schema.type === 'object' && data && typeof data === 'object' && !Array.isArray(data)) {
    const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const k of Object.keys(props)) if (k in out) out[k] = coerce(out[k], props[k]);
    return out;
  }
  return data;
}

function explain(message: string, value: unknown): string {
  if (message === 'must be string' && (typeof value === 'number' || typeof value === 'boolean' || value === null)) {
    return `must be a string, not the YAML ${value === null ? 'null' : typeof value} ${String(value)} (quote it: YAML reads 1.10 as the number 1.1)`;
  }
  return message;
}

export function readCnaYaml(text: string, file: string): CnaDocument {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { schema: 'core', lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    throw new CpansecError('PARSE_ERROR', `YAML error: ${err.message.split('\n')[0]}`, { file, line: err.linePos?.[0]?.line });
  }
  const lineOf = (path: (string | number)[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      const range = isNode(node) ? node.range : undefined;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    return 1;
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `YAML error: ${(e as Error).message}`, { file });
  }
  data = coerce(data, CNA_RECORD_SCHEMA as unknown as Record<string, unknown>);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(CNA_RECORD_SCHEMA);
  }
  const problems: CnaProblem[] = [];
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const segments = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      const value = segments.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], data);
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      const message = missing
        ? `missing ${missing}`
        : extra
          ? `unknown key '${extra}'`
          : e.keyword === 'enum'
            ? `${e.message} (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})`
            : explain(e.message ?? e.keyword, value);
      problems.push({ level: 'error', path: jsonPath(e.instancePath), line: lineOf(extra ? [...segments, extra] : segments), message });
    }
  }
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
  return { file, data, problems: unique, lineOf, ...(unique.length ? {} : { record: (data as { cpansec: CnaRecord }).cpansec }) };
}
