import { untrack } from 'svelte';
import type { Api } from '$shared/ipc/contract';
import type { NearestDigits } from '$shared/projector/projector';

/** The part of window.api a nearest-digits search uses, so tests can hand it a fake. */
export type NearestApi = Pick<Api, 'nearestDigits' | 'getSamples'>;

const MAX_THUMBNAILS = 400;

/**
 * The training images nearest an image to the active model (the drawing, a Gallery image), with their
 * thumbnails. One search at a time: while one runs, only the newest image asked for waits, so a
 * drawing in progress never queues up a search per stroke point.
 */
export class NearestSearch {
  result = $state.raw<NearestDigits | null>(null);
  /** Training images by index, grey levels 0..255. */
  thumbnails = $state.raw<ReadonlyMap<number, Uint8Array>>(new Map());
  imageShape = $state.raw({ rows: 28, cols: 28 });
  error = $state<string | null>(null);
  busy = $state(false);
  #pending: Float32Array | null = null;
  #running = false;
  /** Bumped by a clear, so that an answer to an older image is dropped. */
  #generation = 0;

  constructor(private readonly api: () => NearestApi | null) {}

  /**
   * Keeps the answer in step with an image (a drawing stroke by stroke, a Gallery image) and the active
   * model; call it from a component's script. A new model sees the digits differently, so its answer to
   * the old image goes at once rather than staying up until the new one comes.
   */
  follow(image: () => Float32Array | null, modelId: () => string | null): void {
    let searchedWith: string | null | undefined;
    $effect(() => {
      const pixels = image();
      const model = modelId();
      untrack(() => {
        if (model !== searchedWith) this.search(null);
        searchedWith = model;
        this.search(pixels);
      });
    });
  }

  /** Searches for `pixels` (rows × cols values 0..1); null clears the answer. */
  search(pixels: Float32Array | null): void {
    if (!pixels) {
      this.#generation++;
      this.#pending = null;
      this.result = null;
      this.error = null;
      return;
    }
    this.#pending = pixels;
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    const api = this.api();
    if (!api) return;
    this.#running = true;
    this.busy = true;
    while (this.#pending) {
      const pixels = this.#pending;
      this.#pending = null;
      const generation = this.#generation;
      try {
        const result = await api.nearestDigits({ pixels: Array.from(pixels) });
        // A long session's thumbnails are let go now and then rather than kept for ever.
        const thumbnails = new Map(this.thumbnails.size > MAX_THUMBNAILS ? [] : this.thumbnails);
        const missing = result.neighbours.map((n) => n.index).filter((i) => !thumbnails.has(i));
        if (missing.length > 0) {
          const samples = await api.getSamples({ datasetId: result.datasetId, split: 'train', indices: missing });
          const size = samples.rows * samples.cols;
          samples.indices.forEach((index, k) => thumbnails.set(index, samples.images.slice(k * size, (k + 1) * size)));
          this.imageShape = { rows: samples.rows, cols: samples.cols };
        }
        if (generation !== this.#generation) continue;
        this.thumbnails = thumbnails;
        this.result = result;
        this.error = null;
      } catch (error) {
        if (generation === this.#generation) this.error = error instanceof Error ? error.message : String(error);
      }
    }
    this.#running = false;
    this.busy = false;
  }
}
