import type { Api } from '$shared/ipc/contract';
import { DATASETS, isCatalogId } from '$shared/datasets/catalog';
import type { ModelSpec } from '$shared/model-spec';
import type { RunListing, RunRecord } from '$shared/runs/run-record';
import { kerasCode } from '$shared/runs/keras-code';
import { sklearnCode, sklearnMismatch } from '$shared/runs/sklearn-code';
import type { Services } from '../../app/context';
import { cleanColour, freeColour, MAX_TICKED } from './run-colours';
import { settingsTable } from './run-diff';
import { dateTime } from './format';
import { filterRows, rowsOf, sortRows, type RunSortKey } from './run-table';
import { errorText } from '../../app/error-text';
import { SweepState, type SweepApi } from './sweep.svelte';
import { ParallelState } from './parallel.svelte';
import { Latest } from '../../lib/latest';

export type RunsApi = Pick<Api, 'listRuns' | 'deleteRun' | 'copyText' | 'onRunsChanged' | 'setRunNote'> & SweepApi;

export interface RunCode {
  kind: 'keras' | 'sklearn';
  runId: string;
  text: string;
  /** Whether it reached the clipboard; the text area shows it either way. */
  copied: boolean;
}

/**
 * The Runs tab: every recorded run, the ticked ones (up to ten, each with its colour) whose curves and
 * settings are compared, and the code of the run last copied.
 */
export class RunsState {
  listing = $state.raw<RunListing | null>(null);
  /** Ticked run ids, in the order they were ticked. */
  ticked = $state.raw<readonly string[]>([]);
  /** Each ticked run's colour, kept when it is unticked so ticking it again brings it back. */
  colours = $state.raw<Readonly<Record<string, string>>>({});
  sortKey = $state<RunSortKey>('date');
  descending = $state(true);
  filter = $state('');
  differencesOnly = $state(false);
  code = $state.raw<RunCode | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  readonly #services: Pick<Services, 'app' | 'handoff'>;
  /** Sweeps: the form, the progress, and the chart of the one shown. */
  readonly sweep: SweepState;
  /** Parallel coordinates over the listed, ticked or swept runs, with their brushes. */
  readonly parallel: ParallelState;
  #api: RunsApi | null = null;
  #unsubscribe: (() => void) | null = null;
  /** An older listing arriving after a newer one is dropped. */
  readonly #listing = new Latest();

  readonly rows = $derived(rowsOf(this.listing?.runs ?? []));
  readonly visibleRows = $derived(sortRows(filterRows(this.rows, this.filter), this.sortKey, this.descending));
  readonly tickedRuns = $derived(
    this.ticked.flatMap((id) => this.listing?.runs.find((run) => run.id === id) ?? []),
  );
  readonly settings = $derived(settingsTable(this.tickedRuns, this.differencesOnly));
  readonly full = $derived(this.ticked.length >= MAX_TICKED);
  /** The run Re-run, Delete and Copy act on: the last one ticked. */
  readonly current = $derived<RunRecord | null>(this.tickedRuns[this.tickedRuns.length - 1] ?? null);
  /** Why the current run has no scikit-learn code, or null when it has. */
  readonly sklearnProblem = $derived(this.current ? sklearnMismatch(this.current.spec) : null);

  constructor(services: Pick<Services, 'app' | 'handoff'>) {
    this.#services = services;
    this.sweep = new SweepState(() => this.listing?.runs ?? [], services.handoff);
    this.parallel = new ParallelState((source) => {
      if (source === 'ticked') return this.tickedRuns;
      if (source === 'sweep') return this.sweep.points.map((point) => point.record);
      return this.visibleRows.map((row) => row.record);
    });
  }

