import type { BatchLog } from '$shared/training';

/**
 * Seconds left in a call that ends before `lastEpoch`, at the batch's training speed (validation not
 * counted): the batches left in this epoch and in the epochs after it, `batchSize` images each.
 */
export function etaSeconds(batch: BatchLog, lastEpoch: number, batchSize: number): number {
  const batchesLeft = (lastEpoch - batch.epoch - 1) * batch.batches + (batch.batches - batch.batch - 1);
  return (batchesLeft * batchSize) / Math.max(1, batch.samplesPerSecond);
}
