import { readdir } from 'node:fs/promises';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageSet } from '../../shared/datasets/image-set';
import { METADATA_LIMITS } from '../../shared/model-metadata';
import { inkFromRgba, MNIST_SIZE, preprocessDigit } from '../../shared/preprocess/mnist-preprocess';
import { DatasetError, ImageTooLargeError } from './dataset-error';
import { jpegDeclaredSize } from './jpeg-header';
import { checkDeclaredSize, checkPngHeader } from './png-header';
import { readRegularFile } from './read-regular-file';

/**
 * Reads a folder of class-named subfolders of PNG or JPEG images, of any colour and up to 2048×2048,
 * into a 28×28 set: each image becomes ink (inverted when its background is light) and goes through
 * the same MNIST-style crop, scale and centring as a drawing. Hidden files and folders (.DS_Store),
 * symbolic links, larger images, files that cannot be read or decoded and files that are not images
 * are skipped, each named with its reason, and classes sort naturally (2 before 10). Decoding is
 * pngjs and jpeg-js, both pure JavaScript.
 */

export interface ImageFolderDataset {
  set: ImageSet;
  classNames: string[];
  /**
   * Files passed over: hidden, symbolic links, not PNG/JPEG, over 2048×2048 (named with their size),
   * unreadable or undecodable (with the reason), or blank (no ink to centre). At most SKIPPED_NAMES
   * of each folder are named, so a folder of a million stray files keeps only its count.
   */
  skipped: { file: string; reason: string }[];
  /** Every file passed over, named in `skipped` or not. */
  skippedCount: number;
}

/** Defaults to FOLDER_LIMITS. */
export interface ReadImageFolderOptions {
  maxImages?: number;
  maxFileBytes?: number;
  maxClasses?: number;
  /** Images decoded so far of those to decode, after each one (the count is known before the first). */
  onProgress?: (done: number, total: number) => void;
  /** Stops the read between two images, throwing the signal's reason. */
  signal?: AbortSignal;
}

/** What a folder of class folders may hold: images, bytes per image file, and classes (as a model may have). */
export const FOLDER_LIMITS = { maxImages: 100_000, maxFileBytes: 20 * 1024 * 1024, maxClasses: METADATA_LIMITS.classes };

const IMAGE = /\.(png|jpe?g)$/i;
const SKIPPED_NAMES = 20;
const LINK = 'a symbolic link, not followed';
/**
 * Every image is scaled down to 28×28, so its own size is free, but decoding holds it whole (RGBA,
 * then grey floats): 2048×2048 keeps that near 100 MB for a scan or a cropped photo of a digit, where
 * a small PNG declaring 8000×8000 asked for 256 MB before a pixel was read.
 */
