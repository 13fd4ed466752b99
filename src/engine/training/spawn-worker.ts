import { Worker } from 'node:worker_threads';
import { quietTensorFlowLogs } from '../ml/tf-logs';
import type { WorkerConfig, WorkerHandle } from './protocol';

/** The worker's JS heap cap, in MiB. */
const WORKER_HEAP_MB = 2048;

/**
 * Starts the training worker. The JS heap is capped so that a runaway allocation ends the worker with
 * ERR_WORKER_OUT_OF_MEMORY (reported to the user) instead of taking the whole app down; datasets and
 * tensors live outside that heap.
 */
export function spawnTrainingWorker(entry: string | URL, config: WorkerConfig, argv: string[] = []): WorkerHandle {
  // Here, in the spawning thread: TensorFlow reads the process's real environment, which a worker's
  // process.env (a copy) does not change.
  quietTensorFlowLogs();
  return new Worker(entry, {
    workerData: config,
    argv,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  }) as unknown as WorkerHandle;
}
