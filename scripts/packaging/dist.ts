/**
 * `npm run dist`: the installable packages of this platform (AppImage and deb on Linux, dmg for x64 and
 * arm64 on macOS, NSIS on Windows), in dist/. electron-builder fetches the Electron build and its
 * packaging tools on first use, so this needs internet once (README "Install").
 * MLP_LAB_BUNDLE_NATIVE=1 ships tfjs-node's native library too (see builder-config.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'electron-builder';
import { BUILD_RESOURCES, builderConfig } from './builder-config';

const root = path.resolve(import.meta.dirname, '../..');
for (const file of ['out/main/index.js', `${BUILD_RESOURCES}/icon.png`, `${BUILD_RESOURCES}/icon.icns`, `${BUILD_RESOURCES}/icon.ico`]) {
  if (!existsSync(path.join(root, file))) {
    console.error(`npm run dist: ${file} is missing; run npm run build (and npm run icons for the icons) first.`);
    process.exit(1);
  }
}
const config = builderConfig({ bundleNative: process.env.MLP_LAB_BUNDLE_NATIVE === '1' });
build({ projectDir: root, config }).then(
  (files) => console.log(`npm run dist: made\n${files.map((f) => `  ${path.relative(root, f)}`).join('\n')}`),
  (error: unknown) => {
    console.error('npm run dist failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
