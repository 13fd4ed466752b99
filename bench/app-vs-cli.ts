/**
 * `npm run bench:app`: does training inside the app keep up with the command line? Runs the
 * sklearn-exercise preset through the real CLI (`npm run train -- --json`, a fresh process) and the
 * app's way (TrainingService: a fresh worker thread, as on the first Train after launch, relaying
 * throttled progress through the same event sink the window gets), side by side, alternating, and
 * prints samples/s for each and their ratio. Both pay the same start-up (wasm tier-up in the first
 * epoch). Figures only, never assertions.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { EventChannel, EventPayload } from '../src/shared/ipc/contract';
import { findPreset } from '../src/shared/presets';
import { runSamplesPerSecond } from '../src/shared/training';
import { RESOURCES_DIR } from '../src/engine/cli/resources-dir';
import { selectBackend } from '../src/engine/ml/backend';
import { createServices } from '../src/main/services/create-services';
import { NO_DIALOGS } from '../src/main/services/dialogs';
import { spawnTrainingWorker } from '../src/engine/training/spawn-worker';
import { int, median, tableRow } from './format';
import { ROOT } from './script';

const EPOCHS = 3;
const ROUNDS = 4;

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

async function appWay(): Promise<{ samplesPerSecond: number; events: number }> {
  const spec = { ...findPreset('sklearn-exercise')!.spec, epochs: EPOCHS };
  let events = 0;
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
      spawnTrainingWorker(path.join(ROOT, 'tests/helpers/ts-worker.mjs'), config, [path.join(ROOT, 'src/engine/training/worker.ts')]),
    events: <E extends EventChannel>(event: E, payload: EventPayload<E>) => {
      events++;
      structuredClone(payload); // what IPC does to every event on its way to the window
      if (event === 'training:epoch') logs.push((payload as EventPayload<'training:epoch'>).log);
      if (event === 'training:finished') resolveDone(runSamplesPerSecond(logs));
    },
  });
  await services.training.start(spec, 'mnist');
  const samplesPerSecond = await done;
  await services.training.dispose();
  return { samplesPerSecond, events };
}

async function main(): Promise<void> {
  const backend = await selectBackend();
  console.log(`# In-app training vs CLI — sklearn-exercise, ${EPOCHS} epochs × 60,000 images, backend ${backend.active}`);
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
  console.log('| round | CLI samples/s | app samples/s | app / CLI | events relayed |');
  console.log('|------:|--------------:|--------------:|----------:|---------------:|');
  const cliRates: number[] = [];
  const appRates: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which goes first, so a noisy neighbour or a warm cache favours neither.
    let cli = 0;
    let app = { samplesPerSecond: 0, events: 0 };
    if (round % 2 === 1) {
      cli = await cliWay();
      app = await appWay();
    } else {
      app = await appWay();
      cli = await cliWay();
    }
    cliRates.push(cli);
    appRates.push(app.samplesPerSecond);
    const ratio = (app.samplesPerSecond / cli).toFixed(3);
    console.log(tableRow([String(round), int(cli), int(app.samplesPerSecond), ratio, String(app.events)]));
  }
  const [cli, app] = [median(cliRates), median(appRates)];
  console.log(`| median | ${int(cli)} | ${int(app)} | ${(app / cli).toFixed(3)} | |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
