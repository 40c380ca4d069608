/**
 * The CNA tool's per-CVE YAML record (`cpansec:` …), as a JSON Schema. This is our own statement of
 * the format that CPAN-Security/cna-tool's `schema/cpansec-cna-schema-01.yaml` defines (that file
 * has no licence to ship under); a test checks that both accept and refuse the same records.
 */
import { REFERENCE_TAGS } from '../../advisory/index.js';

export interface CnaReference {
  link: string;
  name?: string;
  tags?: string[];
}

export interface CnaRecord {
  cve: string;
  distribution: string;
  module: string;
  author: string;
  repo?: string;
  affected: string[];
  title: string;
  cwes?: string[];
  files?: string[];
  routines?: string[];
  description: string;
  solution?: string | string[];
  mitigation?: string | string[];
  credits?: { lang?: string; type: string; value: string }[];
  impacts?: string[];
  timeline?: { time: string; value: string }[];
  references: CnaReference[];
}


const stringList = (items: Record<string, unknown> = { type: 'string' }) => ({ type: 'array', uniqueItems: true, items });
const textOrList = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

export const CNA_RECORD_SCHEMA = {
  type: 'object',
  required: ['cpansec'],
  properties: {
    cpansec: {
      type: 'object',
      additionalProperties: false,
      required: ['cve', 'distribution', 'module', 'author', 'affected', 'title', 'description', 'references'],
      properties: {
        cve: { type: 'string', pattern: '^CVE-[0-9]{4}-[0-9]{4,19}$' },
        distribution: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
        module: { type: 'string', pattern: '^[A-Za-z0-9_:]+$' },
        author: { type: 'string', pattern: '^[A-Z0-9]+$' },
        repo: { type: 'string', format: 'uri' },
        // "9.19 <= 9.31", "< 2.0", "1.05"
        affected: {
          ...stringList({ type: 'string', pattern: '^(([^\\s]+\\s*(<=|<)\\s*[^\\s]+)|((<=|<)\\s*[^\\s]+)|([^\\s]+))$' }),
          minItems: 1,
        },
        title: { type: 'string' },
        cwes: stringList({ type: 'string', pattern: '^CWE-[0-9]+(?:\\s*:\\s*|\\s+).*\\S.*$' }),
        files: stringList(),
        routines: stringList(),
        description: { type: 'string' },
        solution: textOrList,
        mitigation: textOrList,
        credits: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'value'],
            additionalProperties: false,
            properties: { lang: { type: 'string' }, type: { type: 'string' }, value: { type: 'string' } },
          },
        },
        impacts: stringList({ type: 'string', pattern: '^CAPEC-[0-9]+ [A-Za-z0-9 -.,]+$' }),
        timeline: {
          type: 'array',
          items: {
            type: 'object',
            required: ['time', 'value'],
            additionalProperties: false,
            properties: {
              time: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$' },
              value: { type: 'string' },
            },
          },
        },
        references: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: {
            type: 'object',
            required: ['link'],
            additionalProperties: false,
            properties: {
              link: { type: 'string', format: 'uri' },
              name: { type: 'string', minLength: 1, maxLength: 512 },
              tags: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...REFERENCE_TAGS] } },
            },
          },
        },
      },
    },
  },
} as const;
