
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** One pen-down-to-pen-up path, in canvas pixels. */
export type Stroke = readonly Point[];

/** A grey image under the strokes (a test image opened from the Gallery): 0 = background, 255 = ink. */
export interface BaseImage {
  readonly pixels: Uint8Array;
  readonly rows: number;
  readonly cols: number;
}

/** What undo brings back: the strokes and the image they were drawn over. */
interface Snapshot {
  readonly strokes: readonly Stroke[];
  readonly image: BaseImage | null;
}

/** Enough to undo a long session, without keeping every snapshot of an hours-long one alive. */
const MAX_UNDO = 200;

/**
 * The strokes on the drawing canvas, the image they may be drawn over, and their history. Every array
 * is immutable and replaced on change, so an undo snapshot is just the previous values and nothing
 * needs deep reactivity.
 */
export class Drawing {
  strokes = $state.raw<readonly Stroke[]>([]);
  image = $state.raw<BaseImage | null>(null);
  /** Bumped on every change, including each point of a stroke in progress: the trigger for re-inference. */
  version = $state(0);
  /** A stroke is in progress (pointer down). */
  drawing = $state(false);
  #undo = $state.raw<readonly Snapshot[]>([]);

  readonly isEmpty = $derived(this.strokes.length === 0 && this.image === null);
  readonly canUndo = $derived(this.#undo.length > 0);

  beginStroke(point: Point): void {
    this.#remember();
    this.strokes = [...this.strokes, [point]];
    this.drawing = true;
    this.version++;
  }

  /** Adds points (a pointer move's coalesced samples) to the stroke in progress; ignored when none is. */
  extendStroke(...points: Point[]): void {
    if (!this.drawing) return;
    const last = this.strokes[this.strokes.length - 1];
    const added: Point[] = [];
    let previous = last[last.length - 1];
    for (const point of points) {
      // Pointer events repeat positions (pressure changes, coalesced moves); a repeat adds nothing.
      if (point.x === previous.x && point.y === previous.y) continue;
      added.push(point);
      previous = point;
    }
    if (added.length === 0) return;
    this.strokes = [...this.strokes.slice(0, -1), [...last, ...added]];
    this.version++;
  }

  endStroke(): void {
    this.drawing = false;
  }

  /** Replaces the drawing with an image to draw over (Open in Draw); undo brings the old drawing back. */
  setImage(image: BaseImage): void {
    if (image.pixels.length !== image.rows * image.cols) {
      throw new RangeError(`an image of ${image.rows}×${image.cols} needs ${image.rows * image.cols} pixels, not ${image.pixels.length}`);
    }
    this.#remember();
    this.drawing = false;
    this.image = image;
    this.strokes = [];
    this.version++;
  }

  /** Returns to the state before the last stroke, image or clear; a stroke in progress is cancelled. */
  undo(): void {
    const previous = this.#undo[this.#undo.length - 1];
    if (previous === undefined) return;
    this.#undo = this.#undo.slice(0, -1);
    this.strokes = previous.strokes;
    this.image = previous.image;
    this.drawing = false;
    this.version++;
  }

  /** Removes every stroke and the image; undo brings them back. Clearing an empty canvas is not a step. */
  clear(): void {
    this.drawing = false;
    if (this.isEmpty) return;
    this.#remember();
    this.strokes = [];
    this.image = null;
    this.version++;
  }

  #remember(): void {
    const kept = this.#undo.length >= MAX_UNDO ? this.#undo.slice(1) : this.#undo;
    this.#undo = [...kept, { strokes: this.strokes, image: this.image }];
  }
}
