import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '$engine/data/idx';
import { readBoundedFile } from '$engine/ml/model-files';
import type { MirrorFailure } from '$shared/datasets/download';
import type { Fetcher } from './fetcher';
import { MIN_SPEED, speedCheck, type MinSpeed } from './min-speed';
import { describeNetworkError } from './network-reason';

export type { MinSpeed };

/**
 * Fetches one dataset file into place. Bytes stream into `<final>.part` and resume from it with an
 * HTTP Range request; the file is checked (size and SHA-256 of the archive, or SHA-256 of its
 * decompressed bytes, since mirrors recompress) and only then renamed over the final name, so nothing
 * half-written is ever read. Each mirror that fails adds a reason and the next one is tried.
 */

export interface FileToFetch {
  name: string;
  archiveBytes: number;
  archiveSha256: string;
  decompressedSha256?: string;
}

export interface FetchFileOptions {
  fetch: Fetcher;
  file: FileToFetch;
  mirrors: readonly string[];
  finalPath: string;
  signal: AbortSignal;
  /** Bytes on disk so far for this file (partial included), at most a few times a second. */
  onBytes: (received: number) => void;
  /** A mirror failed; the next one is about to be tried. */
  onMirrorFailure: (failure: MirrorFailure) => void;
  /** No byte for this long ends the attempt on this mirror. */
  stallMs?: number;
  /**
   * Fewer bytes than `bytesPerSecond` × window over a whole window ends the attempt too: the stall
   * timer alone restarts at every byte, so a 1-byte-a-second trickle would never end. `now` is the
   * clock the windows are measured on (tests give one that runs fast).
   */
  minSpeed?: MinSpeed;
  /** Cap for the decompressed check, as the readers use. */
  maxDecompressedBytes?: number;
}

export class DownloadCancelledError extends Error {
  override readonly name = 'DownloadCancelledError';
}

export class DownloadFailedError extends Error {
  override readonly name = 'DownloadFailedError';
  constructor(
    readonly file: string,
    readonly failures: MirrorFailure[],
  ) {
    super(
      `${file}: every mirror failed: ` + failures.map((f) => `${f.mirror} (${f.reason})`).join('; '),
    );
  }
}

/** Why one attempt failed, in words for the UI; keepPartial says whether its bytes are still good. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly keepPartial: boolean,
  ) {
    super(message);
  }
}

const gunzipAsync = promisify(gunzip);
/** A mirror that sends no byte for this long is given up for the next. */
const STALL_MS = 30_000;
/**
 * How the partial file is opened: never through a link, never waiting for a FIFO's reader (an error
 * instead). Windows defines neither flag; `?? 0` keeps the others as they are there.
 */
const PART_FLAGS = constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** A recompressed archive is a little larger or smaller than the original; more than this is wrong. */
export function maxAcceptedBytes(file: FileToFetch): number {
  return Math.ceil(file.archiveBytes * 1.25) + 64 * 1024;
}

export async function verifiedFileOk(path: string, file: FileToFetch, maxDecompressedBytes: number): Promise<string | null> {
  const read = await readCandidate(path, maxAcceptedBytes(file));
  if (typeof read === 'string') return read;
  const { bytes } = read;
  const size = bytes.byteLength;
  if (size === file.archiveBytes && createHash('sha256').update(bytes).digest('hex') === file.archiveSha256) return null;
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return `is not gzip (it starts with ${hexStart(bytes)})`;
  // Without the contents' checksum, only the original archive itself can be trusted.
  if (file.decompressedSha256 === undefined) {
    return size === file.archiveBytes
      ? 'has the wrong SHA-256 (the archive does not match the catalog)'
      : `is ${size} bytes, not the ${file.archiveBytes} of the catalog's archive`;
  }
  let raw: Uint8Array;
  try {
    raw = await gunzipAsync(bytes, { maxOutputLength: maxDecompressedBytes });
  } catch {
    return 'is a corrupt or truncated gzip archive';
  }
  const sha = createHash('sha256').update(raw).digest('hex');
  if (sha !== file.decompressedSha256) {
    return `has the wrong SHA-256 (neither the archive nor its contents match the catalog: ${sha.slice(0, 12)}…)`;
  }
  return null;
}

export async function fetchFile(opts: FetchFileOptions): Promise<void> {
  const maxDecompressed = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  // A good copy already in place is kept; a corrupt one is fetched again.
  if ((await verifiedFileOk(opts.finalPath, opts.file, maxDecompressed)) === null) {
    opts.onBytes((await stat(opts.finalPath)).size);
    return;
  }
  const failures: MirrorFailure[] = [];
  const partPath = `${opts.finalPath}.part`;
  for (const mirror of opts.mirrors) {
    if (opts.signal.aborted) throw new DownloadCancelledError('cancelled');
    const url = new URL(opts.file.name, mirror).href;
    try {
      await attempt(opts, url, partPath);
      const problem = await verifiedFileOk(partPath, opts.file, maxDecompressed);
      if (problem !== null) throw new AttemptError(`the file ${problem}`, false);
      await rename(partPath, opts.finalPath);
      return;
    } catch (err) {
      if (opts.signal.aborted) throw new DownloadCancelledError('cancelled');
      const attemptErr = err instanceof AttemptError ? err : null;
      if (!attemptErr?.keepPartial) await rm(partPath, { recursive: true, force: true });
      const failure = { mirror, file: opts.file.name, reason: attemptErr?.message ?? describeNetworkError(err) };
      failures.push(failure);
      opts.onMirrorFailure(failure);
    }
  }
  throw new DownloadFailedError(opts.file.name, failures);
}

