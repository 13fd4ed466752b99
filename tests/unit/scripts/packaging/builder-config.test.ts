import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { minimatch } from 'minimatch';
import { describe, expect, it, vi } from 'vitest';
import { RUNTIME_FILES, runtimeDir } from '$engine/runtime-files';
import { pthreadScriptSource, wasmOutDir } from '$engine/ml/wasm-threads';
import { FILE_TYPES } from '$shared/file-types';
import { builderConfig } from '$scripts/packaging/builder-config';
import { afterPack, fuseConfig } from '$scripts/packaging/fuses';
import { REPO_ROOT } from '$tests/helpers/datasets';

const resolve = createRequire(import.meta.url).resolve;
const config = builderConfig();
const unpack = [config.asarUnpack].flat().filter((p): p is string => typeof p === 'string');
const files = [config.files].flat().filter((p): p is string => typeof p === 'string');

/** The path electron-builder matches a packed file by: relative to the app folder, with slashes. */
const inApp = (file: string): string => path.relative(REPO_ROOT, file).split(path.sep).join('/');
const unpacked = (file: string): boolean => unpack.some((pattern) => minimatch(inApp(file), pattern, { dot: true }));
/**
 * electron-builder's files: production packages are in unless excluded, the rest only when a pattern
 * includes them; the last pattern that matches decides, a leading ! excludes.
 */
