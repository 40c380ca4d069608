/**
 * package.json declares what the code uses, and nothing else: a run-time dependency is imported by
 * src/, a development one by the tests, bench, scripts or tool configuration (or is a tool that an npm
 * script runs, or the types of a dependency); and src/ imports no package that an install from the
 * registry would not bring.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { builtinModules } from 'node:module';
import { projectPath } from '../helpers/paths.js';

const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function files(dir: string): string[] {
  return readdirSync(projectPath(dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));
}

/** the packages a file imports */
function importsOf(file: string): Set<string> {
  const text = readFileSync(projectPath(file), 'utf8');
  const found = new Set<string>();
  // static, dynamic and side-effect imports; require('x'), createRequire(…)('x') and createRequire(…).resolve('x')
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+|require\s*\(\s*|\)\s*\(\s*|\.resolve\(\s*)['"]((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?)['"]/g)) {
    const spec = m[1]!;
    if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
    found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return found;
}

const union = (list: string[]) => new Set(list.flatMap((f) => [...importsOf(f)]));
const product = union(files('src'));
const development = union([...files('test'), ...files('bench'), ...files('scripts'), 'eslint.config.js']);

test('every run-time dependency is imported by the product', () => {
  assert.deepEqual(Object.keys(pkg.dependencies).filter((d) => !product.has(d)), []);
});

test('the product imports only its run-time dependencies (a registry install has no dev ones)', () => {
  assert.deepEqual([...product].filter((d) => !(d in pkg.dependencies)).sort(), []);
});

test('every development dependency is used by tests, bench, scripts, configuration or an npm script', () => {
  const scripts = Object.values(pkg.scripts).join(' ');
  const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies), 'node']);
  const unused = Object.keys(pkg.devDependencies).filter((d) => {
    if (development.has(d) || product.has(d)) return false;
    // @types/x is used when x is (or node itself)
    if (d.startsWith('@types/')) return !declared.has(d.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2'));
    // tools run by name from an npm script: tsc (typescript), tsx, eslint
    const bin = d === 'typescript' ? 'tsc' : d;
    return !new RegExp(`(^|[\\s/])${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(scripts);
  });
  assert.deepEqual(unused, []);
});
