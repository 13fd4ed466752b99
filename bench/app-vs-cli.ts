/**
 * `npm run bench:app`: does training inside the app keep up with the command line, and what do the
 * Weights panel's live snapshots cost? Runs the sklearn-exercise preset through the real CLI
 * (`npm run train -- --json`, a fresh process) and twice the app's way (TrainingService: a fresh worker
 * thread, as on the first Train after launch, relaying throttled progress through the same event sink
 * the window gets): with weight snapshots on, as the app runs, and off (WorkerConfig.weightSnapshots =
 * false). The three take turns in a rotating order; it prints samples/s for each and the ratios. All pay
 * the same start-up (wasm tier-up in the first epoch). Then it times one snapshot read. Figures only,
 * never assertions.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { EventChannel, EventPayload } from '../src/shared/ipc/contract';
import { findPreset } from '../src/shared/presets';
import { runSamplesPerSecond } from '../src/shared/training';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { selectBackend } from '../src/engine/ml/backend';
import { createModel } from '../src/engine/ml/model';
import { readWeightsSnapshot } from '../src/engine/training/weight-snapshot';
import { createServices } from '../src/main/services/create-services';
import { NO_DIALOGS } from '../src/main/services/dialogs';
import { spawnTrainingWorker } from '../src/engine/training/spawn-worker';
import { int, median, tableRow } from './format';
import { ROOT } from './script';

const EPOCHS = 3;
const ROUNDS = 6;

/** The CLI's own figure: samples / training seconds over the run, from its --json line. */
async function cliWay(): Promise<number> {
  const args = ['--import', 'tsx', path.join(ROOT, 'src/engine/cli/train.ts'), '--preset', 'sklearn-exercise'];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [...args, '--epochs', String(EPOCHS), '--json'], { cwd: ROOT }, (error, out) =>
      error ? reject(error) : resolve(out),
    ),
  );
  const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { samplesPerSecond: number };
  return summary.samplesPerSecond;
}

interface AppRun {
  samplesPerSecond: number;
  events: number;
  snapshots: number;
}

async function appWay(weightSnapshots: boolean): Promise<AppRun> {
  const spec = { ...findPreset('sklearn-exercise')!.spec, epochs: EPOCHS };
  let events = 0;
  let snapshots = 0;
  let resolveDone: (rate: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const logs: EventPayload<'training:epoch'>['log'][] = [];
  const services = createServices({
    resourcesDir: RESOURCES_DIR,
    userDataDir: path.join(os.tmpdir(), 'mlp-lab-bench-app'),
    version: 'bench',
    resolveModule: (id) => id,
    dialogs: NO_DIALOGS,
    // The TypeScript worker through the same tsx loader the e2e tests use; the app runs the built one.
    spawnWorker: (config) =>
      spawnTrainingWorker(path.join(ROOT, 'tests/helpers/ts-worker.mjs'), { ...config, weightSnapshots }, [
        path.join(ROOT, 'src/engine/training/worker.ts'),
      ]),
    events: <E extends EventChannel>(event: E, payload: EventPayload<E>) => {
      events++;
      structuredClone(payload); // what IPC does to every event on its way to the window
      if (event === 'training:weights') snapshots++;
      if (event === 'training:epoch') logs.push((payload as EventPayload<'training:epoch'>).log);
      if (event === 'training:finished') resolveDone(runSamplesPerSecond(logs));
    },
  });
  await services.training.start(spec, 'mnist');
  const samplesPerSecond = await done;
  await services.training.dispose();
  return { samplesPerSecond, events, snapshots };
}

/** Milliseconds one snapshot keeps the training loop from its next batch, for a model of these layers. */
function snapshotReadMs(hidden: number[]): { ms: number; floats: number; allLayers: boolean } {
  const spec = { ...findPreset('sklearn-exercise')!.spec, hiddenLayers: hidden.map((units) => ({ units, activation: 'relu' as const, dropout: 0 })) };
  const model = createModel(spec);
  const times: number[] = [];
  let snapshot = readWeightsSnapshot(model);
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    snapshot = readWeightsSnapshot(model);
    times.push(performance.now() - started);
  }
  model.dispose();
  const floats = snapshot.layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  return { ms: median(times), floats, allLayers: snapshot.allLayers };
}

/** The three ways in a different order each round, so a noisy neighbour or a warm cache favours none. */
const ORDERS = [
  ['cli', 'on', 'off'],
  ['on', 'off', 'cli'],
  ['off', 'cli', 'on'],
  ['cli', 'off', 'on'],
  ['off', 'on', 'cli'],
  ['on', 'cli', 'off'],
] as const;

async function main(): Promise<void> {
  const backend = await selectBackend();
  console.log(`# In-app training vs CLI, weight snapshots on and off — sklearn-exercise, ${EPOCHS} epochs × 60,000 images, backend ${backend.active}`);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
  console.log('| round | order | CLI samples/s | app, snapshots on | app, snapshots off | on / off | on / CLI | snapshots | events relayed (on) |');
  console.log('|------:|:------|--------------:|------------------:|-------------------:|---------:|---------:|----------:|--------------------:|');
  const rates = { cli: [] as number[], on: [] as number[], off: [] as number[], onOff: [] as number[] };
  /** Per run with snapshots on: how many, and the seconds it trained. */
  const runs: { snapshots: number; seconds: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = ORDERS[(round - 1) % ORDERS.length];
    let cli = 0;
    let on: AppRun | null = null;
    let off: AppRun | null = null;
    for (const way of order) {
      if (way === 'cli') cli = await cliWay();
      else if (way === 'on') on = await appWay(true);
      else off = await appWay(false);
    }
    rates.cli.push(cli);
    rates.on.push(on!.samplesPerSecond);
    rates.off.push(off!.samplesPerSecond);
    rates.onOff.push(on!.samplesPerSecond / off!.samplesPerSecond);
    runs.push({ snapshots: on!.snapshots, seconds: (EPOCHS * 60_000) / on!.samplesPerSecond });
    console.log(
      tableRow([
        String(round),
        order.join(' → '),
        int(cli),
        int(on!.samplesPerSecond),
        int(off!.samplesPerSecond),
        (on!.samplesPerSecond / off!.samplesPerSecond).toFixed(3),
        (on!.samplesPerSecond / cli).toFixed(3),
        String(on!.snapshots),
        String(on!.events),
      ]),
    );
  }
  const [cli, on, off] = [median(rates.cli), median(rates.on), median(rates.off)];
  console.log(`| median | | ${int(cli)} | ${int(on)} | ${int(off)} | ${(on / off).toFixed(3)} | ${(on / cli).toFixed(3)} | | |`);
  console.log(`\nmedian of the rounds' on / off ratios: ${median(rates.onOff).toFixed(3)}`);

  console.log('\nOne snapshot read (the loop waits this long once a second), median of 30:');
  for (const hidden of [[50], [512, 256]]) {
    const read = snapshotReadMs(hidden);
    const what = read.allLayers ? 'all layers' : 'first layer';
    console.log(`- 784-${hidden.join('-')}-10: ${read.ms.toFixed(3)} ms (${what}, ${int(read.floats)} floats)`);
    if (hidden[0] === 50) {
      // The reads' own share of a run, free of the run-to-run noise the table above carries.
      const snapshots = runs.reduce((n, r) => n + r.snapshots, 0);
      const seconds = runs.reduce((n, r) => n + r.seconds, 0);
      const share = (snapshots * read.ms) / (seconds * 1000);
      console.log(`  × ${snapshots} snapshots in ${seconds.toFixed(1)} s of training with snapshots on: ${(share * 100).toFixed(3)} % of the time`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
