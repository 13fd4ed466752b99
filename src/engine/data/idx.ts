import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DatasetError } from './dataset-error';

/**
 * Reader for IDX files (LeCun's MNIST format), plain or gzip-compressed. Header: two zero bytes, a
 * dtype byte, a rank byte, then `rank` big-endian uint32 dimensions, then the row-major payload.
 * Every way a downloaded or hand-copied file can be broken becomes a DatasetError in plain words.
 */

export type IdxKind = 'images' | 'labels';

export interface IdxArray {
  dims: number[];
  /** The payload, as a view on the (decompressed) bytes: no copy. */
  data: Uint8Array;
  /** The whole decompressed file, header included (what a decompressed SHA-256 is taken over). */
  bytes: Uint8Array;
}

export interface ParseIdxOptions {
  /** Path or name used in error messages. */
  file: string;
  /** What the caller expects; images must be rank 3 (count × rows × cols), labels rank 1. */
  kind?: IdxKind;
  /** The number of items the file must declare (a catalog split's size), checked when given. */
  count?: number;
}

export interface ReadIdxOptions extends ParseIdxOptions {
  /** Cap on the gunzipped size, so a tiny crafted archive cannot exhaust memory. */
  maxDecompressedBytes?: number;
  /** Hex SHA-256 of the decompressed IDX bytes (header included). */
  expectedSha256?: string;
}

/** Comfortably above MNIST-style train images (47 MB) yet far below what would strain the app. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

const UNSIGNED_BYTE = 0x08;
const DTYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: '16-bit integer',
  0x0c: '32-bit integer',
  0x0d: '32-bit float',
  0x0e: '64-bit float',
};
const RANK_OF: Readonly<Record<IdxKind, number>> = { images: 3, labels: 1 };
const SHAPE_OF: Readonly<Record<IdxKind, string>> = {
  images: 'count × rows × cols',
  labels: 'count',
};

const gunzipAsync = promisify(gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a whole IDX file: gunzips if needed, validates the header and payload, checks the hash. */
export async function readIdx(bytes: Uint8Array, opts: ReadIdxOptions): Promise<IdxArray> {
  if (bytes.length === 0) throw new DatasetError(opts.file, 'the file is empty (0 bytes)');
  const gzipped = isGzip(bytes);
  const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const raw = gzipped ? await gunzipBounded(bytes, opts.file, cap) : bytes;
  if (gzipped && raw.length === 0) {
    throw new DatasetError(opts.file, 'the gzip archive decompresses to nothing');
  }
  // Structure first: a specific complaint ("declared 60000 images…") beats a bare hash mismatch.
  const parsed = parseIdx(raw, { ...opts, gzipped });
  if (opts.expectedSha256 !== undefined) checkSha256(raw, opts.expectedSha256, opts.file);
  return parsed;
}

/** Parses decompressed IDX bytes. Synchronous and copy-free, so a bench can time it on its own. */
export function parseIdx(raw: Uint8Array, opts: ParseIdxOptions & { gzipped?: boolean }): IdxArray {
  const { dims, headerBytes } = parseIdxHeader(raw, opts);
  const payload = raw.length - headerBytes;
  checkPayload(dims, payload, opts);
  return { dims, data: new Uint8Array(raw.buffer, raw.byteOffset + headerBytes, payload), bytes: raw };
}

