import * as tf from '@tensorflow/tfjs';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { modelMetadataSchema, type ModelMetadata } from '../../shared/model-metadata';

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
  modelJson: tf.io.ModelJSON;
  weights: ArrayBuffer;
  metadata: ModelMetadata;
}

/** A saved model's files, without loading it into TensorFlow.js. */
export async function serializeModel(model: tf.LayersModel, metadata: ModelMetadata): Promise<ModelFiles> {
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.weightSpecs || artifacts.weightData === undefined) throw new Error('model has no weights');
      files = {
        modelJson: {
          modelTopology: artifacts.modelTopology as object,
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: null,
          weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
        },
        weights: tf.io.CompositeArrayBuffer.join(artifacts.weightData),
        metadata,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!files) throw new Error('TensorFlow.js did not hand over the model artifacts');
  return files;
}

/**
 * Writes model.json, weights.bin and metadata.json to dir atomically: everything goes to a sibling
 * temporary folder that is then renamed into place, so a crash never leaves a half-written model and an
 * existing model at dir is replaced only once the new one is complete.
 */
export async function saveModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  await writeModelFiles(dir, await serializeModel(model, metadata));
}

/** Writes a model's files to dir with the same all-or-nothing guarantee as saveModel. */
export async function writeModelFiles(dir: string, files: ModelFiles): Promise<void> {
  const target = path.resolve(dir);
  const temp = `${target}.tmp-${randomUUID()}`;
  const old = `${target}.old-${randomUUID()}`;
  await mkdir(path.dirname(target), { recursive: true });
  await mkdir(temp);
  try {
    await writeFile(path.join(temp, MODEL_FILE), JSON.stringify(files.modelJson));
    await writeFile(path.join(temp, WEIGHTS_FILE), new Uint8Array(files.weights));
    await writeFile(path.join(temp, METADATA_FILE), JSON.stringify(files.metadata, null, 2));
    const replaced = await rename(target, old).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    await rename(temp, target);
    if (replaced) await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
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
  const modelJson = parseJson(dir, MODEL_FILE, modelText) as tf.io.ModelJSON;
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

/** A Layers model from its files, through the standard loader. */
export function modelFromFiles(files: Pick<ModelFiles, 'modelJson' | 'weights'>): Promise<tf.LayersModel> {
  const manifest = files.modelJson.weightsManifest;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: files.modelJson.modelTopology,
      weightSpecs: manifest.flatMap((group) => group.weights),
      weightData: files.weights,
    }),
  );
}

export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  const files = await readModelFiles(dir);
  return { model: await modelFromFiles(files), metadata: files.metadata };
}

function parseJson(dir: string, name: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ModelFileError(dir, `${name} is not valid JSON (${(error as Error).message})`);
  }
}
