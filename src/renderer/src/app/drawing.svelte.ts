
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** One pen-down-to-pen-up path, in canvas pixels. */
export type Stroke = readonly Point[];

/** Enough to undo a long session, without keeping every snapshot of an hours-long one alive. */
const MAX_UNDO = 200;

/**
 * The strokes on the drawing canvas and their history. Every array is immutable and replaced on change,
 * so an undo snapshot is just the previous array and nothing needs deep reactivity.
 */
export class Drawing {
  strokes = $state.raw<readonly Stroke[]>([]);
  /** Bumped on every change, including each point of a stroke in progress: the trigger for re-inference. */
  version = $state(0);
  /** A stroke is in progress (pointer down). */
  drawing = $state(false);
  #undo = $state.raw<readonly (readonly Stroke[])[]>([]);

  readonly isEmpty = $derived(this.strokes.length === 0);
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

  /** Returns to the state before the last stroke or clear; a stroke in progress is cancelled. */
  undo(): void {
    const previous = this.#undo[this.#undo.length - 1];
    if (previous === undefined) return;
    this.#undo = this.#undo.slice(0, -1);
    this.strokes = previous;
    this.drawing = false;
    this.version++;
  }

  /** Removes every stroke; undo brings them back. Clearing an empty canvas is not a step to undo. */
  clear(): void {
    this.drawing = false;
    if (this.strokes.length === 0) return;
    this.#remember();
    this.strokes = [];
    this.version++;
  }

  #remember(): void {
    const kept = this.#undo.length >= MAX_UNDO ? this.#undo.slice(1) : this.#undo;
    this.#undo = [...kept, this.strokes];
  }
}
