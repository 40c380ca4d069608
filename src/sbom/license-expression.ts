/**
 * SPDX licence expressions checked by spdx-expression-parse (the parser npm itself uses) against
 * the SPDX licence list of spdx-license-ids (deprecated ids included: they are still ids).
 */
import parse from 'spdx-expression-parse';

/** Why `expression` is not a valid SPDX licence expression, or undefined when it is. */
export function licenseExpressionProblem(expression: string): string | undefined {
  // a document repeats a handful of expressions thousands of times
  if (cache.has(expression)) return cache.get(expression);
  const problem = check(expression);
  if (cache.size < 10_000) cache.set(expression, problem);
  return problem;
}

const cache = new Map<string, string | undefined>();

function check(expression: string): string | undefined {
  if (expression.length > 10_000) return 'longer than 10000 characters';
  try {
    parse(expression);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    const at = /at offset (\d+)/.exec(msg);
    if (at) {
      const word = /^[^\s()]+/.exec(expression.slice(Number(at[1])))?.[0] ?? expression.slice(Number(at[1]));
      return `not a valid SPDX licence expression: '${word}' is not an SPDX licence id, exception, LicenseRef- or operator`;
    }
    // the parser reads past the end of an expression that stops after an operator
    return `not a valid SPDX licence expression${e instanceof TypeError ? ' (incomplete)' : ` (${msg})`}`;
  }
}
