import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiTables } from '../../src/shared/ipc/contract';
import { REPO_ROOT } from '../helpers/datasets';

const OUT = path.join(REPO_ROOT, 'out');
const read = (file: string) => readFile(path.join(OUT, file), 'utf8');

describe('the built app (npm run build)', () => {
  it('has a sandbox-ready preload: one CommonJS file that requires nothing but electron', async () => {
    const preload = await read('preload/index.cjs');
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
  });

  it("has the contract's verb and subscription names baked into the preload, and none of its schemas", async () => {
    const preload = await read('preload/index.cjs');
    for (const [verb, channel] of Object.entries({ ...apiTables.verbs, ...apiTables.subscriptions })) {
      expect(preload).toMatch(new RegExp(`${JSON.stringify(verb)}:\\s*${JSON.stringify(channel)}`));
    }
    expect(preload).not.toMatch(/__MLP_LAB_API_TABLES__|safeParse|ZodError/);
  });

  it('keeps TensorFlow.js out of the main process: only the training worker loads it', async () => {
    const chunks = (await readdir(path.join(OUT, 'main', 'chunks')).catch(() => [])).map((f) => `main/chunks/${f}`);
    for (const file of ['main/index.js', ...chunks]) {
      expect(await read(file), file).not.toMatch(/from ["']@tensorflow\//);
    }
    expect(await read('main/training-worker.js')).toMatch(/from ["']@tensorflow\/tfjs["']/);
  });

  it('builds a renderer with no inline script for the strict CSP', async () => {
    const html = await read('renderer/index.html');
    expect(html).toMatch(/<script type="module"[^>]* src="\.\/assets\/[^"]+\.js"/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
  });
});