function packed(file: string): boolean {
  let included = inApp(file).startsWith('node_modules/');
  for (const pattern of files) {
    const negated = pattern.startsWith('!');
    if (minimatch(inApp(file), negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated;
  }
  return included;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe('packaging config', () => {
  it('makes AppImage and deb on Linux, dmg for x64 and arm64 on macOS, NSIS on Windows', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.asar).toBe(true);
    expect(config.publish).toBeNull();
  });

  it('associates the model bundle and lesson extensions', () => {
    expect(config.fileAssociations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ext: FILE_TYPES.model.ext }),
        expect.objectContaining({ ext: FILE_TYPES.lesson.ext }),
      ]),
    );
  });

  it('unpacks every wasm binary the wasm backend can read, from the folder the engine points it at', () => {
    const dir = runtimeDir('wasmBinaries', resolve);
    // The three builds tfjs-backend-wasm picks from (plain, SIMD, threaded SIMD).
    for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      const file = path.join(dir, name);
      expect(statSync(file).isFile(), name).toBe(true);
      expect(unpacked(file), name).toBe(true);
    }
  });

  it('unpacks the pthread worker script and the factory it requires by path', () => {
    expect(wasmOutDir()).toBe(runtimeDir('wasmPthread', resolve));
    const required = [...pthreadScriptSource().matchAll(/"(\/[^"]+\.js)"/g)].map((m) => m[1]);
    expect(required.length).toBe(2);
    for (const file of required) expect(unpacked(file), file).toBe(true);
    for (const file of walk(wasmOutDir())) expect(unpacked(file), file).toBe(true);
  });

  it("unpacks every file of tfjs-node's package when it is bundled", () => {
    const pattern = unpack.find((p) => p.includes(RUNTIME_FILES.tfjsNode.package));
    expect(pattern).toBeDefined();
    const root = path.join(REPO_ROOT, 'node_modules', RUNTIME_FILES.tfjsNode.package);
    for (const file of ['lib/napi-v8/tfjs_binding.node', 'deps/lib/libtensorflow.so.2', 'package.json']) {
      expect(unpacked(path.join(root, file)), file).toBe(true);
    }
    // Left out of the default packages (measured: README "Install"), in with bundleNative.
    expect(packed(path.join(root, 'package.json'))).toBe(false);
    const withNative = builderConfig({ bundleNative: true });
    expect([withNative.files].flat().some((p) => typeof p === 'string' && p.includes('tfjs-node'))).toBe(false);
  });

  it('unpacks nothing else: the bundles and the resources stay in the asar', () => {
    expect(unpack).toHaveLength(Object.keys(RUNTIME_FILES).length);
    expect(unpacked(path.join(REPO_ROOT, 'out/main/index.js'))).toBe(false);
    expect(unpacked(path.join(REPO_ROOT, 'out/main/training-worker.js'))).toBe(false);
  });

  it('packs the bundled MNIST and the default model, and no source maps', () => {
    const resources = walk(path.join(REPO_ROOT, 'resources'));
    expect(resources.some((f) => f.includes(`${path.sep}mnist${path.sep}`))).toBe(true);
    for (const file of resources) expect(packed(file), inApp(file)).toBe(true);
    expect(packed(path.join(REPO_ROOT, 'out/main/index.js'))).toBe(true);
    expect(packed(path.join(REPO_ROOT, 'out/main/index.js.map'))).toBe(false);
    expect(packed(path.join(REPO_ROOT, 'src/main/index.ts'))).toBe(false);
  });

  it("leaves packages' maps, declarations and docs out, never what Node loads", () => {
    const wasmDist = path.join(REPO_ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    expect(packed(path.join(wasmDist, 'tf-backend-wasm.node.js.map'))).toBe(false);
    expect(packed(path.join(wasmDist, 'index.d.ts'))).toBe(false);
    expect(packed(path.join(REPO_ROOT, 'node_modules/zod/README.md'))).toBe(false);
    expect(packed(path.join(wasmDist, 'tf-backend-wasm.node.js'))).toBe(true);
    expect(packed(path.join(wasmDist, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    expect(packed(path.join(REPO_ROOT, 'node_modules/zod/LICENSE'))).toBe(true);
  });
});

describe('fuses', () => {
  /** Each fuse on Linux: on (true) or off; both the config and the wire a binary gets must say so. */
  const LINUX_FUSES: [FuseV1Options, boolean][] = [
    [FuseV1Options.RunAsNode, false],
    [FuseV1Options.EnableCookieEncryption, true],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
    [FuseV1Options.EnableNodeCliInspectArguments, false],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, false],
    [FuseV1Options.OnlyLoadAppFromAsar, true],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
  ];

  it('turns RunAsNode, NODE_OPTIONS and --inspect off and loads the app from its asar only', () => {
    const fuses = fuseConfig('linux', 'x64');
    expect(fuses.version).toBe(FuseVersion.V1);
    for (const [fuse, on] of LINUX_FUSES) expect(fuses[fuse], FuseV1Options[fuse]).toBe(on);
    expect(fuseConfig('darwin', 'arm64')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
  });

  it("the afterPack hook flips them on each platform's Electron binary", async () => {
    const flip = vi.fn(async (_binary: string, _fuses: unknown) => 0);
    const packager = { appInfo: { productFilename: 'MLP Lab' }, executableName: 'mlp-lab' };
    await afterPack({ appOutDir: '/o/linux', electronPlatformName: 'linux', arch: 1, packager }, flip);
    await afterPack({ appOutDir: '/o/mac', electronPlatformName: 'darwin', arch: 3, packager }, flip);
    await afterPack({ appOutDir: '/o/win', electronPlatformName: 'win32', arch: 1, packager }, flip);
    expect(flip.mock.calls.map((call) => call[0])).toEqual([
      path.join('/o/linux', 'mlp-lab'),
      path.join('/o/mac', 'MLP Lab.app', 'Contents', 'MacOS', 'MLP Lab'),
      path.join('/o/win', 'MLP Lab.exe'),
    ]);
    expect(flip.mock.calls[1][1]).toEqual(fuseConfig('darwin', 'arm64'));
  });

  it('writes them into the fuse wire of a binary as @electron/fuses reads it back', async () => {
    // A stand-in for the Electron executable: its fuse wire is a sentinel, the wire's version (1), its
    // length, then one byte per fuse ('0' off, '1' on). This machine has no Electron binary.
    const dir = await mkdtemp(path.join(tmpdir(), 'mlp-lab-fuses-'));
    try {
      const wire = Buffer.concat([Buffer.from('\x7fELF padding '), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10111000'), Buffer.from(' tail')]);
      await writeFile(path.join(dir, 'mlp-lab'), wire);
      await afterPack({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'MLP Lab' }, executableName: 'mlp-lab' } });
      const fuses = await getCurrentFuseWire(path.join(dir, 'mlp-lab'));
      // The wire's bytes: '1' (49) on, '0' (48) off.
      for (const [fuse, on] of LINUX_FUSES) expect(fuses[fuse], FuseV1Options[fuse]).toBe(on ? 49 : 48);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
