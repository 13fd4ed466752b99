import type { RunRecord } from '$shared/runs/run-record';
import { axesOf, brushOf, brushSpan, importanceOf, selectedRuns, type Brush } from './parallel-axes';

/** Which runs the parallel coordinates show: the ticked ones, the shown sweep's, or every run the filter lists. */
export type ParallelSource = 'ticked' | 'sweep' | 'listed';

export const PARALLEL_SOURCES: Record<ParallelSource, string> = {
  listed: 'every run listed (the filter applies)',
  ticked: 'the ticked runs',
  sweep: 'the sweep shown',
};

/**
 * The Runs tab's parallel coordinates: a set of runs, one vertical axis per setting on which they differ
 * (and their accuracies), and brushes that narrow the set to the runs crossing every brushed axis
 * inside its brush.
 */
export class ParallelState {
  source = $state<ParallelSource>('listed');
  /** By axis key; an axis without a brush lets every run through. */
  brushes = $state.raw<Readonly<Record<string, Brush>>>({});

  // Set by the constructor; declared with a value here because the fields derived below read it. Only
  // the shown source's runs are made, so ticking a run does not redo the listed set's axes.
  #runsOf: (source: ParallelSource) => readonly RunRecord[] = () => [];

  readonly runs = $derived(this.#runsOf(this.source));
  readonly axes = $derived(axesOf(this.runs));
  readonly selected = $derived(selectedRuns(this.runs, this.axes, this.brushes));
  readonly selectedIds = $derived(new Set(this.selected.map((run) => run.id)));
  readonly brushed = $derived(this.axes.some((axis) => this.brushes[axis.def.key] !== undefined));
  /** Rank correlation of each numeric setting with test accuracy, by axis key. */
  readonly importance = $derived(new Map(this.axes.map((axis) => [axis.def.key, importanceOf(axis, this.runs)])));

  constructor(runsOf: (source: ParallelSource) => readonly RunRecord[]) {
    this.#runsOf = runsOf;
  }

  /** Another set of runs: the old brushes were drawn against other axes, so they go. */
  show(source: ParallelSource): void {
    this.source = source;
    this.brushes = {};
  }

  /** Brushes axis `key` from fraction `a` to `b` of its height (0 bottom, 1 top); a click (no drag) clears it. */
  brush(key: string, a: number, b: number): void {
    const axis = this.axes.find((x) => x.def.key === key);
    if (!axis) return;
    const { [key]: _old, ...others } = this.brushes;
    this.brushes = Math.abs(a - b) < 0.01 ? others : { ...others, [key]: brushOf(axis, a, b) };
  }

  /**
   * The keyboard's brush: keeps the upper or lower half of what the axis's brush covers now (the whole
   * axis when it has none), so a few presses home in on a range.
   */
  narrow(key: string, half: 'upper' | 'lower'): void {
    const axis = this.axes.find((x) => x.def.key === key);
    if (!axis) return;
    const brush = this.brushes[key];
    const [from, to] = (brush && brushSpan(axis, brush)) ?? [0, 1];
    const middle = (from + to) / 2;
    this.brush(key, half === 'upper' ? middle : from, half === 'upper' ? to : middle);
  }

  clear(): void {
    this.brushes = {};
  }
}
