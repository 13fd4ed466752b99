/**
 * `npm run bench:sweep`: what a sweep adds to each run beyond the run's own training. A sweep of
 * RUNS hidden-unit values (sklearn-exercise, 2,000 images, 1 epoch) goes through the real services
 * (SweepService → TrainingService → one training worker, the run history writing each record). A run's
 * own work is what Train does for it too, from its start to its `training:finished` (training,
 * validation, the test-set score, the model files); what the sweep adds is the hand-over, from one
 * run's `training:finished` to the next run's start (and, after the last, to the sweep's end). Beside
 * it, runs each on a fresh worker: what a sweep would pay per run without reusing the worker (spawn,
 * backend, dataset load). Figures only, never assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventChannel, EventPayload } from '../src/shared/ipc/contract';
import { findPreset } from '../src/shared/presets';
import type { SweepProgress } from '../src/shared/experiments/sweep';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { createServices } from '../src/main/services/create-services';
import { NO_DIALOGS } from '../src/main/services/dialogs';
import { spawnTrainingWorker } from '../src/engine/training/spawn-worker';
import { median, ms, table } from './format';
import { ROOT } from './script';

const RUNS = 6;
const UNITS = [16, 24, 32, 40, 48, 56, 64, 72].slice(0, RUNS);
const spec = { ...findPreset('sklearn-exercise')!.spec, epochs: 1, trainSubset: 2000 };

interface Timeline {
  /** performance.now() at each run's 'starting' status and its 'training:finished', and at the end. */
  starts: number[];
  finishes: number[];
  end: number;
  /** Each run's epoch seconds as the worker measured them. */
  trainSeconds: number[];
}

function services(userDataDir: string, on: <E extends EventChannel>(event: E, payload: EventPayload<E>) => void) {
  return createServices({
    resourcesDir: RESOURCES_DIR,
    userDataDir,
    version: 'bench',
    resolveModule: (id) => id,
    dialogs: NO_DIALOGS,
    spawnWorker: (config) => spawnTrainingWorker(path.join(ROOT, 'tests/helpers/ts-worker.mjs'), config, [path.join(ROOT, 'src/engine/training/worker.ts')]),
    events: on,
  });
}

/** Listens for run starts, epochs and the end; `ended` says which event ends the measurement. */
function recorder(ended: (event: EventChannel, payload: unknown) => boolean) {
  const timeline: Timeline = { starts: [], finishes: [], end: 0, trainSeconds: [] };
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  let phase = 'idle';
  const on = <E extends EventChannel>(event: E, payload: EventPayload<E>): void => {
    structuredClone(payload); // what IPC does to every event on its way to the window
    if (event === 'training:status') {
      const next = (payload as EventPayload<'training:status'>).phase;
      if (phase === 'idle' && next === 'starting') {
        timeline.starts.push(performance.now());
        timeline.trainSeconds.push(0);
      }
      phase = next;
    }
    if (event === 'training:finished') timeline.finishes.push(performance.now());
    if (event === 'training:epoch') timeline.trainSeconds[timeline.trainSeconds.length - 1]! += (payload as EventPayload<'training:epoch'>).log.seconds;
    if (ended(event, payload)) {
      timeline.end = performance.now();
      resolve();
    }
  };
  return { timeline, on, done };
}

/** Seconds from each run's end to the next run's start (or, for the last, to the end). */
function handovers(t: Timeline): number[] {
  return t.finishes.map((finish, i) => ((t.starts[i + 1] ?? t.end) - finish) / 1000);
}

/** Seconds each run took from its start to its end: the run's own work, the same under Train. */
function runSeconds(t: Timeline): number[] {
  return t.starts.map((start, i) => (t.finishes[i]! - start) / 1000);
}

async function sweepWay(dir: string): Promise<Timeline> {
  const { timeline, on, done } = recorder((event, payload) => event === 'sweep:progress' && (payload as SweepProgress).state !== 'running');
  const app = services(dir, on);
  await app.sweeps.start({ base: spec, datasetId: 'mnist', axes: [{ setting: 'units', layer: 0, values: UNITS }] });
  await done;
  await app.runs.flush();
  await app.training.dispose();
  return timeline;
}

/** One run on a fresh worker, as each run of a sweep would be without reuse. */
async function freshWorkerWay(dir: string, units: number): Promise<Timeline> {
  const { timeline, on, done } = recorder((event) => event === 'training:finished');
  const app = services(dir, on);
  await app.training.start({ ...spec, hiddenLayers: [{ ...spec.hiddenLayers[0]!, units }] }, 'mnist');
  await done;
  await app.runs.flush();
  await app.training.dispose();
  return timeline;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mlp-lab-bench-sweep-'));
  try {
    console.log(`# What a sweep adds per run — sklearn-exercise, ${spec.trainSubset} images × ${spec.epochs} epoch, ${RUNS} runs (hidden units ${UNITS.join(', ')})`);
    console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
    const sweep = await sweepWay(dir);
    const added = handovers(sweep);
    const own = runSeconds(sweep);
    // A fresh worker per run: the run's start waits for the worker and the dataset; that wait is what reuse saves.
    const fresh: number[] = [];
    for (const units of UNITS.slice(0, 2)) {
      const t = await freshWorkerWay(dir, units);
      fresh.push(runSeconds(t)[0]! - t.trainSeconds[0]!);
    }
    const rows = sweep.starts.map((_, i) => [String(i + 1), String(UNITS[i]), ms(own[i]!), ms(sweep.trainSeconds[i]!), ms(added[i]! * 1000, 1)]);
    console.log(table(['run', 'units', "run's own s (start → finished)", 'of which epochs s', 'sweep adds ms (finished → next start)'], rows, [true, true, true, true, true]));
    const reused = median(added);
    const warm = median(own.slice(1).map((s, i) => s - sweep.trainSeconds[i + 1]!));
    console.log(
      `\nmedian the sweep adds per run: ${ms(reused * 1000, 1)} ms (target < 500 ms); the largest: ${ms(Math.max(...added) * 1000, 1)} ms.` +
        `\nbeyond the epochs, a run's own start and finish (model build, test score, files) take ${ms(warm, 2)} s with the worker reused (median of runs 2–${RUNS}),` +
        ` ${ms(median(fresh), 2)} s on a fresh worker (median of 2): reusing the worker saves ${ms(median(fresh) - warm, 2)} s a run.`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
