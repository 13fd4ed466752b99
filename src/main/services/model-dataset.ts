import type { DatasetDescriptor } from '$shared/datasets/descriptor';
import type { ModelPayload } from '$shared/models';

/**
 * The dataset a model was trained on, checked: metadata comes from files a user may have edited, so an
 * unknown dataset or a class count that does not match is refused, naming the model.
 */
export async function modelDataset(model: ModelPayload, describeDataset: (id: string) => Promise<DatasetDescriptor>): Promise<DatasetDescriptor> {
  const { name, datasetId, classNames } = model.metadata;
  let dataset: DatasetDescriptor;
  try {
    dataset = await describeDataset(datasetId);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
  if (dataset.classNames.length !== classNames.length) {
    throw new Error(`${name} tells ${classNames.length} classes apart, but ${dataset.displayName} has ${dataset.classNames.length}`);
  }
  return dataset;
}
