import { PNG } from 'pngjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import { DatasetError } from './dataset-error';
import { checkPngHeader } from './png-header';
import { readRegularFile } from './read-regular-file';
import { jsonSyntaxProblem } from '../../shared/json-syntax';

/**
 * The sheet's size is checked before pngjs allocates 4 bytes a pixel for it: a row is one image of at
 * most 256×256 (the cap on every imported image), and 64 Mi pixels in all (256 MiB decoded). That is
 * 85,598 images of 28×28, more than MNIST's 70,000; the 1,000,000 rows (the CSV import's cap) bind
 * only for images of 8×8 or smaller. A million 28×28 images would be 748 Mi pixels, about 3 GiB
 * decoded beside the inflated rows and the file: too much for one read, so a bigger set comes as CSV.
 */
export const SHEET_LIMITS = { maxWidth: 256 * 256, maxHeight: 1_000_000, maxPixels: 64 * 1024 * 1024 };
/** The PNG file itself: a sheet at SHEET_LIMITS.maxPixels compresses to far less. */
const SHEET_MAX_BYTES = 256 * 1024 * 1024;
/** The labels file: a label of a few bytes per row of the biggest sheet, with room. */
const LABELS_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Reads 002's PNG batch: one image per row of a PNG (784 pixels wide for 28×28, N rows), its grey
 * levels in the red channel (grey PNGs decode with r = g = b), with the labels in a JSON list
 * (`[5, 0, 4, …]`) or a text file of whole numbers separated by commas, spaces or line ends.
 */
export async function readPngBatch(pngPath: string, labelsPath: string): Promise<{ set: ImageSet; numClasses: number }> {
  const bytes = await readRegularFile(pngPath, {
    expected: 'a PNG with one image per row',
    maxBytes: SHEET_MAX_BYTES,
    checkHead: (head) => checkPngHeader(pngPath, head, SHEET_LIMITS),
  });
  let image: PNG;
  try {
    image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (err) {
    throw new DatasetError(pngPath, `cannot be decoded as PNG (${(err instanceof Error ? err.message : String(err)).slice(0, 160)})`, { cause: err });
  }
  const side = Math.round(Math.sqrt(image.width));
  if (side * side !== image.width) {
    throw new DatasetError(pngPath, `is ${image.width} pixels wide, which is not a square image per row (28×28 needs 784)`);
  }
  const labels = parseLabels(labelsPath, new TextDecoder().decode(await readRegularFile(labelsPath, { expected: 'a JSON list or a text file of labels', maxBytes: LABELS_MAX_BYTES })));
  if (labels.length !== image.height) {
    throw new DatasetError(labelsPath, `holds ${labels.length} labels, but ${pngPath} has ${image.height} rows (one image each)`);
  }
  const count = image.height;
  const images = new Uint8Array(count * image.width);
  for (let p = 0; p < images.length; p++) images[p] = image.data[p * 4];
  let max = 0;
  for (const label of labels) if (label > max) max = label;
  return { set: { images, labels: Uint8Array.from(labels), count, rows: side, cols: side }, numClasses: max + 1 };
}

function parseLabels(file: string, text: string): number[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new DatasetError(file, `is not valid JSON (${jsonSyntaxProblem(err)})`);
    }
    if (!Array.isArray(parsed)) throw new DatasetError(file, 'is not a JSON list of labels');
    return parsed.map((value, i) => checkLabel(file, value, `item ${i}`));
  }
  const labels: number[] = [];
  trimmed.split('\n').forEach((line, l) => {
    line
      .split(/[\s,]+/)
      .filter((t) => t !== '')
      .forEach((token) => labels.push(checkLabel(file, /^\d+$/.test(token) ? Number(token) : token, `line ${l + 1}`)));
  });
  return labels;
}

function checkLabel(file: string, value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
    throw new DatasetError(file, `${where}: ${JSON.stringify(value)?.slice(0, 40)} is not a label (a whole number 0..255)`);
  }
  return value;
}
