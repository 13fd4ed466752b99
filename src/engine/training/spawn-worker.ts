import { Worker } from 'node:worker_threads';
import type { WorkerConfig, WorkerHandle } from './protocol';

/** The worker's JS heap cap, in MiB. */
const WORKER_HEAP_MB = 2048;

/**
 * Starts the training worker. The JS heap is capped so that a runaway allocation ends the worker with
 * ERR_WORKER_OUT_OF_MEMORY (reported to the user) instead of taking the whole app down; datasets and
 * tensors live outside that heap.
 */
export function spawnTrainingWorker(entry: string | URL, config: WorkerConfig, argv: string[] = []): WorkerHandle {
  return new Worker(entry, {
    workerData: config,
    argv,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  }) as unknown as WorkerHandle;
}
