import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asarUnpackPatterns, packageRoot, runtimeDir, unpackedPath } from '$engine/runtime-files';

describe('runtime files', () => {
  it('maps a path inside app.asar to its unpacked copy, and leaves other paths alone', () => {
    expect(unpackedPath('/opt/MLP Lab/resources/app.asar/node_modules/x/dist')).toBe('/opt/MLP Lab/resources/app.asar.unpacked/node_modules/x/dist');
    expect(unpackedPath('C:\\MLP Lab\\resources\\app.asar\\node_modules\\x')).toBe('C:\\MLP Lab\\resources\\app.asar.unpacked\\node_modules\\x');
    expect(unpackedPath('/home/me/clone/node_modules/x')).toBe('/home/me/clone/node_modules/x');
    // Only a folder named exactly app.asar.
    expect(unpackedPath('/tmp/my-app.asar/x')).toBe('/tmp/my-app.asar/x');
    expect(unpackedPath('/tmp/app.asar.unpacked/x')).toBe('/tmp/app.asar.unpacked/x');
  });

  it("finds a package's root from its resolved entry, and refuses a file outside it", () => {
    const entry = path.join('/a', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', 'index.js');
    expect(packageRoot('@tensorflow/tfjs-backend-wasm', entry)).toBe(path.join('/a', 'node_modules', '@tensorflow', 'tfjs-backend-wasm'));
    expect(() => packageRoot('@tensorflow/tfjs-node', entry)).toThrow(/not inside node_modules\/@tensorflow\/tfjs-node/);
  });

  it('resolves each folder through the unpacked copy when the package sits in an asar', () => {
    const resolveInAsar = (id: string): string => path.join('/opt/app/resources/app.asar/node_modules', id, 'dist', 'index.js');
    expect(runtimeDir('wasmBinaries', resolveInAsar)).toBe(path.join('/opt/app/resources/app.asar.unpacked/node_modules/@tensorflow/tfjs-backend-wasm/dist'));
    expect(runtimeDir('wasmPthread', resolveInAsar)).toBe(path.join('/opt/app/resources/app.asar.unpacked/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out'));
  });

  it('gives electron-builder one pattern per entry, relative to the app folder', () => {
    expect(asarUnpackPatterns()).toEqual([
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
      'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/*',
      'node_modules/@tensorflow/tfjs-node/**/*',
    ]);
  });
});