  connect(api: RunsApi): () => void {
    this.#unsubscribe?.();
    this.#api = api;
    const offRuns = api.onRunsChanged(() => {
      void this.refresh();
      void this.sweep.refresh();
    });
    const offSweep = this.sweep.connect(api);
    this.#unsubscribe = () => {
      offRuns();
      offSweep();
    };
    void this.refresh();
    return () => {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      this.#api = null;
    };
  }

  async refresh(): Promise<void> {
    const api = this.#api;
    if (!api) return;
    const load = this.#listing.next();
    try {
      const listing = await api.listRuns();
      // An older answer arriving after a newer one must not bring back a deleted run.
      if (!load.current) return;
      this.listing = listing;
      const known = new Set(listing.runs.map((run) => run.id));
      if (this.ticked.some((id) => !known.has(id))) this.ticked = this.ticked.filter((id) => known.has(id));
    } catch (error) {
      this.error = `Could not read the run history: ${errorText(error)}`;
    }
  }

  isTicked(id: string): boolean {
    return this.ticked.includes(id);
  }

  toggle(id: string): void {
    if (this.isTicked(id)) {
      this.ticked = this.ticked.filter((t) => t !== id);
      return;
    }
    if (this.full) return;
    if (!this.colours[id]) {
      this.colours = { ...this.colours, [id]: freeColour(this.ticked.map((t) => this.colours[t]!)) };
    }
    this.ticked = [...this.ticked, id];
  }

  /** Makes a run the current one (ticked last), as a click on a sweep's point does. */
  open(id: string): void {
    if (this.isTicked(id)) this.ticked = [...this.ticked.filter((t) => t !== id), id];
    else if (this.full) this.ticked = [...this.ticked.slice(1), id];
    else this.toggle(id);
    if (!this.colours[id]) this.colours = { ...this.colours, [id]: freeColour(this.ticked.filter((t) => t !== id).map((t) => this.colourOf(t))) };
  }

  async saveNote(run: RunRecord, note: string): Promise<void> {
    if ((run.note ?? '') === note) return;
    this.error = null;
    try {
      await this.#api?.setRunNote({ id: run.id, note });
      this.notice = 'Note saved.';
      await this.refresh();
    } catch (error) {
      this.error = `Could not save the note: ${errorText(error)}`;
    }
  }

  colourOf(id: string): string {
    return this.colours[id] ?? freeColour([]);
  }

  setColour(id: string, value: string): void {
    this.colours = { ...this.colours, [id]: cleanColour(value, this.colourOf(id)) };
  }

  sortBy(key: RunSortKey): void {
    if (this.sortKey === key) this.descending = !this.descending;
    else {
      this.sortKey = key;
      this.descending = key === 'date' || key === 'testAccuracy';
    }
  }

  /** Loads the run's settings into the Train tab and goes there. */
  rerun(run: RunRecord): void {
    const origin = `Settings of the run of ${dateTime(run.startedAt)}, from the Runs tab.`;
    const problem = this.#services.handoff.offer({ spec: run.spec, datasetId: run.datasetId, origin });
    if (problem !== null) {
      this.error = problem;
      return;
    }
    this.error = null;
    this.#services.app.panel = 'train';
  }

  async remove(run: RunRecord): Promise<void> {
    const api = this.#api;
    if (!api) return;
    this.error = null;
    this.notice = null;
    try {
      if (!(await api.deleteRun({ id: run.id }))) return;
      this.notice = `Deleted the run of ${new Date(run.startedAt).toLocaleString()}.`;
      if (this.code?.runId === run.id) this.code = null;
      await this.refresh();
    } catch (error) {
      this.error = `Could not delete the run: ${errorText(error)}`;
    }
  }

  /** Shows the run as code and puts it on the clipboard. */
  async copy(run: RunRecord, kind: RunCode['kind']): Promise<void> {
    const { spec, notes } = codeSpecOf(run);
    const numClasses = isCatalogId(run.datasetId) ? DATASETS[run.datasetId].classNames.length : undefined;
    const text = kind === 'keras' ? kerasCode(spec, run.datasetId, { notes, numClasses }) : sklearnCode(spec, run.datasetId, { notes });
    if (text === null) return;
    this.code = { kind, runId: run.id, text, copied: false };
    try {
      await this.#api?.copyText({ text });
      if (this.code?.text === text) this.code = { ...this.code, copied: true };
    } catch (error) {
      this.error = `Could not copy to the clipboard (the code is shown below): ${errorText(error)}`;
    }
  }
}

/**
 * The settings a script reproduces a run with. A Continue trained further a model of earlier runs, which
 * a script cannot pick up: it trains the session's whole count of epochs from fresh weights instead.
 */
export function codeSpecOf(run: RunRecord): { spec: ModelSpec; notes: string[] } {
  if (run.kind === 'train') return { spec: run.spec, notes: [] };
  const last = run.history[run.history.length - 1];
  const epochs = run.final?.epochsDone ?? (last ? last.epoch + 1 : run.spec.epochs);
  return {
    spec: { ...run.spec, epochs },
    notes: [
      `This run continued a model trained before it; the script trains all ${epochs} epochs in one go, from fresh`,
      '  weights, and a cosine schedule falls once over them instead of restarting at the Continue.',
    ],
  };
}

