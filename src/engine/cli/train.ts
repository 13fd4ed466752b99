import path from 'node:path';
import { DATASETS } from '../../shared/datasets/catalog';
import { summarizeSpec } from '../../shared/model-summary';
import { DatasetError } from '../data/dataset-error';
import { bundledDatasetDir, loadDataset } from '../data/load-dataset';
import { describeChoice } from '../../shared/backend-choice';
import { BackendUnavailableError, describeBackend, selectBackend } from '../ml/backend';
import { FileChoiceCache } from '../ml/choice-cache';
import { runChooser } from '../ml/tfjs-candidates';
import { kernelCandidates } from '../kernel/kernel-choice';
import { createModel, summarize } from '../ml/model';
import { ModelFileError, writeModelFiles } from '../ml/persist';
import { NonFiniteLossError } from '../ml/train';
import { TrainingEngine } from '../training/engine';
import { HELP, parseTrainArgs, UsageError, type TrainCommand } from './args';
import { formatEpochLine } from '../../shared/format-epoch';
import { runSamplesPerSecond } from '../../shared/training';
import { formatSummary } from './format';
import { checkOutDir } from './out-dir';
import { RESOURCES_DIR } from './resources-dir';

async function main(argv: string[]): Promise<number> {
  let command: TrainCommand;
  try {
    command = parseTrainArgs(argv);
    if (command.outDir !== null && !command.help && !command.summary) await checkOutDir(command.outDir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}\nRun with --help for the options.`);
    return 2;
  }
  if (command.help) {
    console.log(HELP);
    return 0;
  }
  const { spec } = command;
  const info = DATASETS[command.dataset];
  const shape = { inputSize: info.imageSize.rows * info.imageSize.cols, numClasses: info.classNames.length };
  // --backend pins one as MLP_LAB_BACKEND does: only that one is started, and nothing is measured.
  const pinned = command.backend ?? (process.env.MLP_LAB_BACKEND || undefined);
  const backend = await selectBackend(pinned);
  if (command.summary) {
    const model = createModel(spec, shape);
    const { rows, totalParams } = summarize(model);
    console.log(formatSummary(rows, totalParams));
    model.dispose();
    return 0;
  }

  console.log(`backend: ${describeBackend(backend)}${backend.skipped.length ? ` — skipped ${backend.skipped.join('; ')}` : ''}`);
  const dataDir = command.dataDir ?? (info.bundled ? bundledDatasetDir(RESOURCES_DIR, info.id) : null);
  if (!dataDir) {
    console.error(`error: ${info.displayName} is not bundled; download it and pass --data-dir DIR`);
    return 2;
  }
  const dataset = await loadDataset(dataDir, command.dataset);
  const name = command.presetId ?? 'custom';
  console.log(`${info.displayName}: ${dataset.train.count} training and ${dataset.test.count} test images; preset ${name}`);

  // The app's own pipeline, so the CLI and the Train panel cannot drift apart.
  const chooseBackend = runChooser(backend, {
    pinned: () => pinned,
    cache: command.cacheDir ? new FileChoiceCache(command.cacheDir) : null,
    extra: kernelCandidates(pinned),
  });
  const engine = new TrainingEngine(async () => dataset, backend.active, { trainSetMetrics: true, chooseBackend });
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error('\nStopping after the current batch (Ctrl+C again to quit now)…');
    engine.stop();
  };
  process.on('SIGINT', onSigint);
  const outcome = await engine
    .start(spec, command.dataset, name, {
      onChoice: (choice) => console.log(`training on ${describeChoice(choice)}`),
      onEpoch: (log) => console.log(formatEpochLine(log, spec.epochs)),
    })
    .finally(() => process.off('SIGINT', onSigint));
  const { metadata } = outcome.files;

  const { stepper } = outcome;
  console.log(`step: ${stepper.name}${stepper.detail ? ` (${stepper.detail})` : ''}${stepper.fallback ? ` — the kernel was not used: ${stepper.fallback}` : ''}`);
  console.log(`train accuracy: ${outcome.trainAccuracy!.toFixed(4)}`);
  console.log(`test loss: ${outcome.testLoss.toFixed(4)} - test accuracy: ${outcome.testAccuracy.toFixed(4)}`);
  if (command.outDir) {
    await checkOutDir(command.outDir);
    await writeModelFiles(command.outDir, outcome.files);
    console.log(`saved to ${path.resolve(command.outDir)}`);
  }
  if (command.json) {
    const { rows, cols } = dataset.train;
    console.log(
      JSON.stringify({
        dataset: command.dataset,
        preset: command.presetId,
        backend: outcome.choice?.name ?? backend.active,
        threads: (outcome.choice?.name ?? backend.active) === 'wasm' ? (backend.wasm?.threads ?? null) : null,
        backendChoice: outcome.choice && { ...outcome.choice, text: describeChoice(outcome.choice) },
        params: summarizeSpec(spec, rows * cols, dataset.classNames.length).totalParams,
        epochs: outcome.epochsDone,
        trainSeconds: outcome.trainSeconds,
        samplesPerSecond: runSamplesPerSecond(metadata.history),
        trainAccuracy: outcome.trainAccuracy,
        testAccuracy: outcome.testAccuracy,
        testLoss: outcome.testLoss,
        stopped: outcome.stopped,
        stepper: outcome.stepper.name,
        stepperDetail: outcome.stepper.detail,
        kernelFallback: outcome.stepper.fallback,
      }),
    );
  }
  engine.reset();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known =
      error instanceof BackendUnavailableError || error instanceof UsageError ||
      error instanceof DatasetError || error instanceof ModelFileError || error instanceof NonFiniteLossError;
    console.error(`error: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}`);
    if (error instanceof NonFiniteLossError) console.error('Lower --lr (or the momentum) and run again.');
    process.exit(1);
  },
);