const MAX_SIDE = 2048;
const MAX_PIXELS = MAX_SIDE * MAX_SIDE;
const SIZE_LIMITS = { maxWidth: MAX_SIDE, maxHeight: MAX_SIDE, maxPixels: MAX_PIXELS };
/** What jpeg-js needs for a MAX_PIXELS image in 4:4:4 colour (measured: about 90 MB), with room. */
const JPEG_MAX_MB = 128;
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export async function readImageFolder(dir: string, opts: ReadImageFolderOptions = {}): Promise<ImageFolderDataset> {
  const maxImages = opts.maxImages ?? FOLDER_LIMITS.maxImages;
  const maxClasses = opts.maxClasses ?? FOLDER_LIMITS.maxClasses;
  const entries = await listDir(dir);
  const skipped: ImageFolderDataset['skipped'] = [];
  let skippedCount = 0;
  /** A fresh recorder of what one folder passed over. */
  const skipper = () => {
    let kept = 0;
    return (file: string, reason: string) => {
      skippedCount++;
      if (kept++ < SKIPPED_NAMES) skipped.push({ file, reason });
    };
  };
  // A linked class folder would silently not be a class: say so, as for a linked image.
  const skipAtTop = skipper();
  for (const e of entries) if (e.isSymbolicLink() && !e.name.startsWith('.')) skipAtTop(path.join(dir, e.name), LINK);
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(natural.compare);
  if (classes.length < 2) {
    throw new DatasetError(dir, `holds ${classes.length} class folder${classes.length === 1 ? '' : 's'}; an image dataset needs one folder per class, at least two`);
  }
  if (classes.length > maxClasses) throw new DatasetError(dir, `holds ${classes.length} class folders, more than the ${maxClasses} allowed`);
  // Phase 1, listing: every class folder's candidate images, counted before a single one is decoded,
  // so a folder of too many is refused at once rather than after minutes of decoding.
  const listed: { label: number; files: string[]; skip: (file: string, reason: string) => void }[] = [];
  let total = 0;
  for (const [label, name] of classes.entries()) {
    const folder = path.join(dir, name);
    const skip = skipper();
    const files = (await listDir(folder)).filter((e) => {
      const file = path.join(folder, e.name);
      if (e.name.startsWith('.')) return void skip(file, 'hidden');
      if (e.isSymbolicLink()) return void skip(file, LINK);
      if (!e.isFile() || !IMAGE.test(e.name)) return void skip(file, 'not a PNG or JPEG file');
      return true;
    });
    total += files.length;
    listed.push({ label, skip, files: files.map((e) => e.name).sort(natural.compare).map((n) => path.join(folder, n)) });
  }
  if (total > maxImages) throw new DatasetError(dir, `holds ${total} PNG or JPEG images, more than the ${maxImages} allowed; none was decoded`);
  // Phase 2, decoding, with progress and a cancel between images.
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  let tooLarge = 0;
  let unreadable = 0;
  let done = 0;
  opts.onProgress?.(0, total);
  for (const { label, files, skip } of listed) {
    for (const file of files) {
      opts.signal?.throwIfAborted();
      if (done > 0) opts.onProgress?.(done, total);
      done++;
      let image: Uint8Array | null;
      try {
        image = await toMnist(file, opts.maxFileBytes ?? FOLDER_LIMITS.maxFileBytes);
      } catch (err) {
        // One big photo or one corrupt file among thousands of digits must not fail the folder: it is
        // named in the preview's skipped list with its problem, and the rest are imported.
        if (!(err instanceof DatasetError)) throw err;
        if (err instanceof ImageTooLargeError) tooLarge++;
        else unreadable++;
        skip(file, err.problem);
        continue;
      }
      if (image === null) {
        skip(file, 'blank: no ink to centre');
        continue;
      }
      pixels.push(image);
      labels.push(label);
    }
  }
  opts.onProgress?.(total, total);
  if (pixels.length === 0) {
    const passed = [
      tooLarge > 0 ? `${tooLarge} over ${MAX_SIDE}×${MAX_SIDE}` : '',
      unreadable > 0 ? `${unreadable} that could not be read or decoded` : '',
    ].filter(Boolean);
    const over = passed.length > 0 ? ` (skipped: ${passed.join(', ')})` : '';
    throw new DatasetError(dir, `holds no PNG or JPEG image with any ink${over}`);
  }
  const size = MNIST_SIZE * MNIST_SIZE;
  const images = new Uint8Array(pixels.length * size);
  pixels.forEach((p, i) => images.set(p, i * size));
  return {
    set: { images, labels: Uint8Array.from(labels), count: pixels.length, rows: MNIST_SIZE, cols: MNIST_SIZE },
    classNames: classes,
    skipped,
    skippedCount,
  };
}

async function toMnist(file: string, maxBytes: number): Promise<Uint8Array | null> {
  const isPng = /\.png$/i.test(file);
  const bytes = await readRegularFile(file, {
    expected: 'a PNG or JPEG image',
    maxBytes,
    checkHead: isPng ? (head) => checkPngHeader(file, head, SIZE_LIMITS) : undefined,
  });
  const declared = isPng ? null : jpegDeclaredSize(bytes);
  if (declared) checkDeclaredSize(file, declared.width, declared.height, SIZE_LIMITS);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba = isPng
      ? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))
      : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: JPEG_MAX_MB });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // jpeg-js' own limits, for a frame header the walk above did not find.
    if (/limit exceeded/.test(message)) throw new ImageTooLargeError(file, `is too large to decode as JPEG (${message.slice(0, 160)})`, { cause: err });
    throw new DatasetError(file, `cannot be decoded as ${isPng ? 'PNG' : 'JPEG'} (${message.slice(0, 160)})`, { cause: err });
  }
  const result = preprocessDigit(inkFromRgba(rgba.data, rgba.width, rgba.height));
  if (!result) return null;
  return Uint8Array.from(result.input, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new DatasetError(dir, code === 'ENOTDIR' ? 'is not a folder' : code === 'ENOENT' ? 'folder not found' : 'cannot be listed', { cause: err });
  }
}
