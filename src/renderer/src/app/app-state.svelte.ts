import type { Api } from '$shared/ipc/contract';
import type { AppInfo } from '$shared/app-info';
import { backendLabel } from '$shared/backend';

export interface AppError {
  id: number;
  message: string;
}

/** App-wide facts and the errors shown to the user. */
export class AppState {
  info = $state.raw<AppInfo | null>(null);
  errors = $state.raw<readonly AppError[]>([]);
  /** What the learner opened in this window (`panel:<id>`, `gallery-failures:<class>`, `robustness`), for lessons' checks. */
  seen = $state.raw<ReadonlySet<string>>(new Set(['panel:draw']));
  #panel = $state('draw');
  /**
   * A library model the Models tab asked the Train tab to continue (it is loaded as the active model
   * first); the Train tab clears it once the run starts or the user declines.
   */
  continueFrom = $state.raw<{ id: string; name: string } | null>(null);
  /**
   * Test images picked on the projector's map, for the Gallery to show; the Gallery clears it once it
   * has them (panels never import each other, so this passes them on).
   */
  galleryPick = $state.raw<{ indices: readonly number[]; label: string } | null>(null);
  #nextErrorId = 1;

  /** The panel on screen, by registry id: panels move the user on with it (Gallery's Open in Draw). */
  get panel(): string {
    return this.#panel;
  }

  set panel(id: string) {
    this.#panel = id;
    this.note(`panel:${id}`);
  }

  /** Records that the learner saw something a lesson may check for; noting it again changes nothing. */
  note(fact: string): void {
    if (!this.seen.has(fact)) this.seen = new Set([...this.seen, fact]);
  }

  readonly trainingBackend = $derived(this.info ? backendLabel(this.info.trainingBackend) : null);

  async loadInfo(api: Pick<Api, 'getAppInfo'>): Promise<void> {
    try {
      this.info = await api.getAppInfo();
    } catch (error) {
      this.report('Could not read the app information', error);
    }
  }

  /** Hands a library model to the Train tab to continue, and goes there. */
  requestContinue(model: { id: string; name: string }): void {
    this.continueFrom = model;
    this.panel = 'train';
  }

  /** Hands test images to the Gallery to show, and goes there. */
  openInGallery(indices: readonly number[], label: string): void {
    if (indices.length === 0) return;
    this.galleryPick = { indices: [...indices], label };
    this.panel = 'gallery';
  }

  /** Shows an error; the same message twice is shown once. */
  report(context: string, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`;
    const message = `${context}${detail}`;
    if (this.errors.some((e) => e.message === message)) return;
    this.errors = [...this.errors, { id: this.#nextErrorId++, message }];
  }

  dismiss(id: number): void {
    this.errors = this.errors.filter((e) => e.id !== id);
  }
}
