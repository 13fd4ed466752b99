import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { EventChannel, EventPayload, EventSink } from '$shared/ipc/contract';
import { boundMessage } from '$shared/bounded-message';
import type { ModelSpec } from '$shared/model-spec';
import type { RunSweepTag } from '$shared/runs/run-record';
import { describeValues, MAX_SWEEP_NOTE, planSweep, SWEEP_FORMAT, type SweepPoint, type SweepProgress, type SweepRecord, type SweepRequest } from '$shared/experiments/sweep';
import { SweepStore } from './sweep-store';

/** What a sweep needs of the training service: it starts runs one after another in its one worker. */
export interface SweepTrainer {
  start(spec: ModelSpec, datasetId: string): Promise<{ runId: string }>;
  stop(): void;
}

export interface SweepServiceOptions {
  userDataDir: string;
  events: EventSink;
  training: SweepTrainer;
  /** Tags the next run the run history opens (RunHistory.tagNextRun). */
  tagNextRun: (tag: RunSweepTag | null) => void;
  now?: () => number;
  store?: SweepStore;
}

/** Progress goes to the window at most this often (a run's own progress arrives ten times a second). */
const PROGRESS_INTERVAL_MS = 500;

interface ActiveSweep {
  record: SweepRecord;
  points: SweepPoint[];
  index: number;
  done: number;
  /** The training session of the run under way, to match its events. */
  sessionId: string | null;
  runStartedAt: number;
  /** Seconds each finished run took, start to finish, for the ETA. */
  durations: number[];
  etaSeconds: number | null;
  lastSent: number;
}

/**
 * Runs a sweep: each planned spec is started as a normal run (the run history records it, tagged with
 * the sweep) once the one before has ended, in the same long-lived training worker. A run that
 * diverges or fails is recorded as such and the sweep goes on; Cancel stops the run under way and
 * starts no more. It hears the training service's events as the run history does.
 */
export class SweepService {
  readonly store: SweepStore;
  private active: ActiveSweep | null = null;
  /** Writes go one after another, so a note saved as a sweep ends is not overwritten by the end's write. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly options: SweepServiceOptions) {
    this.store = options.store ?? new SweepStore(path.join(options.userDataDir, 'sweeps'));
  }

  progress(): SweepProgress | null {
    return this.active ? this.progressOf(this.active) : null;
  }

  async start(request: SweepRequest): Promise<{ sweepId: string }> {
    if (this.active) throw new Error('A sweep is already running: cancel it first.');
    // Every run's settings are checked before the first one trains.
    const points = planSweep(request);
    const record: SweepRecord = {
      format: SWEEP_FORMAT,
      version: 1,
      id: randomUUID(),
      datasetId: request.datasetId,
      base: structuredClone(request.base),
      axes: structuredClone(request.axes),
      startedAt: new Date().toISOString(),
      finishedAt: null,
      state: 'running',
      message: null,
      note: '',
    };
    const sweep: ActiveSweep = { record, points, index: 0, done: 0, sessionId: null, runStartedAt: 0, durations: [], etaSeconds: null, lastSent: 0 };
    this.active = sweep;
    try {
      await this.launch(sweep);
    } catch (error) {
      // Its first run could not start (training busy, dataset gone): there is no sweep.
      this.active = null;
      throw error;
    }
    await this.save(record);
    return { sweepId: record.id };
  }

  /** Stops the run under way and starts no more; the runs done so far stay recorded. */
  cancel(): void {
    const sweep = this.active;
    if (!sweep) return;
    sweep.record.state = 'cancelled';
    sweep.record.message = `Cancelled after ${sweep.done} of ${sweep.points.length} runs.`;
    // Also while a run is starting: the training service sends the Stop right after its start.
    this.options.training.stop();
    if (!sweep.sessionId) void this.finish(sweep);
  }

  async list(): Promise<SweepRecord[]> {
    const sweeps = await this.store.list();
    const active = this.active?.record;
    return active ? sweeps.map((s) => (s.id === active.id ? structuredClone(active) : s)) : sweeps;
  }

  async setNote(id: string, note: string): Promise<void> {
    const text = note.slice(0, MAX_SWEEP_NOTE);
    const active = this.active?.record;
    if (active?.id === id) {
      active.note = text;
      await this.save(active);
      return;
    }
    await this.writes;
    const record = await this.store.read(id);
    await this.save({ ...record, note: text });
  }

