import { randomUUID } from 'node:crypto';
import type { DatasetId } from '$shared/datasets/catalog';
import type { DatasetDescriptor } from '$shared/datasets/descriptor';
import { markedName, METADATA_LIMITS, type ModelMetadata } from '$shared/model-metadata';
import { validateSpec, type ModelSpec } from '$shared/model-spec';
import type { TrainingStatus } from '$shared/training';
import type { ToWorker } from '$engine/training/protocol';

export type TrainingRun = NonNullable<TrainingStatus['run']>;

/** A checked run, and the first message the worker gets for it once its dataset is known. */
export interface RunPlan {
  run: TrainingRun;
  /** Throws when the run cannot train on the dataset. */
  firstMessage(dataset: DatasetDescriptor): ToWorker;
}

/** Looks the run's dataset up and builds the worker's first message: either may refuse the run. */
export async function prepareRun(plan: RunPlan, describe: (id: DatasetId) => Promise<DatasetDescriptor>): Promise<{ dataset: DatasetDescriptor; first: ToWorker }> {
  const dataset = await describe(plan.run.datasetId);
  return { dataset, first: plan.firstMessage(dataset) };
}

/** A fresh model from `spec` (Train). */
export function freshRun(spec: ModelSpec, datasetId: DatasetId): RunPlan {
  const problems = validateSpec(spec);
  if (problems.length > 0) throw new Error(`The model settings are not usable: ${problems.join('; ')}`);
  const runId = randomUUID();
  return {
    run: { id: runId, spec, datasetId, epochsDone: 0, history: [] },
    firstMessage: (dataset) => ({ type: 'start', runId, spec, dataset, name: modelName(spec) }),
  };
}

/**
 * A saved model trained `epochs` more on its dataset with its spec (and a fresh optimizer): the worker
 * loads its files from modelDir, and the result is a new, unsaved model.
 */
export function savedRun(saved: { modelDir: string; metadata: ModelMetadata }, epochs: number): RunPlan {
  const { metadata } = saved;
  const spec: ModelSpec = { ...metadata.spec, normalization: metadata.normalization };
  const problems = validateSpec(spec);
  if (problems.length > 0) throw new Error(`${metadata.name} cannot be trained on: its settings are not usable: ${problems.join('; ')}`);
  assertHistoryRoom(metadata.name, metadata.history.length, epochs);
  const runId = randomUUID();
  return {
    run: { id: runId, spec, datasetId: metadata.datasetId, epochsDone: metadata.epochsTrained, history: [...metadata.history] },
    firstMessage: (dataset) => {
      if (dataset.classNames.length !== metadata.classNames.length) {
        throw new Error(`${metadata.name} has ${metadata.classNames.length} classes, the ${dataset.displayName} dataset ${dataset.classNames.length}: it cannot be trained on it`);
      }
      return { type: 'resume', runId, modelDir: saved.modelDir, dataset, name: continuedName(metadata.name), epochs };
    },
  };
}

/** A readable default name for a trained model, e.g. "MLP 512-256 · adam" (its dataset is shown beside it). */
export function modelName(spec: ModelSpec): string {
  const layers = spec.hiddenLayers.map((l) => l.units).join('-') || 'linear';
  return `MLP ${layers} · ${spec.optimizer}`;
}

/** The name a continued model gets: its own, marked, so a save never passes it off as the original. */
export function continuedName(name: string): string {
  return markedName(name.replace(/ \(continued\)$/, ''), ' (continued)');
}

/** Refuses `epochs` more that would take a model's history past what it keeps: it could not be saved. */
export function assertHistoryRoom(model: string, history: number, epochs: number): void {
  if (history + epochs > METADATA_LIMITS.history) {
    throw new Error(`${model} has ${history} epochs of history: ${epochs} more would pass the ${METADATA_LIMITS.history} a model keeps`);
  }
}
