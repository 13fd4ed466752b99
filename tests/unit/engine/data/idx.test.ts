import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '$engine/data/dataset-error';
import { readIdx, type ReadIdxOptions } from '$engine/data/idx';

const FILE = 'train-images-idx3-ubyte.gz';

/** Builds IDX bytes; `payload` defaults to exactly what the dims declare, filled with a ramp. */
function idx(dims: number[], opts: { dtype?: number; payload?: number } = {}): Uint8Array {
  const count = opts.payload ?? dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + count);
  out[2] = opts.dtype ?? 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) out[4 + 4 * dims.length + i] = (i * 7) % 256;
  return out;
}

/** Reads `bytes` as FILE and asserts a DatasetError naming FILE and matching `problem`. */
async function rejects(
  bytes: Uint8Array,
  problem: RegExp,
  opts: Omit<ReadIdxOptions, 'file'> = {},
): Promise<DatasetError> {
  const err = await readIdx(bytes, { file: FILE, ...opts }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetError);
  const e = err as DatasetError;
  expect(e.file).toBe(FILE);
  expect(e.message.startsWith(`${FILE}: `)).toBe(true);
  expect(e.message).toMatch(problem);
  return e;
}

describe('readIdx happy paths', () => {
  it('reads raw IDX images as a view on the input (no copy)', async () => {
    const raw = idx([3, 2, 4]);
    const { dims, data } = await readIdx(raw, { file: FILE, kind: 'images' });
    expect(dims).toEqual([3, 2, 4]);
    expect(Array.from(data)).toEqual(Array.from(raw.subarray(16)));
    expect(data.buffer).toBe(raw.buffer);
    expect(data.byteOffset).toBe(16);
  });

  it('reads gzipped IDX labels and round-trips exactly', async () => {
    const raw = idx([5]);
    const { dims, data } = await readIdx(gzipSync(raw), { file: FILE, kind: 'labels' });
    expect(dims).toEqual([5]);
    expect(Array.from(data)).toEqual([0, 7, 14, 21, 28]);
  });

  it('accepts a matching SHA-256 of the decompressed bytes, in either case', async () => {
    const raw = idx([2, 2, 2]);
    const sha = createHash('sha256').update(raw).digest('hex').toUpperCase();
    const read = readIdx(gzipSync(raw), { file: FILE, expectedSha256: sha });
    await expect(read).resolves.toBeDefined();
  });

  it('accepts output just under the decompression cap', async () => {
    const raw = idx([2048, 32, 32]); // 2 MiB + 16 bytes
    const cap = 4 * 1024 * 1024;
    const { data } = await readIdx(gzipSync(raw), { file: FILE, maxDecompressedBytes: cap });
    expect(data.length).toBe(2048 * 32 * 32);
  });
});

describe('readIdx rejects broken files', () => {
  it('empty file', async () => {
    await rejects(new Uint8Array(0), /empty/);
  });

  it('truncated gzip', async () => {
    const gz = gzipSync(idx([10, 28, 28]));
    await rejects(gz.subarray(0, gz.length - 100), /gzip.*truncated/);
  });

  it('bad CRC in the gzip trailer', async () => {
    const gz = Uint8Array.from(gzipSync(idx([10, 28, 28])));
    gz[gz.length - 8] ^= 0xff; // first byte of the CRC-32, which precedes the 4-byte size
    await rejects(gz, /CRC check failed.*corrupt/);
  });

  it('corrupt deflate stream', async () => {
    const gz = Uint8Array.from(gzipSync(idx([10, 28, 28])));
    gz.fill(0xff, 12, 40);
    await rejects(gz, /gzip archive is corrupt/);
  });

  it('neither gzip nor IDX', async () => {
    const text = new TextEncoder().encode('<html>Not Found</html>');
    await rejects(text, /not gzip and not IDX.*3c 68 74 6d/);
  });

  it('wrong IDX magic (non-zero leading bytes)', async () => {
    const raw = idx([2, 2, 2]);
    raw[1] = 0x01;
    await rejects(raw, /not gzip and not IDX.*00 01 08 03/);
  });

  it('gzip that does not hold IDX data', async () => {
    const gz = gzipSync(new TextEncoder().encode('hello world'));
    await rejects(gz, /does not hold IDX data.*68 65 6c 6c/);
  });

  it('too short to hold a magic number', async () => {
    await rejects(new Uint8Array([0, 0, 8]), /too short.*3 bytes/);
  });

  it('wrong dtype: 0x0D float', async () => {
    const raw = idx([2, 2, 2], { dtype: 0x0d, payload: 32 });
    await rejects(raw, /data type is 0x0D \(32-bit float\).*only 0x08/);
  });

  it('unknown dtype', async () => {
    const raw = idx([2, 2, 2], { dtype: 0x42 });
    await rejects(raw, /unknown IDX data type 0x42/);
  });

  it('labels file where images are expected (rank 1, not 3)', async () => {
    const e = await rejects(idx([5]), /expected images, rank 3/, { kind: 'images' });
    expect(e.problem).toMatch(/declares rank 1 \(is this a labels file\?\)/);
  });

  it('images file where labels are expected (rank 3, not 1)', async () => {
    await rejects(idx([1, 2, 2]), /expected labels, rank 1.*declares rank 3/, { kind: 'labels' });
  });

  it('rank 0', async () => {
    await rejects(new Uint8Array([0, 0, 8, 0, 1]), /rank is 0/);
  });

  it('truncated header', async () => {
    const raw = idx([2, 2, 2]).subarray(0, 10);
    await rejects(raw, /header is truncated.*16 header bytes.*has 10/);
  });

  it('a zero dimension', async () => {
    await rejects(idx([3, 0, 28]), /zero size: 3 × 0 × 28/);
  });

  it('declared count larger than the data (whole images missing)', async () => {
    const raw = idx([5, 2, 2], { payload: 16 });
    const e = await rejects(raw, /declared 5 images/, { kind: 'images' });
    expect(e.message).toBe(`${FILE}: declared 5 images of 2×2 but the data holds 4`);
  });

  it('declared count larger than the data (partial image)', async () => {
    const raw = gzipSync(idx([5, 2, 2], { payload: 18 }));
    await rejects(raw, /declared 5 items of 2×2 but the data holds 4 and 2 stray bytes/);
  });

  it('more data than declared', async () => {
    const raw = idx([3], { payload: 4 });
    await rejects(raw, /declared 3 labels but the data holds 4/, { kind: 'labels' });
  });

  it('absurd dimensions do not allocate or overflow', async () => {
    const raw = idx([0xffffffff, 0xffffffff, 0xffffffff], { payload: 8 });
    await rejects(raw, /declared 4294967295 items .* holds 0/);
  });

  it('SHA-256 mismatch', async () => {
    const raw = idx([2, 2, 2]);
    const wrong = createHash('sha256').update('something else').digest('hex');
    const e = await rejects(gzipSync(raw), /SHA-256 checksum mismatch/, { expectedSha256: wrong });
    expect(e.problem).toContain(wrong);
  });

  it('decompression bomb over the cap', async () => {
    const bomb = gzipSync(new Uint8Array(2 * 1024 * 1024)); // ~2 KB on disk
    expect(bomb.length).toBeLessThan(10_000);
    await rejects(bomb, /decompresses to more than 1 MiB.*decompression bomb/, {
      maxDecompressedBytes: 1024 * 1024,
    });
  });
});
