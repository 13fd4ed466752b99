import type { Api } from '$shared/ipc/contract';
import { countByClass, type HandwritingSample } from '$shared/handwriting/handwriting';
import type { Stroke } from './drawing.svelte';
import { errorText } from './error-text';

export type HandwritingApi = Pick<
  Api,
  'listHandwriting' | 'saveHandwriting' | 'relabelHandwriting' | 'deleteHandwriting' | 'exportHandwriting' | 'importHandwriting' | 'rebuildHandwriting'
>;

/**
 * Your handwriting as the window holds it: every saved drawing, the count per class, and the saves
 * Undo can take back. App-wide, because the Draw view collects it and the Data tab and Gallery show
 * it. Every change goes to main first; the list here is replaced with what main answered.
 */
export class Handwriting {
  samples = $state.raw<readonly HandwritingSample[]>([]);
  /** Bumped whenever `samples` is replaced, so a view derived from the set (an evaluation of it) knows it is stale. */
  version = $state(0);
  error = $state<string | null>(null);
  /** What the last action did, for a polite announcement. */
  notice = $state<string | null>(null);
  /** Ids of this session's saves, newest last: Undo save removes them one by one. */
  #saved = $state.raw<readonly string[]>([]);
  #api: HandwritingApi | null = null;
  /** Actions still waiting for main: they overlap (a save while an import runs), so one flag would clear too soon. */
  #pending = $state(0);

  readonly busy = $derived(this.#pending > 0);
  readonly counts = $derived(countByClass(this.samples.map((s) => s.label)));
  readonly canUndoSave = $derived(this.#saved.some((id) => this.samples.some((s) => s.id === id)));

  connect(api: HandwritingApi): () => void {
    this.#api = api;
    void this.reload();
    return () => {
      this.#api = null;
    };
  }

  async reload(): Promise<void> {
    await this.#run(async (api) => {
      this.#replace((await api.listHandwriting()).samples);
    });
  }

  /** Saves a drawing (its strokes and the 28×28 input, 0..1) as `label`; true when it was saved. */
  async save(label: number, strokes: readonly Stroke[], input: Float32Array): Promise<boolean> {
    const image = Array.from(input, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
    return this.#run(async (api) => {
      const sample = await api.saveHandwriting({ label, strokes: strokes.map((s) => s.map(({ x, y }) => ({ x, y }))), image });
      this.#replace([...this.samples, sample]);
      this.#saved = [...this.#saved, sample.id];
      this.notice = `Saved as ${label}: ${this.counts[label]} of ${label}`;
    });
  }

  /** Removes the latest save of this session that is still in the set. */
  async undoSave(): Promise<void> {
    const id = this.#saved.findLast((saved) => this.samples.some((s) => s.id === saved));
    if (id === undefined) return;
    await this.#run(async (api) => {
      await api.deleteHandwriting({ ids: [id] });
      this.#saved = this.#saved.filter((saved) => saved !== id);
      const gone = this.samples.find((s) => s.id === id);
      this.#replace(this.samples.filter((s) => s.id !== id));
      this.notice = gone ? `Removed the last ${gone.label} saved` : null;
    });
  }

  /** True when main relabelled it; on false the sample keeps its old label. */
  async relabel(id: string, label: number): Promise<boolean> {
    return this.#run(async (api) => {
      const sample = await api.relabelHandwriting({ id, label });
      this.#replace(this.samples.map((s) => (s.id === id ? sample : s)));
    });
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#run(async (api) => {
      await api.deleteHandwriting({ ids: [...ids] });
      const gone = new Set(ids);
      this.#replace(this.samples.filter((s) => !gone.has(s.id)));
      this.notice = `Deleted ${ids.length} sample${ids.length === 1 ? '' : 's'}`;
    });
  }

  async exportSet(): Promise<void> {
    await this.#run(async (api) => {
      const done = await api.exportHandwriting();
      if (done) this.notice = `Exported ${done.count} samples to ${done.path}`;
    });
  }

  async importSet(): Promise<void> {
    await this.#run(async (api) => {
      const done = await api.importHandwriting();
      if (!done) return;
      this.#replace((await api.listHandwriting()).samples);
      this.notice = `Imported ${done.added} samples${done.skipped > 0 ? ` (${done.skipped} already here)` : ''}`;
    });
  }

  async rebuild(): Promise<void> {
    await this.#run(async (api) => {
      const changed = await api.rebuildHandwriting();
      this.#replace((await api.listHandwriting()).samples);
      this.notice = `Rebuilt the images from the strokes: ${changed} changed`;
    });
  }

  async #run(work: (api: HandwritingApi) => Promise<void>): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    this.#pending++;
    this.error = null;
    try {
      await work(api);
      return true;
    } catch (error) {
      this.error = errorText(error);
      return false;
    } finally {
      this.#pending--;
    }
  }

  #replace(samples: readonly HandwritingSample[]): void {
    this.samples = samples;
    this.version++;
  }
}
