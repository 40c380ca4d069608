/**
 * YAML as the Perl toolchain writes and reads it for us (META.yml, advisory reports, ignore files):
 * every scalar a string (the failsafe schema: `1.10` stays `1.10`), no anchors or aliases (YAML::Tiny
 * and CPAN::Meta::YAML have none; refusing them also rules out alias bombs), and nesting capped so
 * that hostile input is a PARSE_ERROR at its line, never a stack overflow in a reader.
 */
import type { Node, ParsedNode } from 'yaml';
import { yaml } from './lazy-libs.js';
import { CpansecError } from '../errors.js';

/** Deeper than any real META, report or ignore file (they use fewer than 10 levels). */
export const MAX_YAML_DEPTH = 64;

export interface YamlSource {
  /** the document's root node, null for an empty document */
  root: ParsedNode | null;
  /** the 1-based line where a node starts (1 when unknown) */
  lineOf(node: unknown): number;
}

export interface ReadYamlOptions {
  /** refuse duplicate keys (the YAML spec's rule); META.yml readers are lenient and take the last */
  uniqueKeys?: boolean;
  /** how a syntax error starts ("YAML error", "not valid YAML") */
  errorPrefix?: string;
}

export function readYaml(text: string, file: string, options: ReadYamlOptions = {}): YamlSource {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: options.uniqueKeys ?? true });
  const lineOf = (node: unknown): number => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const prefix = options.errorPrefix ?? 'YAML error';
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line;
    // the yaml package turns its own stack overflow into a document error
    const why = /Maximum call stack size exceeded/.test(err.message) ? `nested more than ${MAX_YAML_DEPTH} levels deep` : err.message.split('\n')[0];
    throw new CpansecError('PARSE_ERROR', `${prefix}: ${why}`, { file, line });
  }
  checkTree(doc.contents, file, lineOf);
  return { root: doc.contents, lineOf };
}

/** No aliases, at most MAX_YAML_DEPTH nested collections: walked with a stack, not recursion. */
function checkTree(root: unknown, file: string, lineOf: (node: unknown) => number): void {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (yaml().isAlias(node)) {
      throw new CpansecError('PARSE_ERROR', `YAML alias *${node.source} is not supported (the Perl toolchain's YAML readers have none)`, { file, line: lineOf(node) });
    }
    if (!yaml().isMap(node) && !yaml().isSeq(node)) continue;
    if (depth >= MAX_YAML_DEPTH) throw new CpansecError('PARSE_ERROR', `YAML nested more than ${MAX_YAML_DEPTH} levels deep`, { file, line: lineOf(node) });
    for (const item of node.items as unknown[]) {
      if (yaml().isPair(item)) {
        stack.push([item.key, depth + 1], [item.value, depth + 1]);
      } else stack.push([item, depth + 1]);
    }
  }
}