/** The magic number and dimensions; `raw` needs to hold only the header. */
function parseIdxHeader(
  raw: Uint8Array,
  opts: ParseIdxOptions & { gzipped?: boolean },
): { dims: number[]; headerBytes: number } {
  const { file, kind } = opts;
  const fail = (problem: string): never => {
    throw new DatasetError(file, problem);
  };
  const what = opts.gzipped ? 'the decompressed data' : 'the file';
  if (raw.length >= 2 && (raw[0] !== 0 || raw[1] !== 0)) {
    fail(
      opts.gzipped
        ? `the gzip archive does not hold IDX data: it starts with ${hex(raw, 4)}, ` +
            'but an IDX magic number starts with 00 00'
        : `not gzip and not IDX: the file starts with ${hex(raw, 4)}, ` +
            'but gzip starts with 1f 8b and an IDX magic number with 00 00',
    );
  }
  if (raw.length < 4) {
    fail(`${what} is too short to be IDX (${raw.length} bytes, the magic number alone takes 4)`);
  }

  const dtype = raw[2];
  if (dtype !== UNSIGNED_BYTE) {
    const name = DTYPE_NAMES[dtype];
    fail(
      name === undefined
        ? `unknown IDX data type 0x${hex1(dtype)} in the magic number ${hex(raw, 4)}; ` +
            'only 0x08 (unsigned byte) is supported'
        : `IDX data type is 0x${hex1(dtype)} (${name}); only 0x08 (unsigned byte) is supported`,
    );
  }

  const rank = raw[3];
  if (rank === 0) fail('IDX rank is 0: the header declares no dimensions');
  if (kind !== undefined && rank !== RANK_OF[kind]) {
    const hint =
      rank === 3 ? ' (is this an images file?)' : rank === 1 ? ' (is this a labels file?)' : '';
    fail(
      `expected ${kind}, rank ${RANK_OF[kind]} (${SHAPE_OF[kind]}), ` +
        `but the IDX header declares rank ${rank}${hint}`,
    );
  }

  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    fail(
      `the IDX header is truncated: rank ${rank} needs ${headerBytes} header bytes ` +
        `but ${what} has ${raw.length}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, headerBytes);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (dims.includes(0)) fail(`the IDX header declares a zero size: ${dims.join(' × ')}`);
  if (opts.count !== undefined && dims[0] !== opts.count) {
    fail(`the IDX header declares ${dims[0]} ${kind ?? 'items'}, but this split has ${opts.count}`);
  }
  return { dims, headerBytes };
}

/** Fails unless the header's dimensions account for exactly `payload` bytes after the header. */
function checkPayload(dims: number[], payload: number, opts: ParseIdxOptions): void {
  const count = dims[0];
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  // A float product is exact up to 2^53; beyond that it is certainly larger than any real payload.
  if (count * itemBytes !== payload) {
    const noun = opts.kind ?? 'items';
    const held = Math.floor(payload / itemBytes);
    const stray = payload % itemBytes;
    const shape = dims.length > 1 ? ` of ${dims.slice(1).join('×')}` : '';
    throw new DatasetError(
      opts.file,
      `declared ${count} ${noun}${shape} but the data holds ${held}` +
        (stray > 0 ? ` and ${stray} stray byte${stray === 1 ? '' : 's'}` : ''),
    );
  }
}

/**
 * For a raw (not gzipped) file: checks its header against its size on disk from the first bytes
 * alone, so a file whose header and size disagree is refused before it is read.
 */
export function checkIdxHead(head: Uint8Array, fileBytes: number, opts: ParseIdxOptions): void {
  if (isGzip(head)) return; // the gunzip cap bounds these, and the header is checked once inflated
  const { dims, headerBytes } = parseIdxHeader(head, opts);
  checkPayload(dims, fileBytes - headerBytes, opts);
}


export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Fails unless the whole decompressed file hashes to `expected` (hex, either case). */
export function checkSha256(raw: Uint8Array, expected: string, file: string): void {
  const actual = sha256Hex(raw);
  if (actual !== expected.toLowerCase()) {
    throw new DatasetError(
      file,
      `SHA-256 checksum mismatch: the IDX data hashes to ${actual}, ` +
        `expected ${expected.toLowerCase()} (corrupt or a different file)`,
    );
  }
}

async function gunzipBounded(
  bytes: Uint8Array,
  file: string,
  maxBytes: number,
): Promise<Uint8Array> {
  try {
    // zlib stops inflating once maxOutputLength is passed, so a bomb never gets allocated in full.
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    throw new DatasetError(file, describeGunzipError(err, maxBytes), { cause: err });
  }
}

function describeGunzipError(err: unknown, maxBytes: number): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_BUFFER_TOO_LARGE') {
    return (
      `decompresses to more than ${formatBytes(maxBytes)}, the limit ` +
      '(refusing a possible decompression bomb)'
    );
  }
  if (code === 'Z_BUF_ERROR') {
    return 'the gzip archive is truncated (unexpected end of file): re-download it';
  }
  if (message === 'incorrect data check') {
    return 'gzip CRC check failed: the archive is corrupt, re-download it';
  }
  if (message === 'incorrect length check') {
    return 'gzip length check failed: the archive is corrupt, re-download it';
  }
  return `the gzip archive is corrupt (${message})`;
}

function formatBytes(n: number): string {
  const mib = 1024 * 1024;
  return n % mib === 0 ? `${n / mib} MiB` : `${n} bytes`;
}

function hex1(byte: number): string {
  return byte.toString(16).padStart(2, '0').toUpperCase();
}

function hex(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
