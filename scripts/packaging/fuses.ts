import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

/**
 * The Electron fuses every package gets, flipped in the binary after packing and before signing.
 * An offline learning app has no use for Electron as a general Node runtime or debugger, and its code
 * must come from its own asar only.
 */
export function fuseConfig(platform: string, arch: string): FuseV1Config {
  return {
    version: FuseVersion.V1,
    // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node for any script.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // electron-builder writes the asar's hash into Info.plist on macOS only; switching this on where no
    // hash is embedded would stop the app at launch.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The window is served from app://, never file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    // Flipping fuses breaks the ad-hoc signature Apple silicon needs to launch an unsigned build.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
  };
}

/** The Electron executable inside a packed app folder. */
export function electronBinary(appOutDir: string, platform: string, productFilename: string, linuxExecutable: string | undefined): string {
  if (platform === 'darwin' || platform === 'mas') return path.join(appOutDir, `${productFilename}.app`, 'Contents', 'MacOS', productFilename);
  if (platform === 'win32') return path.join(appOutDir, `${productFilename}.exe`);
  if (linuxExecutable === undefined) throw new Error(`no executable name for ${platform}`);
  return path.join(appOutDir, linuxExecutable);
}

/** The subset of electron-builder's AfterPackContext this hook reads. */
export interface PackedApp {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's Arch enum: 0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal. */
  arch: number;
  /** executableName exists on electron-builder's Linux packager only. */
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** electron-builder's afterPack hook: flips the fuses of the packed binary. */
export async function afterPack(context: PackedApp, flip: typeof flipFuses = flipFuses): Promise<void> {
  const platform = context.electronPlatformName;
  const binary = electronBinary(context.appOutDir, platform, context.packager.appInfo.productFilename, context.packager.executableName);
  await flip(binary, fuseConfig(platform, ARCH_NAMES[context.arch] ?? 'unknown'));
}
