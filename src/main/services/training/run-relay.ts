import type { EventSink } from '$shared/ipc/contract';
import type { TrainingFinished } from '$shared/training';
import type { RunMessage } from '../worker-host';
import { etaSeconds } from './eta';
import type { TrainingRun } from './run-plan';

/** What the worker says while a run goes on, before it finishes or fails. */
export type RunUpdate = Extract<RunMessage, { type: 'progress' | 'weights' | 'epoch' | 'epoch-maps' }>;

/** Passes a run's progress (with its ETA), weight snapshots, epochs and epoch maps on to the window; an epoch also goes into the run's record. */
export function relayRunUpdate(message: RunUpdate, run: TrainingRun, events: EventSink): void {
  switch (message.type) {
    case 'progress': {
      const { batch, firstEpoch, lastEpoch } = message;
      events('training:progress', { runId: run.id, batch, firstEpoch, lastEpoch, etaSeconds: etaSeconds(batch, lastEpoch, run.spec.batchSize) });
      return;
    }
    case 'weights': {
      const { epoch, batch, batches, layers, allLayers } = message;
      events('training:weights', { runId: run.id, epoch, batch, batches, layers, allLayers });
      return;
    }
    case 'epoch-maps':
      events('training:epoch-maps', { runId: run.id, epoch: message.epoch, maps: message.maps });
      return;
    case 'epoch':
      run.history.push(message.log);
      if (message.log.complete) run.epochsDone = message.log.epoch + 1;
      events('training:epoch', { runId: run.id, log: message.log });
  }
}

/** The training:finished event of a run the worker finished, stopped or not. */
export function finishedEvent(message: Extract<RunMessage, { type: 'finished' }>, runId: string): TrainingFinished {
  const { stopped, testAccuracy, testLoss, epochsDone, earlyStop, stepper } = message;
  return { runId, stopped, testAccuracy, testLoss, epochsDone, modelName: message.files.metadata.name, earlyStop: earlyStop ?? null, stepper: stepper ?? null };
}
