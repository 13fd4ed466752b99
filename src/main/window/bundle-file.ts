import { constants } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import path from 'node:path';

/** The largest file app:// serves. The built bundle's biggest chunk is a few MiB (TensorFlow.js). */
export const MAX_BUNDLE_FILE_BYTES = 64 * 1024 * 1024;

export type BundleFile =
  | { kind: 'file'; body: Buffer }
  /** No file there: missing, a folder (the bundle has no listings), a broken or looping link. */
  | { kind: 'missing' }
  /** Something is there but app:// must not serve it; `reason` names the file for the log. */
  | { kind: 'forbidden'; reason: string };

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever, pinning a libuv
// thread. O_NOFOLLOW: the path is already real, so a link in its place now was swapped in since.
// Neither exists on Windows, which has no FIFOs in the file system.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  // '..foo' is a fine file name; only '..' itself as the first segment leaves the root.
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * Reads filePath (already checked by resolveBundlePath to lie under rendererDir by name) only if its
 * real location, after every symlink, is still inside rendererDir's real location, it is a regular
 * file, and it is at most maxBytes long. Both sides are made real so a bundle that is itself reached
 * through a link (macOS /var, a symlinked install) still works.
 */
export async function readBundleFile(
  rendererDir: string,
  filePath: string,
  maxBytes: number = MAX_BUNDLE_FILE_BYTES,
): Promise<BundleFile> {
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = await realpath(rendererDir);
    realFile = await realpath(filePath);
  } catch {
    return { kind: 'missing' };
  }
  if (!isInside(realRoot, realFile)) {
    return { kind: 'forbidden', reason: `${filePath} resolves to ${realFile}, outside the bundle ${realRoot}` };
  }

  let handle: FileHandle;
  try {
    handle = await open(realFile, OPEN_FLAGS);
  } catch {
    return { kind: 'missing' };
  }
  try {
    // fstat of the open file, not a stat of the path: what is checked is what gets read.
    const stats = await handle.stat();
    if (stats.isDirectory()) return { kind: 'missing' };
    if (!stats.isFile()) return { kind: 'forbidden', reason: `${filePath} is not a regular file` };
    if (stats.size > maxBytes) {
      return { kind: 'forbidden', reason: `${filePath} is ${stats.size} bytes, over the ${maxBytes}-byte limit` };
    }
    // Never more than the size checked above, even if the file grows while it is read.
    const body = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < body.length) {
      const { bytesRead } = await handle.read(body, filled, body.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { kind: 'file', body: body.subarray(0, filled) };
  } catch {
    return { kind: 'missing' };
  } finally {
    // A failed close of a read-only descriptor loses nothing worth reporting.
    await handle.close().catch(() => undefined);
  }
}
