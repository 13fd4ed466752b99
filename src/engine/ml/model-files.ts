import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { allInOrder } from '../../shared/all-in-order';
import { firstIssue } from '../../shared/first-issue';
import { syncFolder, writeFileDurably } from '../fs/durable';
import { modelMetadataSchema, type ModelMetadata } from '../../shared/model-metadata';
import type { ModelPayload } from '../../shared/models';
import { jsonSyntaxProblem } from '../../shared/json-syntax';

/**
 * A saved model on disk: a standard TensorFlow.js Layers model (model.json + weights.bin) and MLP Lab's
 * metadata.json. Reading and writing the files needs no TensorFlow.js, so main never loads it.
 */

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const METADATA_FILE = 'metadata.json';

export class ModelFileError extends Error {
  constructor(
    readonly dir: string,
    problem: string,
  ) {
    super(`${dir}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

/** The bytes of a saved model, as files or as they travel to the renderer. */
export interface ModelFiles {
  /** model.json: topology plus a weights manifest pointing at weights.bin. */
  modelJson: ModelPayload['modelJson'] & { format?: string; generatedBy?: string; convertedBy?: string | null };
  weights: ArrayBuffer;
  metadata: ModelMetadata;
}

/** A model as the window holds it (with its library id), back to its files alone, for a worker job. */
export const filesOf = (payload: ModelPayload): ModelFiles => ({ modelJson: payload.modelJson, weights: payload.weights, metadata: payload.metadata });

/**
 * Writes model.json, weights.bin and metadata.json to dir atomically: everything goes to a sibling
 * temporary folder that is then renamed into place, so a crash never leaves a half-written model and an
 * existing model at dir is replaced only once the new one is complete.
 */
export async function writeModelFiles(dir: string, files: ModelFiles): Promise<void> {
  // What readModelFiles would refuse is not written: the model would sit in the library unopenable. The
  // read bounds, not METADATA_LIMITS: renaming a model saved before those must not be refused.
  const metadata = modelMetadataSchema.safeParse(files.metadata);
  if (!metadata.success) throw new ModelFileError(dir, `${METADATA_FILE} would not read back: invalid ${firstIssue(metadata.error)}`);
  const target = path.resolve(dir);
  const temp = `${target}.tmp-${randomUUID()}`;
  const old = `${target}.old-${randomUUID()}`;
  await mkdir(path.dirname(target), { recursive: true });
  await mkdir(temp);
  let replaced = false;
  try {
    // Flushed, files and folder, before the renames: else a power loss could keep the renames and not
    // the data, leaving empty files where the old model was.
    await writeFileDurably(path.join(temp, MODEL_FILE), JSON.stringify(files.modelJson));
    await writeFileDurably(path.join(temp, WEIGHTS_FILE), new Uint8Array(files.weights));
    await writeFileDurably(path.join(temp, METADATA_FILE), JSON.stringify(files.metadata, null, 2));
    await syncFolder(temp);
    replaced = await rename(target, old).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    await rename(temp, target);
  } catch (error) {
    // Put the previous model back if it was already moved aside: a failed save loses nothing.
    if (replaced) await rename(old, target).catch(() => undefined);
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  // The renames reach the disk before the old copy goes, so a power loss leaves one model or the other.
  await syncFolder(path.dirname(target));
  if (replaced) await rm(old, { recursive: true, force: true });
}

/** Upper bounds on what is read from a model folder: far above any MLP Lab model, far below a disk. */
export const READ_LIMITS = { modelJson: 16 * 2 ** 20, metadata: 16 * 2 ** 20, weights: 512 * 2 ** 20 };

const manifestSchema = z
  .array(
    z.object({
      paths: z.array(z.string().max(1000)).max(10_000),
      weights: z
        .array(
          z.object({
            name: z.string().max(1000),
            shape: z.array(z.number().int().nonnegative()).max(8),
            dtype: z.string().max(32),
            quantization: z
              .object({ dtype: z.string().max(32), scale: z.number().optional(), min: z.number().optional() })
              .passthrough()
              .optional(),
          }),
        )
        .max(100_000),
    }),
  )
  .max(10_000);

/**
 * Reads a regular file of at most `limit` bytes. The size is checked on the opened handle, so a
 * symlink to a device (/dev/zero) or a file swapped in after a check is refused, never read on and on.
 */
export async function readBoundedFile(file: string, limit: number): Promise<Buffer> {
  // O_NONBLOCK: a FIFO with no writer would otherwise block the open, and with it a libuv thread, for good.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    if (info.size > limit) throw Object.assign(new Error(`larger than ${limit} bytes`), { code: 'ETOOBIG', size: info.size });
    const bytes = Buffer.alloc(info.size);
    let read = 0;
    while (read < info.size) {
      const { bytesRead } = await handle.read(bytes, read, info.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return read === info.size ? bytes : bytes.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** Reads and checks a saved model's files; every problem names the folder. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const read = async (name: string, limit: number): Promise<Buffer> => {
    try {
      return await readBoundedFile(path.join(dir, name), limit);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') throw new ModelFileError(dir, `${name} is missing`);
      if (code === 'ENOTFILE' || code === 'ETOOBIG') throw new ModelFileError(dir, `${name} is ${message}`);
      throw new ModelFileError(dir, `cannot read ${name} (${code ?? message})`);
    }
  };
  const [modelText, weights, metadataText] = await allInOrder([
    read(MODEL_FILE, READ_LIMITS.modelJson),
    read(WEIGHTS_FILE, READ_LIMITS.weights),
    read(METADATA_FILE, READ_LIMITS.metadata),
  ]);
  const modelJson = parseJson(dir, MODEL_FILE, modelText) as ModelFiles['modelJson'] | null;
  if (typeof modelJson !== 'object' || modelJson === null || Array.isArray(modelJson) || typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null) {
    throw new ModelFileError(dir, `${MODEL_FILE} is not a TensorFlow.js Layers model (no modelTopology)`);
  }
  const manifest = manifestSchema.safeParse(modelJson.weightsManifest);
  if (!manifest.success) throw new ModelFileError(dir, `${MODEL_FILE} weightsManifest is invalid ${firstIssue(manifest.error)}`);
  const parsed = modelMetadataSchema.safeParse(parseJson(dir, METADATA_FILE, metadataText));
  if (!parsed.success) throw new ModelFileError(dir, `${METADATA_FILE} is invalid ${firstIssue(parsed.error)}`);
  let expectedBytes = 0;
  for (const weight of manifest.data.flatMap((group) => group.weights)) {
    // Saved by MLP Lab: float32 only; other dtypes and quantised weights are converted on import.
    if (weight.dtype !== 'float32' || weight.quantization) {
      throw new ModelFileError(dir, `${MODEL_FILE} weight ${weight.name} is ${weight.quantization?.dtype ?? weight.dtype}, not float32`);
    }
    expectedBytes += weight.shape.reduce((a, b) => a * b, 1) * 4;
  }
  if (weights.byteLength !== expectedBytes) {
    throw new ModelFileError(dir, `${WEIGHTS_FILE} holds ${weights.byteLength} bytes but model.json expects ${expectedBytes}`);
  }
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const bad = firstNonFinite(new Float32Array(buffer));
  if (bad >= 0) throw new ModelFileError(dir, `${WEIGHTS_FILE} holds a NaN or infinite weight (at index ${bad})`);
  return { modelJson: { ...modelJson, weightsManifest: manifest.data }, weights: buffer, metadata: parsed.data };
}

/** The index of the first NaN or infinite value, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

function parseJson(dir: string, name: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ModelFileError(dir, `${name} is not valid JSON (${jsonSyntaxProblem(error)})`);
  }
}
