import { isTrainingBackendName } from '$shared/backend';
import type { EventSink } from '$shared/ipc/contract';
import type { TrainingStatus } from '$shared/training';
import type { ModelService } from '../model-service';
import type { RunMessage } from '../worker-host';
import { finishedEvent, relayRunUpdate } from './run-relay';
import type { TrainingRun } from './run-plan';
import type { StopTimer } from './stop-timer';
import { trainingError } from './training-errors';

/** What the status says of a worker that is gone (a crash, the service disposed): no backend, no choice. */
export const WORKER_GONE = { backend: null, backendDetail: undefined, availableBackends: undefined, backendChoice: undefined } as const;

/** What a worker's run message may change: the service's status, its events, the library, the Stop watchdog. */
export interface RunMessageContext {
  /** The run the service shows; a message about another run (an earlier one's straggler) changes nothing. */
  run: TrainingRun | null;
  update(change: Partial<TrainingStatus>): void;
  events: EventSink;
  models: Pick<ModelService, 'setTrained'>;
  stopTimer: Pick<StopTimer, 'clear' | 'samplesPerSecond'>;
  /** wasm's set-up as the worker started it, for the status bar's name of a run's backend. */
  wasmDetail: { simd: boolean; threads: number; threadsFallback?: string } | null;
}

/** Applies one message of the worker's about a run: its backend choice, its end, its failure, or its progress. */
export function handleRunMessage(message: RunMessage, context: RunMessageContext): void {
  const { run, update, events, stopTimer } = context;
  if (message.type === 'failed' && message.runId === null) {
    // Not about a run (a reset that failed): still worth telling the user.
    events('training:error', trainingError(message.kind, message.message, null));
    return;
  }
  if (!run || message.runId !== run.id) return;
  switch (message.type) {
    case 'choice': {
      const name = isTrainingBackendName(message.choice.name) ? message.choice.name : null;
      if (!name) return;
      // The status bar names the run's backend, with wasm's SIMD and threads as the worker started it.
      update({ backend: name, backendChoice: message.choice, backendDetail: { active: name, ...(name === 'wasm' && context.wasmDetail) } });
      return;
    }
    case 'finished': {
      stopTimer.clear();
      run.epochsDone = message.epochsDone;
      context.models.setTrained(run.id, message.files);
      update({ phase: 'idle' });
      events('training:finished', finishedEvent(message, run.id));
      return;
    }
    case 'failed':
      stopTimer.clear();
      // A failed run cannot be continued: its weights are gone, diverged, or never built.
      update({ phase: 'idle', run: null });
      events('training:error', trainingError(message.kind, message.message, run.id));
      return;
    case 'progress':
      stopTimer.samplesPerSecond = message.batch.samplesPerSecond;
  }
  relayRunUpdate(message, run, events);
}
