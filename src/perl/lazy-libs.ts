/**
 * yaml and packageurl-js, loaded on first use. Their module start-up (~45 M and ~80 M instructions)
 * is more than a whole `cpansec audit` of a lock costs, and most audits read no YAML and write no
 * purl. picocolors too: loading it asks whether stdout is a terminal, which makes node's stdout
 * stream (and its stream library) in every run, coloured or not. In the CLI bundle (scripts/build-cli.js) `require` is esbuild's own and the call runs the
 * bundled copy's initialiser here; under plain ES modules (tests, the library build) it is
 * node's require for the package.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import type * as Yaml from 'yaml';
import type * as PackageUrl from 'packageurl-js';
import type Picocolors from 'picocolors';

const load = (name: string): unknown => {
  /* eslint-disable @typescript-eslint/no-require-imports -- a lazy require is the point (see above) */
  if (typeof require === 'function') return name === 'yaml' ? require('yaml') : name === 'picocolors' ? require('picocolors') : require('packageurl-js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return createRequire(path.join(PACKAGE_ROOT, 'package.json'))(name);
};

let yamlLib: typeof Yaml | undefined;
let purlLib: typeof PackageUrl | undefined;

export function yaml(): typeof Yaml {
  return (yamlLib ??= load('yaml') as typeof Yaml);
}

export function packageUrl(): typeof PackageUrl {
  return (purlLib ??= load('packageurl-js') as typeof PackageUrl);
}

let colorsLib: typeof Picocolors | undefined;

export function picocolors(): typeof Picocolors {
  return (colorsLib ??= load('picocolors') as typeof Picocolors);
}
