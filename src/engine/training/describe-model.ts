import type { LoadedDataset } from '../../shared/datasets/image-set';
import { MODEL_FORMAT, type ModelMetadata } from '../../shared/model-metadata';
import type { ModelSpec } from '../../shared/model-spec';

/** The metadata.json of a model trained on a dataset: everything needed to use and explain it later. */
export function describeModel(facts: {
  name: string;
  dataset: Pick<LoadedDataset, 'id' | 'classNames' | 'train'>;
  spec: ModelSpec;
  history: ModelMetadata['history'];
  epochsTrained: number;
  trainSeconds: number;
  backend: string;
  metrics: ModelMetadata['metrics'];
}): ModelMetadata {
  const { dataset, spec } = facts;
  return {
    format: MODEL_FORMAT,
    version: 1,
    name: facts.name,
    datasetId: dataset.id,
    classNames: [...dataset.classNames],
    imageShape: [dataset.train.rows, dataset.train.cols],
    normalization: spec.normalization,
    spec,
    metrics: facts.metrics,
    history: facts.history,
    epochsTrained: facts.epochsTrained,
    trainSeconds: facts.trainSeconds,
    backend: facts.backend,
    created: new Date().toISOString(),
  };
}
