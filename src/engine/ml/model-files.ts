import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelMetadataSchema, type ModelMetadata } from '../../shared/model-metadata';
import type { ModelPayload } from '../../shared/models';

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

/**
 * Writes model.json, weights.bin and metadata.json to dir atomically: everything goes to a sibling
 * temporary folder that is then renamed into place, so a crash never leaves a half-written model and an
 * existing model at dir is replaced only once the new one is complete.
 */
export async function writeModelFiles(dir: string, files: ModelFiles): Promise<void> {
  const target = path.resolve(dir);
  const temp = `${target}.tmp-${randomUUID()}`;
  const old = `${target}.old-${randomUUID()}`;
  await mkdir(path.dirname(target), { recursive: true });
  await mkdir(temp);
  let replaced = false;
  try {
    await writeFile(path.join(temp, MODEL_FILE), JSON.stringify(files.modelJson));
    await writeFile(path.join(temp, WEIGHTS_FILE), new Uint8Array(files.weights));
    await writeFile(path.join(temp, METADATA_FILE), JSON.stringify(files.metadata, null, 2));
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
  if (replaced) await rm(old, { recursive: true, force: true });
}

/** Reads and checks a saved model's files; every problem names the folder. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(path.join(dir, name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ModelFileError(dir, code === 'ENOENT' ? `${name} is missing` : `cannot read ${name} (${code})`);
    }
  };
  const [modelText, weights, metadataText] = await Promise.all([read(MODEL_FILE), read(WEIGHTS_FILE), read(METADATA_FILE)]);
  const modelJson = parseJson(dir, MODEL_FILE, modelText) as ModelFiles['modelJson'];
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new ModelFileError(dir, `${MODEL_FILE} is not a TensorFlow.js Layers model`);
  }
  const parsed = modelMetadataSchema.safeParse(parseJson(dir, METADATA_FILE, metadataText));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ModelFileError(dir, `${METADATA_FILE} is invalid at ${first.path.join('.') || 'top level'}: ${first.message}`);
  }
  const expectedBytes = modelJson.weightsManifest
    .flatMap((group) => group.weights)
    .reduce((total, w) => total + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weights.byteLength !== expectedBytes) {
    throw new ModelFileError(dir, `${WEIGHTS_FILE} holds ${weights.byteLength} bytes but model.json expects ${expectedBytes}`);
  }
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return { modelJson, weights: buffer, metadata: parsed.data };
}

function parseJson(dir: string, name: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ModelFileError(dir, `${name} is not valid JSON (${(error as Error).message})`);
  }
}
