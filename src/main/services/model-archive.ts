import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { METADATA_FILE, MODEL_FILE, READ_LIMITS, readBoundedFile, WEIGHTS_FILE, type ModelFiles } from '../../engine/ml/model-files';
import { writeAtomically } from './atomic-write';
import { ImportError, type ImportSource } from './model-import';
import { jsonSyntaxProblem } from '../../shared/json-syntax';
import { MODEL_INPUTS } from '../../shared/model-input';

/** Export and import containers: a folder, a model.json with its shards, or one .zip. */

export const README_FILE = 'README.txt';
/** A zip larger than this, or holding more than this once inflated, is refused (zip bombs). */
export const ZIP_LIMITS = { file: 512 * 2 ** 20, inflated: 512 * 2 ** 20, entries: 1000 };
/** The caps a folder's model.json and metadata.json are read under hold inside a zip too. */
const ENTRY_CAPS: Readonly<Record<string, number>> = { [MODEL_FILE]: READ_LIMITS.modelJson, [METADATA_FILE]: READ_LIMITS.metadata };

export function readmeText(files: ModelFiles): string {
  const m = files.metadata;
  return [
    `${m.name}: a multi-layer perceptron trained with MLP Lab`,
    '',
    `Input: ${m.imageShape.join('x')} grey images flattened to ${m.imageShape[0] * m.imageShape[1]} values,`,
    m.normalization === 'divide255' ? 'each pixel divided by 255 (0..1).' : 'scaled to unit length.',
    `Output: probabilities for the classes ${m.classNames.join(', ')}.`,
    '',
    'Files: model.json (topology and weights manifest), weights.bin (float32 weights),',
    'metadata.json (MLP Lab: dataset, class names, normalisation, metrics, training history).',
    '',
    'In a web page (TensorFlow.js), with the files served beside the page:',
    '  const model = await tf.loadLayersModel("model.json");',
    `  const probabilities = model.predict(tf.tensor2d(pixels, [1, ${MODEL_INPUTS}]));`,
    '',
    'In Python (pip install tensorflowjs):',
    '  import tensorflowjs as tfjs',
    '  model = tfjs.converters.load_keras_model("model.json")',
    `  probabilities = model.predict(pixels.reshape(1, ${MODEL_INPUTS}))`,
    '',
  ].join('\n');
}

function entries(files: ModelFiles): Record<string, Uint8Array> {
  const text = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, 2));
  return {
    [MODEL_FILE]: text(files.modelJson),
    [WEIGHTS_FILE]: new Uint8Array(files.weights),
    [METADATA_FILE]: text(files.metadata),
    [README_FILE]: new TextEncoder().encode(readmeText(files)),
  };
}

/** Writes the export to a new folder (an existing non-empty one is refused, never overwritten). */
export async function exportFolder(target: string, files: ModelFiles): Promise<void> {
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new Error(`${target}: cannot export here (${error.code})`);
  });
  if (existing && existing.length > 0) throw new Error(`${target}: the folder is not empty; choose a new or empty folder`);
  await mkdir(target, { recursive: true });
  for (const [name, bytes] of Object.entries(entries(files))) await writeFile(path.join(target, name), bytes);
}

/**
 * Writes the export as one zip, through a new temporary file of a random name, so a failed write leaves
 * nothing half done and whatever already sits beside the target (a FIFO, a link, a file of the user's
 * named like a fixed temporary name) is neither opened nor removed.
 */
export async function exportZip(target: string, files: ModelFiles): Promise<void> {
  await writeAtomically(target, zipSync(entries(files), { level: 6 }));
}

/** What a read failure says, naming the file. */
function readFailure(file: string, error: unknown): ImportError {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return new ImportError(`${file} is missing`);
  if (code === 'ENOTFILE' || code === 'ETOOBIG') return new ImportError(`${file} is ${message}`);
  return new ImportError(`${file}: cannot read it (${code ?? message})`);
}

async function readLimited(file: string, limit: number): Promise<Buffer> {
  try {
    return await readBoundedFile(file, limit);
  } catch (error) {
    throw readFailure(file, error);
  }
}

