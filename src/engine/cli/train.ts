import path from 'node:path';
import { DATASETS } from '../../shared/datasets/catalog';
import { DatasetError } from '../data/dataset-error';
import { bundledDatasetDir, loadDataset } from '../data/load-dataset';
import { backendLabel, selectBackend } from '../ml/backend';
import { createModel, summarize } from '../ml/model';
import { ModelFileError, saveModel } from '../ml/persist';
import { NonFiniteLossError } from '../ml/train';
import { runTraining } from '../training/run-training';
import { HELP, parseTrainArgs, UsageError, type TrainCommand } from './args';
import { formatEpochLine } from '../../shared/format-epoch';
import { runSamplesPerSecond } from '../../shared/training';
import { formatSummary } from './format';
import { RESOURCES_DIR } from './resources-dir';

async function main(argv: string[]): Promise<number> {
  let command: TrainCommand;
  try {
    command = parseTrainArgs(argv);
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
  const backend = await selectBackend();
  if (command.summary) {
    const model = createModel(spec, shape);
    const { rows, totalParams } = summarize(model);
    console.log(formatSummary(rows, totalParams));
    model.dispose();
    return 0;
  }

  const simd = backend.simd === undefined ? '' : backend.simd ? ' (SIMD)' : ' (no SIMD)';
  console.log(`backend: ${backendLabel(backend.active)}${simd}${backend.skipped.length ? ` — skipped ${backend.skipped.join('; ')}` : ''}`);
  const dataDir = command.dataDir ?? (info.bundled ? bundledDatasetDir(RESOURCES_DIR, info.id) : null);
  if (!dataDir) {
    console.error(`error: ${info.displayName} is not bundled; download it and pass --data-dir DIR`);
    return 2;
  }
  const dataset = await loadDataset(dataDir, command.dataset);
  const name = command.presetId ?? 'custom';
  console.log(`${info.displayName}: ${dataset.train.count} training and ${dataset.test.count} test images; preset ${name}`);

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    console.error('\nStopping after the current batch (Ctrl+C again to quit now)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const run = await runTraining({
    dataset,
    spec,
    name,
    backend: backend.active,
    signal: controller.signal,
    callbacks: { onEpochEnd: (log) => console.log(formatEpochLine(log, spec.epochs)) },
  });
  process.off('SIGINT', onSigint);

  console.log(`train accuracy: ${run.trainEvaluation.accuracy.toFixed(4)}`);
  console.log(`test loss: ${run.test.loss.toFixed(4)} - test accuracy: ${run.test.accuracy.toFixed(4)}`);
  if (command.outDir) {
    await saveModel(run.model, command.outDir, run.metadata);
    console.log(`saved to ${path.resolve(command.outDir)}`);
  }
  if (command.json) {
    console.log(
      JSON.stringify({
        dataset: command.dataset,
        preset: command.presetId,
        backend: backend.active,
        params: run.model.countParams(),
        epochs: run.result.epochsCompleted,
        trainSeconds: run.trainSeconds,
        samplesPerSecond: runSamplesPerSecond(run.result.history),
        trainAccuracy: run.trainEvaluation.accuracy,
        testAccuracy: run.test.accuracy,
        testLoss: run.test.loss,
        stopped: run.result.stopped,
      }),
    );
  }
  run.model.dispose();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof DatasetError || error instanceof ModelFileError || error instanceof NonFiniteLossError;
    console.error(`error: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
