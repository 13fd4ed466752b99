import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  countByClass,
  HANDWRITING_LIMITS,
  HANDWRITING_PIXELS,
  HANDWRITING_SIZE,
  strokesSchema,
  type HandwritingSample,
  type HandwritingSet,
  type SaveSampleRequest,
} from '$shared/handwriting/handwriting';
import type { ImageSet } from '$shared/datasets/image-set';
import { imageFromStrokes } from '$shared/preprocess/rasterize-strokes';
import { writeAtomically } from '../atomic-write';
import { checkReadsBack, readSetFile, roundStrokes, serializeSet, type StoredSample } from './set-file';

export const SET_FILE = 'set.json';

/** What a fine-tune trains on: every sample's image and label, and its id to report outcomes by. */
export interface SetSnapshot extends ImageSet {
  ids: string[];
}

/**
 * A rebuild gives the thread back (to IPC above all) once it has run this long. By time, not by a
 * count of samples: one sample within every limit can take 70 ms to rasterize, so 50 of them froze
 * main for seconds. The longest hold is then this plus one sample.
 */
export const REBUILD_SLICE_MS = 15;

/** A fresh sample id: time-ordered, with random bits so two saves in one millisecond differ. */
const defaultId = (): string => `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;

/**
 * The user's handwriting set in `<dir>/set.json` (dir is `<userData>/handwriting`). Read once, kept in
 * memory, and written whole after every change through a temporary file renamed over the old one, so
 * a crash leaves the old set or the new one, never half of either. Changes run one after another,
 * and a change whose file would be past HANDWRITING_LIMITS.fileBytes (which the next launch would
 * refuse to read) or that would not read back is refused, the set staying as it was.
 * A set file that cannot be read is never written over: changes fail, naming it, until it is moved.
 */
export class HandwritingStore {
  #samples: Promise<StoredSample[]> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  /** Samples known to read back as written: read from the file, or checked before a write. */
  readonly #readsBack = new WeakSet<StoredSample>();

  constructor(
    private readonly options: {
      dir: string;
      now?: () => Date;
      newId?: () => string;
      /** The clock a rebuild's slices are measured on, in ms (tests give one that moves per sample). */
      clock?: () => number;
      sliceMs?: number;
    },
  ) {}

  get dir(): string {
    return this.options.dir;
  }

  get file(): string {
    return path.join(this.options.dir, SET_FILE);
  }

  async list(): Promise<HandwritingSet> {
    return toSet(await this.#load());
  }

  /**
   * Every sample's image, label and id, in saving order, from one state of the set: the one after every
   * change asked for so far. A copy: the set may change meanwhile.
   */
  snapshot(): Promise<SetSnapshot> {
    return this.#after((samples) => ({ ...imageSetOf(samples), ids: samples.map((s) => s.id) }));
  }

  add(request: SaveSampleRequest): Promise<HandwritingSample> {
    return this.#change((samples) => {
      if (samples.length >= HANDWRITING_LIMITS.samples) {
        throw new Error(`Your handwriting holds ${HANDWRITING_LIMITS.samples} samples, as many as it may: delete some first.`);
      }
      // The request was checked as sent; the rounded strokes are what the file will hold, so they are checked again.
      const strokes = strokesSchema.safeParse(roundStrokes(request.strokes));
      if (!strokes.success) throw new Error(`This drawing cannot be saved: ${strokes.error.issues[0].message}.`);
      const sample: StoredSample = {
        id: (this.options.newId ?? defaultId)(),
        label: request.label,
        created: (this.options.now?.() ?? new Date()).toISOString(),
        strokes: strokes.data,
        image: Uint8Array.from(request.image),
      };
      return { samples: [...samples, sample], result: publicSample(sample) };
    });
  }

  relabel(id: string, label: number): Promise<HandwritingSample> {
    return this.#change((samples) => {
      const index = indexOf(samples, id);
      const sample = { ...samples[index], label };
      return { samples: samples.map((s, i) => (i === index ? sample : s)), result: publicSample(sample) };
    });
  }

  /** Removes samples by id; unknown ids are an error and nothing is removed. */
  remove(ids: readonly string[]): Promise<number> {
    return this.#change((samples) => {
      for (const id of ids) indexOf(samples, id);
      const gone = new Set(ids);
      return { samples: samples.filter((s) => !gone.has(s.id)), result: gone.size };
    });
  }

  /** Writes the whole set as it is after the changes asked for so far, in the set file's own format, to `file` (atomically). */
  exportTo(file: string): Promise<number> {
    return this.#after(async (samples) => {
      await writeAtomically(file, serializeSet(samples));
      return samples.length;
    });
  }

  /**
   * Adds the samples of an exported set. The file is checked whole before anything changes; samples
   * already in the set (same id) are skipped, so importing one file twice adds it once.
   */
  importFrom(file: string): Promise<{ added: number; skipped: number }> {
    return this.#change(async (samples) => {
      const incoming = await readSetFile(file);
      const known = new Set(samples.map((s) => s.id));
      const fresh = incoming.filter((s) => !known.has(s.id));
      if (samples.length + fresh.length > HANDWRITING_LIMITS.samples) {
        throw new Error(`${file}: its ${fresh.length} new samples would take the set past ${HANDWRITING_LIMITS.samples}`);
      }
      return { samples: [...samples, ...fresh], result: { added: fresh.length, skipped: incoming.length - fresh.length } };
    });
  }

  /** Rebuilds every 28×28 image from its strokes with the current preprocessing; returns how many changed. */
  rebuildImages(): Promise<number> {
    const clock = this.options.clock ?? performance.now.bind(performance);
    const sliceMs = this.options.sliceMs ?? REBUILD_SLICE_MS;
    return this.#change(async (samples) => {
      let changed = 0;
      const rebuilt: StoredSample[] = [];
      let sliceStart = clock();
      for (const sample of samples) {
        // Rasterizing runs on main's one thread: a slice past its time lets queued IPC calls run first.
        if (clock() - sliceStart >= sliceMs) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = clock();
        }
        const image = imageFromStrokes(sample.strokes);
        if (!image || Buffer.compare(image, sample.image) === 0) {
          rebuilt.push(sample);
        } else {
          changed++;
          rebuilt.push({ ...sample, image });
        }
      }
      return { samples: rebuilt, result: changed };
    });
  }

  #load(): Promise<StoredSample[]> {
    this.#samples ??= readSetFile(this.file).then((samples) => {
      for (const sample of samples) this.#readsBack.add(sample);
      return samples;
    }, (error: unknown) => {
      if ((error as { problem?: string }).problem?.startsWith('file not found')) return [];
      // Not kept: the user may move the bad file away and carry on without restarting.
      this.#samples = null;
      throw error;
    });
    return this.#samples;
  }

  /** Runs `use` on the set once every earlier change is done; later changes wait for it. */
  #after<T>(use: (samples: StoredSample[]) => T | Promise<T>): Promise<T> {
    const next = this.#queue.then(async () => use(await this.#load()));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Runs `edit` after every earlier change, writes its samples, then makes them the set. */
  #change<T>(edit: (samples: StoredSample[]) => { samples: StoredSample[]; result: T } | Promise<{ samples: StoredSample[]; result: T }>): Promise<T> {
    return this.#after(async (current) => {
      const { samples, result } = await edit(current);
      const text = serializeSet(samples);
      const bytes = Buffer.byteLength(text);
      if (bytes > HANDWRITING_LIMITS.fileBytes) {
        throw new Error(
          `Your handwriting would take ${sizeOf(bytes)}, past the ${sizeOf(HANDWRITING_LIMITS.fileBytes)} its file may hold (${this.file}): nothing was changed; delete some samples first.`,
        );
      }
      // A file the next launch refuses would lock the set out: the change is refused instead.
      try {
        checkReadsBack(this.file, samples, (s) => this.#readsBack.has(s));
      } catch (error) {
        throw new Error(`Your handwriting would not read back (${(error as Error).message}): nothing was changed.`, { cause: error });
      }
      await mkdir(this.options.dir, { recursive: true });
      await writeAtomically(this.file, text);
      for (const sample of samples) this.#readsBack.add(sample);
      this.#samples = Promise.resolve(samples);
      return result;
    });
  }
}

const sizeOf = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

function indexOf(samples: readonly StoredSample[], id: string): number {
  const index = samples.findIndex((s) => s.id === id);
  if (index < 0) throw new Error(`Your handwriting has no sample "${id.slice(0, 64)}"`);
  return index;
}

function publicSample({ id, label, created, image }: StoredSample): HandwritingSample {
  return { id, label, created, image: image.slice() };
}

function toSet(samples: readonly StoredSample[]): HandwritingSet {
  return { samples: samples.map(publicSample), counts: countByClass(samples.map((s) => s.label)) };
}

export function imageSetOf(samples: readonly Pick<StoredSample, 'image' | 'label'>[]): ImageSet {
  const images = new Uint8Array(samples.length * HANDWRITING_PIXELS);
  samples.forEach((s, i) => images.set(s.image, i * HANDWRITING_PIXELS));
  return { images, labels: Uint8Array.from(samples, (s) => s.label), count: samples.length, rows: HANDWRITING_SIZE, cols: HANDWRITING_SIZE };
}