  /** Sees every event the training service emits (create-services tees them here, after the run history). */
  observe<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    const sweep = this.active;
    if (!sweep || !sweep.sessionId) return;
    if (event === 'training:progress') {
      const progress = payload as EventPayload<'training:progress'>;
      if (progress.runId === sweep.sessionId) this.onRunProgress(sweep, progress.etaSeconds);
    } else if (event === 'training:finished' || event === 'training:error') {
      const ended = payload as EventPayload<'training:finished'> | EventPayload<'training:error'>;
      if (ended.runId !== sweep.sessionId) return;
      const fatal = event === 'training:error' && (payload as EventPayload<'training:error'>).kind === 'dataset';
      // After the event has reached every listener (the run history closes its record on it).
      setImmediate(() => void this.onRunEnded(sweep, fatal ? (payload as EventPayload<'training:error'>).message : null));
    }
  }

  private async launch(sweep: ActiveSweep): Promise<void> {
    const point = sweep.points[sweep.index]!;
    const tag: RunSweepTag = {
      id: sweep.record.id,
      index: sweep.index,
      count: sweep.points.length,
      axes: sweep.record.axes.map((axis, i) => ({ setting: axis.setting, ...(axis.layer === undefined ? {} : { layer: axis.layer }), value: point.values[i]! })),
    };
    sweep.sessionId = null;
    this.options.tagNextRun(tag);
    try {
      sweep.runStartedAt = this.now();
      const { runId } = await this.options.training.start(point.spec, sweep.record.datasetId);
      sweep.sessionId = runId;
    } finally {
      this.options.tagNextRun(null);
    }
    this.send(sweep, true);
  }

  private onRunProgress(sweep: ActiveSweep, runEtaSeconds: number): void {
    const elapsed = (this.now() - sweep.runStartedAt) / 1000;
    const perRun = sweep.durations.length > 0 ? sweep.durations.reduce((a, b) => a + b, 0) / sweep.durations.length : elapsed + runEtaSeconds;
    sweep.etaSeconds = Math.max(0, runEtaSeconds) + perRun * (sweep.points.length - sweep.index - 1);
    this.send(sweep, false);
  }

  private async onRunEnded(sweep: ActiveSweep, fatal: string | null): Promise<void> {
    if (this.active !== sweep) return;
    sweep.durations.push((this.now() - sweep.runStartedAt) / 1000);
    sweep.done++;
    sweep.sessionId = null;
    if (fatal !== null) {
      sweep.record.state = 'failed';
      sweep.record.message = boundMessage(`Run ${sweep.index + 1} could not train: ${fatal}`);
    }
    if (sweep.record.state !== 'running' || sweep.index + 1 >= sweep.points.length) {
      await this.finish(sweep);
      return;
    }
    sweep.index++;
    try {
      await this.launch(sweep);
    } catch (error) {
      sweep.record.state = 'failed';
      sweep.record.message = boundMessage(`Run ${sweep.index + 1} (${describeValues(sweep.record.axes, sweep.points[sweep.index]!.values)}) could not start: ${(error as Error).message}`);
      await this.finish(sweep);
    }
  }

  private async finish(sweep: ActiveSweep): Promise<void> {
    if (this.active !== sweep) return;
    this.active = null;
    if (sweep.record.state === 'running') sweep.record.state = 'finished';
    sweep.record.finishedAt = new Date().toISOString();
    sweep.etaSeconds = 0;
    this.send(sweep, true);
    await this.save(sweep.record);
  }

  private save(record: SweepRecord): Promise<void> {
    const snapshot = structuredClone(record);
    this.writes = this.writes.then(async () => {
      try {
        await this.store.write(snapshot);
      } catch {
        // Not kept on disk (a full disk): its runs are recorded anyway, and the sweep goes on.
      }
      this.options.events('runs:changed', { id: snapshot.id });
    });
    return this.writes;
  }

  private send(sweep: ActiveSweep, force: boolean): void {
    const now = this.now();
    if (!force && now - sweep.lastSent < PROGRESS_INTERVAL_MS) return;
    sweep.lastSent = now;
    this.options.events('sweep:progress', this.progressOf(sweep));
  }

  private progressOf(sweep: ActiveSweep): SweepProgress {
    return {
      id: sweep.record.id,
      state: sweep.record.state,
      current: sweep.index,
      total: sweep.points.length,
      done: sweep.done,
      etaSeconds: sweep.etaSeconds,
      currentValues: describeValues(sweep.record.axes, sweep.points[sweep.index]!.values),
      message: sweep.record.message,
    };
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }
}
