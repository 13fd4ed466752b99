import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { DatasetError } from './dataset-error';

/**
 * Reads a dataset file whole, but only when it is a regular file of a sane size. Probing found that a
 * FIFO hangs a plain readFile, a symlink to /dev/zero reads without end and a huge raw file is read
 * whole before any check; here the path is resolved, opened without blocking, checked with fstat on
 * the open handle (so a swap after the check cannot sneak past it), and read for exactly the size
 * fstat gave, never more.
 */

export interface ReadRegularFileOptions {
  /** What the file should be, for messages: 'an IDX images file (gzip or raw)'. */
  expected: string;
  /** Files larger than this are refused before a byte of them is read. */
  maxBytes: number;
  /**
   * Sees the first bytes (up to HEAD_BYTES) and the file's size before the rest is read, so a header
   * that disagrees with the size fails without the file being loaded. Throws to refuse.
   */
  checkHead?: (head: Uint8Array, size: number) => void;
}

/** Enough for any IDX header (4 + 4 × 255 bytes). */
export const HEAD_BYTES = 1024;

export async function readRegularFile(file: string, opts: ReadRegularFileOptions): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(file, opts.expected);
  try {
    const head = await readExactly(handle, file, 0, Math.min(size, HEAD_BYTES));
    opts.checkHead?.(head, size);
    checkSize(file, size, opts.maxBytes, opts.expected);
    if (size === head.length) return head;
    const whole = new Uint8Array(size);
    whole.set(head);
    await readInto(handle, file, whole, head.length);
    return whole;
  } finally {
    await handle.close();
  }
}

/**
 * Opens `file` for reading only if it resolves to a non-empty regular file; the caller closes the
 * handle (and reads at most `size` bytes, which fstat gave on this very handle).
 */
export async function openRegularFile(file: string, expected: string): Promise<{ handle: FileHandle; size: number }> {
  let real: string;
  try {
    real = await realpath(file);
  } catch (err) {
    throw fileSystemError(file, err, expected);
  }
  const via = real === file ? '' : ` (it resolves to ${real})`;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fileSystemError(file, err, expected);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new DatasetError(file, `is ${kindOf(stats)}${via}, not a regular file; expected ${expected}`);
    if (stats.size === 0) throw new DatasetError(file, 'the file is empty (0 bytes)');
    return { handle, size: stats.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

export function checkSize(file: string, size: number, maxBytes: number, expected: string): void {
  if (size > maxBytes) {
    throw new DatasetError(
      file,
      `is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} a dataset file may take; expected ${expected}`,
    );
  }
}

async function readExactly(handle: FileHandle, file: string, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  await readInto(handle, file, bytes, position);
  return bytes;
}

/** Fills `into` from `from` to its end; a file that shrinks meanwhile is an error, not a short read. */
async function readInto(handle: FileHandle, file: string, into: Uint8Array, from: number): Promise<void> {
  let offset = from;
  while (offset < into.length) {
    const { bytesRead } = await handle.read(into, offset, into.length - offset, offset);
    if (bytesRead === 0) {
      throw new DatasetError(file, `the file shrank while being read (${offset} of ${into.length} bytes)`);
    }
    offset += bytesRead;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function fileSystemError(file: string, err: unknown, expected: string): DatasetError {
  const code = (err as { code?: unknown }).code;
  const problem =
    code === 'ENOENT'
      ? `file not found: expected ${expected} here`
      : code === 'EISDIR'
        ? `is a directory, not a regular file; expected ${expected}`
        : code === 'ELOOP'
          ? `is a symbolic link loop; expected ${expected}`
          : code === 'EACCES' || code === 'EPERM'
            ? `cannot be read: permission denied`
            : `cannot be read (${err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200)})`;
  return new DatasetError(file, problem, { cause: err });
}

export function formatBytes(n: number): string {
  const mib = 1024 * 1024;
  if (n >= 1024 * mib) return `${(n / (1024 * mib)).toFixed(1)} GiB`;
  if (n >= mib) return n % mib === 0 ? `${n / mib} MiB` : `${(n / mib).toFixed(1)} MiB`;
  return `${n} bytes`;
}
