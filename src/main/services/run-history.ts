import { randomUUID } from 'node:crypto';
import { describeChoice } from '../../shared/backend-choice';
import path from 'node:path';
import type { EventChannel, EventPayload, EventSink } from '../../shared/ipc/contract';
import { boundMessage } from '../../shared/bounded-message';
import { MAX_NOTE_LENGTH, MAX_RUN_EPOCHS, RUN_FORMAT, type RunListing, type RunRecord, type RunSweepTag } from '../../shared/runs/run-record';
import type { TrainingFinished, TrainingStatus } from '../../shared/training';
import type { Dialogs } from './dialogs';
import { RunStore } from './run-store';

export interface RunHistoryOptions {
  userDataDir: string;
  version: string;
  events: EventSink;
  dialogs: Dialogs;
  now?: () => Date;
  /** Where runs are kept; by default the `runs` folder of userDataDir (tests slow it down). */
  store?: RunStore;
}

/**
 * Records every training call from the training service's own events, so training never waits on it:
 * `observe` only updates the run in memory and schedules a write; writes of one run are chained, and a
 * write that fails is remembered for the view, never thrown at training.
 */
export class RunHistory {
  readonly store: RunStore;
  /** The run being recorded, if any. */
  private open: RunRecord | null = null;
  private openedAt = 0;
  /** The last run of each training session, so a Continue links to what it continued. */
  private lastOfSession = new Map<string, string>();
  /** Per run: the write under way, and the newest snapshot still to write after it. */
  private writes = new Map<string, { running: Promise<void>; next: RunRecord | null }>();
  private writeError: string | null = null;
  /** The sweep the next run to open belongs to (set by the sweep service around its start). */
  private nextTag: RunSweepTag | null = null;

  constructor(private readonly options: RunHistoryOptions) {
    this.store = options.store ?? new RunStore(path.join(options.userDataDir, 'runs'));
  }

