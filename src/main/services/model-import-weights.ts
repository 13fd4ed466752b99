import { firstNonFinite, READ_LIMITS } from '../../engine/ml/model-files';
import { ImportError } from './model-import-topology';

/**
 * Decodes a TensorFlow.js weights manifest into float32 arrays by weight name: shards concatenated per
 * group, byte counts exact, float16 and uint8/uint16 quantised weights dequantised, NaN refused. The
 * sizes come from the manifest and are checked before any shard is read, each shard is read no
 * further than its group's weights need, and a shard is named once: a huge declared shape with one
 * big shard listed many times otherwise had every copy read and kept before the total was compared.
 */

export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

export interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

/** The plain file name a manifest path names, or an error: shards must sit beside model.json. */
export function shardName(file: string, field: string, shardPath: unknown): string {
  if (typeof shardPath !== 'string') throw new ImportError(`${file}: ${field} is not a string`);
  const name = shardPath.startsWith('./') ? shardPath.slice(2) : shardPath;
  if (name === '' || name.length > 255 || /[/\\:\0]/.test(name) || name === '.' || name === '..' || name.startsWith('..')) {
    throw new ImportError(`${file}: ${field} "${shardPath.slice(0, 120)}" is not a file beside model.json (no folders, no absolute paths, no ..)`);
  }
  return name;
}

const BYTES: Record<string, number> = { float32: 4, float16: 2, uint16: 2, uint8: 1 };

function entryBytes(file: string, field: string, entry: ManifestEntry): number {
  const stored = entry.quantization?.dtype ?? entry.dtype;
  if (entry.dtype !== 'float32' || BYTES[stored] === undefined) {
    throw new ImportError(`${file}: ${field} dtype ${entry.quantization ? `${entry.dtype} quantised as ${stored}` : entry.dtype} is not supported (float32, float16, uint8 or uint16 quantised)`);
  }
  if (stored !== 'float32' && stored !== 'float16') {
    const { scale, min } = entry.quantization ?? {};
    if (!Number.isFinite(scale) || !Number.isFinite(min)) throw new ImportError(`${file}: ${field} quantization needs a finite scale and min`);
  }
  return entry.shape.reduce((a, b) => a * b, 1) * BYTES[stored];
}

/**
 * float32 values by weight name; `readShard` gets the bytes of a checked shard name, and refuses a
 * shard over `maxBytes` without reading it.
 */
export async function decodeWeights(
  file: string,
  manifest: unknown,
  readShard: (name: string, maxBytes: number) => Promise<Uint8Array>,
): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  const groups = checkManifest(file, manifest);
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [g, { group, names, expected }] of groups.entries()) {
    const at = `weightsManifest[${g}]`;
    const shards: Uint8Array[] = [];
    let total = 0;
    for (const name of names) {
      const bytes = await readShard(name, expected - total);
      total += bytes.byteLength;
      if (total > expected) break;
      shards.push(bytes);
    }
    // tfjs#218: a short or long shard otherwise surfaces as "shape (28) should match the length of values (22)".
    if (total !== expected) {
      throw new ImportError(`${file}: ${at} shards ${names.join(', ')} hold ${total > expected ? 'more than ' : ''}${total} bytes, but its weights need ${expected}`);
    }
    const data = new Uint8Array(expected);
    let offset = 0;
    for (const shard of shards) {
      data.set(shard, offset);
      offset += shard.byteLength;
    }
    offset = 0;
    for (const entry of group.weights) {
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const values = dequantize(data, offset, count, entry);
      offset += entryBytes(file, entry.name, entry);
      const bad = firstNonFinite(values);
      if (bad >= 0) throw new ImportError(`${file}: weight ${entry.name} holds a NaN or infinite value (at index ${bad})`);
      out.set(entry.name, { shape: entry.shape, values });
    }
  }
  return out;
}

/**
 * Every group's shard names and stored byte count, refused when any is malformed, when a shard is
 * named twice (tfjs writes each group's shards once), or when the float32 weights, which are never
 * smaller than the stored ones, would pass what a saved model's weights.bin may hold: readModelFiles
 * would refuse that file, leaving a model in the library that cannot be opened.
 */
function checkManifest(file: string, manifest: unknown): { group: ManifestGroup; names: string[]; expected: number }[] {
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ImportError(`${file}: weightsManifest is missing or empty`);
  const seen = new Set<string>();
  let float32Bytes = 0;
  return (manifest as ManifestGroup[]).map((group, g) => {
    const at = `weightsManifest[${g}]`;
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ImportError(`${file}: ${at} needs paths and weights lists`);
    }
    const names = group.paths.map((p, i) => {
      const name = shardName(file, `${at}.paths[${i}]`, p);
      if (seen.has(name)) throw new ImportError(`${file}: ${at}.paths[${i}] names the shard ${name} again; each shard is listed once`);
      seen.add(name);
      return name;
    });
    let expected = 0;
    group.weights.forEach((entry, w) => {
      const field = `${at}.weights[${w}]`;
      if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string') throw new ImportError(`${file}: ${field} has no name`);
      if (!Array.isArray(entry.shape) || !entry.shape.every((n) => Number.isInteger(n) && n >= 0) || entry.shape.length > 8) {
        throw new ImportError(`${file}: ${field} (${entry.name}) has no valid shape`);
      }
      expected += entryBytes(file, `${field} (${entry.name})`, entry);
      float32Bytes += entry.shape.reduce((a, b) => a * b, 1) * 4;
      if (float32Bytes > READ_LIMITS.weights) {
        throw new ImportError(`${file}: ${field} (${entry.name}) of shape [${entry.shape.join(', ')}] brings the weights past the ${READ_LIMITS.weights / 2 ** 20} MiB a model's float32 weights may take`);
      }
    });
    return { group, names, expected };
  });
}

function dequantize(data: Uint8Array, offset: number, count: number, entry: ManifestEntry): Float32Array {
  const stored = entry.quantization?.dtype ?? entry.dtype;
  const view = new DataView(data.buffer, data.byteOffset + offset);
  const values = new Float32Array(count);
  if (stored === 'float32') {
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  } else if (stored === 'float16') {
    for (let i = 0; i < count; i++) values[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    const { scale = 1, min = 0 } = entry.quantization ?? {};
    const wide = stored === 'uint16';
    for (let i = 0; i < count; i++) values[i] = (wide ? view.getUint16(i * 2, true) : view.getUint8(i)) * scale + min;
  }
  return values;
}

/** IEEE 754 half precision to a number (subnormals, infinities and NaN included). */
export function halfToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
