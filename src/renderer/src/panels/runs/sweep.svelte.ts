import type { Api } from '$shared/ipc/contract';
import type { SweepProgress, SweepRecord } from '$shared/experiments/sweep';
import { parseSweepValues, SWEEP_SETTING_INFO, type SweepAxis, type SweepSetting, type SweepValue } from '$shared/experiments/sweep-values';
import { describeSpecShort } from './run-table';
import type { RunRecord } from '$shared/runs/run-record';
import type { SpecHandoff } from '../../app/spec-handoff.svelte';
import { errorText } from '../../app/error-text';
import { bestPoint, sweepPoints, sweepsOf, type SweepPoint } from './sweep-points';

export type SweepApi = Pick<Api, 'startSweep' | 'cancelSweep' | 'getSweepProgress' | 'listSweeps' | 'setSweepNote' | 'onSweepProgress'>;

/** What the learner typed for one axis, and what it parses to (or why not). */
function axisOf(setting: SweepSetting, layer: number, text: string): { axis: SweepAxis | null; problem: string | null } {
  try {
    const values: SweepValue[] = parseSweepValues(setting, text);
    return { axis: { setting, ...(setting === 'units' ? { layer } : {}), values }, problem: null };
  } catch (error) {
    return { axis: null, problem: (error as Error).message };
  }
}

/** The Runs tab's sweeps: the form that starts one, its progress, the recorded ones and the chosen one's points. */
export class SweepState {
  setting = $state<SweepSetting>('units');
  layer = $state(0);
  valuesText = $state('16, 32, 64, 128');
  /** The grid's second setting, or 'none'. */
  setting2 = $state<SweepSetting | 'none'>('none');
  layer2 = $state(0);
  valuesText2 = $state('');
  progress = $state.raw<SweepProgress | null>(null);
  records = $state.raw<readonly SweepRecord[]>([]);
  /** The sweep whose chart is shown. */
  shownId = $state<string | null>(null);
  error = $state<string | null>(null);
  starting = $state(false);

  // Set by the constructor; declared with a value here because the fields derived below read them.
  #runs: () => readonly RunRecord[] = () => [];
  #handoff: Pick<SpecHandoff, 'current'> = { current: () => null };
  #api: SweepApi | null = null;

  readonly first = $derived(axisOf(this.setting, this.layer, this.valuesText));
  readonly second = $derived(this.setting2 === 'none' ? null : axisOf(this.setting2, this.layer2, this.valuesText2));
  readonly problem = $derived(this.first.problem ?? this.second?.problem ?? null);
  readonly running = $derived(this.progress?.state === 'running');
  readonly sweeps = $derived(sweepsOf(this.#runs(), this.records));
  readonly shown = $derived(this.sweeps.find((s) => s.id === this.shownId) ?? this.sweeps[0] ?? null);
  readonly points = $derived<SweepPoint[]>(this.shown ? sweepPoints(this.#runs(), this.shown.id) : []);
  readonly best = $derived(bestPoint(this.points));

  constructor(runs: () => readonly RunRecord[], handoff: Pick<SpecHandoff, 'current'>) {
    this.#runs = runs;
    this.#handoff = handoff;
  }

  /** The settings the sweep would vary, in words (the Train tab's, as they stand). */
  base(): string {
    const current = this.#handoff.current();
    return current ? `${describeSpecShort(current.spec)} on ${current.datasetId}` : 'the Train tab\'s settings';
  }

  isChoice(setting: SweepSetting): boolean {
    return SWEEP_SETTING_INFO[setting].kind === 'choice';
  }

  connect(api: SweepApi): () => void {
    this.#api = api;
    const off = api.onSweepProgress((progress) => {
      this.progress = progress;
      if (progress.state !== 'running') void this.refresh();
    });
    void api.getSweepProgress().then((progress) => {
      if (progress && !this.progress) this.progress = progress;
    }, () => undefined);
    void this.refresh();
    return () => {
      off();
      this.#api = null;
    };
  }

  async refresh(): Promise<void> {
    try {
      this.records = (await this.#api?.listSweeps()) ?? this.records;
    } catch (error) {
      this.error = `Could not read the sweeps: ${errorText(error)}`;
    }
  }

  async start(): Promise<void> {
    const api = this.#api;
    const current = this.#handoff.current();
    const axes = [this.first.axis, ...(this.second ? [this.second.axis] : [])];
    if (!api || !current || this.problem || axes.some((a) => a === null)) return;
    this.error = null;
    this.starting = true;
    try {
      const { sweepId } = await api.startSweep({ base: current.spec, datasetId: current.datasetId, axes: axes as SweepAxis[] });
      this.shownId = sweepId;
      await this.refresh();
    } catch (error) {
      this.error = `The sweep could not start: ${errorText(error)}`;
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    try {
      await this.#api?.cancelSweep();
    } catch (error) {
      this.error = `Could not cancel the sweep: ${errorText(error)}`;
    }
  }

  async saveNote(id: string, note: string): Promise<void> {
    try {
      await this.#api?.setSweepNote({ id, note });
      await this.refresh();
    } catch (error) {
      this.error = `Could not save the note: ${errorText(error)}`;
    }
  }
}