  /** Sees every event the training service emits (create-services tees them here). */
  observe<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    if (event === 'training:status') this.onStatus(payload as TrainingStatus);
    else if (event === 'training:progress') this.onProgress(payload as EventPayload<'training:progress'>);
    else if (event === 'training:epoch') this.onEpoch(payload as EventPayload<'training:epoch'>);
    else if (event === 'training:finished') this.onFinished(payload as TrainingFinished);
    else if (event === 'training:error') this.onError(payload as EventPayload<'training:error'>);
  }

  async list(): Promise<RunListing> {
    const { runs, skipped } = await this.store.list();
    // A run still `running` on disk but not here was cut short by the app closing (or crashing).
    const shown = runs.map((run) =>
      run.outcome === 'running' && run.id !== this.open?.id
        ? { ...run, outcome: 'failed' as const, error: run.error ?? 'MLP Lab closed before this run finished.' }
        : run,
    );
    return { runs: shown, skipped, writeError: this.writeError };
  }

  /** Deletes a run's record after the user confirms; false when they decline. */
  async remove(id: string): Promise<boolean> {
    if (this.open?.id === id) throw new Error('This run is still training: stop it before deleting its record.');
    const yes = await this.options.dialogs.confirm({
      title: 'Delete run',
      message: 'Delete this run from the history?',
      detail: 'Its settings and curves are removed; a model saved from it stays in the library.',
      confirmLabel: 'Delete',
    });
    if (!yes) return false;
    await this.whenWritten(id);
    await this.store.remove(id);
    this.options.events('runs:changed', { id });
    return true;
  }

  /** Tags the next run opened as a run of a sweep; null clears it. */
  tagNextRun(tag: RunSweepTag | null): void {
    this.nextTag = tag;
  }

  /** Saves the learner's note on a run (the run under way or a recorded one). */
  async setNote(id: string, note: string): Promise<void> {
    const text = note.slice(0, MAX_NOTE_LENGTH);
    if (this.open?.id === id) {
      this.open.note = text;
      this.schedule(this.open, true);
      await this.whenWritten(id);
      return;
    }
    await this.whenWritten(id);
    const record = (await this.store.list()).runs.find((r) => r.id === id);
    if (!record) throw new Error('That run is no longer in the history.');
    this.schedule({ ...record, note: text }, true);
    await this.whenWritten(id);
  }

  /** The model of training session `sessionId` was saved to the library: its last run links to it. */
  async linkSavedModel(sessionId: string, model: { id: string; name: string }): Promise<void> {
    const id = this.lastOfSession.get(sessionId);
    if (!id) return;
    if (this.open?.id === id) {
      this.open.savedModel = model;
      this.schedule(this.open);
      return;
    }
    await this.whenWritten(id);
    const record = (await this.store.list()).runs.find((r) => r.id === id);
    if (!record) return;
    this.schedule({ ...record, savedModel: model });
    await this.whenWritten(id);
    this.options.events('runs:changed', { id });
  }

  /** Resolves once every scheduled write has been attempted (tests, and before quitting). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes.values()].map((w) => w.running));
  }

  private onStatus(status: TrainingStatus): void {
    const open = this.open;
    if (open && status.backend && open.backend !== status.backend) open.backend = status.backend;
    const choice = status.backendChoice ? describeChoice(status.backendChoice) : null;
    if (open && choice && open.backendChoice !== choice) open.backendChoice = choice;
    if (!open && status.phase !== 'idle' && status.run) {
      this.begin(status);
      return;
    }
    if (open && status.phase === 'idle' && status.run === null) {
      // The worker went away; the error that says why, if any, follows in the same turn.
      queueMicrotask(() => {
        if (this.open === open) this.end('failed', null, 'Training ended before the run finished.');
      });
    }
  }

  private begin(status: TrainingStatus): void {
    const run = status.run!;
    const previous = this.lastOfSession.get(run.id) ?? null;
    const record: RunRecord = {
      format: RUN_FORMAT,
      version: 1,
      id: randomUUID(),
      kind: previous ? 'continue' : 'train',
      sessionId: run.id,
      continuedFrom: previous,
      spec: structuredClone(run.spec),
      datasetId: run.datasetId,
      backend: status.backend,
      backendChoice: status.backendChoice ? describeChoice(status.backendChoice) : null,
      appVersion: this.options.version,
      startedAt: this.now().toISOString(),
      finishedAt: null,
      durationSeconds: 0,
      epochsPlanned: previous ? 0 : run.spec.epochs,
      outcome: 'running',
      error: null,
      history: [],
      final: null,
      savedModel: null,
      ...(this.nextTag ? { sweep: structuredClone(this.nextTag) } : {}),
    };
    this.nextTag = null;
    this.open = record;
    this.openedAt = this.now().getTime();
    this.lastOfSession.set(run.id, record.id);
    this.schedule(record, true);
  }

  private onProgress({ runId, firstEpoch, lastEpoch }: EventPayload<'training:progress'>): void {
    // A Continue's epoch count reaches main only as the worker's first progress report.
    if (this.open?.sessionId === runId && this.open.epochsPlanned === 0) this.open.epochsPlanned = lastEpoch - firstEpoch;
  }

  private onEpoch({ runId, log }: EventPayload<'training:epoch'>): void {
    const open = this.open;
    if (!open || open.sessionId !== runId || open.history.length >= MAX_RUN_EPOCHS) return;
    open.history.push(structuredClone(log));
    open.durationSeconds = this.elapsed();
    this.schedule(open);
  }

  private onFinished(finished: TrainingFinished): void {
    if (this.open?.sessionId !== finished.runId) return;
    const { testAccuracy, testLoss, epochsDone } = finished;
    if (finished.earlyStop) this.open.earlyStop = structuredClone(finished.earlyStop);
    if (finished.stepper) this.open.stepper = structuredClone(finished.stepper);
    this.end(finished.stopped ? 'stopped' : 'completed', { testAccuracy, testLoss, epochsDone }, null);
  }

  private onError(error: EventPayload<'training:error'>): void {
    if (this.open && error.runId === this.open.sessionId) this.end(error.kind === 'diverged' ? 'diverged' : 'failed', null, error.message);
  }

  private end(outcome: RunRecord['outcome'], final: RunRecord['final'], error: string | null): void {
    const record = this.open!;
    this.open = null;
    record.outcome = outcome;
    record.final = final;
    record.error = error === null ? null : boundMessage(error);
    record.finishedAt = this.now().toISOString();
    record.durationSeconds = this.elapsed();
    this.schedule(record, true);
  }

  /** Writes a snapshot of `record` after any write of it under way; `announce` tells the window once written. */
  private schedule(record: RunRecord, announce = false): void {
    const snapshot = structuredClone(record);
    const pending = this.writes.get(record.id);
    if (pending) {
      pending.next = snapshot;
      // The write under way picks this snapshot up before it settles.
      if (announce) void pending.running.then(() => this.announce(record.id));
      return;
    }
    const entry = { running: Promise.resolve(), next: null as RunRecord | null };
    entry.running = this.drain(record.id, snapshot, entry).then(() => {
      if (announce) this.announce(record.id);
    });
    this.writes.set(record.id, entry);
  }

  private async drain(id: string, first: RunRecord, entry: { next: RunRecord | null }): Promise<void> {
    let current: RunRecord | null = first;
    while (current) {
      try {
        await this.store.write(current);
        this.writeError = null;
      } catch (error) {
        this.writeError = `Could not record the run in ${this.store.dir}: ${(error as Error).message}`;
      }
      current = entry.next;
      entry.next = null;
    }
    this.writes.delete(id);
  }

  private async whenWritten(id: string): Promise<void> {
    while (this.writes.has(id)) await this.writes.get(id)!.running;
  }

  private announce(id: string): void {
    this.options.events('runs:changed', { id });
  }

  private elapsed(): number {
    return Math.max(0, (this.now().getTime() - this.openedAt) / 1000);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
