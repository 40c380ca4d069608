/**
 * Run by temp-files.test.ts in a child with its own TMPDIR: makes temporary files the
 * way the tests do (tempDir, a SQLite store of the test backends), then fails on purpose, and
 * writes what it made to $CPANSEC_FIXTURE_REPORT so the parent knows it ran.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { BACKENDS } from '../store/backends.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('fixture');

test('makes temporary files, then fails', async () => {
  writeFileSync(path.join(dir, 'file.json'), '{}');
  const { options } = await BACKENDS.find((b) => b.name === 'sqlite')!.location();
  const store = await BACKENDS.find((b) => b.name === 'sqlite')!.open();
  writeFileSync(process.env.CPANSEC_FIXTURE_REPORT!, JSON.stringify([dir, options.dataDir, await store.revision()]));
  throw new Error('failing on purpose');
});