async function attempt(opts: FetchFileOptions, url: string, partPath: string): Promise<void> {
  const limit = maxAcceptedBytes(opts.file);
  let have = await partialSize(partPath);
  if (have > limit) {
    await rm(partPath, { force: true });
    have = 0;
  }
  const stallMs = opts.stallMs ?? STALL_MS;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  opts.signal.addEventListener('abort', onAbort);
  let stalled = false;
  let timer = setTimeout(() => ((stalled = true), controller.abort()), stallMs);
  const poke = () => {
    clearTimeout(timer);
    timer = setTimeout(() => ((stalled = true), controller.abort()), stallMs);
  };
  try {
    const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
    const response = await opts.fetch(url, { headers, signal: controller.signal });
    poke();
    let append = false;
    if (response.status === 206 && have > 0) {
      const range = response.headers.get('content-range') ?? '';
      if (!range.startsWith(`bytes ${have}-`)) {
        throw new AttemptError(`answered a resume with the wrong range (${range.slice(0, 60) || 'none'})`, false);
      }
      append = true;
    } else if (response.status === 416) {
      throw new AttemptError('refused to resume (HTTP 416); the partial file is dropped', false);
    } else if (response.status !== 200) {
      throw new AttemptError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText.slice(0, 60)}` : ''}`, true);
    }
    const type = response.headers.get('content-type') ?? '';
    if (/text\/html/i.test(type)) throw new AttemptError('served an HTML page instead of the gzip file', true);
    if (response.body === null) throw new AttemptError('sent no body', true);
    // A 200 to a Range request means the server ignored it: start over.
    const handle = await openPart(partPath, append);
    let received = append ? have : 0;
    const declared = declaredTotal(response, append ? have : 0);
    let first = !append;
    let lastReport = 0;
    const speed = speedCheck(opts.minSpeed ?? MIN_SPEED, received);
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        poke();
        const slow = speed(received + chunk.length);
        if (slow !== null) throw new AttemptError(slow, true);
        if (first && chunk.length > 0) {
          first = false;
          if (chunk[0] !== 0x1f || (chunk.length > 1 && chunk[1] !== 0x8b)) {
            throw new AttemptError(`sent something that is not gzip (it starts with ${hexStart(chunk)})`, false);
          }
        }
        received += chunk.length;
        if (received > limit) throw new AttemptError(`sent more than the ${opts.file.archiveBytes} bytes expected`, false);
        await handle.write(chunk);
        const now = Date.now();
        if (now - lastReport >= 100) {
          lastReport = now;
          opts.onBytes(received);
        }
      }
    } catch (err) {
      if (err instanceof AttemptError || opts.signal.aborted || stalled) throw err;
      // What arrived is a good prefix: the next mirror resumes from it.
      throw new AttemptError(`the connection was cut after ${received} bytes`, true);
    } finally {
      await handle.close();
      opts.onBytes(received);
    }
    if (declared !== null && received < declared) {
      throw new AttemptError(`the body ended early: ${received} of ${declared} bytes`, true);
    }
  } catch (err) {
    if (stalled && !opts.signal.aborted) {
      throw new AttemptError(`stalled: no data for ${Math.round(stallMs / 100) / 10} s`, true);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onAbort);
  }
}
/** The whole file's size as the server states it (Content-Range total, or offset + Content-Length). */
function declaredTotal(response: Response, offset: number): number | null {
  const total = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (total) return Number(total[1]);
  const length = Number(response.headers.get('content-length') ?? NaN);
  return Number.isFinite(length) ? offset + length : null;
}
/**
 * The bytes already in the partial file. Anything else at its name (a FIFO, a link, a folder) is
 * removed, not followed: the name is our own, in our datasets folder, and the download starts afresh.
 */
async function partialSize(path: string): Promise<number> {
  const info = await lstat(path).catch(() => null);
  if (info === null) return 0;
  if (info.isFile()) return info.size;
  await rm(path, { recursive: true, force: true });
  return 0;
}

/** The partial file, to append to or start over, checked on the handle: whatever was swapped in meanwhile is refused. */
async function openPart(path: string, append: boolean): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, PART_FLAGS | (append ? constants.O_APPEND : constants.O_TRUNC));
  } catch (err) {
    throw new AttemptError(`could not write the partial file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, false);
  }
  const regular = await handle.stat().then((info) => info.isFile(), () => false);
  if (regular) return handle;
  await handle.close();
  throw new AttemptError('could not write the partial file (not a regular file)', false);
}

/** The file's bytes, read as a bounded regular file (a FIFO put in the cache answers at once), or why it is not a candidate. */
async function readCandidate(path: string, maxBytes: number): Promise<{ bytes: Uint8Array } | string> {
  try {
    return { bytes: await readBoundedFile(path, maxBytes) };
  } catch (error) {
    const { code, size } = error as NodeJS.ErrnoException & { size?: number };
    if (code === 'ENOTFILE') return 'is not a regular file';
    if (code === 'ETOOBIG') return `is ${size} bytes, more than the ${maxBytes} accepted`;
    return 'is missing';
  }
}

function hexStart(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
