import * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../../shared/model-metadata';
import { readModelFiles, WEIGHTS_FILE, writeModelFiles, type ModelFiles } from './model-files';

export { ModelFileError, readModelFiles, writeModelFiles, type ModelFiles } from './model-files';

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

/** Saves a Layers model with its metadata (see writeModelFiles for the all-or-nothing guarantee). */
export async function saveModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  await writeModelFiles(dir, await serializeModel(model, metadata));
}

/** A Layers model from its files, through the standard loader. */
export function modelFromFiles(files: Pick<ModelFiles, 'modelJson' | 'weights'>): Promise<tf.LayersModel> {
  const manifest = files.modelJson.weightsManifest;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: files.modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: manifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
      weightData: files.weights,
    }),
  );
}

export async function loadModel(dir: string): Promise<{ model: tf.LayersModel; metadata: ModelMetadata }> {
  const files = await readModelFiles(dir);
  return { model: await modelFromFiles(files), metadata: files.metadata };
}

