import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRawHeader, listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeDir } from '../../src/engine/runtime-files';
import { builderConfig } from '../../scripts/packaging/builder-config';
import { REPO_ROOT } from '../helpers/datasets';

/**
 * electron-builder really packs the built app (npm run build) with the packaging config, into its
 * unpacked "dir" target, which needs no download: a stand-in for the Electron folder (this machine has
 * no Electron binary) and no fuses (they need the real binary; tests/unit/scripts/packaging covers
 * them). Then the asar and what lies beside it are read back.
 */
let work: string;
let resources: string;
let listing: Set<string>;
let header: AsarEntry;

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  unpacked?: boolean;
}

function entry(file: string): AsarEntry | undefined {
  return file.split('/').reduce<AsarEntry | undefined>((dir, name) => dir?.files?.[name], header);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'mlp-lab-pack-'));
  const electronDist = path.join(work, 'electron');
  await mkdir(electronDist);
  await writeFile(path.join(electronDist, 'electron'), '#!/bin/sh\n');
  await chmod(path.join(electronDist, 'electron'), 0o755);
  const config = { ...builderConfig(), afterPack: null, electronDist, directories: { output: path.join(work, 'dist'), buildResources: 'build' } };
  await build({ projectDir: REPO_ROOT, config, targets: Platform.LINUX.createTarget('dir') });
  resources = path.join(work, 'dist', 'linux-unpacked', 'resources');
  const asar = path.join(resources, 'app.asar');
  listing = new Set(listPackage(asar, { isPack: false }).map((f) => f.split(path.sep).join('/').replace(/^\//, '')));
  header = (getRawHeader(asar) as unknown as { header: AsarEntry }).header;
}, 300_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the packed app (electron-builder, dir target)', () => {
  it('unpacks every runtime file the engine loads by path, where runtimeDir finds it', async () => {
    const unpackedRoot = path.join(resources, 'app.asar.unpacked');
    for (const [key, pattern] of [['wasmBinaries', /\.wasm$/], ['wasmPthread', /\.(js|wasm)$/]] as const) {
      const dir = path.relative(REPO_ROOT, runtimeDir(key)).split(path.sep).join('/');
      const expected = (await readdir(runtimeDir(key))).filter((f) => pattern.test(f));
      expect(expected.length, key).toBeGreaterThan(2);
      const unpacked = await readdir(path.join(unpackedRoot, dir));
      for (const file of expected) {
        expect(unpacked, `${dir}/${file}`).toContain(file);
        expect(entry(`${dir}/${file}`)?.unpacked, `${dir}/${file} marked unpacked in the asar`).toBe(true);
      }
    }
  });

  it('keeps the bundles, the bundled MNIST and the default model inside the asar', () => {
    for (const file of ['out/main/index.js', 'out/main/training-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json', 'resources/models/default/model.json', 'resources/models/default/metadata.json']) {
      expect(listing.has(file), file).toBe(true);
      expect(entry(file)?.unpacked, file).not.toBe(true);
    }
    expect([...listing].filter((f) => f.startsWith('resources/datasets/mnist/') && f.endsWith('.gz')).length).toBe(4);
  });

  it('leaves out tfjs-node, source maps, declarations and the development packages', () => {
    const files = [...listing];
    expect(files.filter((f) => f.includes('tfjs-node'))).toEqual([]);
    expect(files.filter((f) => /\.(map|d\.ts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /^node_modules\/(electron|electron-builder|vitest|svelte|@resvg)\//.test(f))).toEqual([]);
    expect(listing.has('node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js')).toBe(true);
  });
});