function parseJson(file: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ImportError(`${file} is not valid JSON (${jsonSyntaxProblem(error)})`);
  }
}

/** A folder holding model.json (and its shards, maybe metadata.json), or the model.json file itself. */
export async function sourceFromPath(chosen: string, isFolder: boolean): Promise<ImportSource> {
  const dir = isFolder ? chosen : path.dirname(chosen);
  const file = isFolder ? path.join(chosen, MODEL_FILE) : chosen;
  const modelJson = parseJson(file, await readLimited(file, READ_LIMITS.modelJson));
  const metadataFile = path.join(dir, METADATA_FILE);
  const metadata = await readBoundedFile(metadataFile, READ_LIMITS.metadata).then(
    (bytes) => parseJson(metadataFile, bytes),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw readFailure(metadataFile, error);
    },
  );
  return {
    file,
    modelJson,
    metadata,
    readShard: (name, maxBytes) => readLimited(path.join(dir, name), maxBytes),
    fallbackName: path.basename(dir) || 'Imported model',
  };
}

/**
 * A zip with model.json at its top level. Entries are checked before anything is inflated: no folders
 * or paths in names (zip-slip), a bounded count and total inflated size; the inflated sizes are checked
 * again against what the zip declared.
 */
export async function sourceFromZip(zipPath: string): Promise<ImportSource> {
  const bytes = await readLimited(zipPath, ZIP_LIMITS.file);
  let declared = 0;
  let count = 0;
  let refused: string | null = null;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (entry) => {
        count++;
        if (entry.name.endsWith('/') && !refused) refused = `holds a folder (${entry.name}); zip the model's files themselves`;
        else if (/[/\\]|^\.\.?$|:/.test(entry.name) && !refused) refused = `entry "${entry.name.slice(0, 120)}" has a path; only plain file names are read`;
        const cap = ENTRY_CAPS[entry.name];
        if (cap !== undefined && entry.originalSize > cap && !refused) refused = `${entry.name} declares ${entry.originalSize} bytes, more than the ${cap} it may take`;
        declared += entry.originalSize;
        if (count > ZIP_LIMITS.entries || declared > ZIP_LIMITS.inflated) refused ??= `holds more than ${ZIP_LIMITS.inflated} bytes or ${ZIP_LIMITS.entries} entries once inflated`;
        return refused === null;
      },
    });
  } catch (error) {
    throw new ImportError(`${zipPath} is not a readable zip (${(error as Error).message})`);
  }
  if (refused) throw new ImportError(`${zipPath} ${refused}`);
  const inflated = Object.values(files).reduce((n, f) => n + f.byteLength, 0);
  if (inflated > declared) throw new ImportError(`${zipPath} inflates to more bytes than it declares`);
  // Again once inflated: a zip's declared sizes are the zip's word only.
  for (const [name, cap] of Object.entries(ENTRY_CAPS)) {
    const size = Object.hasOwn(files, name) ? files[name].byteLength : 0;
    if (size > cap) throw new ImportError(`${zipPath}: ${name} is ${size} bytes, more than the ${cap} it may take`);
  }
  const file = `${zipPath}: ${MODEL_FILE}`;
  if (!files[MODEL_FILE]) throw new ImportError(`${zipPath} holds no ${MODEL_FILE} at its top level`);
  const modelJson = parseJson(file, files[MODEL_FILE]);
  const metadata = files[METADATA_FILE] ? parseJson(`${zipPath}: ${METADATA_FILE}`, files[METADATA_FILE]) : null;
  return {
    file,
    modelJson,
    metadata,
    readShard: async (name, maxBytes) => {
      const shard = Object.hasOwn(files, name) ? files[name] : undefined;
      if (!shard) throw new ImportError(`${zipPath}: shard ${name} named in ${MODEL_FILE} is missing`);
      if (shard.byteLength > maxBytes) throw new ImportError(`${zipPath}: shard ${name} is ${shard.byteLength} bytes, more than the ${maxBytes} its weights need`);
      return shard;
    },
    fallbackName: path.basename(zipPath).replace(/\.(zip|mlpmodel)$/i, '') || 'Imported model',
  };
}
