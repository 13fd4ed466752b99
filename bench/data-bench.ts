/**
 * Figures for the Data tab's download and import (issue #10): time and peak RSS for 60,000 images of
 * each format, each case in its own child process so one case's memory cannot hide another's. It needs
 * the Fashion-MNIST copies in ../shared/datasets/fashion-mnist (served from a loopback mirror for the
 * download). Run: npx tsx bench/data-bench.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readCsvDataset } from '../src/engine/data/import-csv';
import { readImageFolder } from '../src/engine/data/import-images';
import { readIdxPair } from '../src/engine/data/import-idx';
import { readPngBatch } from '../src/engine/data/import-png-batch';
import { PNG } from 'pngjs';
import { mkdir } from 'node:fs/promises';
import { splitByFraction, writeIdxDataset } from '../src/engine/data/write-idx';
import { DatasetDownloadService } from '../src/main/services/dataset-download-service';
import { nodeFetch } from '../src/main/services/download/fetcher';
import { DATASETS } from '../src/shared/datasets/catalog';
import { startMirror } from '../tests/helpers/dataset-mirror';
import { ROOT } from './script';

const SHARED = path.resolve(ROOT, '../shared/datasets/fashion-mnist');
const FILES = DATASETS['fashion-mnist'].files;
const SELF = fileURLToPath(import.meta.url);

async function child(kind: string, work: string): Promise<void> {
  const start = performance.now();
  let images = 0;
  if (kind === 'download') {
    const files = new Map<string, Uint8Array>();
    for (const f of Object.values(FILES)) files.set(f.name, await readFile(path.join(SHARED, f.name)));
    const mirror = await startMirror(files);
    const t0 = performance.now();
    const downloads = new DatasetDownloadService({ fetch: nodeFetch, userDataDir: path.join(work, 'user'), events: () => {}, mirrors: () => [mirror.url('good')] });
    const result = await downloads.download('fashion-mnist');
    if (result.state !== 'done') throw new Error(result.message ?? result.state);
    await mirror.close();
    images = 70_000;
    return print(kind, performance.now() - t0, images);
  }
  if (kind === 'csv') images = (await readCsvDataset(path.join(work, 'train.csv'))).set.count;
  if (kind === 'csv-import') {
    const { set } = await readCsvDataset(path.join(work, 'train.csv'));
    await writeIdxDataset(path.join(work, `imported-${process.pid}`), splitByFraction(set, 1 / 7));
    images = set.count;
  }
  if (kind === 'idx-gz') images = (await readIdxPair(path.join(SHARED, FILES.trainImages.name), path.join(SHARED, FILES.trainLabels.name))).set.count;
  if (kind === 'png-batch') images = (await readPngBatch(path.join(work, 'batch.png'), path.join(work, 'labels.json'))).set.count;
  if (kind === 'image-folder') images = (await readImageFolder(path.join(work, 'folder'))).set.count;
  if (kind === 'idx-raw') images = (await readIdxPair(path.join(work, 'train-images-idx3-ubyte'), path.join(work, 'train-labels-idx1-ubyte'))).set.count;
  print(kind, performance.now() - start, images);
}

function print(kind: string, ms: number, images: number): void {
  console.log(JSON.stringify({ kind, ms, images, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') return child(process.argv[3], process.argv[4]);
  if (!Object.values(FILES).every((f) => existsSync(path.join(SHARED, f.name)))) {
    console.log(`No Fashion-MNIST copy in ${SHARED}: nothing to measure.`);
    return;
  }
  const work = await mkdtemp(path.join(tmpdir(), 'mlp-lab-data-bench-'));
  try {
    const images = gunzipSync(await readFile(path.join(SHARED, FILES.trainImages.name)));
    const labels = gunzipSync(await readFile(path.join(SHARED, FILES.trainLabels.name)));
    await writeFile(path.join(work, 'train-images-idx3-ubyte'), images);
    await writeFile(path.join(work, 'train-labels-idx1-ubyte'), labels);
    const lines = ['label,' + Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')];
    for (let i = 0; i < 60_000; i++) lines.push(`${labels[8 + i]},${images.subarray(16 + i * 784, 16 + (i + 1) * 784).join(',')}`);
    await writeFile(path.join(work, 'train.csv'), lines.join('\n') + '\n');
    const batch = new PNG({ width: 784, height: 60_000 });
    for (let p = 0; p < 60_000 * 784; p++) batch.data.set([images[16 + p], images[16 + p], images[16 + p], 255], p * 4);
    await writeFile(path.join(work, 'batch.png'), PNG.sync.write(batch));
    await writeFile(path.join(work, 'labels.json'), JSON.stringify(Array.from(labels.subarray(8))));
    // The folder format: the same 60,000 images as 28×28 PNG files in one folder per class.
    const classes = DATASETS['fashion-mnist'].classNames;
    for (const [c] of classes.entries()) await mkdir(path.join(work, 'folder', `class-${c}`), { recursive: true });
    const tile = new PNG({ width: 28, height: 28 });
    for (let i = 0; i < 60_000; i++) {
      for (let p = 0; p < 784; p++) tile.data.set([images[16 + i * 784 + p], images[16 + i * 784 + p], images[16 + i * 784 + p], 255], p * 4);
      await writeFile(path.join(work, 'folder', `class-${labels[8 + i]}`, `${i}.png`), PNG.sync.write(tile));
    }
    console.log('| case | images | time | peak RSS (whole process) |\n| --- | ---: | ---: | ---: |');
    for (const kind of ['baseline', 'download', 'idx-gz', 'idx-raw', 'csv', 'csv-import', 'png-batch', 'image-folder']) {
      const run = spawnSync(process.execPath, [...process.execArgv, SELF, 'child', kind, work], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
      const line = run.stdout.trim().split('\n').at(-1) ?? '';
      try {
        const r = JSON.parse(line) as { ms: number; images: number; maxRssMiB: number };
        console.log(`| ${kind} | ${r.images.toLocaleString('en')} | ${(r.ms / 1000).toFixed(2)} s | ${r.maxRssMiB.toFixed(0)} MiB |`);
      } catch {
        console.log(`| ${kind} | failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1)?.slice(0, 200)} | | |`);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
