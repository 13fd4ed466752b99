import type { DatasetShape } from '../../shared/datasets/descriptor';
import type { ModelSpec } from '../../shared/model-spec';
import { summarizeSpec } from '../../shared/model-summary';

/**
 * Arithmetic operations per second that any backend manages, even pure JS on a slow, busy machine: ten
 * times below what the cpu backend does here. Only used until the run has measured its own speed.
 */
export const ASSUMED_OPS_PER_SECOND = 2e8;
/** A silent worker gets this many times its expected time before it is taken for hung. */
const SAFETY = 3;

/**
 * The longest the training worker may stay silent while it is still working on a run, in seconds. It
 * cannot post a message in the middle of a synchronous step: a training batch (forward and backward,
 * about three forward passes per image) or an evaluation of the validation or test set (one forward
 * pass per image, in one go). Sized from the spec and the dataset's counts, at the run's
 * measured training speed when there is one, else at an assumed floor speed: a first batch of 60,000
 * images on a wide model may take minutes, and must not be mistaken for a hang.
 *
 * `evaluationSamplesPerSecond` is the training speed that also tells how fast the evaluations run: the
 * same measured speed when TensorFlow.js steps the batches, null (the floor) when the training kernel
 * does, since evaluations run on TensorFlow.js, several times slower than the kernel trains.
 */
export function silentStepSeconds(
  spec: ModelSpec,
  info: DatasetShape,
  measuredSamplesPerSecond: number | null,
  assumedOpsPerSecond = ASSUMED_OPS_PER_SECOND,
  evaluationSamplesPerSecond: number | null = measuredSamplesPerSecond,
): number {
  const { totalParams } = summarizeSpec(spec, info.imageSize.rows * info.imageSize.cols, info.classNames.length);
  const images = Math.min(spec.trainSubset ?? info.counts.train, info.counts.train);
  const validation = spec.validation === 'test' ? info.counts.test : Math.floor(images * spec.validation);
  const batch = Math.min(spec.batchSize, Math.max(1, images - (spec.validation === 'test' ? 0 : validation)));
  // A training sample costs about three forward passes (forward, and backward's two products).
  const forwardPerSecond = (measured: number | null): number =>
    measured !== null && measured > 0 ? 3 * measured : assumedOpsPerSecond / (2 * totalParams);
  const batchSeconds = (3 * batch) / forwardPerSecond(measuredSamplesPerSecond);
  const evaluationSeconds = Math.max(validation, info.counts.test) / forwardPerSecond(evaluationSamplesPerSecond);
  return SAFETY * Math.max(batchSeconds, evaluationSeconds);
}
